import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import Foundation

/// Trains a ConvNeXt classifier on image folders with a ``TrainingRecipe``, writing to an
/// output folder: a checkpoint per epoch (``TrainingCheckpoint``; `last` links the newest),
/// `metrics.jsonl` (one ``EpochRecord`` per line) and `curves.png`.
///
/// A run is deterministic for a seed and thread count: data order, augmentation, mixing and
/// stochastic depth draw from streams keyed by seed and position. A run resumed from the
/// checkpoint of epoch e (after any kind of interruption) therefore ends with the same weights
/// as an uninterrupted one.
public final class Trainer {
    /// Where training stands, for a progress display.
    public struct Progress: Sendable {
        /// The current epoch, from 1.
        public var epoch: Int
        /// Epochs in the run.
        public var epochs: Int
        /// Optimizer steps done this epoch.
        public var step: Int
        /// Optimizer steps per epoch.
        public var stepsPerEpoch: Int
        /// Mean training loss so far this epoch.
        public var loss: Double
        /// The last step's learning rate.
        public var learningRate: Double
        /// Training images per second so far this epoch.
        public var imagesPerSecond: Double
    }

    /// The recipe.
    public let recipe: TrainingRecipe
    /// The output folder.
    public let output: URL
    /// The classes in label order.
    public let classNames: [String]
    /// The preprocessing saved with checkpoints and used for validation.
    public let preprocessing: ImageProcessorConfiguration
    private var step: OptimizationStep
    private let trainingLoader: DataLoader
    private let validationLoader: DataLoader?
    private let checkpoint: TrainingCheckpoint

    /// Prepares a run of `model` (whose labels are `training`'s classes) on `training`,
    /// validating on `validation` after every epoch when given.
    ///
    /// - Parameters:
    ///   - preprocessing: the evaluation preprocessing (its mean and std also normalize
    ///     training crops); written with each checkpoint.
    ///   - pool: the threads of forward and backward passes.
    ///   - loaderThreads: background threads decoding and augmenting images.
    /// - Throws: ``TrainingError`` for a bad recipe, classes that disagree, or too few images
    ///   for one optimizer step; ``TrainingDataError`` from the loaders.
    public init(model: TrainableConvNeXt, recipe: TrainingRecipe, training: ImageFolderDataset, validation: ImageFolderDataset?,
                preprocessing: ImageProcessorConfiguration, output: URL, pool: WorkerPool, loaderThreads: Int = 2) throws {
        try recipe.validate()
        let modelClasses = (0..<model.configuration.numLabels).map { model.configuration.id2label[$0] ?? "" }
        guard modelClasses == training.classNames else {
            throw TrainingError.labelMismatch("the model's labels (\(modelClasses.count)) are not the training folder's classes (\(training.classNames.count))")
        }
        if let validation, validation.classNames != training.classNames {
            throw TrainingError.labelMismatch("validation classes \(validation.classNames) differ from training classes \(training.classNames)")
        }
        let batchesPerEpoch = training.count / recipe.batchSize
        guard batchesPerEpoch >= recipe.accumulationSteps else {
            throw TrainingError.notEnoughData(reason: "\(training.count) training images give no full step of \(recipe.effectiveBatchSize) (--batch-size × --accumulate)")
        }
        self.recipe = recipe
        self.output = output
        self.preprocessing = preprocessing
        classNames = training.classNames
        let mean = preprocessing.imageMean.map(Float.init), std = preprocessing.imageStd.map(Float.init)
        let randAugment = try recipe.randAugment.map { try RandAugment(timmSpecification: $0) }
        let transform = TrainingTransform(
            size: recipe.imageSize, randAugment: randAugment,
            colorJitter: randAugment == nil && recipe.colorJitter > 0 ? ColorJitter(brightness: recipe.colorJitter, contrast: recipe.colorJitter, saturation: recipe.colorJitter) : nil,
            randomErasing: recipe.randomErasing > 0 ? RandomErasing(probability: recipe.randomErasing) : nil,
            flip: RandomHorizontalFlip(probability: recipe.horizontalFlip), mean: mean, std: std)
        trainingLoader = try DataLoader(dataset: training, transform: transform, batchSize: recipe.batchSize, seed: recipe.seed,
                                        shuffle: true, dropLast: true, workerCount: loaderThreads)
        validationLoader = try validation.map {
            try DataLoader(dataset: $0, transform: try EvaluationTransform(processor: try ImageProcessor(configuration: preprocessing)),
                           batchSize: recipe.batchSize, seed: recipe.seed, shuffle: false, dropLast: false, workerCount: loaderThreads)
        }
        step = try OptimizationStep(model: model, recipe: recipe, stepsPerEpoch: batchesPerEpoch / recipe.accumulationSteps, pool: pool)
        checkpoint = TrainingCheckpoint(output: output)
    }

    /// Optimizer steps per epoch (full batches ÷ accumulation; leftovers are dropped).
    public var stepsPerEpoch: Int { trainingLoader.batchCount / recipe.accumulationSteps }

    /// The model's current parameters.
    public var model: TrainableConvNeXt { step.model }

    /// Whether an optimizer step whose loss or gradient is NaN or infinite is skipped (no
    /// parameter changes; counted in ``EpochRecord/skippedSteps``) instead of stopping the run.
    /// Off by default: a non-finite step usually means the learning rate is too high.
    public var skipsNonFiniteSteps = false

    /// Runs the remaining epochs.
    ///
    /// - Parameters:
    ///   - resume: continue from the output folder's last checkpoint (a fresh start when it
    ///     has none). Without it, an output folder that already holds checkpoints is refused.
    ///   - progress: called after every optimizer step; an error it throws stops the run
    ///     (the last checkpoint stays).
    ///   - epochFinished: called after each epoch's checkpoint is written, with its record and
    ///     the images skipped during the epoch; an error it throws stops the run.
    /// - Returns: the final state.
    public func run(resume: Bool, progress: (Progress) throws -> Void = { _ in },
                    epochFinished: (EpochRecord, [SkippedSample]) throws -> Void = { _, _ in }) throws -> TrainerState {
        var state = try startingState(resume: resume)
        let stepsPerEpoch = self.stepsPerEpoch
        for epoch in (state.completedEpochs + 1)...max(state.completedEpochs + 1, recipe.epochs) where epoch <= recipe.epochs {
            let started = Date()
            var lossSum = 0.0, steps = 0, images = 0, learningRate = 0.0, skippedSteps = 0
            var skipped: [SkippedSample] = []
            var pending: [(pixels: Tensor, labels: [Int])] = []
            let batches = try trainingLoader.batches(epoch: epoch)
            while let batch = try batches.next() {
                skipped += batch.skipped
                guard let usable = usableBatch(batch) else { continue }
                pending.append(usable)
                guard pending.count == recipe.accumulationSteps else { continue }
                let index = state.optimizerSteps
                let result: (loss: Double, learningRate: Double)
                do {
                    result = try step.run(pending, index: index)
                } catch let error as TrainingError {
                    guard skipsNonFiniteSteps && error.isNonFiniteStep else { throw error.locating(epoch: epoch) }
                    // The step's draws and schedule position are used up, as in a run that took it.
                    pending.removeAll()
                    state.optimizerSteps += 1
                    skippedSteps += 1
                    continue
                }
                images += pending.reduce(0) { $0 + $1.labels.count }
                pending.removeAll()
                state.optimizerSteps += 1
                steps += 1
                lossSum += result.loss
                learningRate = result.learningRate
                let elapsed = Date().timeIntervalSince(started)
                try progress(Progress(epoch: epoch, epochs: recipe.epochs, step: steps, stepsPerEpoch: stepsPerEpoch,
                                  loss: lossSum / Double(steps), learningRate: learningRate,
                                  imagesPerSecond: elapsed > 0 ? Double(images) / elapsed : 0))
            }
            let seconds = Date().timeIntervalSince(started)
            var record = EpochRecord(epoch: epoch, trainLoss: steps > 0 ? lossSum / Double(steps) : .nan, learningRate: learningRate,
                                     imagesPerSecond: seconds > 0 ? Double(images) / seconds : 0, seconds: seconds,
                                     skippedImages: skipped.count)
            if skipsNonFiniteSteps { record.skippedSteps = skippedSteps }
            if let validationLoader {
                let evaluation = try validate(step.model.parameters, loader: validationLoader)
                record.validationLoss = evaluation.metrics.meanLoss
                record.validationTop1 = evaluation.metrics.top1Accuracy
                record.validationTop5 = evaluation.metrics.topKAccuracy
                if let ema = step.ema {
                    record.validationTop1EMA = try validate(ema.parameters, loader: validationLoader).metrics.top1Accuracy
                }
            }
            state.completedEpochs = epoch
            state.history.append(record)
            try checkpoint.write(model: step.model, preprocessing: preprocessing, optimizerState: step.optimizer.state,
                                 emaParameters: step.ema?.parameters, state: state)
            try writeReports(state.history)
            try epochFinished(record, skipped)
        }
        return state
    }

    /// The state to start from: a fresh one, or the last checkpoint's with the model,
    /// optimizer and EMA restored.
    private func startingState(resume: Bool) throws -> TrainerState {
        let fresh = TrainerState(completedEpochs: 0, optimizerSteps: 0, recipe: recipe, classNames: classNames,
                                 trainingSampleCount: trainingLoader.dataset.count, history: [])
        guard let saved = try checkpoint.readLast() else {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            checkpoint.removeOldCheckpoints()
            return fresh
        }
        guard resume else {
            throw TrainingError.cannotResume(reason: "\(output.path) already holds a run (\(saved.folder.lastPathComponent)); pass --resume to continue it or choose another --output")
        }
        let state = saved.state
        guard state.recipe == recipe else {
            throw TrainingError.cannotResume(reason: "the recipe differs from the checkpoint's; resume with the same options")
        }
        guard state.classNames == classNames, state.trainingSampleCount == trainingLoader.dataset.count else {
            throw TrainingError.cannotResume(reason: "the training data differs from the checkpoint's (\(state.classNames.count) classes, \(state.trainingSampleCount) images)")
        }
        step.model = try TrainableConvNeXt(configuration: step.model.configuration, architecture: step.model.architecture,
                                           parameters: saved.parameters)
        try step.optimizer.loadState(saved.optimizerState)
        if let decay = recipe.emaDecay {
            guard let ema = saved.emaParameters else { throw TrainingError.cannotResume(reason: "the checkpoint has no EMA weights") }
            step.ema = ModelEMA(parameters: ema, decay: decay)
        }
        checkpoint.removeOldCheckpoints()
        return state
    }

    /// The batch as a micro-batch: mixing pairs each image with another, so a batch left odd
    /// by a skipped image loses its last image; nil when nothing usable is left.
    private func usableBatch(_ batch: TrainingBatch) -> (pixels: Tensor, labels: [Int])? {
        var count = batch.count
        if recipe.mixesBatches { count -= count % 2 }
        guard count > 0 else { return nil }
        guard count < batch.count else { return (batch.pixels, batch.labels) }
        let sampleSize = batch.pixels.count / batch.count
        let pixels = Tensor(shape: [count] + Array(batch.pixels.shape.dropFirst()),
                            scalars: Array(batch.pixels.scalars[0..<(count * sampleSize)]))
        return (pixels, Array(batch.labels.prefix(count)))
    }

    private func validate(_ parameters: [String: Tensor], loader: DataLoader) throws -> (metrics: ClassificationMetrics, skipped: [SkippedSample]) {
        let model = try ConvNeXtModel(configuration: step.model.configuration, architecture: .imageClassification,
                                      parameters: parameters, pool: step.pool)
        return try evaluateClassifier(model, on: loader, classNames: classNames)
    }

    /// Rewrites `metrics.jsonl` and `curves.png` from the whole history, so that after a
    /// resume they hold exactly the checkpointed epochs.
    private func writeReports(_ history: [EpochRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var lines = Data()
        for record in history {
            lines.append(try encoder.encode(record))
            lines.append(UInt8(ascii: "\n"))
        }
        try DurableFiles.write(lines, to: output.appendingPathComponent("metrics.jsonl"))
        try TrainingCurvePlot.writePNG(TrainingCurvePlot.render(epochs: history), to: output.appendingPathComponent("curves.png"))
    }
}
