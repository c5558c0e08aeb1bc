/// LayerNorm over the last (contiguous) axis of `rows` rows of `channels` values, with biased
/// variance like PyTorch: `y = (x − mean) / √(var + ε) · weight + bias`. `output` may equal `input`.
///
/// Two passes per row (the mean, then the centered variance) keep the accuracy of the
/// textbook formula; rows are vectorized over channels and split over the pool in runs.
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
        for row in rows * task / tasks ..< rows * (task + 1) / tasks {
            normalizeRow(input + row &* channels, output + row &* channels, channels, weight, bias, epsilon)
        }
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
