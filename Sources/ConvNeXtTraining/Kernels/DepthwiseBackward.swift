import ConvNeXtKernels

/// PyTorch-layout `[C, 1, k, k]` depthwise weights rotated by 180° in each channel: the
/// convolution whose result is the input gradient of the original one (stride 1, padding k/2).
func rotatedDepthwiseWeights(_ weights: UnsafeBufferPointer<Float>, channels: Int, kernelSize k: Int) -> [Float] {
    let taps = k * k
    var rotated = [Float](repeating: 0, count: weights.count)
    for c in 0..<channels {
        for t in 0..<taps { rotated[c * taps + t] = weights[c * taps + taps - 1 - t] }
    }
    return rotated
}

/// The weight gradient of a channels-last depthwise convolution (stride 1, zero padding k/2):
/// `dW[c, i, j] = Σ_{n,h,w} dY[n, h, w, c] · X[n, h+i−p, w+j−p, c]`, in PyTorch's `[C, 1, k, k]`
/// layout. Vectorized over channels, parallel over image rows (per-thread partial sums).
func depthwiseWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    batch: Int, height: Int, width: Int, channels: Int, kernelSize k: Int, pool: WorkerPool
) -> [Float] {
    let pad = k / 2, taps = k * k
    let vectorEnd = channels - channels % laneCount
    let tapMajor = reduceRows(batch * height, width: taps * channels, pool: pool, minimumRows: 4) { rows, accumulator in
        for item in rows {
            let n = item / height, h = item % height
            for i in 0..<k {
                let sh = h &+ i &- pad
                guard sh >= 0, sh < height else { continue }
                for w in 0..<width {
                    let g = dy + ((n &* height &+ h) &* width &+ w) &* channels
                    for j in 0..<k {
                        let sw = w &+ j &- pad
                        guard sw >= 0, sw < width else { continue }
                        let source = x + ((n &* height &+ sh) &* width &+ sw) &* channels
                        let target = accumulator + (i &* k &+ j) &* channels
                        var c = 0
                        while c < vectorEnd {
                            Lanes.load(target + c).adding(Lanes.load(g + c), times: Lanes.load(source + c)).store(to: target + c)
                            c &+= laneCount
                        }
                        while c < channels { target[c] += g[c] * source[c]; c &+= 1 }
                    }
                }
            }
        }
    }
    var result = [Float](repeating: 0, count: taps * channels)
    for t in 0..<taps {
        for c in 0..<channels { result[c * taps + t] = tapMajor[t * channels + c] }
    }
    return result
}
