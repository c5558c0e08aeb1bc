/// A ConvNeXt model ready for inference, with transformers' semantics.
///
/// A model is immutable once built and safe to share: any number of tasks may call
/// ``predict(_:layout:outputHiddenStates:)`` at once. Each call works in its own buffers;
/// the parallel loops of concurrent calls share the model's ``pool``.
public final class ConvNeXtModel: Sendable {
    /// The hyper-parameters the model was built from.
    public let configuration: ConvNeXtConfiguration
    /// Which transformers class the model reproduces.
    public let architecture: ModelArchitecture
    /// The threads the model's kernels run on.
    public let pool: WorkerPool

    let activation: Activation
    let stem: PatchConvolutionWeights
    let stemNorm: NormWeights
    let stages: [StageWeights]
    let finalNorm: NormWeights?
    let classifier: LinearWeights?
    let outputFeatures: [(name: String, index: Int, norm: NormWeights)]
    /// Idle inference plans (activation buffers) by input shape and thread count.
    let plans: PlanCache
    /// Whether blocks have GRN, which needs every row's hidden activations at once.
    var usesResponseNorm: Bool { stages.contains { $0.blocks.contains { $0.responseNorm != nil } } }

    /// Builds a model from parameters under their canonical names (see ``ParameterLayout``).
    ///
    /// - Throws: ``ConvNeXtError`` when the configuration is invalid or a parameter is missing,
    ///   unexpected or misshapen.
    public convenience init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture, parameters: [String: Tensor], pool: WorkerPool = WorkerPool()) throws {
        let layout = try ParameterLayout(configuration: configuration, architecture: architecture)
        try self.init(configuration: configuration, architecture: architecture,
                      parameters: layout.reader(for: InMemoryTensors(parameters), naming: .transformers), pool: pool)
    }

    /// Builds a model from a source of tensors under `naming`'s keys, reading and packing one
    /// parameter at a time, so the unpacked weights are never all in memory at once. As
    /// strict as ``ParameterLayout/load(from:naming:)``.
    public convenience init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture, source: some TensorSource,
                            naming: CheckpointNaming = .transformers, pool: WorkerPool = WorkerPool()) throws {
        let layout = try ParameterLayout(configuration: configuration, architecture: architecture)
        try self.init(configuration: configuration, architecture: architecture,
                      parameters: layout.reader(for: source, naming: naming), pool: pool)
    }

    /// Builds a model reading one parameter at a time: each is packed before the next is read,
    /// so loading holds little more than the packed weights.
    init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture, parameters: ParameterReader, pool: WorkerPool) throws {
        self.configuration = configuration
        self.architecture = architecture
        self.pool = pool
        plans = PlanCache(capacity: pool.threadCount + 4)
        activation = try configuration.activation()
        stem = PatchConvolutionWeights(weight: try parameters("embeddings.patch_embeddings.weight"),
                                      bias: try parameters("embeddings.patch_embeddings.bias"), channelMajor: true)
        stemNorm = try NormWeights(parameters, "embeddings.layernorm", epsilon: 1e-6)
        stages = try configuration.depths.enumerated().map { stage, depth in
            let prefix = "encoder.stages.\(stage)"
            return StageWeights(
                downsamplingNorm: stage == 0 ? nil : try NormWeights(parameters, prefix + ".downsampling_layer.0", epsilon: 1e-6),
                downsampling: stage == 0 ? nil : PatchConvolutionWeights(
                    weight: try parameters(prefix + ".downsampling_layer.1.weight"), bias: try parameters(prefix + ".downsampling_layer.1.bias")),
                blocks: try (0..<depth).map { try BlockWeights(parameters, "\(prefix).layers.\($0)") })
        }
        if architecture == .backbone {
            finalNorm = nil
            outputFeatures = try configuration.alignedOutputFeatures().map {
                ($0.name, $0.index, try NormWeights(parameters, "hidden_states_norms.\($0.name)", epsilon: 1e-6))
            }
        } else {
            finalNorm = try NormWeights(parameters, "layernorm", epsilon: Float(configuration.layerNormEps))
            outputFeatures = []
        }
        if let weight = try parameters.optional("classifier.weight"), let bias = try parameters.optional("classifier.bias") {
            classifier = LinearWeights(weight: weight, bias: bias)
        } else {
            classifier = nil
        }
        TensorMemoryCache.releaseKeptBlocks()
    }
}
