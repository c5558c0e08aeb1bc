extension PackedMatrix {
    /// Packs row-major `[outputCount, inputCount]` weights like ``init(weights:outputCount:inputCount:)``,
    /// panels in parallel on `pool`: training repacks every weight each step, on the critical path.
    public init(weights: UnsafeBufferPointer<Float>, outputCount: Int, inputCount: Int, pool: WorkerPool) {
        precondition(weights.count == outputCount * inputCount, "weights hold \(weights.count) values, expected \(outputCount)x\(inputCount)")
        self.outputCount = outputCount
        self.inputCount = inputCount
        let width = MatrixTile.columns
        let panels = (outputCount + width - 1) / width
        packed = Tensor(shape: [panels, inputCount, width], uninitializedWith: { destination in
            guard let source = weights.baseAddress, let base = destination.baseAddress else { return }
            pool.parallelFor(panels) { panel in
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

    /// Packs the transpose of row-major `[rows, columns]` weights: the matrix whose
    /// ``matrixMultiply(_:rows:weights:bias:output:epilogue:pool:)`` computes `x · weights`
    /// (`outputCount` = `columns`, `inputCount` = `rows`). A layer's input gradient `dY · W`
    /// runs on this without transposing W first: each panel row is a contiguous run of a row
    /// of W. Panels are packed in parallel on `pool`.
    public init(transposing weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int, pool: WorkerPool) {
        precondition(weights.count == rows * columns, "weights hold \(weights.count) values, expected \(rows)x\(columns)")
        outputCount = columns
        inputCount = rows
        let width = MatrixTile.columns
        let panels = (columns + width - 1) / width
        packed = Tensor(shape: [panels, rows, width], uninitializedWith: { destination in
            guard let source = weights.baseAddress, let base = destination.baseAddress else { return }
            pool.parallelFor(panels) { panel in
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
