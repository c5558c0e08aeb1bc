/// The parameters a model has, by canonical name, in a fixed order.
///
/// Canonical names are transformers' state-dict keys without the `convnext.`/`convnextv2.`
/// prefix (the base model's keys): `embeddings.patch_embeddings.weight`,
/// `encoder.stages.1.layers.0.pwconv1.weight`, `layernorm.bias`, `classifier.weight`,
/// `hidden_states_norms.stage2.weight`. Shapes are transformers' shapes.
public struct ParameterLayout: Sendable {
    /// Every parameter's name and shape, in model order.
    public let entries: [(name: String, shape: [Int])]
    /// The names of LayerNorm parameters (weights and biases), which initialization and
    /// weight decay treat apart.
    public let normalizationParameters: Set<String>

    /// The layout of `architecture` built from `configuration` (which must be valid).
    public init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture) throws {
        try configuration.validate()
        var entries: [(name: String, shape: [Int])] = []
        var normalizationParameters = Set<String>()
        func add(_ name: String, _ shape: [Int]) { entries.append((name, shape)) }
        func addNorm(_ prefix: String, _ channels: Int) {
            add(prefix + ".weight", [channels])
            add(prefix + ".bias", [channels])
            normalizationParameters.formUnion([prefix + ".weight", prefix + ".bias"])
        }
        let sizes = configuration.hiddenSizes, p = configuration.patchSize
        add("embeddings.patch_embeddings.weight", [sizes[0], configuration.numChannels, p, p])
        add("embeddings.patch_embeddings.bias", [sizes[0]])
        addNorm("embeddings.layernorm", sizes[0])
        for (stage, depth) in configuration.depths.enumerated() {
            let channels = sizes[stage], prefix = "encoder.stages.\(stage)"
            if stage > 0 {
                addNorm(prefix + ".downsampling_layer.0", sizes[stage - 1])
                add(prefix + ".downsampling_layer.1.weight", [channels, sizes[stage - 1], 2, 2])
                add(prefix + ".downsampling_layer.1.bias", [channels])
            }
            for block in 0..<depth {
                let layer = "\(prefix).layers.\(block)"
                add(layer + ".dwconv.weight", [channels, 1, 7, 7])
                add(layer + ".dwconv.bias", [channels])
                addNorm(layer + ".layernorm", channels)
                add(layer + ".pwconv1.weight", [4 * channels, channels])
                add(layer + ".pwconv1.bias", [4 * channels])
                if configuration.generation == .v2 {
                    add(layer + ".grn.weight", [1, 1, 1, 4 * channels])
                    add(layer + ".grn.bias", [1, 1, 1, 4 * channels])
                }
                add(layer + ".pwconv2.weight", [channels, 4 * channels])
                add(layer + ".pwconv2.bias", [channels])
                if configuration.hasLayerScale { add(layer + ".layer_scale_parameter", [channels]) }
            }
        }
        switch architecture {
        case .base, .imageClassification:
            addNorm("layernorm", sizes[sizes.count - 1])
            if architecture == .imageClassification, configuration.numLabels > 0 {
                add("classifier.weight", [configuration.numLabels, sizes[sizes.count - 1]])
                add("classifier.bias", [configuration.numLabels])
            }
        case .backbone:
            let channels = configuration.stageChannels
            for output in try configuration.alignedOutputFeatures() {
                addNorm("hidden_states_norms.\(output.name)", channels[output.index])
            }
        }
        self.entries = entries
        self.normalizationParameters = normalizationParameters
    }

    /// The total number of scalars.
    public var parameterCount: Int { entries.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// The shape of a parameter, by canonical name.
    public func shape(of name: String) -> [Int]? { entries.first { $0.name == name }?.shape }
}
