extension PackedMatrix {
    /// Packs the transpose of row-major `[rows, columns]` weights: the matrix whose
    /// ``matrixMultiply(_:rows:weights:bias:output:epilogue:pool:)`` computes `x · weights`
    /// (`outputCount` = `columns`, `inputCount` = `rows`). A layer's input gradient `dY · W`
    /// runs on this without transposing W first: each panel row is a contiguous run of a row of W.
    public init(transposing weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int) {
        precondition(weights.count == rows * columns, "weights hold \(weights.count) values, expected \(rows)x\(columns)")
        outputCount = columns
        inputCount = rows
        let width = MatrixTile.columns
        let panels = (columns + width - 1) / width
        packed = Tensor(shape: [panels, rows, width], uninitializedWith: { destination in
            guard let source = weights.baseAddress, let base = destination.baseAddress else { return }
            for panel in 0..<panels {
                let first = panel &* width, count = min(width, columns &- first)
                var target = base + panel &* rows &* width
                for row in 0..<rows {
                    target.initialize(from: source + (row &* columns &+ first), count: count)
                    if count < width { (target + count).initialize(repeating: 0, count: width &- count) }
                    target += width
                }
            }
        })
    }
}
