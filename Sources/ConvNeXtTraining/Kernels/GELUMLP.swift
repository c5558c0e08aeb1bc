import ConvNeXtKernels

/// `hidden = input·expandᵀ + expandBias` and `output = gelu(hidden)·projectᵀ + projectBias`
/// over `rows` rows. Rows go in blocks, shared out over the pool's threads; each thread expands
/// a block, activates it into a private buffer that stays in cache and projects it at once
/// (the multiplies inside run on the calling thread: nested loops run inline). Every output
/// row is computed by one thread in a fixed order, so results do not depend on the thread
/// count. With too few rows to share, it runs three whole-matrix passes instead.
func geluMLPForward(
    _ input: UnsafePointer<Float>, rows: Int, expand: PackedMatrix, expandBias: UnsafePointer<Float>,
    project: PackedMatrix, projectBias: UnsafePointer<Float>,
    hidden: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let c = expand.inputCount, width = expand.outputCount, outputs = project.outputCount
    guard rows > 0 else { return }
    // Up to 112 rows whose hidden activations fit in 640 KB of L2 (the inference MLP's blocking):
    // each block streams both weight matrices once, so blocks must not be too small.
    let blockRows = max(8, min(112, 160 * 1024 / max(width, 1)))
    let blocks = (rows + blockRows - 1) / blockRows
    let tasks = min(pool.threadCount, blocks)
    guard tasks > 1 || pool.threadCount == 1 else {
        matrixMultiply(input, rows: rows, weights: expand, bias: expandBias, output: hidden, pool: pool)
        let activated = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
        defer { activated.deallocate() }
        activate(.gelu, hidden, output: activated, count: rows * width, pool: pool)
        matrixMultiply(activated, rows: rows, weights: project, bias: projectBias, output: output, pool: pool)
        return
    }
    pool.parallelFor(tasks) { task in
        let activated = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * width)
        defer { activated.deallocate() }
        for block in blocks * task / tasks ..< blocks * (task + 1) / tasks {
            let first = block * blockRows, count = min(blockRows, rows - first)
            let h = hidden + first &* width
            matrixMultiply(input + first &* c, rows: count, weights: expand, bias: expandBias, output: h, pool: pool)
            activated.update(from: h, count: count &* width)
            Activation.gelu.apply(to: activated, count: count &* width)
            matrixMultiply(activated, rows: count, weights: project, bias: projectBias, output: output + first &* outputs, pool: pool)
        }
    }
}

/// `gradient[i] *= gelu′(x[i])` for exact GELU, given `activated[i] = gelu(x[i])`: gelu′ =
/// Φ(x) + x·φ(x) with Φ(x) = gelu(x)/x (½ at 0), the same arithmetic as ``activationBackward``.
func geluBackwardInPlace(
    _ gradient: UnsafeMutablePointer<Float>, input x: UnsafePointer<Float>, activated gelu: UnsafePointer<Float>,
    count: Int, pool: WorkerPool
) {
    let tasks = max(1, min(pool.threadCount, count / 8192))
    pool.parallelFor(tasks) { task in
        var i = count * task / tasks
        let end = count * (task + 1) / tasks
        while i &+ laneCount <= end {
            let value = Lanes.load(x + i)
            let cdf = (Lanes.load(gelu + i) / value).replacing(with: 0.5, where: value .== Lanes())
            let density = (value * value * -0.5).exponential() * 0.398_942_280_401_432_7
            (Lanes.load(gradient + i) * cdf.adding(value, times: density)).store(to: gradient + i)
            i &+= laneCount
        }
        while i < end { gradient[i] *= Activation.gelu.derivative(x[i]); i &+= 1 }
    }
}
