import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import Foundation
import SafeTensors

extension TrainableConvNeXt {
    /// The parameters under transformers' checkpoint keys (`convnext.` / `convnextv2.` before
    /// the base model's names of a classifier), as `save_pretrained` writes them.
    public var transformersTensors: [String: Tensor] {
        let prefix = architecture == .imageClassification ? (configuration.generation == .v1 ? "convnext." : "convnextv2.") : ""
        var result: [String: Tensor] = [:]
        for (name, tensor) in parameters {
            result[name.hasPrefix("classifier.") ? name : prefix + name] = tensor
        }
        return result
    }

    /// Writes a Hugging Face model folder into the existing folder `directory`: `config.json`
    /// (with ``configuration``'s id2label and the architecture's class),
    /// `model.safetensors` and `preprocessor_config.json`, each flushed to disk. The files are
    /// not renamed into place; a caller that needs atomicity writes to a fresh folder and
    /// renames it.
    public func writeModelFolder(to directory: URL, preprocessing: ImageProcessorConfiguration) throws {
        var configuration = self.configuration
        configuration.architectures = [architecture.className(for: configuration.generation)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFiles.writeFlushed(try encoder.encode(configuration), to: directory.appendingPathComponent("config.json"))
        try DurableFiles.writeFlushed(try encoder.encode(preprocessing), to: directory.appendingPathComponent("preprocessor_config.json"))
        try writeSafeTensors(transformersTensors, metadata: ["format": "pt"], to: directory.appendingPathComponent("model.safetensors"))
    }
}
