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
/// layout. Parallel over image rows (per-thread partial sums, added in a fixed order). Per
/// output row and tap, each vector of channels is summed along the row in a register, so the
/// inner loop loads two vectors per multiply-add and stores nothing.
func depthwiseWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    batch: Int, height: Int, width: Int, channels: Int, kernelSize k: Int, pool: WorkerPool
) -> [Float] {
    let pad = k / 2, taps = k * k
    let vectorEnd = channels - channels % laneCount
    let tapMajor = reduceRows(batch * height, width: taps * channels, pool: pool, minimumRows: 4) { rows, accumulator in
        for item in rows {
            let n = item / height, h = item % height
            let g = dy + (n &* height &+ h) &* width &* channels
            for i in 0..<k {
                let sh = h &+ i &- pad
                guard sh >= 0, sh < height else { continue }
                let source = x + (n &* height &+ sh) &* width &* channels
                for j in 0..<k {
                    // Output columns w whose input column w + j − pad is inside the row.
                    let first = max(0, pad &- j), last = min(width, width &+ pad &- j)
                    guard first < last else { continue }
                    let shift = (j &- pad) &* channels
                    let target = accumulator + (i &* k &+ j) &* channels
                    var c = 0
                    while c < vectorEnd {
                        // Four independent sums hide the multiply-add latency.
                        var s0 = Lanes(), s1 = Lanes(), s2 = Lanes(), s3 = Lanes()
                        var w = first
                        let stride = channels
                        while w &+ 4 <= last {
                            let o = w &* channels &+ c
                            s0 = s0.adding(Lanes.load(g + o), times: Lanes.load(source + (o &+ shift)))
                            s1 = s1.adding(Lanes.load(g + (o &+ stride)), times: Lanes.load(source + (o &+ stride &+ shift)))
                            s2 = s2.adding(Lanes.load(g + (o &+ 2 &* stride)), times: Lanes.load(source + (o &+ 2 &* stride &+ shift)))
                            s3 = s3.adding(Lanes.load(g + (o &+ 3 &* stride)), times: Lanes.load(source + (o &+ 3 &* stride &+ shift)))
                            w &+= 4
                        }
                        while w < last {
                            let o = w &* channels &+ c
                            s0 = s0.adding(Lanes.load(g + o), times: Lanes.load(source + (o &+ shift)))
                            w &+= 1
                        }
                        (Lanes.load(target + c) + ((s0 + s1) + (s2 + s3))).store(to: target + c)
                        c &+= laneCount
                    }
                    while c < channels {
                        var sum: Float = 0
                        for w in first..<last { sum += g[w &* channels &+ c] * source[w &* channels &+ c &+ shift] }
                        target[c] += sum
                        c &+= 1
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
