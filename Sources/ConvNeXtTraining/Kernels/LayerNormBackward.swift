import ConvNeXtKernels

/// The gradients of a LayerNorm over the last axis (biased variance, like PyTorch):
/// with x̂ = (x − μ)·r, r = 1/√(σ² + ε) and g = dy·γ,
/// `dx = r·(g − mean(g) − x̂·mean(g·x̂))`, `dγ = Σ dy·x̂`, `dβ = Σ dy` (sums over rows).
///
/// Recomputes μ and r from `x` rather than saving them. Writes `dx` when given; returns
/// `dγ` and `dβ`. Rows are split over the pool with per-thread partial sums.
func layerNormBackward(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    rows: Int, channels: Int, weight: UnsafePointer<Float>, epsilon: Float,
    inputGradient dx: UnsafeMutablePointer<Float>?, pool: WorkerPool
) -> (weight: [Float], bias: [Float]) {
    let sums = reduceRows(rows, width: 2 * channels, pool: pool, minimumRows: max(1, 4096 / max(channels, 1))) { range, accumulator in
        let weightSum = accumulator, biasSum = accumulator + channels
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { scratch.deallocate() }
        for row in range {
            let xRow = x + row &* channels, gRow = dy + row &* channels
            var mean: Float = 0
            for c in 0..<channels { mean += xRow[c] }
            mean /= Float(channels)
            var variance: Float = 0
            for c in 0..<channels { let d = xRow[c] - mean; variance += d * d }
            let inverse = 1 / (variance / Float(channels) + epsilon).squareRoot()
            var meanG: Float = 0, meanGX: Float = 0
            for c in 0..<channels {
                let normalized = (xRow[c] - mean) * inverse
                scratch[c] = normalized
                let g = gRow[c] * weight[c]
                meanG += g
                meanGX += g * normalized
                weightSum[c] += gRow[c] * normalized
                biasSum[c] += gRow[c]
            }
            guard let dx else { continue }
            meanG /= Float(channels)
            meanGX /= Float(channels)
            let dxRow = dx + row &* channels
            for c in 0..<channels {
                dxRow[c] = inverse * (gRow[c] * weight[c] - meanG - scratch[c] * meanGX)
            }
        }
    }
    return (Array(sums[0..<channels]), Array(sums[channels...]))
}
