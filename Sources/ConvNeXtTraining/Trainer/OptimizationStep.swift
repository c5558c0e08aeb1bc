import ConvNeXt
import ConvNeXtKernels

/// The model, optimizer and EMA of a run, advanced one optimizer step at a time: the recipe's
/// inner loop (the original repository's `train_one_epoch`).
struct OptimizationStep {
    var model: TrainableConvNeXt
    var optimizer: AdamW
    var ema: ModelEMA?
    let recipe: TrainingRecipe
    let schedule: CosineSchedule
    let mixup: Mixup?
    let pool: WorkerPool

    init(model: TrainableConvNeXt, recipe: TrainingRecipe, stepsPerEpoch: Int, pool: WorkerPool) throws {
        self.model = model
        self.recipe = recipe
        self.pool = pool
        optimizer = try AdamW(groups: ParameterGroups(model: model, weightDecay: recipe.weightDecay, layerDecay: recipe.layerDecay))
        ema = recipe.emaDecay.map { ModelEMA(parameters: model.parameters, decay: $0) }
        schedule = CosineSchedule(baseValue: recipe.resolvedLearningRate, finalValue: recipe.minimumLearningRate,
                                  epochs: recipe.epochs, iterationsPerEpoch: stepsPerEpoch,
                                  warmupEpochs: recipe.resolvedWarmupEpochs)
        mixup = recipe.mixesBatches
            ? Mixup(classCount: model.configuration.numLabels, mixupAlpha: recipe.mixup, cutmixAlpha: recipe.cutmix,
                    labelSmoothing: recipe.labelSmoothing)
            : nil
    }

    /// One optimizer step over `microBatches` (``TrainingRecipe/accumulationSteps`` of them,
    /// `[N, H, W, 3]` normalized pixels and their labels): mixing, forward with stochastic
    /// depth, loss, backward, gradient averaging and clipping, the scheduled AdamW update and
    /// the EMA update. Random draws come from the stream of step `index`, so a step's outcome
    /// depends only on the model, the data and `index`.
    ///
    /// - Returns: the mean loss over the micro-batches and the learning rate used.
    /// - Throws: ``TrainingError/nonFiniteLoss(epoch:step:value:)`` or
    ///   ``TrainingError/nonFiniteGradient(epoch:step:parameter:)`` (with epoch 0; the caller
    ///   fills it in) before any parameter changes, when a loss or a gradient is NaN or infinite.
    mutating func run(_ microBatches: [(pixels: Tensor, labels: [Int])], index: Int) throws -> (loss: Double, learningRate: Double) {
        var accumulator = GradientAccumulator()
        var lossSum = 0.0
        for (offset, batch) in microBatches.enumerated() {
            var generator = RandomStreams.generator(seed: recipe.seed, purpose: .trainingStep,
                                                    position: UInt64(index * microBatches.count + offset))
            var pixels = batch.pixels
            let tape = Tape(pool: pool)
            let targets = mixup?.apply(channelsLastImages: &pixels, labels: batch.labels, using: &generator).targets
            let logits = try model.forward(pixels, layout: .channelsLast, on: tape, training: true,
                                           dropPathRate: recipe.dropPath, generator: &generator)
            let loss = targets.map { logits.softCrossEntropy(targets: $0) }
                ?? logits.crossEntropy(labels: batch.labels, labelSmoothing: Float(recipe.labelSmoothing))
            let value = loss.value.scalars[0]
            guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: 0, step: index, value: value) }
            lossSum += Double(value)
            accumulator.add(model.gradients(from: loss.backward()))
        }
        var gradients = accumulator.average
        for name in gradients.keys.sorted() where gradients[name]!.withUnsafeBufferPointer(firstNonFiniteIndex) != nil {
            throw TrainingError.nonFiniteGradient(epoch: 0, step: index, parameter: name)
        }
        if let maximum = recipe.clipGradientNorm { _ = clipGradientNorm(&gradients, maxNorm: maximum) }
        let learningRate = schedule.value(at: index)
        try optimizer.step(&model.parameters, gradients: gradients, learningRate: learningRate)
        ema?.update(with: model.parameters)
        return (lossSum / Double(microBatches.count), learningRate)
    }
}
