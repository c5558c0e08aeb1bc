/// The hyper-parameters of a training run: the ConvNeXt paper's ImageNet-1K recipe by default,
/// with the learning rate scaled linearly from its 4e-3 at a batch of 4096 and the warm-up
/// scaled from its 20 of 300 epochs.
///
/// `Codable`, so a checkpoint records the recipe it was trained with and `--resume` can refuse a
/// changed one.
public struct TrainingRecipe: Sendable, Equatable, Codable {
    /// Passes over the training set.
    public var epochs: Int = 300
    /// Images per forward/backward pass (per micro-batch).
    public var batchSize: Int = 128
    /// Micro-batches whose gradients are summed per optimizer step (the original's `update_freq`).
    public var accumulationSteps: Int = 1
    /// The peak learning rate; nil for the paper's 4e-3 scaled to ``effectiveBatchSize``.
    public var learningRate: Double?
    /// The learning rate the cosine decays to.
    public var minimumLearningRate: Double = 1e-6
    /// AdamW's decoupled weight decay (not applied to biases, norms and layer scale).
    public var weightDecay: Double = 0.05
    /// Linear warm-up epochs; nil for the paper's 20 of 300, scaled to ``epochs``.
    public var warmupEpochs: Int?
    /// The side of the square training crops.
    public var imageSize: Int = 224
    /// The last block's stochastic depth rate (earlier blocks rise linearly to it).
    public var dropPath: Double = 0.1
    /// Label smoothing of the targets.
    public var labelSmoothing: Double = 0.1
    /// Mixup's Beta α; 0 disables it.
    public var mixup: Double = 0.8
    /// CutMix's Beta α; 0 disables it.
    public var cutmix: Double = 1.0
    /// The chance a training crop is mirrored left to right (0 for data where mirroring
    /// changes the class, such as digits or text).
    public var horizontalFlip: Double = 0.5
    /// timm's RandAugment specification (`rand-m9-mstd0.5-inc1`); nil disables it.
    public var randAugment: String? = "rand-m9-mstd0.5-inc1"
    /// Color jitter strength, used only without RandAugment (as timm does); 0 disables it.
    public var colorJitter: Double = 0.4
    /// Random erasing probability per image.
    public var randomErasing: Double = 0.25
    /// The decay of an exponential moving average of the weights; nil keeps none.
    public var emaDecay: Double?
    /// Layer-wise learning-rate decay for fine-tuning; nil or 1 disables it.
    public var layerDecay: Double?
    /// The factor a fresh or kept classifier is multiplied by before training (0.001 in the
    /// fine-tuning recipe).
    public var headInitScale: Double = 1
    /// Gradient-norm clipping threshold; nil disables clipping.
    public var clipGradientNorm: Double?
    /// The seed of every random decision (initialization, data order, augmentation, mixing).
    public var seed: UInt64 = 0

    /// The paper's recipe with the given length and batch size.
    public init(epochs: Int = 300, batchSize: Int = 128) {
        self.epochs = epochs
        self.batchSize = batchSize
    }

    /// Images per optimizer step.
    public var effectiveBatchSize: Int { batchSize * accumulationSteps }

    /// The peak learning rate in use: ``learningRate`` or 4e-3 · effective batch / 4096.
    public var resolvedLearningRate: Double { learningRate ?? 4e-3 * Double(effectiveBatchSize) / 4096 }

    /// The warm-up in use: ``warmupEpochs`` or round(20 · epochs / 300).
    public var resolvedWarmupEpochs: Int { warmupEpochs ?? Int((Double(epochs) * 20 / 300).rounded()) }

    /// Whether batches are mixed (Mixup or CutMix).
    public var mixesBatches: Bool { mixup > 0 || cutmix > 0 }

    /// Checks every value, naming the first bad one.
    ///
    /// - Throws: ``TrainingError/invalidRecipe(field:reason:)``.
    public func validate() throws(TrainingError) {
        func check(_ condition: Bool, _ field: String, _ reason: String) throws(TrainingError) {
            if !condition { throw .invalidRecipe(field: field, reason: reason) }
        }
        try check(epochs > 0, "epochs", "must be positive, got \(epochs)")
        try check(batchSize > 0, "batch-size", "must be positive, got \(batchSize)")
        try check(!mixesBatches || batchSize % 2 == 0, "batch-size", "Mixup/CutMix mix a batch with its reverse and need an even batch size, got \(batchSize)")
        try check(accumulationSteps > 0, "accumulate", "must be positive, got \(accumulationSteps)")
        if let learningRate { try check(learningRate.isFinite && learningRate > 0, "lr", "must be positive, got \(learningRate)") }
        try check(minimumLearningRate.isFinite && minimumLearningRate >= 0, "min-lr", "must be non-negative, got \(minimumLearningRate)")
        try check(weightDecay.isFinite && weightDecay >= 0, "weight-decay", "must be non-negative, got \(weightDecay)")
        if let warmupEpochs { try check((0...epochs).contains(warmupEpochs), "warmup-epochs", "must be in 0...\(epochs), got \(warmupEpochs)") }
        try check(imageSize >= 32, "image-size", "must be at least 32, got \(imageSize)")
        try check((0..<1).contains(dropPath), "drop-path", "must be in [0, 1), got \(dropPath)")
        try check((0..<1).contains(labelSmoothing), "smoothing", "must be in [0, 1), got \(labelSmoothing)")
        try check((0...1).contains(horizontalFlip), "hflip", "must be in [0, 1], got \(horizontalFlip)")
        try check(mixup.isFinite && mixup >= 0, "mixup", "must be non-negative, got \(mixup)")
        try check(cutmix.isFinite && cutmix >= 0, "cutmix", "must be non-negative, got \(cutmix)")
        try check(colorJitter.isFinite && colorJitter >= 0, "color-jitter", "must be non-negative, got \(colorJitter)")
        try check((0...1).contains(randomErasing), "reprob", "must be in [0, 1], got \(randomErasing)")
        if let emaDecay { try check((0..<1).contains(emaDecay), "ema", "must be in [0, 1), got \(emaDecay)") }
        if let layerDecay { try check(layerDecay > 0 && layerDecay <= 1, "layer-decay", "must be in (0, 1], got \(layerDecay)") }
        try check(headInitScale.isFinite && headInitScale > 0, "head-init-scale", "must be positive, got \(headInitScale)")
        if let clipGradientNorm { try check(clipGradientNorm.isFinite && clipGradientNorm > 0, "clip-grad", "must be positive, got \(clipGradientNorm)") }
        if let randAugment {
            do { _ = try RandAugment(timmSpecification: randAugment) } catch { throw .invalidRecipe(field: "randaug", reason: "\(error)") }
        }
    }
}
