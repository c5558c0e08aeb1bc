/// What one epoch of training measured: one line of `metrics.jsonl`, one point of each curve
/// ``TrainingCurvePlot`` draws.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch, counting from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's steps (on mixed, augmented batches).
    public var trainLoss: Double
    /// The learning rate of the epoch's last step.
    public var learningRate: Double
    /// Training images processed per second over the epoch (data waiting included).
    public var imagesPerSecond: Double
    /// The epoch's wall-clock time in seconds.
    public var seconds: Double
    /// Images skipped because they could not be decoded.
    public var skippedImages: Int
    /// Optimizer steps skipped because their loss or a gradient was not finite, when the run
    /// skips such steps (``Trainer/skipsNonFiniteSteps``).
    public var skippedSteps: Int?
    /// Validation loss (plain cross-entropy), when there is validation data.
    public var validationLoss: Double?
    /// Validation top-1 accuracy in [0, 1].
    public var validationTop1: Double?
    /// Validation top-5 accuracy in [0, 1] (top-k with k = min(5, classes)).
    public var validationTop5: Double?
    /// Validation top-1 accuracy of the EMA weights, when an EMA is kept.
    public var validationTop1EMA: Double?

    /// A record of one epoch.
    public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationTop1: Double? = nil,
                learningRate: Double, validationTop5: Double? = nil, validationTop1EMA: Double? = nil,
                imagesPerSecond: Double = 0, seconds: Double = 0, skippedImages: Int = 0) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationTop1 = validationTop1
        self.learningRate = learningRate
        self.validationTop5 = validationTop5
        self.validationTop1EMA = validationTop1EMA
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
        self.skippedImages = skippedImages
    }

    enum CodingKeys: String, CodingKey {
        case epoch, trainLoss = "train_loss", learningRate = "lr", imagesPerSecond = "images_per_second"
        case seconds, skippedImages = "skipped_images", skippedSteps = "skipped_steps", validationLoss = "val_loss"
        case validationTop1 = "val_top1", validationTop5 = "val_top5", validationTop1EMA = "val_top1_ema"
    }
}

extension EpochRecord {
    // JSON has no NaN or infinity: a non-finite measurement (the loss of an epoch whose every
    // step was skipped, say) is written as null and read back as NaN (or nil).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try container.decode(Int.self, forKey: .epoch)
        trainLoss = try container.decodeIfPresent(Double.self, forKey: .trainLoss) ?? .nan
        learningRate = try container.decodeIfPresent(Double.self, forKey: .learningRate) ?? .nan
        imagesPerSecond = try container.decodeIfPresent(Double.self, forKey: .imagesPerSecond) ?? .nan
        seconds = try container.decodeIfPresent(Double.self, forKey: .seconds) ?? .nan
        skippedImages = try container.decode(Int.self, forKey: .skippedImages)
        skippedSteps = try container.decodeIfPresent(Int.self, forKey: .skippedSteps)
        validationLoss = try container.decodeIfPresent(Double.self, forKey: .validationLoss)
        validationTop1 = try container.decodeIfPresent(Double.self, forKey: .validationTop1)
        validationTop5 = try container.decodeIfPresent(Double.self, forKey: .validationTop5)
        validationTop1EMA = try container.decodeIfPresent(Double.self, forKey: .validationTop1EMA)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
        try container.encode(epoch, forKey: .epoch)
        try container.encode(finite(trainLoss), forKey: .trainLoss)
        try container.encode(finite(learningRate), forKey: .learningRate)
        try container.encode(finite(imagesPerSecond), forKey: .imagesPerSecond)
        try container.encode(finite(seconds), forKey: .seconds)
        try container.encode(skippedImages, forKey: .skippedImages)
        try container.encodeIfPresent(skippedSteps, forKey: .skippedSteps)
        try container.encodeIfPresent(finite(validationLoss), forKey: .validationLoss)
        try container.encodeIfPresent(finite(validationTop1), forKey: .validationTop1)
        try container.encodeIfPresent(finite(validationTop5), forKey: .validationTop5)
        try container.encodeIfPresent(finite(validationTop1EMA), forKey: .validationTop1EMA)
    }
}
