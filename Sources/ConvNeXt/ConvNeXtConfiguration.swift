import Foundation

/// The hyper-parameters of a ConvNeXt model, read from (and written as) a Hugging Face
/// `config.json` with transformers' field names and defaults.
///
/// Both `model_type` `convnext` (V1, layer scale) and `convnextv2` (global response
/// normalization, no layer scale) are supported. Call ``validate()`` before building a model;
/// ``load(from:)`` does it for you.
public struct ConvNeXtConfiguration: Sendable, Equatable {
    /// The ConvNeXt generation a configuration describes.
    public enum Generation: String, Sendable, Codable {
        /// ConvNeXt (2022): layer scale after the MLP.
        case v1 = "convnext"
        /// ConvNeXt V2 (2023): global response normalization inside the MLP, no layer scale.
        case v2 = "convnextv2"
    }

    /// `model_type`.
    public var generation: Generation = .v1
    /// `num_channels`: channels of the input image.
    public var numChannels = 3
    /// `patch_size`: kernel size and stride of the stem convolution.
    public var patchSize = 4
    /// `num_stages`.
    public var numStages = 4
    /// `hidden_sizes`: channels of each stage.
    public var hiddenSizes = [96, 192, 384, 768]
    /// `depths`: blocks in each stage.
    public var depths = [3, 3, 9, 3]
    /// `hidden_act`: the activation between the two pointwise layers, by transformers' name.
    public var hiddenAct = "gelu"
    /// `initializer_range`: standard deviation of the initial weights (training only).
    public var initializerRange = 0.02
    /// `layer_norm_eps`: epsilon of the final LayerNorm (every other LayerNorm uses 1e-6).
    public var layerNormEps = 1e-12
    /// `layer_scale_init_value`: initial layer scale; a value <= 0 means blocks have no layer scale (V1 only).
    public var layerScaleInitValue = 1e-6
    /// `drop_path_rate`: stochastic depth rate of the last block (training only).
    public var dropPathRate = 0.0
    /// `image_size`: the resolution the model was trained at.
    public var imageSize = 224
    /// `out_features` as given in the file (backbones); see ``alignedOutputFeatures()``.
    public var outFeatures: [String]?
    /// `out_indices` as given in the file (backbones); see ``alignedOutputFeatures()``.
    public var outIndices: [Int]?
    /// `id2label`: class names by index.
    public var id2label: [Int: String] = [0: "LABEL_0", 1: "LABEL_1"]
    /// `architectures`: the transformers classes the checkpoint was saved from.
    public var architectures: [String]?

    /// A configuration with transformers' defaults (ConvNeXt-T layout, two labels).
    public init() {}

    /// `num_labels`: the number of classes of the classification head (0: no head).
    public var numLabels: Int { id2label.count }

    /// `label2id`.
    public var label2id: [String: Int] {
        Dictionary(id2label.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
    }

    /// Sets ``id2label`` to `count` generic labels `LABEL_i`, as transformers does for `num_labels`.
    public mutating func setNumLabels(_ count: Int) {
        id2label = Dictionary(uniqueKeysWithValues: (0..<max(count, 0)).map { ($0, "LABEL_\($0)") })
    }

    /// `stage_names`: `stem`, then `stage1` … one per stage.
    public var stageNames: [String] { ["stem"] + (0..<depths.count).map { "stage\($0 + 1)" } }

    /// Channels of each entry of ``stageNames``.
    public var stageChannels: [Int] { [hiddenSizes.first ?? 0] + hiddenSizes }

    /// Whether blocks carry a layer scale parameter.
    public var hasLayerScale: Bool { generation == .v1 && layerScaleInitValue > 0 }

    /// The block activation named by ``hiddenAct``.
    public func activation() throws -> Activation {
        guard let activation = Activation(transformersName: hiddenAct) else {
            throw ConvNeXtError.invalidConfiguration(
                field: "hidden_act",
                reason: "unsupported activation '\(hiddenAct)' (supported: \(Activation.transformersNames.sorted().joined(separator: ", ")))")
        }
        return activation
    }

    /// The backbone's output stages (names and indices into ``stageNames``), aligned the way
    /// transformers aligns `out_features` and `out_indices`: neither set means the last stage;
    /// one set derives the other; both set must agree.
    public func alignedOutputFeatures() throws -> [(name: String, index: Int)] {
        let names = stageNames
        var indices: [Int]?
        if let outIndices {
            var positive: [Int] = []
            for index in outIndices {
                guard index >= -names.count, index < names.count else {
                    throw ConvNeXtError.invalidConfiguration(field: "out_indices", reason: "index \(index) is out of range for \(names.count) stages \(names)")
                }
                positive.append(index < 0 ? index + names.count : index)
            }
            guard Set(positive).count == positive.count else {
                throw ConvNeXtError.invalidConfiguration(field: "out_indices", reason: "\(outIndices) contains duplicates")
            }
            guard positive == positive.sorted() else {
                throw ConvNeXtError.invalidConfiguration(field: "out_indices", reason: "\(outIndices) must be in the same order as stage_names")
            }
            indices = positive
        }
        if let outFeatures {
            for name in outFeatures where !names.contains(name) {
                throw ConvNeXtError.invalidConfiguration(field: "out_features", reason: "'\(name)' is not a stage name (stage_names: \(names))")
            }
            guard Set(outFeatures).count == outFeatures.count else {
                throw ConvNeXtError.invalidConfiguration(field: "out_features", reason: "\(outFeatures) contains duplicates")
            }
            let fromFeatures = outFeatures.map { names.firstIndex(of: $0)! }
            guard fromFeatures == fromFeatures.sorted() else {
                throw ConvNeXtError.invalidConfiguration(field: "out_features", reason: "\(outFeatures) must be in the same order as stage_names \(names)")
            }
            if let indices, indices != fromFeatures {
                throw ConvNeXtError.invalidConfiguration(field: "out_features", reason: "\(outFeatures) does not match out_indices \(outIndices ?? [])")
            }
            indices = fromFeatures
        }
        return (indices ?? [names.count - 1]).map { (names[$0], $0) }
    }

    /// Checks that a model can be built from this configuration.
    public func validate() throws {
        func invalid(_ field: String, _ reason: String) -> ConvNeXtError { .invalidConfiguration(field: field, reason: reason) }
        // Upper bounds keep every size computation far from integer overflow on hostile files.
        guard (1...4096).contains(numChannels) else { throw invalid("num_channels", "must be in 1...4096, got \(numChannels)") }
        guard (1...1024).contains(patchSize) else { throw invalid("patch_size", "must be in 1...1024, got \(patchSize)") }
        guard (1...16).contains(numStages) else { throw invalid("num_stages", "must be in 1...16, got \(numStages)") }
        guard hiddenSizes.count == numStages else {
            throw invalid("hidden_sizes", "has \(hiddenSizes.count) entries but num_stages is \(numStages)")
        }
        guard depths.count == numStages else {
            throw invalid("depths", "has \(depths.count) entries but num_stages is \(numStages)")
        }
        guard hiddenSizes.allSatisfy({ (1...65536).contains($0) }) else { throw invalid("hidden_sizes", "every size must be in 1...65536, got \(hiddenSizes)") }
        guard depths.allSatisfy({ (0...10000).contains($0) }) else { throw invalid("depths", "every depth must be in 0...10000, got \(depths)") }
        guard layerNormEps.isFinite, layerNormEps >= 0 else { throw invalid("layer_norm_eps", "must be a finite non-negative number, got \(layerNormEps)") }
        guard layerScaleInitValue.isFinite else { throw invalid("layer_scale_init_value", "must be finite") }
        guard dropPathRate.isFinite, dropPathRate >= 0, dropPathRate < 1 else { throw invalid("drop_path_rate", "must be in [0, 1), got \(dropPathRate)") }
        guard (1...1_000_000).contains(imageSize) else { throw invalid("image_size", "must be in 1...1000000, got \(imageSize)") }
        guard id2label.keys.allSatisfy({ $0 >= 0 && $0 < id2label.count }) else {
            throw invalid("id2label", "keys must be the indices 0..<\(id2label.count)")
        }
        _ = try activation()
        _ = try alignedOutputFeatures()
    }

    /// The smallest input side the model accepts: each stride must leave at least one pixel.
    public var minimumInputSize: Int { patchSize << (numStages - 1) }
}
