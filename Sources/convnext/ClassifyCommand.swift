import ArgumentParser
import ConvNeXt
import ConvNeXtImages
import Foundation

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Print the most probable labels of JPEG and PNG images.",
        discussion: "Without --model, the built-in digits model (a small ConvNeXt trained with `convnext train` on scikit-learn's handwritten digits; see Examples/) is used. Folders are expanded to the images inside them. Images that cannot be decoded are reported on standard error and the exit status is 1; the others are still classified."
    )

    @OptionGroup var options: ImageRunOptions

    @Option(help: "Labels to print per image.")
    var topK = 5

    @Flag(help: "Write JSON: [{\"image\", \"predictions\": [{\"label\", \"index\", \"score\"}]}].")
    var json = false

    func validate() throws {
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        let classifier = try loadClassifier(options.model ?? DefaultModel.folder().path, threads: options.threads)
        let paths = try options.imagePaths()
        var results: [ClassifiedImage] = []
        let failed = try ImageBatches(paths: paths, batchSize: options.batchSize).forEach(progress: ProgressBar(total: paths.count, label: "classify")) { names, batch in
            for (name, predictions) in zip(names, try classifier.classify(batch, topK: topK)) {
                let result = ClassifiedImage(image: name, predictions: predictions)
                if json { results.append(result) } else { print(result.text) }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}

/// One image's predictions as `classify` prints them.
struct ClassifiedImage: Encodable {
    let image: String
    let predictions: [Prediction]

    var text: String {
        ([image] + predictions.map { String(format: "  %.4f  %@ (%d)", $0.score, $0.label, $0.index) }).joined(separator: "\n")
    }
}

/// Loads a folder's model and preprocessing; says once on stderr when the hub defaults stand in.
func loadClassifier(_ folder: String, threads: Int?) throws -> ImageClassifier {
    let classifier = try ImageClassifier(contentsOf: URL(fileURLWithPath: folder),
                                         pool: WorkerPool(threadCount: threads ?? WorkerPool.availableCores))
    if classifier.usesDefaultPreprocessing { printDefaultPreprocessingNote(folder) }
    return classifier
}

/// Says, once, that a folder's missing preprocessing configuration was replaced by the hub defaults.
func printDefaultPreprocessingNote(_ folder: String) {
    printError("note: \(folder) has no preprocessor_config.json; using the ConvNeXt hub defaults (224, crop_pct 0.875, bicubic, ImageNet mean/std)")
}
