import ArgumentParser
import ConvNeXt
import ConvNeXtImages
import Foundation
import SafeTensors

struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Write the pixel_values the model would see, one tensor per image.",
        discussion: "Each image becomes a (1,3,H,W) float tensor named by its file name (e.g. 'cat.jpg'), computed with the folder's preprocessor_config.json (or the ConvNeXt hub defaults)."
    )

    @Option(help: "The model folder whose preprocessor_config.json to use.")
    var model: String

    @Option(help: "Where to write the tensors (safetensors; written atomically).")
    var output: String

    @Argument(help: "Image files or folders.")
    var images: [String]

    func run() throws {
        let (processor, usesDefaults) = try ImageProcessor.forModelFolder(URL(fileURLWithPath: model))
        if usesDefaults { printDefaultPreprocessingNote(model) }
        let paths = ImagePaths.expand(images)
        guard !paths.isEmpty else { throw ValidationError("no images found in \(images.joined(separator: ", "))") }
        var tensors: [String: Tensor] = [:]
        var failed = false
        let progress = ProgressBar(total: paths.count, label: "preprocess")
        for path in paths {
            defer { progress.advance() }
            let name = URL(fileURLWithPath: path).lastPathComponent
            guard tensors[name] == nil else {
                printError("error: \(path): another image is also named '\(name)'; tensors are named by file name")
                failed = true
                continue
            }
            do {
                tensors[name] = try processor.pixelValues(for: RGBImage(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                printError("error: \(error)")
                failed = true
            }
        }
        if !tensors.isEmpty { try writeSafeTensors(tensors, to: URL(fileURLWithPath: output)) }
        if failed { throw ExitCode.failure }
    }
}
