/// What a matrix multiply does with each result `r = x·Wᵀ + bias` before storing it.
public enum MatrixEpilogue {
    /// `y = r`.
    case store
    /// `y = activation(r)`.
    case activate(Activation)
    /// `y = y + scale ⊙ r`: the output buffer holds the residual on entry; `scale` (length N)
    /// is the layer scale, or `nil` for none.
    case addScaled(UnsafePointer<Float>?)
    /// `y = LayerNorm(r)` over each whole output row (all N columns): the stem's norm, applied
    /// to blocks of rows while they are in cache instead of in a pass of its own. Rows are
    /// never split by columns.
    case normalize(LayerNormParameters)
}

/// `output[rows, N] = epilogue(input[rows, K] · weightsᵀ + bias)`, all row-major.
///
/// Runs a register-blocked micro-kernel over packed weight panels, split over the pool's
/// threads by rows, or by column panels when there are too few rows to share. The epilogue is
/// applied to each tile while it is in cache. No alignment is required of any buffer.
/// `output` must not overlap `input`.
public func matrixMultiply(
    _ input: UnsafePointer<Float>, rows: Int,
    weights: PackedMatrix, bias: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>,
    epilogue: MatrixEpilogue = .store,
    pool: WorkerPool
) {
    let n = weights.outputCount, k = weights.inputCount
    guard rows > 0, n > 0 else { return }
    let panels = weights.panelCount, width = MatrixTile.columns
    withUnsafeTemporaryAllocation(of: Float.self, capacity: panels * width) { paddedBias in
        // The kernel adds a full panel of bias, so it gets a zero-padded copy.
        let biasBase = paddedBias.baseAddress!
        if let bias { biasBase.initialize(from: bias, count: n) } else { biasBase.initialize(repeating: 0, count: n) }
        (biasBase + n).initialize(repeating: 0, count: panels * width - n)
        weights.packed.withUnsafeBufferPointer { packed in
            let job = MatrixJob(
                input: input, rows: rows, depth: k, outputCount: n, packed: packed.baseAddress!,
                bias: biasBase, output: output, epilogue: epilogue)
            let split = job.split(threads: pool.threadCount)
            pool.parallelFor(split.tasks) { task in
                let (rowTiles, panelRange) = split.share(task)
                job.run(rowTiles: rowTiles, panels: panelRange)
            }
        }
    }
}
