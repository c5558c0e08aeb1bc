/// A LayerNorm's parameters.
struct NormWeights: Sendable {
    let weight: Tensor
    let bias: Tensor
    let epsilon: Float

    init(_ parameters: ParameterReader, _ prefix: String, epsilon: Float) throws {
        weight = try parameters(prefix + ".weight")
        bias = try parameters(prefix + ".bias")
        self.epsilon = epsilon
    }

    /// Calls `body` with pointers to the parameters.
    func withParameters<R>(_ body: (LayerNormParameters) -> R) -> R {
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                body(LayerNormParameters(weight: w.baseAddress!, bias: b.baseAddress!, epsilon: epsilon))
            }
        }
    }

    /// Normalizes `rows` rows of `weight.count` channels from `input` into `output` (may alias).
    func apply(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, rows: Int, pool: WorkerPool) {
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                layerNorm(input, output: output, rows: rows, channels: w.count,
                          weight: w.baseAddress!, bias: b.baseAddress!, epsilon: epsilon, pool: pool)
            }
        }
    }
}

/// A linear layer (or a convolution expressed as one), packed for the matrix multiply.
struct LinearWeights: Sendable {
    let matrix: PackedMatrix
    let bias: Tensor

    init(weight: Tensor, bias: Tensor) {
        let outputs = weight.shape[0]
        matrix = weight.withUnsafeBufferPointer {
            PackedMatrix(weights: $0, outputCount: outputs, inputCount: $0.count / max(outputs, 1))
        }
        self.bias = bias
    }

    /// `output = epilogue(input · Wᵀ + bias)` for `rows` rows.
    func apply(_ input: UnsafePointer<Float>, rows: Int, _ output: UnsafeMutablePointer<Float>, epilogue: MatrixEpilogue = .store, pool: WorkerPool) {
        bias.withUnsafeBufferPointer { b in
            matrixMultiply(input, rows: rows, weights: matrix, bias: b.baseAddress!, output: output, epilogue: epilogue, pool: pool)
        }
    }
}

/// A stride-k, kernel-k convolution (stem or downsampling), run as patches × weights.
struct PatchConvolutionWeights: Sendable {
    let linear: LinearWeights
    let patchSize: Int

    /// Patch rows ordered (channel, row, column) when `channelMajor` (``gatherPatches``'
    /// order, PyTorch's own), otherwise (row, column, channel) (``extractPatches``').
    init(weight: Tensor, bias: Tensor, channelMajor: Bool = false) {
        let (outputs, inputs, patch) = (weight.shape[0], weight.shape[1], weight.shape[2])
        if channelMajor {
            linear = LinearWeights(weight: weight.reshaped([outputs, inputs * patch * patch]), bias: bias)
        } else {
            let rows = weight.withUnsafeBufferPointer {
                patchFilterRows($0, outputChannels: outputs, inputChannels: inputs, patchSize: patch)
            }
            linear = LinearWeights(weight: Tensor(shape: [outputs, inputs * patch * patch], scalars: rows), bias: bias)
        }
        patchSize = patch
    }
}

/// One ConvNeXt block's parameters.
struct BlockWeights: Sendable {
    let depthwise: DepthwiseFilter
    let depthwiseBias: Tensor
    let norm: NormWeights
    let expand: LinearWeights
    let responseNorm: (weight: Tensor, bias: Tensor)?
    let project: LinearWeights
    let layerScale: Tensor?

    /// Reads and packs the block's parameters one at a time, so no unpacked copy outlives its packing.
    init(_ parameters: ParameterReader, _ prefix: String) throws {
        let kernel = try parameters(prefix + ".dwconv.weight")
        depthwise = kernel.withUnsafeBufferPointer {
            DepthwiseFilter(weights: $0, channels: kernel.shape[0], kernelSize: kernel.shape[2])
        }
        depthwiseBias = try parameters(prefix + ".dwconv.bias")
        norm = try NormWeights(parameters, prefix + ".layernorm", epsilon: 1e-6)
        expand = LinearWeights(weight: try parameters(prefix + ".pwconv1.weight"), bias: try parameters(prefix + ".pwconv1.bias"))
        if let weight = try parameters.optional(prefix + ".grn.weight"), let bias = try parameters.optional(prefix + ".grn.bias") {
            responseNorm = (weight.reshaped([weight.count]), bias.reshaped([bias.count]))
        } else {
            responseNorm = nil
        }
        project = LinearWeights(weight: try parameters(prefix + ".pwconv2.weight"), bias: try parameters(prefix + ".pwconv2.bias"))
        layerScale = try parameters.optional(prefix + ".layer_scale_parameter")
    }
}

extension BlockWeights {
    /// The block's MLP on `rows` normalized rows: `output += layerScale ⊙ pwconv2(act(pwconv1(input)))`,
    /// row-blocked so the hidden activations stay in cache (see ``pointwiseMLP``).
    func applyMLP(
        _ input: UnsafePointer<Float>, rows: Int, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        activation: Activation, pool: WorkerPool, phaseNanoseconds: UnsafeMutablePointer<UInt64>?
    ) {
        expand.bias.withUnsafeBufferPointer { expandBias in
            project.bias.withUnsafeBufferPointer { projectBias in
                layerScale.withOptionalPointer { scale in
                    pointwiseMLP(input, rows: rows, expand: expand.matrix, expandBias: expandBias.baseAddress!, activation: activation,
                                 project: project.matrix, projectBias: projectBias.baseAddress!, layerScale: scale,
                                 output: output, scratch: scratch, pool: pool, phaseNanoseconds: phaseNanoseconds)
                }
            }
        }
    }
}

extension Optional where Wrapped == Tensor {
    /// Calls `body` with the tensor's scalars, or with nil when there is no tensor.
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .some(let tensor): return tensor.withUnsafeBufferPointer { body($0.baseAddress!) }
        case .none: return body(nil)
        }
    }
}

/// One stage's parameters: the optional downsampling layer, then the blocks.
struct StageWeights: Sendable {
    let downsamplingNorm: NormWeights?
    let downsampling: PatchConvolutionWeights?
    let blocks: [BlockWeights]
}
