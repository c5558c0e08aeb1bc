import ArgumentParser
import ConvNeXt
import ConvNeXtImages
import Foundation
import SafeTensors

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write the pooled features of images to a safetensors file.",
        discussion: "Writes tensor 'embeddings' (N x C, the model's pooler_output) and, in the file's metadata, 'images': a JSON array of the image paths in row order. Images that cannot be decoded are reported, left out, and make the exit status 1."
    )

    @OptionGroup var options: ImageRunOptions

    @Option(help: "Where to write the embeddings (safetensors; written atomically).")
    var output: String

    func run() throws {
        guard let model = options.model else { throw ValidationError("embed needs --model") }
        let classifier = try loadClassifier(model, threads: options.threads)
        let paths = try options.imagePaths()
        var rows: [Float] = [], names: [String] = [], width = 0
        let failed = try ImageBatches(paths: paths, batchSize: options.batchSize).forEach(progress: ProgressBar(total: paths.count, label: "embed")) { batchNames, batch in
            let features = try classifier.embed(batch)
            width = features.shape[1]
            rows += features.scalars
            names += batchNames
        }
        guard !names.isEmpty else { throw ExitCode.failure }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let list = String(decoding: try encoder.encode(names), as: UTF8.self)
        try writeSafeTensors(["embeddings": Tensor(shape: [names.count, width], scalars: rows)],
                             metadata: ["images": list], to: URL(fileURLWithPath: output))
        if !failed.isEmpty { throw ExitCode.failure }
    }
}
