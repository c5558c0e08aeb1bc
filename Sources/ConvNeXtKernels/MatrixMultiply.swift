/// The weights of a fully connected layer, `[outputCount, inputCount]` row-major (PyTorch's
/// `Linear.weight` layout), laid out once for ``matrixMultiply(_:rows:weights:bias:output:epilogue:pool:)``.
public struct PackedMatrix: Sendable {
    /// N: the number of output features.
    public let outputCount: Int
    /// K: the number of input features.
    public let inputCount: Int
    @usableFromInline let packed: Tensor

    /// Packs row-major `[outputCount, inputCount]` weights.
    public init(weights: UnsafeBufferPointer<Float>, outputCount: Int, inputCount: Int) {
        precondition(weights.count == outputCount * inputCount, "weights hold \(weights.count) values, expected \(outputCount)x\(inputCount)")
        self.outputCount = outputCount
        self.inputCount = inputCount
        // Transposed to [K, N] so the inner loop runs over contiguous outputs.
        packed = Tensor(shape: [inputCount, outputCount]) { destination in
            for n in 0..<outputCount {
                for k in 0..<inputCount { destination[k * outputCount + n] = weights[n * inputCount + k] }
            }
        }
    }
}

/// What a matrix multiply does with each result `r = x·Wᵀ + bias` before storing it.
public enum MatrixEpilogue {
    /// `y = r`.
    case store
    /// `y = activation(r)`.
    case activate(Activation)
    /// `y = y + scale ⊙ r`: the output buffer holds the residual on entry; `scale` (length N)
    /// is the layer scale, or `nil` for none.
    case addScaled(UnsafePointer<Float>?)
}

/// `output[rows, N] = epilogue(input[rows, K] · weightsᵀ + bias)`, all row-major.
public func matrixMultiply(
    _ input: UnsafePointer<Float>, rows: Int,
    weights: PackedMatrix, bias: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>,
    epilogue: MatrixEpilogue = .store,
    pool: WorkerPool
) {
    let n = weights.outputCount, k = weights.inputCount
    weights.packed.withUnsafeBufferPointer { packed in
        let w = packed.baseAddress!
        pool.parallelFor(rows) { row in
            var result = [Float](repeating: 0, count: n)
            for j in 0..<n { result[j] = bias?[j] ?? 0 }
            for p in 0..<k {
                let a = input[row * k + p]
                for j in 0..<n { result[j] += a * w[p * n + j] }
            }
            let y = output + row * n
            switch epilogue {
            case .store:
                for j in 0..<n { y[j] = result[j] }
            case .activate(let activation):
                for j in 0..<n { y[j] = activation(result[j]) }
            case .addScaled(let scale):
                for j in 0..<n { y[j] += (scale?[j] ?? 1) * result[j] }
            }
        }
    }
}
