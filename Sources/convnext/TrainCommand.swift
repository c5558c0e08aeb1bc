import ArgumentParser
import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a ConvNeXt classifier from scratch or fine-tune a checkpoint on image folders.",
        discussion: """
            --data holds one sub-folder of JPEG/PNG images per class; the folder names become the labels. \
            Defaults are the paper's ImageNet recipe (AdamW, lr 4e-3 per 4096 images scaled to the batch, \
            cosine decay, warm-up 20 of 300 epochs scaled, RandAugment, Mixup/CutMix, random erasing, \
            label smoothing). Every epoch writes a checkpoint under OUTPUT/checkpoints (OUTPUT/last links \
            the newest, a Hugging Face model folder), OUTPUT/metrics.jsonl and OUTPUT/curves.png.
            """
    )

    @Option(help: "Training images: one sub-folder per class.") var data: String
    @Option(help: "Validation images with the same class folders.") var val: String?
    @Option(help: "Hold out this fraction of --data for validation (stratified, seeded) when --val is not given.") var valSplit: Double?
    @Option(help: "Train from scratch: \(ConvNeXtVariant.allCases.map(\.rawValue).joined(separator: ", ")).") var variant: String?
    @Option(help: "Train from scratch with the architecture of this config.json.") var config: String?
    @Option(help: "Fine-tune this model folder.") var model: String?
    @Option(help: "Output folder for checkpoints, metrics.jsonl and curves.png.") var output: String

    @Option(help: "Epochs.") var epochs = 300
    @Option(help: "Images per forward/backward pass.") var batchSize = 32
    @Option(help: "Micro-batches per optimizer step.") var accumulate = 1
    @Option(help: "Peak learning rate (default 4e-3 × batch-size × accumulate / 4096).") var lr: Double?
    @Option(help: "Final learning rate of the cosine schedule.") var minLr = 1e-6
    @Option(help: "AdamW weight decay.") var weightDecay = 0.05
    @Option(help: "Linear warm-up epochs (default round(20 × epochs / 300)).") var warmupEpochs: Int?
    @Option(help: "Training crop side.") var imageSize = 224
    @Option(help: "Stochastic depth rate of the last block.") var dropPath = 0.1
    @Option(help: "Label smoothing.") var smoothing = 0.1
    @Option(help: "Probability of mirroring a training crop (0 for digits, text, ...).") var hflip = 0.5
    @Option(help: "Mixup alpha (0 disables).") var mixup = 0.8
    @Option(help: "CutMix alpha (0 disables).") var cutmix = 1.0
    @Option(help: "RandAugment as timm writes it, or 'none'.") var randaug = "rand-m9-mstd0.5-inc1"
    @Option(help: "Color jitter strength, used when RandAugment is off.") var colorJitter = 0.4
    @Option(help: "Random erasing probability.") var reprob = 0.25
    @Option(help: "Keep an exponential moving average of the weights with this decay (e.g. 0.9999).") var ema: Double?
    @Option(help: "Layer-wise learning-rate decay for fine-tuning (e.g. 0.8).") var layerDecay: Double?
    @Option(help: "Scale of the classifier's initial weights (0.001 when fine-tuning in the paper).") var headInitScale = 1.0
    @Option(help: "Clip the gradient norm to this value.") var clipGrad: Double?
    @Option(help: "Seed of initialization, data order and augmentation.") var seed: UInt64 = 0
    @Option(help: "Compute threads (default: the cores available to this process).") var threads: Int?
    @Option(help: "Threads decoding and augmenting images in the background.") var loaderThreads = 2
    @Flag(help: "Continue the run in --output from its last checkpoint.") var resume = false
    @Flag(help: "Skip an optimizer step whose loss or gradient is NaN or infinite instead of stopping (counted as skipped_steps in metrics.jsonl).") var skipNonfiniteSteps = false

    func validate() throws {
        let sources = [variant, config, model].compactMap { $0 }
        guard sources.count == 1 else { throw ValidationError("give exactly one of --variant, --config or --model") }
        if let variant, ConvNeXtVariant(rawValue: variant) == nil {
            throw ValidationError("unknown --variant '\(variant)'; choose from \(ConvNeXtVariant.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if val != nil && valSplit != nil { throw ValidationError("give --val or --val-split, not both") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard loaderThreads >= 0 else { throw ValidationError("--loader-threads must not be negative") }
        try recipe.validate()
    }

    var recipe: TrainingRecipe {
        var recipe = TrainingRecipe(epochs: epochs, batchSize: batchSize)
        recipe.accumulationSteps = accumulate
        recipe.learningRate = lr
        recipe.minimumLearningRate = minLr
        recipe.weightDecay = weightDecay
        recipe.warmupEpochs = warmupEpochs
        recipe.imageSize = imageSize
        recipe.dropPath = dropPath
        recipe.labelSmoothing = smoothing
        recipe.horizontalFlip = hflip
        recipe.mixup = mixup
        recipe.cutmix = cutmix
        recipe.randAugment = randaug.lowercased() == "none" ? nil : randaug
        recipe.colorJitter = colorJitter
        recipe.randomErasing = reprob
        recipe.emaDecay = ema
        recipe.layerDecay = layerDecay
        recipe.headInitScale = headInitScale
        recipe.clipGradientNorm = clipGrad
        recipe.seed = seed
        return recipe
    }

    func run() throws {
        let recipe = self.recipe
        var training = try ImageFolderDataset(directory: URL(fileURLWithPath: data))
        var validation = try val.map { try ImageFolderDataset(directory: URL(fileURLWithPath: $0), expectedClasses: training.classNames) }
        if let valSplit { (training, validation) = try training.split(validationFraction: valSplit, seed: recipe.seed) }
        let pool = WorkerPool(threadCount: threads ?? WorkerPool.availableCores)
        let (model, preprocessing) = try startingModel(classNames: training.classNames, recipe: recipe)
        let trainer = try Trainer(model: model, recipe: recipe, training: training, validation: validation,
                                  preprocessing: preprocessing, output: URL(fileURLWithPath: output), pool: pool,
                                  loaderThreads: loaderThreads)
        trainer.skipsNonFiniteSteps = skipNonfiniteSteps
        print("training on \(training.count) images of \(training.classNames.count) classes"
              + (validation.map { ", validating on \($0.count)" } ?? "")
              + String(format: "; %d steps per epoch, batch %d, lr %.3g, warm-up %d epochs, %d threads",
                       trainer.stepsPerEpoch, recipe.effectiveBatchSize, recipe.resolvedLearningRate,
                       recipe.resolvedWarmupEpochs, pool.threadCount))
        let bar = TrainingProgressLine()
        let state = try trainer.run(resume: resume, progress: bar.show) { record, skipped in
            bar.finishLine()
            for sample in skipped { printError("skipped \(sample.url.path): \(sample.reason)") }
            print(record.summary(epochs: recipe.epochs))
        }
        print("done: \(state.completedEpochs) epochs; model in \(URL(fileURLWithPath: output).appendingPathComponent("last").path)")
    }

    /// The model to train and the preprocessing saved with it.
    private func startingModel(classNames: [String], recipe: TrainingRecipe) throws -> (TrainableConvNeXt, ImageProcessorConfiguration) {
        var preprocessing = ImageProcessorConfiguration.hubDefault
        var trainable: TrainableConvNeXt
        if let folder = model.map(URL.init(fileURLWithPath:)) {
            let setup = try TrainableConvNeXt.forFineTuning(folder: folder, classNames: classNames, seed: recipe.seed)
            print("fine-tuning \(folder.path): \(setup.summary)")
            trainable = setup.model
            preprocessing = try ImageProcessor.forModelFolder(folder).processor.configuration
        } else {
            let configuration: ConvNeXtConfiguration
            if let config {
                configuration = try ConvNeXtConfiguration.load(from: URL(fileURLWithPath: config))
            } else {
                configuration = ConvNeXtVariant(rawValue: variant!)!.configuration(numLabels: classNames.count)
            }
            trainable = try TrainableConvNeXt.newClassifier(configuration: configuration, classNames: classNames, seed: recipe.seed)
        }
        if recipe.headInitScale != 1 { try trainable.scaleHead(by: Float(recipe.headInitScale)) }
        preprocessing.shortestEdge = recipe.imageSize
        return (trainable, preprocessing)
    }
}

extension EpochRecord {
    /// The line `train` prints after an epoch.
    func summary(epochs: Int) -> String {
        var parts = [String(format: "epoch %d/%d: train loss %.4f, lr %.3g", epoch, epochs, trainLoss, learningRate)]
        if let validationTop1 { parts.append(String(format: "val top-1 %.2f%%", validationTop1 * 100)) }
        if let validationTop5 { parts.append(String(format: "top-5 %.2f%%", validationTop5 * 100)) }
        if let validationLoss { parts.append(String(format: "val loss %.4f", validationLoss)) }
        if let validationTop1EMA { parts.append(String(format: "EMA top-1 %.2f%%", validationTop1EMA * 100)) }
        parts.append(String(format: "%.1f img/s, %.1f s", imagesPerSecond, seconds))
        if skippedImages > 0 { parts.append("\(skippedImages) images skipped") }
        if let skippedSteps, skippedSteps > 0 { parts.append("\(skippedSteps) non-finite steps skipped") }
        return parts.joined(separator: ", ")
    }
}
