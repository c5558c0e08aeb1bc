import ConvNeXtKernels

/// The gradients of a LayerNorm over the last axis (biased variance, like PyTorch):
/// with x̂ = (x − μ)·r, r = 1/√(σ² + ε) and g = dy·γ,
/// `dx = r·(g − mean(g) − x̂·mean(g·x̂))`, `dγ = Σ dy·x̂`, `dβ = Σ dy` (sums over rows).
///
/// Recomputes μ and r from `x` rather than saving them. Writes `dx` when given; returns
/// `dγ` and `dβ`. Vectorized over channels; rows are split over the pool with per-thread
/// partial sums.
func layerNormBackward(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    rows: Int, channels: Int, weight: UnsafePointer<Float>, epsilon: Float,
    inputGradient dx: UnsafeMutablePointer<Float>?, pool: WorkerPool
) -> (weight: [Float], bias: [Float]) {
    let vectorEnd = channels - channels % laneCount
    let sums = reduceRows(rows, width: 2 * channels, pool: pool, minimumRows: max(1, 4096 / max(channels, 1))) { range, accumulator in
        let weightSum = accumulator, biasSum = accumulator + channels
        let normalized = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { normalized.deallocate() }
        for row in range {
            let xRow = x + row &* channels, gRow = dy + row &* channels
            var sumVector = Lanes()
            var c = 0
            while c < vectorEnd { sumVector += Lanes.load(xRow + c); c &+= laneCount }
            var total = sumVector.sum()
            while c < channels { total += xRow[c]; c &+= 1 }
            let mean = total / Float(channels)

            var squareVector = Lanes()
            c = 0
            while c < vectorEnd { let d = Lanes.load(xRow + c) - mean; squareVector = squareVector.adding(d, times: d); c &+= laneCount }
            var squares = squareVector.sum()
            while c < channels { let d = xRow[c] - mean; squares += d * d; c &+= 1 }
            let inverse = 1 / (squares / Float(channels) + epsilon).squareRoot()

            // x̂, Σg, Σg·x̂, and the parameter gradients' partial sums.
            var gVector = Lanes(), gxVector = Lanes()
            c = 0
            while c < vectorEnd {
                let xHat = (Lanes.load(xRow + c) - mean) * inverse, upstream = Lanes.load(gRow + c)
                let g = upstream * Lanes.load(weight + c)
                xHat.store(to: normalized + c)
                gVector += g
                gxVector = gxVector.adding(g, times: xHat)
                Lanes.load(weightSum + c).adding(upstream, times: xHat).store(to: weightSum + c)
                (Lanes.load(biasSum + c) + upstream).store(to: biasSum + c)
                c &+= laneCount
            }
            var meanG = gVector.sum(), meanGX = gxVector.sum()
            while c < channels {
                let xHat = (xRow[c] - mean) * inverse, g = gRow[c] * weight[c]
                normalized[c] = xHat
                meanG += g
                meanGX += g * xHat
                weightSum[c] += gRow[c] * xHat
                biasSum[c] += gRow[c]
                c &+= 1
            }
            guard let dx else { continue }
            meanG /= Float(channels)
            meanGX /= Float(channels)
            let dxRow = dx + row &* channels
            c = 0
            while c < vectorEnd {
                let g = Lanes.load(gRow + c) * Lanes.load(weight + c)
                (inverse * (g - meanG - Lanes.load(normalized + c) * meanGX)).store(to: dxRow + c)
                c &+= laneCount
            }
            while c < channels { dxRow[c] = inverse * (gRow[c] * weight[c] - meanG - normalized[c] * meanGX); c &+= 1 }
        }
    }
    return (Array(sums[0..<channels]), Array(sums[channels...]))
}
