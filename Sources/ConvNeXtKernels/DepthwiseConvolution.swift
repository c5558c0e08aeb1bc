/// The weights of a depthwise convolution (`groups == channels`), given in PyTorch's
/// `[channels, 1, k, k]` layout and stored tap-major (`[k, k, channels]`) so the channels-last
/// kernel reads contiguous channel vectors.
public struct DepthwiseFilter: Sendable {
    public let channels: Int
    /// The side of the square kernel (odd); padding is `kernelSize / 2`, stride 1.
    public let kernelSize: Int
    @usableFromInline let taps: Tensor

    public init(weights: UnsafeBufferPointer<Float>, channels: Int, kernelSize: Int) {
        precondition(weights.count == channels * kernelSize * kernelSize, "depthwise weights hold \(weights.count) values")
        precondition(kernelSize % 2 == 1, "depthwise kernel size must be odd")
        self.channels = channels
        self.kernelSize = kernelSize
        let taps = kernelSize * kernelSize
        self.taps = Tensor(shape: [kernelSize, kernelSize, channels]) { destination in
            for c in 0..<channels {
                for t in 0..<taps { destination[t * channels + c] = weights[c * taps + t] }
            }
        }
    }
}

/// Channels-last depthwise convolution, stride 1, zero padding `kernelSize / 2` (same size out):
/// `output[n, h, w, c] = bias[c] + Σ filter[c, i, j] · input[n, h+i-p, w+j-p, c]`.
public func depthwiseConvolution(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int,
    filter: DepthwiseFilter, bias: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let c = filter.channels, k = filter.kernelSize, pad = k / 2
    filter.taps.withUnsafeBufferPointer { taps in
        let f = taps.baseAddress!
        pool.parallelFor(batch * height) { item in
            let n = item / height, h = item % height
            for w in 0..<width {
                let y = output + ((n * height + h) * width + w) * c
                for ch in 0..<c { y[ch] = bias?[ch] ?? 0 }
                for i in 0..<k {
                    let sh = h + i - pad
                    if sh < 0 || sh >= height { continue }
                    for j in 0..<k {
                        let sw = w + j - pad
                        if sw < 0 || sw >= width { continue }
                        let x = input + ((n * height + sh) * width + sw) * c
                        let t = f + (i * k + j) * c
                        for ch in 0..<c { y[ch] += t[ch] * x[ch] }
                    }
                }
            }
        }
    }
}
