/// The weights of a fully connected layer, `[outputCount, inputCount]` row-major (PyTorch's
/// `Linear.weight` layout), laid out once for ``matrixMultiply(_:rows:weights:bias:output:epilogue:pool:)``.
///
/// Packing cuts the N outputs into panels of ``MatrixTile/columns`` (two vectors, three with AVX-512), each stored
/// `[K][panel width]` so the micro-kernel reads one contiguous stream; the last panel is
/// zero-padded. Pack once at load time: it costs about as much as one multiply.
public struct PackedMatrix: Sendable {
    /// N: the number of output features.
    public let outputCount: Int
    /// K: the number of input features.
    public let inputCount: Int
    /// `[panelCount, inputCount, MatrixTile.columns]`.
    @usableFromInline let packed: Tensor

    /// Packs row-major `[outputCount, inputCount]` weights.
    public init(weights: UnsafeBufferPointer<Float>, outputCount: Int, inputCount: Int) {
        precondition(weights.count == outputCount * inputCount, "weights hold \(weights.count) values, expected \(outputCount)x\(inputCount)")
        self.outputCount = outputCount
        self.inputCount = inputCount
        let width = MatrixTile.columns
        let panels = (outputCount + width - 1) / width
        packed = Tensor(shape: [panels, inputCount, width], uninitializedWith: { destination in
            guard let source = weights.baseAddress, let base = destination.baseAddress else { return }
            for panel in 0..<panels {
                let columns = min(width, outputCount &- panel &* width)
                let target = base + panel &* inputCount &* width
                for column in 0..<width {
                    var t = target + column
                    guard column < columns else {
                        for _ in 0..<inputCount { t.initialize(to: 0); t += width }
                        continue
                    }
                    let row = source + (panel &* width &+ column) &* inputCount
                    for p in 0..<inputCount { t.initialize(to: row[p]); t += width }
                }
            }
        })
    }

    /// The number of column panels.
    @usableFromInline var panelCount: Int { packed.shape[0] }
}
