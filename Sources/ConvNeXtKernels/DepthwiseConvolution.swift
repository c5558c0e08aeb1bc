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
/// Vectorized over channels, eight output pixels per pass in the interior (one weight load
/// feeds eight multiply-adds), pixel by pixel near the left and right edges; rows outside the
/// image are skipped. Parallel over output rows. `output` must not overlap `input`.
public func depthwiseConvolution(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int,
    filter: DepthwiseFilter, bias: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard batch > 0, height > 0, width > 0, filter.channels > 0 else { return }
    filter.taps.withUnsafeBufferPointer { taps in
        let job = DepthwiseJob(
            input: input, height: height, width: width, channels: filter.channels,
            kernelSize: filter.kernelSize, taps: taps.baseAddress!, bias: bias, output: output)
        pool.parallelFor(batch * height) { item in job.run(image: item / height, row: item % height) }
    }
}

/// One depthwise convolution's operands, shared read-only by its tasks.
struct DepthwiseJob {
    let input: UnsafePointer<Float>
    let height: Int, width: Int, channels: Int, kernelSize: Int
    let taps: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let output: UnsafeMutablePointer<Float>

    /// Output pixels per interior pass.
    static let block = 8

    /// Computes output row `row` of image `image`.
    func run(image: Int, row: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        // Kernel rows that land inside the image.
        let firstTapRow = max(0, pad &- row), endTapRow = min(k, height &+ pad &- row)
        // Offset of column 0 in the source row of tap row 0 (negative near the top edge).
        let inputRow0 = ((image &* height &+ row &- pad) &* width) &* c
        let outputRow = output + ((image &* height &+ row) &* width) &* c
        let vectorChannels = c - c % vectorLanes
        // Interior pixels: every tap column lands inside the row.
        let interiorStart = min(pad, width), interiorEnd = max(interiorStart, width &- pad)
        var w = 0
        while w < interiorStart { pixel(w, inputRow0, outputRow, firstTapRow, endTapRow, vectorChannels); w &+= 1 }
        while w &+ DepthwiseJob.block <= interiorEnd {
            var channel = 0
            while channel < vectorChannels {
                interiorBlock(w, channel, inputRow0, outputRow, firstTapRow, endTapRow)
                channel &+= vectorLanes
            }
            for q in 0..<DepthwiseJob.block { scalarChannels(w &+ q, inputRow0, outputRow, firstTapRow, endTapRow, from: vectorChannels) }
            w &+= DepthwiseJob.block
        }
        while w < width { pixel(w, inputRow0, outputRow, firstTapRow, endTapRow, vectorChannels); w &+= 1 }
    }

    /// Eight interior output pixels `w..<w+8`, channels `channel..<channel+lanes`.
    @inline(__always)
    func interiorBlock(_ w: Int, _ channel: Int, _ inputRow0: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        let start = bias.map { FloatVector.load($0 + channel) } ?? FloatVector()
        var y0 = start, y1 = start, y2 = start, y3 = start, y4 = start, y5 = start, y6 = start, y7 = start
        for i in firstTapRow..<endTapRow {
            // Input pixel (w - pad) of the source row for tap row i.
            var x = input + (inputRow0 &+ (i &* width &+ w &- pad) &* c &+ channel)
            var t = taps + (i &* k &* c &+ channel)
            for _ in 0..<k {
                let weight = FloatVector.load(t)
                y0 = multiplyAdd(weight, FloatVector.load(x), y0)
                y1 = multiplyAdd(weight, FloatVector.load(x + c), y1)
                y2 = multiplyAdd(weight, FloatVector.load(x + 2 &* c), y2)
                y3 = multiplyAdd(weight, FloatVector.load(x + 3 &* c), y3)
                y4 = multiplyAdd(weight, FloatVector.load(x + 4 &* c), y4)
                y5 = multiplyAdd(weight, FloatVector.load(x + 5 &* c), y5)
                y6 = multiplyAdd(weight, FloatVector.load(x + 6 &* c), y6)
                y7 = multiplyAdd(weight, FloatVector.load(x + 7 &* c), y7)
                x += c
                t += c
            }
        }
        let y = outputRow + (w &* c &+ channel)
        y0.store(to: y); y1.store(to: y + c); y2.store(to: y + 2 &* c); y3.store(to: y + 3 &* c)
        y4.store(to: y + 4 &* c); y5.store(to: y + 5 &* c); y6.store(to: y + 6 &* c); y7.store(to: y + 7 &* c)
    }

    /// One output pixel, any position: only the taps that land inside the image.
    @inline(__always)
    func pixel(_ w: Int, _ inputRow0: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, _ vectorChannels: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        let firstTap = max(0, pad &- w), endTap = min(k, width &+ pad &- w)
        var channel = 0
        while channel < vectorChannels {
            var sum = bias.map { FloatVector.load($0 + channel) } ?? FloatVector()
            for i in firstTapRow..<endTapRow {
                let x = input + (inputRow0 &+ (i &* width &+ w &- pad) &* c &+ channel)
                let t = taps + (i &* k &* c &+ channel)
                for j in firstTap..<endTap {
                    sum = multiplyAdd(FloatVector.load(t + j &* c), FloatVector.load(x + j &* c), sum)
                }
            }
            sum.store(to: outputRow + (w &* c &+ channel))
            channel &+= vectorLanes
        }
        scalarChannels(w, inputRow0, outputRow, firstTapRow, endTapRow, from: vectorChannels)
    }

    /// Channels `from..<channels` of one output pixel, one at a time (the remainder after
    /// whole vectors).
    @inline(__always)
    func scalarChannels(_ w: Int, _ inputRow0: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, from: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        guard from < c else { return }
        let firstTap = max(0, pad &- w), endTap = min(k, width &+ pad &- w)
        for channel in from..<c {
            var sum = bias?[channel] ?? 0
            for i in firstTapRow..<endTapRow {
                let x = input + (inputRow0 &+ (i &* width &+ w &- pad) &* c &+ channel)
                let t = taps + (i &* k &* c &+ channel)
                for j in firstTap..<endTap { sum += t[j &* c] * x[j &* c] }
            }
            outputRow[w &* c &+ channel] = sum
        }
    }
}
