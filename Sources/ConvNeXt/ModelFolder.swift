import Foundation
import SafeTensors

/// A model folder as the Hugging Face hub serves it (`config.json` + `model.safetensors`, or
/// shards with `model.safetensors.index.json`), or a folder of timm / original-repository
/// weights in safetensors form with or without a config.
public struct ModelFolder: Sendable {
    /// The folder.
    public let url: URL

    /// A model folder at `url`; nothing is read until asked.
    public init(_ url: URL) { self.url = url }

    /// What a folder holds, read from its config and the checkpoint's header only.
    public struct Description: Sendable {
        /// The configuration, read or inferred.
        public let configuration: ConvNeXtConfiguration
        /// The model class the folder holds.
        public let architecture: ModelArchitecture
        /// The key naming of the checkpoint.
        public let naming: CheckpointNaming
        /// Where ``configuration`` came from, in words.
        public let configurationSource: String
    }

    /// Reads the configuration and the checkpoint's tensor names and shapes (no tensor data).
    public func describe() throws -> Description {
        try describe(openCheckpoint())
    }

    /// Loads the model, strictly: every tensor must be present, expected and of the right shape.
    /// Tensors are read and packed one at a time, so no unpacked copy of the weights builds up.
    public func loadModel(pool: WorkerPool = WorkerPool()) throws -> ConvNeXtModel {
        let checkpoint = try openCheckpoint()
        let description = try describe(checkpoint)
        let layout = try ParameterLayout(configuration: description.configuration, architecture: description.architecture)
        let reader = try layout.reader(for: checkpoint, naming: description.naming)
        // Every 16 MB read, the checkpoint's mapped pages are let go (each is read once), so the
        // peak stays near the packed weights rather than the file plus the packed weights.
        var unreleased = 0
        let model = try ConvNeXtModel(configuration: description.configuration, architecture: description.architecture,
                                      parameters: ParameterReader(shapes: reader.shapes) { name in
                                          let tensor = try reader(name)
                                          unreleased += tensor.count * 4
                                          if unreleased >= 16 << 20 { checkpoint.releaseResidentPages(); unreleased = 0 }
                                          return tensor
                                      }, pool: pool)
        checkpoint.releaseResidentPages()
        return model
    }

    /// Reads the description and every parameter by canonical name (``ParameterLayout``), strictly
    /// as ``loadModel(pool:)`` does, unpacked: the starting point for fine-tuning.
    public func loadParameters() throws -> (description: Description, parameters: [String: Tensor]) {
        let checkpoint = try openCheckpoint()
        let description = try describe(checkpoint)
        let layout = try ParameterLayout(configuration: description.configuration, architecture: description.architecture)
        return (description, try layout.load(from: checkpoint, naming: description.naming))
    }

    private func openCheckpoint() throws -> CheckpointWeights {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ConvNeXtError.unreadableFile(path: url.path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else { return try CheckpointWeights(contentsOf: url) }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if !files.contains(CheckpointWeights.indexFileName), !files.contains(CheckpointWeights.singleFileName) {
            // A lone, differently named safetensors file (a converted original checkpoint) is the weights.
            let candidates = files.filter { $0.hasSuffix(".safetensors") }
            if candidates.count == 1 { return try CheckpointWeights(contentsOf: url.appendingPathComponent(candidates[0])) }
            if let pickle = files.first(where: { $0.hasSuffix(".bin") || $0.hasSuffix(".pth") || $0.hasSuffix(".pt") }) {
                throw ConvNeXtError.unreadableFile(
                    path: url.appendingPathComponent(pickle).path,
                    reason: "PyTorch pickle checkpoints are not supported; save the weights as safetensors (e.g. save_pretrained, or safetensors.torch.save_file)")
            }
        }
        return try CheckpointWeights(contentsOf: url)
    }

    private func describe(_ checkpoint: CheckpointWeights) throws -> Description {
        guard let naming = CheckpointNaming.detect(checkpoint.tensorNames) else {
            throw ConvNeXtError.unrecognizedKeyNaming(example: checkpoint.tensorNames.first ?? "(no tensors)")
        }
        var shapes: [String: [Int]] = [:]
        for key in checkpoint.tensorNames {
            if let name = naming.canonicalName(of: key), let shape = checkpoint.shape(of: key) { shapes[name] = shape }
        }
        let inferred = { (source: String) throws -> Description in
            let (configuration, architecture) = try ConvNeXtConfiguration.inferred(
                fromShapes: shapes, layerNormEpsilon: naming == .transformers ? 1e-12 : 1e-6)
            return Description(configuration: configuration, architecture: architecture, naming: naming, configurationSource: source)
        }
        let configURL = configFolder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            return try inferred("inferred from the checkpoint (no config.json)")
        }
        if try isTimmConfig(configURL) {
            return try inferred("inferred from the checkpoint (config.json is timm's)")
        }
        let configuration = try ConvNeXtConfiguration.load(from: configURL)
        let declared = configuration.architectures?.lazy.compactMap(ModelArchitecture.init(className:)).first
        let architecture = declared ?? ModelArchitecture.inferred(fromCanonicalNames: shapes.keys)
        return Description(configuration: configuration, architecture: architecture, naming: naming, configurationSource: "config.json")
    }

    /// The folder holding config.json: the folder itself, or a weights file's folder.
    private var configFolder: URL {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        return isDirectory.boolValue ? url : url.deletingLastPathComponent()
    }

    /// timm's hub `config.json` (`architecture`, `num_classes`, `pretrained_cfg`) describes no layers.
    private func isTimmConfig(_ url: URL) throws -> Bool {
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["model_type"] == nil && object["architecture"] != nil
    }
}

extension ModelArchitecture {
    /// The architecture whose parameters a checkpoint holds: a classifier, backbone norms, or neither.
    static func inferred(fromCanonicalNames names: some Sequence<String>) -> ModelArchitecture {
        var architecture = ModelArchitecture.base
        for name in names {
            if name.hasPrefix("hidden_states_norms.") { return .backbone }
            if name.hasPrefix("classifier.") { architecture = .imageClassification }
        }
        return architecture
    }
}
