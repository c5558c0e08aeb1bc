import ArgumentParser
import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a classifier on image folders: top-1, top-5, per-class accuracy and the confusion matrix.",
        discussion: "--data holds one sub-folder per class, named as the model's labels (id2label). Images that cannot be decoded are reported on standard error and left out."
    )

    @Option(help: "The model folder.") var model: String
    @Option(help: "Images: one sub-folder per class.") var data: String
    @Option(help: "Images per forward pass.") var batchSize = 32
    @Option(help: "Threads (default: the cores available to this process).") var threads: Int?
    @Option(help: "Threads decoding images in the background.") var loaderThreads = 2
    @Flag(help: "Write the report as JSON.") var json = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard loaderThreads >= 0 else { throw ValidationError("--loader-threads must not be negative") }
    }

    func run() throws {
        let pool = WorkerPool(threadCount: threads ?? WorkerPool.availableCores)
        let folder = URL(fileURLWithPath: model)
        let convnext = try ModelFolder(folder).loadModel(pool: pool)
        let (processor, usesDefaults) = try ImageProcessor.forModelFolder(folder)
        if usesDefaults { printDefaultPreprocessingNote(model) }
        let labels = (0..<convnext.configuration.numLabels).map { convnext.configuration.id2label[$0] ?? "LABEL_\($0)" }
        let dataset = try labeledDataset(URL(fileURLWithPath: data), modelLabels: labels)
        let loader = try DataLoader(dataset: dataset, transform: try EvaluationTransform(processor: processor), batchSize: batchSize,
                                    seed: 0, shuffle: false, dropLast: false, workerCount: loaderThreads)
        let bar = ProgressBar(total: dataset.count, label: "eval")
        var done = 0
        let (metrics, skipped) = try evaluateClassifier(convnext, on: loader, classNames: labels) { count in
            bar.advance(by: count - done)
            done = count
        }
        for sample in skipped { printError("skipped \(sample.url.path): \(sample.reason)") }
        if json {
            print(String(decoding: try metrics.jsonData(), as: UTF8.self))
        } else {
            print(metrics.text)
        }
        if !skipped.isEmpty { throw ExitCode.failure }
    }

    /// The folder's images labeled by the model's classes: class folders are matched to
    /// labels by name (in any order); a model with transformers' placeholder labels `LABEL_i`
    /// takes the folders in sorted order when their count matches.
    private func labeledDataset(_ url: URL, modelLabels: [String]) throws -> ImageFolderDataset {
        let dataset = try ImageFolderDataset(directory: url)
        let generic = modelLabels.enumerated().allSatisfy { $0.element == "LABEL_\($0.offset)" }
        if generic && modelLabels.count == dataset.classNames.count {
            return ImageFolderDataset(directory: dataset.directory, classNames: modelLabels, samples: dataset.samples)
        }
        let index = Dictionary(modelLabels.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let unknown = dataset.classNames.filter { index[$0] == nil }
        guard unknown.isEmpty else {
            throw TrainingError.labelMismatch("\(url.path): class folders \(unknown.joined(separator: ", ")) are not among the model's \(modelLabels.count) labels")
        }
        let samples = dataset.samples.map { ImageFolderDataset.Sample(url: $0.url, label: index[dataset.classNames[$0.label]]!) }
        return ImageFolderDataset(directory: dataset.directory, classNames: modelLabels, samples: samples)
    }
}
