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
///
/// Vectorized over channels, eight output pixels per pass; kernel rows outside the image are
/// skipped. With AVX-512 a 7×7 filter keeps a row's inputs in registers and handles edges by
/// zero-filling; other builds and sizes take pixels near the left and right edges one at a
/// time. Parallel over output rows. With `normalization`, each output pixel then goes through
/// that LayerNorm while its row is still in cache (ConvNeXt's dwconv → norm).
/// `output` must not overlap `input`; no alignment needed.
public func depthwiseConvolution(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int,
    filter: DepthwiseFilter, bias: UnsafePointer<Float>?, normalization: LayerNormParameters? = nil,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard batch > 0, height > 0, width > 0, filter.channels > 0 else { return }
    filter.taps.withUnsafeBufferPointer { taps in
        let job = DepthwiseJob(
            input: input, height: height, width: width, channels: filter.channels,
            kernelSize: filter.kernelSize, taps: taps.baseAddress!, bias: bias, output: output, norm: normalization)
        pool.parallelFor(batch * height) { item in job.run(image: item / height, row: item % height) }
    }
}
