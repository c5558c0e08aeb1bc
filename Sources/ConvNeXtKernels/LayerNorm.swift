/// LayerNorm over the last (contiguous) axis of `rows` rows of `channels` values, with biased
/// variance like PyTorch: `y = (x − mean) / √(var + ε) · weight + bias`. `output` may equal `input`.
///
/// Two passes per row (the mean, then the centered variance) keep the accuracy of the
/// textbook formula; rows are vectorized over channels, taken four at a time (see
/// ``normalizeFourRows``) and split over the pool in runs.
public func layerNorm(
    _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    rows: Int, channels: Int,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float,
    pool: WorkerPool
) {
    guard rows > 0, channels > 0 else { return }
    // About 16k values per task, so small norms (the head's) skip the fork/join.
    let tasks = min(pool.threadCount, rows, max(1, rows * channels / 16_384))
    pool.parallelFor(tasks) { task in
        let first = rows * task / tasks, end = rows * (task + 1) / tasks
        normalizeRows(input + first &* channels, output + first &* channels, rows: end - first, stride: channels,
                      channels, weight, bias, epsilon)
    }
}

/// A LayerNorm's parameters over `weight`'s channels, for kernels that fuse one in.
public struct LayerNormParameters {
    /// Per-channel scale.
    public let weight: UnsafePointer<Float>
    /// Per-channel shift.
    public let bias: UnsafePointer<Float>
    /// Added to the variance.
    public let epsilon: Float

    /// Parameters that must stay valid while a kernel uses them.
    public init(weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float) {
        self.weight = weight
        self.bias = bias
        self.epsilon = epsilon
    }
}

/// Normalizes one row of `channels` values from `x` into `y` (may alias).
@inline(__always)
func normalizeRow(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ channels: Int,
    _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ epsilon: Float
) {
    let vectorEnd = channels - channels % vectorLanes
    var sum0 = FloatVector(), sum1 = FloatVector()
    var c = 0
    while c &+ 2 &* vectorLanes <= vectorEnd {
        sum0 += FloatVector.load(x + c)
        sum1 += FloatVector.load(x + (c &+ vectorLanes))
        c &+= 2 &* vectorLanes
    }
    if c < vectorEnd { sum0 += FloatVector.load(x + c) }
    var total = (sum0 + sum1).laneSum()
    for index in vectorEnd..<channels { total += x[index] }
    let mean = total / Float(channels)

    let meanVector = FloatVector(repeating: mean)
    var square0 = FloatVector(), square1 = FloatVector()
    c = 0
    while c &+ 2 &* vectorLanes <= vectorEnd {
        let d0 = FloatVector.load(x + c) - meanVector, d1 = FloatVector.load(x + (c &+ vectorLanes)) - meanVector
        square0 = multiplyAdd(d0, d0, square0)
        square1 = multiplyAdd(d1, d1, square1)
        c &+= 2 &* vectorLanes
    }
    if c < vectorEnd { let d = FloatVector.load(x + c) - meanVector; square0 = multiplyAdd(d, d, square0) }
    var squares = (square0 + square1).laneSum()
    for index in vectorEnd..<channels { let d = x[index] - mean; squares += d * d }
    let inverse = 1 / (squares / Float(channels) + epsilon).squareRoot()

    let inverseVector = FloatVector(repeating: inverse)
    c = 0
    while c < vectorEnd {
        let normalized = (FloatVector.load(x + c) - meanVector) * inverseVector
        multiplyAdd(normalized, FloatVector.load(weight + c), FloatVector.load(bias + c)).store(to: y + c)
        c &+= vectorLanes
    }
    for index in vectorEnd..<channels { y[index] = (x[index] - mean) * inverse * weight[index] + bias[index] }
}

/// Normalizes `rows` rows of `channels` values, row r from `x + r·stride` into `y + r·stride`
/// (may alias), four at a time where the channels are whole vectors.
@inline(__always)
func normalizeRows(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, stride: Int,
    _ channels: Int, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ epsilon: Float
) {
    var row = 0
    if channels % vectorLanes == 0 {
        while row &+ 4 <= rows {
            let x0 = x + row &* stride, y0 = y + row &* stride
            normalizeFourRows((x0, x0 + stride, x0 + 2 &* stride, x0 + 3 &* stride),
                              (y0, y0 + stride, y0 + 2 &* stride, y0 + 3 &* stride), channels, weight, bias, epsilon)
            row &+= 4
        }
    }
    while row < rows {
        normalizeRow(x + row &* stride, y + row &* stride, channels, weight, bias, epsilon)
        row &+= 1
    }
}

/// Four rows, independent, in lockstep (`channels` a multiple of the vector width): a row's
/// statistics are one long chain of dependent steps (a sum, a lane reduction, the centered
/// sum and its reduction, a square root) that leaves the vector units idle; four chains side
/// by side overlap those latencies. On ConvNeXt-T's stage-1 shape (3136×96, one thread) this
/// took 55% less time than row by row. Each row's arithmetic is ``normalizeRow(_:_:_:_:_:_:)``'s, in the same
/// order, so results are identical.
@inline(__always)
func normalizeFourRows(
    _ x: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    _ y: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
    _ channels: Int, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ epsilon: Float
) {
    let lanes = vectorLanes
    // Two accumulators per row, alternating vectors, as in the single-row function.
    var a = (FloatVector(), FloatVector(), FloatVector(), FloatVector())
    var b = a
    var c = 0
    while c &+ 2 &* lanes <= channels {
        let d = c &+ lanes
        a.0 += FloatVector.load(x.0 + c); b.0 += FloatVector.load(x.0 + d)
        a.1 += FloatVector.load(x.1 + c); b.1 += FloatVector.load(x.1 + d)
        a.2 += FloatVector.load(x.2 + c); b.2 += FloatVector.load(x.2 + d)
        a.3 += FloatVector.load(x.3 + c); b.3 += FloatVector.load(x.3 + d)
        c &+= 2 &* lanes
    }
    if c < channels {
        a.0 += FloatVector.load(x.0 + c); a.1 += FloatVector.load(x.1 + c)
        a.2 += FloatVector.load(x.2 + c); a.3 += FloatVector.load(x.3 + c)
    }
    let count = Float(channels)
    let mean = (FloatVector(repeating: (a.0 + b.0).laneSum() / count), FloatVector(repeating: (a.1 + b.1).laneSum() / count),
                FloatVector(repeating: (a.2 + b.2).laneSum() / count), FloatVector(repeating: (a.3 + b.3).laneSum() / count))
    a = (FloatVector(), FloatVector(), FloatVector(), FloatVector())
    b = a
    c = 0
    @inline(__always) func squared(_ v: FloatVector, _ sum: FloatVector) -> FloatVector { multiplyAdd(v, v, sum) }
    while c &+ 2 &* lanes <= channels {
        let d = c &+ lanes
        a.0 = squared(FloatVector.load(x.0 + c) - mean.0, a.0); b.0 = squared(FloatVector.load(x.0 + d) - mean.0, b.0)
        a.1 = squared(FloatVector.load(x.1 + c) - mean.1, a.1); b.1 = squared(FloatVector.load(x.1 + d) - mean.1, b.1)
        a.2 = squared(FloatVector.load(x.2 + c) - mean.2, a.2); b.2 = squared(FloatVector.load(x.2 + d) - mean.2, b.2)
        a.3 = squared(FloatVector.load(x.3 + c) - mean.3, a.3); b.3 = squared(FloatVector.load(x.3 + d) - mean.3, b.3)
        c &+= 2 &* lanes
    }
    if c < channels {
        a.0 = squared(FloatVector.load(x.0 + c) - mean.0, a.0); a.1 = squared(FloatVector.load(x.1 + c) - mean.1, a.1)
        a.2 = squared(FloatVector.load(x.2 + c) - mean.2, a.2); a.3 = squared(FloatVector.load(x.3 + c) - mean.3, a.3)
    }
    @inline(__always) func inverse(_ squares: FloatVector) -> FloatVector {
        FloatVector(repeating: 1 / (squares.laneSum() / count + epsilon).squareRoot())
    }
    let scale = (inverse(a.0 + b.0), inverse(a.1 + b.1), inverse(a.2 + b.2), inverse(a.3 + b.3))
    c = 0
    while c < channels {
        let w = FloatVector.load(weight + c), shift = FloatVector.load(bias + c)
        multiplyAdd((FloatVector.load(x.0 + c) - mean.0) * scale.0, w, shift).store(to: y.0 + c)
        multiplyAdd((FloatVector.load(x.1 + c) - mean.1) * scale.1, w, shift).store(to: y.1 + c)
        multiplyAdd((FloatVector.load(x.2 + c) - mean.2) * scale.2, w, shift).store(to: y.2 + c)
        multiplyAdd((FloatVector.load(x.3 + c) - mean.3) * scale.3, w, shift).store(to: y.3 + c)
        c &+= lanes
    }
}
