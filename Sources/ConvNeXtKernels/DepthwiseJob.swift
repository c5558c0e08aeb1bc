// The loops behind `depthwiseConvolution`: one output row per task.

/// One depthwise convolution's operands, shared read-only by its tasks.
struct DepthwiseJob {
    let input: UnsafePointer<Float>
    let height: Int, width: Int, channels: Int, kernelSize: Int
    let taps: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let output: UnsafeMutablePointer<Float>
    /// A LayerNorm applied to each output pixel while its row is in cache.
    let norm: LayerNormParameters?
    /// While computing output row r, prefetch input row r + 3 + this (its lines under each
    /// 14-pixel run) into L2 when it is in the same image; 0 for none. The fused block sets it
    /// to the rows between a thread's consecutive blocks: at batch 8 the residual stream
    /// (9.6 MB at stage 1) is not in cache, and each block's depthwise otherwise waited on
    /// memory for the rows it had not seen.
    var prefetchRowsAhead = 0

    /// Output pixels per interior pass.
    static let block = 8
    /// Output pixels per run of the 14-pixel 7×7 kernel (AVX-512).
    static let wideBlock = 14

    /// Computes output row `row` of image `image`, normalized if asked.
    func run(image: Int, row: Int) {
        convolve(image: image, row: row)
        guard let norm else { return }
        let c = channels
        let outputRow = output + ((image &* height &+ row) &* width) &* c
        normalizeRows(outputRow, outputRow, rows: width, stride: c, c, norm.weight, norm.bias, norm.epsilon)
    }

    /// Computes output row `row` of image `image`.
    private func convolve(image: Int, row: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        // Kernel rows that land inside the image.
        let firstTapRow = max(0, pad &- row), endTapRow = min(k, height &+ pad &- row)
        // Offset of column 0 of the source row under tap row 0 (negative near the top edge).
        let sourceRow = ((image &* height &+ row &- pad) &* width) &* c
        let outputRow = output + ((image &* height &+ row) &* width) &* c
        let vectorChannels = c - c % vectorLanes
        #if CONVNEXT_VECTOR16
        if k == 7 {
            let aheadRow = row &+ 3 &+ prefetchRowsAhead
            let ahead = prefetchRowsAhead > 0 && aheadRow < height ? input + ((image &* height &+ aheadRow) &* width) &* c : nil
            // Rows are cut into equal runs of at most 14 pixels (56, 28 and 14 split exactly);
            // a run of 8 or fewer takes the 8-pixel kernel.
            let runs = (width &+ DepthwiseJob.wideBlock &- 1) / DepthwiseJob.wideBlock
            let perRun = (width &+ runs &- 1) / runs
            var w = 0
            while w < width {
                let count = min(perRun, width &- w)
                var channel = 0
                if count == 7 && width == 7 {
                    while channel < vectorChannels {
                        block7Row7(channel, sourceRow, outputRow, firstTapRow, endTapRow)
                        channel &+= vectorLanes
                    }
                } else if count <= DepthwiseJob.block {
                    while channel < vectorChannels {
                        block7(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow)
                        channel &+= vectorLanes
                    }
                } else if let placement = WideRunPlacement(w: w, count: count, width: width) {
                    while channel < vectorChannels {
                        switch placement {
                        case .interior: block7Wide(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, ahead)
                        case .left: block7WideLeft(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, ahead)
                        case .right: block7WideRight(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, ahead)
                        case .both: block7WideBoth(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, ahead)
                        }
                        channel &+= vectorLanes
                    }
                } else {
                    while channel < vectorChannels {
                        block7WideEdge(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow)
                        channel &+= vectorLanes
                    }
                }
                for q in 0..<count { scalarChannels(w &+ q, sourceRow, outputRow, firstTapRow, endTapRow, from: vectorChannels) }
                w &+= count
            }
            return
        }
        #endif
        // Interior pixels: every tap column lands inside the row.
        let interiorStart = min(pad, width), interiorEnd = max(interiorStart, width &- pad)
        var w = 0
        while w < interiorStart { pixel(w, sourceRow, outputRow, firstTapRow, endTapRow, vectorChannels); w &+= 1 }
        while w &+ DepthwiseJob.block <= interiorEnd {
            var channel = 0
            while channel < vectorChannels {
                interiorBlock(w, channel, sourceRow, outputRow, firstTapRow, endTapRow)
                channel &+= vectorLanes
            }
            for q in 0..<DepthwiseJob.block { scalarChannels(w &+ q, sourceRow, outputRow, firstTapRow, endTapRow, from: vectorChannels) }
            w &+= DepthwiseJob.block
        }
        while w < width { pixel(w, sourceRow, outputRow, firstTapRow, endTapRow, vectorChannels); w &+= 1 }
    }

    /// Eight interior output pixels `w..<w+8`, channels `channel..<channel+lanes`.
    @inline(__always)
    func interiorBlock(_ w: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        var y = EightVectors(repeating: bias.map { FloatVector.load($0 + channel) } ?? FloatVector())
        for i in firstTapRow..<endTapRow {
            // Input pixel (w - pad) of the source row for tap row i.
            var x = input + (sourceRow &+ (i &* width &+ w &- pad) &* c &+ channel)
            var t = taps + (i &* k &* c &+ channel)
            for _ in 0..<k {
                y.add(
                    FloatVector.load(t), FloatVector.load(x), FloatVector.load(x + c),
                    FloatVector.load(x + 2 &* c), FloatVector.load(x + 3 &* c), FloatVector.load(x + 4 &* c),
                    FloatVector.load(x + 5 &* c), FloatVector.load(x + 6 &* c), FloatVector.load(x + 7 &* c))
                x += c
                t += c
            }
        }
        y.store(to: outputRow + (w &* c &+ channel), stride: c)
    }

    #if CONVNEXT_VECTOR16
    /// Output pixels `w..<w+count` (count ≤ 8, anywhere in the row) of a 7×7 filter, given 32
    /// vector registers: the 14 inputs under a kernel row stay in registers and each feeds up
    /// to seven multiply-adds, so a kernel row costs 21 loads instead of 63. Inputs outside
    /// the row read as zero, so edges need no separate path.
    @inline(__always)
    func block7(_ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int) {
        let c = channels, width = width
        let interior = w >= 3 && w &+ 11 <= width
        var y = EightVectors(repeating: bias.map { FloatVector.load($0 + channel) } ?? FloatVector())
        for i in firstTapRow..<endTapRow {
            let row = sourceRow &+ i &* width &* c &+ channel
            @inline(__always) func load(_ m: Int) -> FloatVector {
                let column = w &- 3 &+ m
                return interior || (column >= 0 && column < width) ? FloatVector.load(input + (row &+ column &* c)) : FloatVector()
            }
            let x0 = load(0), x1 = load(1), x2 = load(2), x3 = load(3), x4 = load(4), x5 = load(5), x6 = load(6)
            let x7 = load(7), x8 = load(8), x9 = load(9), x10 = load(10), x11 = load(11), x12 = load(12), x13 = load(13)
            let t = taps + (i &* 7 &* c &+ channel)
            y.add(FloatVector.load(t), x0, x1, x2, x3, x4, x5, x6, x7)
            y.add(FloatVector.load(t + c), x1, x2, x3, x4, x5, x6, x7, x8)
            y.add(FloatVector.load(t + 2 &* c), x2, x3, x4, x5, x6, x7, x8, x9)
            y.add(FloatVector.load(t + 3 &* c), x3, x4, x5, x6, x7, x8, x9, x10)
            y.add(FloatVector.load(t + 4 &* c), x4, x5, x6, x7, x8, x9, x10, x11)
            y.add(FloatVector.load(t + 5 &* c), x5, x6, x7, x8, x9, x10, x11, x12)
            y.add(FloatVector.load(t + 6 &* c), x6, x7, x8, x9, x10, x11, x12, x13)
        }
        y.store(to: outputRow + (w &* c &+ channel), stride: c, count: count)
    }

    /// Output pixels `w..<w+count` (count ≤ 14) of a 7×7 filter, input-stationary: a kernel
    /// row's seven taps stay in registers and each of the 20 inputs under the run is loaded
    /// once and feeds every output it touches. Fourteen independent sums (the 8-pixel kernel
    /// has eight) keep both multiply-add pipes busy through their four-cycle latency. Each
    /// sum takes its products in the same order as ``block7``, so results are identical.
    /// For runs whose 20 input columns all lie inside the row.
    func block7Wide(_ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, _ ahead: UnsafePointer<Float>?) {
        let c = channels
        wideRun(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, columns: 0..<20, ahead: ahead) { row, m in
            FloatVector.load(row + (w &- 3 &+ m) &* c)
        }
    }

    // The three edge runs of rows cut into whole 14-pixel runs (56, 28 and 14 pixels: every
    // ConvNeXt stage at 224², and most of its depthwise work): the columns outside the row
    // are known, so their multiply-adds (all by zero) are left out instead of selected.

    /// A 14-pixel run at the start of a row of at least 17 pixels (input columns 0..<3 lie
    /// left of the row).
    func block7WideLeft(_ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, _ ahead: UnsafePointer<Float>?) {
        let c = channels
        wideRun(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, columns: 3..<20, ahead: ahead) { row, m in
            FloatVector.load(row + (m &- 3) &* c)
        }
    }

    /// A 14-pixel run ending a row, starting at pixel 3 or later (input columns 17..<20 lie
    /// right of the row).
    func block7WideRight(_ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, _ ahead: UnsafePointer<Float>?) {
        let c = channels
        wideRun(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, columns: 0..<17, ahead: ahead) { row, m in
            FloatVector.load(row + (w &- 3 &+ m) &* c)
        }
    }

    /// A whole 14-pixel row (input columns 3..<17 inside).
    func block7WideBoth(_ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, _ ahead: UnsafePointer<Float>?) {
        let c = channels
        wideRun(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, columns: 3..<17, ahead: ahead) { row, m in
            FloatVector.load(row + (m &- 3) &* c)
        }
    }

    /// ``block7Wide(_:_:_:_:_:_:_:)`` for runs near an edge: input columns outside the row
    /// read as zero, without branches (an in-row column is loaded and replaced).
    func block7WideEdge(_ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int) {
        let c = channels, width = width
        wideRun(w, count, channel, sourceRow, outputRow, firstTapRow, endTapRow, columns: 0..<20, ahead: nil) { row, m in
            let column = w &- 3 &+ m
            let inside = UInt(bitPattern: column) < UInt(bitPattern: width)
            let value = FloatVector.load(row + (inside ? column : 0) &* c)
            return inside ? value : FloatVector()
        }
    }

    /// A whole 7-pixel row (ConvNeXt's last stage at 224²): input columns 3..<10 inside, seven
    /// sums.
    func block7Row7(_ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int) {
        let c = channels
        wideRun(0, 7, channel, sourceRow, outputRow, firstTapRow, endTapRow, columns: 3..<10, outputs: 7, ahead: nil) { row, m in
            FloatVector.load(row + (m &- 3) &* c)
        }
    }

    /// The body of the 14-pixel kernels; `load(row, m)` reads input column m (0..<20, pixel
    /// `w − 3 + m`) of a source row starting at `row` (this channel vector, column 0), for the
    /// m in `columns` (a constant: the others are zero and skipped), into the first `outputs`
    /// (a constant) of its 14 sums.
    @_transparent
    func wideRun(
        _ w: Int, _ count: Int, _ channel: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>,
        _ firstTapRow: Int, _ endTapRow: Int, columns: Range<Int>, outputs: Int = 14, ahead: UnsafePointer<Float>?,
        load: (UnsafePointer<Float>, Int) -> FloatVector
    ) {
        let c = channels, width = width
        var y = FourteenVectors(repeating: bias.map { FloatVector.load($0 + channel) } ?? FloatVector())
        for i in firstTapRow..<endTapRow {
            let row = input + (sourceRow &+ i &* width &* c &+ channel)
            let t = taps + (i &* 7 &* c &+ channel)
            let taps = SevenTaps(
                FloatVector.load(t), FloatVector.load(t + c), FloatVector.load(t + 2 &* c), FloatVector.load(t + 3 &* c),
                FloatVector.load(t + 4 &* c), FloatVector.load(t + 5 &* c), FloatVector.load(t + 6 &* c))
            if columns.contains(0) { y.feed(load(row, 0), column: 0, taps, outputs: outputs) }
            if columns.contains(1) { y.feed(load(row, 1), column: 1, taps, outputs: outputs) }
            if columns.contains(2) { y.feed(load(row, 2), column: 2, taps, outputs: outputs) }
            if columns.contains(3) { y.feed(load(row, 3), column: 3, taps, outputs: outputs) }
            if columns.contains(4) { y.feed(load(row, 4), column: 4, taps, outputs: outputs) }
            if columns.contains(5) { y.feed(load(row, 5), column: 5, taps, outputs: outputs) }
            if columns.contains(6) { y.feed(load(row, 6), column: 6, taps, outputs: outputs) }
            if columns.contains(7) { y.feed(load(row, 7), column: 7, taps, outputs: outputs) }
            if columns.contains(8) { y.feed(load(row, 8), column: 8, taps, outputs: outputs) }
            if columns.contains(9) { y.feed(load(row, 9), column: 9, taps, outputs: outputs) }
            if columns.contains(10) { y.feed(load(row, 10), column: 10, taps, outputs: outputs) }
            if columns.contains(11) { y.feed(load(row, 11), column: 11, taps, outputs: outputs) }
            if columns.contains(12) { y.feed(load(row, 12), column: 12, taps, outputs: outputs) }
            if columns.contains(13) { y.feed(load(row, 13), column: 13, taps, outputs: outputs) }
            if columns.contains(14) { y.feed(load(row, 14), column: 14, taps, outputs: outputs) }
            if columns.contains(15) { y.feed(load(row, 15), column: 15, taps, outputs: outputs) }
            if columns.contains(16) { y.feed(load(row, 16), column: 16, taps, outputs: outputs) }
            if columns.contains(17) { y.feed(load(row, 17), column: 17, taps, outputs: outputs) }
            if columns.contains(18) { y.feed(load(row, 18), column: 18, taps, outputs: outputs) }
            if columns.contains(19) { y.feed(load(row, 19), column: 19, taps, outputs: outputs) }
        }
        y.store(to: outputRow + (w &* c &+ channel), stride: c, count: count)
        if let ahead {
            let first = ahead + ((w &- 3) &* c &+ channel)
            for m in columns { prefetchToL2(first + m &* c) }
        }
    }
    #endif

    /// One output pixel, any position: only the taps that land inside the image.
    @inline(__always)
    func pixel(_ w: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, _ vectorChannels: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        let firstTap = max(0, pad &- w), endTap = min(k, width &+ pad &- w)
        // Four channel vectors at a time: independent sums hide the multiply-add latency.
        var channel = 0
        while channel &+ 4 &* vectorLanes <= vectorChannels {
            let lanes = vectorLanes
            var s0 = FloatVector(), s1 = FloatVector(), s2 = FloatVector(), s3 = FloatVector()
            if let bias {
                s0 = FloatVector.load(bias + channel); s1 = FloatVector.load(bias + (channel &+ lanes))
                s2 = FloatVector.load(bias + (channel &+ 2 &* lanes)); s3 = FloatVector.load(bias + (channel &+ 3 &* lanes))
            }
            for i in firstTapRow..<endTapRow {
                let x = input + (sourceRow &+ (i &* width &+ w &- pad) &* c &+ channel)
                let t = taps + (i &* k &* c &+ channel)
                for j in firstTap..<endTap {
                    let xj = x + j &* c, tj = t + j &* c
                    s0 = multiplyAdd(FloatVector.load(tj), FloatVector.load(xj), s0)
                    s1 = multiplyAdd(FloatVector.load(tj + lanes), FloatVector.load(xj + lanes), s1)
                    s2 = multiplyAdd(FloatVector.load(tj + 2 &* lanes), FloatVector.load(xj + 2 &* lanes), s2)
                    s3 = multiplyAdd(FloatVector.load(tj + 3 &* lanes), FloatVector.load(xj + 3 &* lanes), s3)
                }
            }
            let y = outputRow + (w &* c &+ channel)
            s0.store(to: y); s1.store(to: y + lanes); s2.store(to: y + 2 &* lanes); s3.store(to: y + 3 &* lanes)
            channel &+= 4 &* vectorLanes
        }
        while channel < vectorChannels {
            var sum = bias.map { FloatVector.load($0 + channel) } ?? FloatVector()
            for i in firstTapRow..<endTapRow {
                let x = input + (sourceRow &+ (i &* width &+ w &- pad) &* c &+ channel)
                let t = taps + (i &* k &* c &+ channel)
                for j in firstTap..<endTap {
                    sum = multiplyAdd(FloatVector.load(t + j &* c), FloatVector.load(x + j &* c), sum)
                }
            }
            sum.store(to: outputRow + (w &* c &+ channel))
            channel &+= vectorLanes
        }
        scalarChannels(w, sourceRow, outputRow, firstTapRow, endTapRow, from: vectorChannels)
    }

    /// Channels `from..<channels` of one output pixel, one at a time (the remainder after
    /// whole vectors).
    @inline(__always)
    func scalarChannels(_ w: Int, _ sourceRow: Int, _ outputRow: UnsafeMutablePointer<Float>, _ firstTapRow: Int, _ endTapRow: Int, from: Int) {
        let c = channels, k = kernelSize, pad = k / 2
        guard from < c else { return }
        let firstTap = max(0, pad &- w), endTap = min(k, width &+ pad &- w)
        for channel in from..<c {
            var sum = bias?[channel] ?? 0
            for i in firstTapRow..<endTapRow {
                let x = input + (sourceRow &+ (i &* width &+ w &- pad) &* c &+ channel)
                let t = taps + (i &* k &* c &+ channel)
                for j in firstTap..<endTap { sum += t[j &* c] * x[j &* c] }
            }
            outputRow[w &* c &+ channel] = sum
        }
    }
}

#if CONVNEXT_VECTOR16
/// Where a run of the 14-pixel 7×7 kernel lies in its row, when the input columns outside
/// the row are a fixed set: none (all 20 inside), or a whole run at the row's start, its end,
/// or both.
enum WideRunPlacement {
    case interior, left, right, both

    /// The placement of the run of `count` pixels from `w` in a row of `width`; nil for a run
    /// whose outside columns vary (a short run at an edge).
    init?(w: Int, count: Int, width: Int) {
        if w >= 3 && w + DepthwiseJob.wideBlock + 3 <= width { self = .interior; return }
        guard count == DepthwiseJob.wideBlock else { return nil }
        switch (w == 0, w + count == width) {
        case (true, true): self = .both
        case (true, false) where width >= count + 3: self = .left
        case (false, true) where w >= 3: self = .right
        default: return nil
        }
    }
}
#endif

/// Eight vector accumulators, one per output pixel of a block.
struct EightVectors {
    var y0, y1, y2, y3, y4, y5, y6, y7: FloatVector

    @inline(__always)
    init(repeating value: FloatVector) {
        (y0, y1, y2, y3, y4, y5, y6, y7) = (value, value, value, value, value, value, value, value)
    }

    /// `yq += weight · xq` for each pixel q.
    @inline(__always)
    mutating func add(
        _ weight: FloatVector, _ x0: FloatVector, _ x1: FloatVector, _ x2: FloatVector, _ x3: FloatVector,
        _ x4: FloatVector, _ x5: FloatVector, _ x6: FloatVector, _ x7: FloatVector
    ) {
        y0 = multiplyAdd(weight, x0, y0); y1 = multiplyAdd(weight, x1, y1)
        y2 = multiplyAdd(weight, x2, y2); y3 = multiplyAdd(weight, x3, y3)
        y4 = multiplyAdd(weight, x4, y4); y5 = multiplyAdd(weight, x5, y5)
        y6 = multiplyAdd(weight, x6, y6); y7 = multiplyAdd(weight, x7, y7)
    }

    /// Stores pixel q < count at `pointer + q·stride`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
        if count == 8 { store(to: pointer, stride: stride); return }
        y0.store(to: pointer)
        if count > 1 { y1.store(to: pointer + stride) }
        if count > 2 { y2.store(to: pointer + 2 &* stride) }
        if count > 3 { y3.store(to: pointer + 3 &* stride) }
        if count > 4 { y4.store(to: pointer + 4 &* stride) }
        if count > 5 { y5.store(to: pointer + 5 &* stride) }
        if count > 6 { y6.store(to: pointer + 6 &* stride) }
    }

    /// Stores pixel q at `pointer + q·stride`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>, stride: Int) {
        y0.store(to: pointer); y1.store(to: pointer + stride)
        y2.store(to: pointer + 2 &* stride); y3.store(to: pointer + 3 &* stride)
        y4.store(to: pointer + 4 &* stride); y5.store(to: pointer + 5 &* stride)
        y6.store(to: pointer + 6 &* stride); y7.store(to: pointer + 7 &* stride)
    }
}
