import Foundation

/// LayerNorm over the last (contiguous) axis of `rows` rows of `channels` values, with biased
/// variance like PyTorch: `y = (x − mean) / √(var + ε) · weight + bias`. `output` may equal `input`.
public func layerNorm(
    _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    rows: Int, channels: Int,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float,
    pool: WorkerPool
) {
    pool.parallelFor(rows) { row in
        let x = input + row * channels, y = output + row * channels
        var mean: Float = 0
        for c in 0..<channels { mean += x[c] }
        mean /= Float(channels)
        var variance: Float = 0
        for c in 0..<channels { let d = x[c] - mean; variance += d * d }
        variance /= Float(channels)
        let inverse = 1 / (variance + epsilon).squareRoot()
        for c in 0..<channels { y[c] = (x[c] - mean) * inverse * weight[c] + bias[c] }
    }
}
