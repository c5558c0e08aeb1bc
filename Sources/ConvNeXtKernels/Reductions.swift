import Foundation

/// Mean over the pixels of each image: `[batch, pixels, channels]` → `[batch, channels]`.
public func globalAveragePool(
    _ input: UnsafePointer<Float>, batch: Int, pixels: Int, channels: Int,
    output: UnsafeMutablePointer<Float>
) {
    for n in 0..<batch {
        let y = output + n * channels
        for c in 0..<channels { y[c] = 0 }
        for p in 0..<pixels {
            let x = input + (n * pixels + p) * channels
            for c in 0..<channels { y[c] += x[c] }
        }
        let scale = 1 / Float(pixels)
        for c in 0..<channels { y[c] *= scale }
    }
}

/// Softmax over each row of a `[rows, columns]` matrix, in place, stable for large inputs.
public func softmax(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows {
        let x = values + r * columns
        var maximum = -Float.infinity
        for c in 0..<columns { maximum = max(maximum, x[c]) }
        var sum: Float = 0
        for c in 0..<columns { x[c] = Foundation.exp(x[c] - maximum); sum += x[c] }
        for c in 0..<columns { x[c] /= sum }
    }
}

/// ConvNeXt V2's global response normalization, in place on `[batch, pixels, channels]`:
/// `G = ‖x‖₂ over pixels`, `N = G / (mean_c G + 1e-6)`, `y = weight·(x·N) + bias + x`.
public func globalResponseNorm(
    _ values: UnsafeMutablePointer<Float>, batch: Int, pixels: Int, channels: Int,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>
) {
    var norms = [Float](repeating: 0, count: channels)
    for n in 0..<batch {
        let base = values + n * pixels * channels
        for c in 0..<channels { norms[c] = 0 }
        for p in 0..<pixels {
            let x = base + p * channels
            for c in 0..<channels { norms[c] += x[c] * x[c] }
        }
        var mean: Float = 0
        for c in 0..<channels { norms[c] = norms[c].squareRoot(); mean += norms[c] }
        mean /= Float(channels)
        for c in 0..<channels { norms[c] = weight[c] * norms[c] / (mean + 1e-6) }
        for p in 0..<pixels {
            let x = base + p * channels
            for c in 0..<channels { x[c] = x[c] * norms[c] + bias[c] + x[c] }
        }
    }
}
