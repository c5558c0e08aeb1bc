/// A LayerNorm's parameters.
struct NormWeights: Sendable {
    let weight: Tensor
    let bias: Tensor
    let epsilon: Float

    init(_ parameters: [String: Tensor], _ prefix: String, epsilon: Float) {
        weight = parameters[prefix + ".weight"]!
        bias = parameters[prefix + ".bias"]!
        self.epsilon = epsilon
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

    init(weight: Tensor, bias: Tensor) {
        let (outputs, inputs, patch) = (weight.shape[0], weight.shape[1], weight.shape[2])
        let rows = weight.withUnsafeBufferPointer {
            patchFilterRows($0, outputChannels: outputs, inputChannels: inputs, patchSize: patch)
        }
        linear = LinearWeights(weight: Tensor(shape: [outputs, inputs * patch * patch], scalars: rows), bias: bias)
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

    init(_ parameters: [String: Tensor], _ prefix: String) {
        let kernel = parameters[prefix + ".dwconv.weight"]!
        depthwise = kernel.withUnsafeBufferPointer {
            DepthwiseFilter(weights: $0, channels: kernel.shape[0], kernelSize: kernel.shape[2])
        }
        depthwiseBias = parameters[prefix + ".dwconv.bias"]!
        norm = NormWeights(parameters, prefix + ".layernorm", epsilon: 1e-6)
        expand = LinearWeights(weight: parameters[prefix + ".pwconv1.weight"]!, bias: parameters[prefix + ".pwconv1.bias"]!)
        if let weight = parameters[prefix + ".grn.weight"], let bias = parameters[prefix + ".grn.bias"] {
            responseNorm = (weight.reshaped([weight.count]), bias.reshaped([bias.count]))
        } else {
            responseNorm = nil
        }
        project = LinearWeights(weight: parameters[prefix + ".pwconv2.weight"]!, bias: parameters[prefix + ".pwconv2.bias"]!)
        layerScale = parameters[prefix + ".layer_scale_parameter"]
    }
}

/// One stage's parameters: the optional downsampling layer, then the blocks.
struct StageWeights: Sendable {
    let downsamplingNorm: NormWeights?
    let downsampling: PatchConvolutionWeights?
    let blocks: [BlockWeights]
}
