import Testing
@testable import ConvNeXtKernels

/// The fused kernels of the inference plan against compositions of the naive ones.
@Suite struct FusedKernelTests {
    /// Row-blocked and column-split MLPs, odd sizes, with and without layer scale.
    @Test(arguments: [(1, 5, 7, 5), (13, 9, 37, 9), (60, 17, 45, 19), (130, 19, 70, 23), (200, 33, 64, 31), (341, 8, 33, 16)])
    func pointwiseMLPMatchesNaive(shape: (Int, Int, Int, Int)) {
        let (rows, c, hidden, outputs) = shape
        for (index, pool) in TestPools.all.enumerated() {
            var random = SeededRandom(seed: UInt64(rows * 10 + index))
            let input = random.floats(rows * c), w1 = random.floats(hidden * c), b1 = random.floats(hidden)
            let w2 = random.floats(outputs * hidden), b2 = random.floats(outputs), scale = random.floats(outputs)
            let residual = random.floats(rows * outputs)
            let expand = w1.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: hidden, inputCount: c) }
            let project = w2.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: outputs, inputCount: hidden) }
            let schedule = PointwiseMLPSchedule(rows: rows, hiddenCount: hidden, threads: pool.threadCount)
            var scratch = [Float](repeating: .nan, count: schedule.scratchCount)
            for scaled in [true, false] {
                var fast = residual, naive = residual
                var middle = [Float](repeating: 0, count: rows * hidden)
                scale.withUnsafeBufferPointer { s in
                    let layerScale = scaled ? s.baseAddress : nil
                    pointwiseMLP(input, rows: rows, expand: expand, expandBias: b1, activation: .gelu, project: project,
                                 projectBias: b2, layerScale: layerScale, output: &fast, scratch: &scratch, pool: pool)
                    NaiveKernels.matrixMultiply(input, rows: rows, weights: w1, outputCount: hidden, inputCount: c,
                                                bias: b1, output: &middle, epilogue: .activate(.gelu))
                    NaiveKernels.matrixMultiply(middle, rows: rows, weights: w2, outputCount: outputs, inputCount: hidden,
                                                bias: b2, output: &naive, epilogue: .addScaled(layerScale))
                }
                expectClose(fast, naive, "MLP \(shape) threads \(pool.threadCount) scaled \(scaled)") { _ in 2e-6 * Float(c + hidden) }
            }
        }
    }

    /// A whole block in one region gives bit for bit what its steps give one by one: several
    /// image rows per block, blocks crossing images, widths that split tiles, deep hidden
    /// layers (chunked projection), too few pixels to share (fused on one thread only), with and
    /// without layer scale, on 1–3 threads.
    @Test(arguments: [(1, 16, 16, 8, 32), (2, 9, 13, 17, 68), (3, 8, 7, 33, 132), (1, 14, 14, 48, 1536), (2, 7, 7, 24, 3072), (1, 5, 6, 8, 32)])
    func convNeXtBlockMatchesItsSteps(shape: (Int, Int, Int, Int, Int)) throws {
        let (batch, height, width, c, hidden) = shape
        var random = SeededRandom(seed: UInt64(c * 31 + hidden))
        let pixels = batch * height * width
        let input = random.floats(pixels * c), taps = random.floats(c * 49), tapBias = random.floats(c)
        let gamma = random.floats(c), beta = random.floats(c)
        let w1 = random.floats(hidden * c), b1 = random.floats(hidden), w2 = random.floats(c * hidden), b2 = random.floats(c)
        let scale = random.floats(c)
        let filter = taps.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: c, kernelSize: 7) }
        let expand = w1.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: hidden, inputCount: c) }
        let project = w2.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: c, inputCount: hidden) }
        var fusedAtLeastOnce = false
        for pool in TestPools.all {
            guard let schedule = FusedBlockSchedule(batch: batch, height: height, width: width, channels: c, hiddenCount: hidden, threads: pool.threadCount) else { continue }
            fusedAtLeastOnce = true
            let stepSchedule = PointwiseMLPSchedule(rows: pixels, hiddenCount: hidden, threads: pool.threadCount)
            for scaled in [true, false] {
                var fused = [Float](repeating: .nan, count: input.count), stepwise = input
                var normalized = [Float](repeating: .nan, count: input.count)
                var scratch = [Float](repeating: .nan, count: max(schedule.scratchCount, stepSchedule.scratchCount))
                gamma.withUnsafeBufferPointer { g in
                    beta.withUnsafeBufferPointer { b in
                        scale.withUnsafeBufferPointer { s in
                            let norm = LayerNormParameters(weight: g.baseAddress!, bias: b.baseAddress!, epsilon: 1e-6)
                            let layerScale = scaled ? s.baseAddress : nil
                            convNeXtBlock(input, batch: batch, height: height, width: width, filter: filter, depthwiseBias: tapBias,
                                          normalization: norm, expand: expand, expandBias: b1, activation: .gelu, project: project,
                                          projectBias: b2, layerScale: layerScale, output: &fused, scratch: &scratch,
                                          schedule: schedule, pool: pool)
                            depthwiseConvolution(input, batch: batch, height: height, width: width, filter: filter, bias: tapBias,
                                                 normalization: norm, output: &normalized, pool: pool)
                            pointwiseMLP(normalized, rows: pixels, expand: expand, expandBias: b1, activation: .gelu, project: project,
                                         projectBias: b2, layerScale: layerScale, output: &stepwise, scratch: &scratch, pool: pool)
                        }
                    }
                }
                #expect(fused == stepwise, "block \(shape) threads \(pool.threadCount) scaled \(scaled) (schedule \(schedule))")
            }
        }
        #expect(fusedAtLeastOnce)
    }

    /// The fused schedule takes whole image rows, balances threads and declines when rows are
    /// too few to share.
    @Test func fusedScheduleCutsWholeRows() throws {
        // ConvNeXt-T at 224, 2 threads, batch 1: stages 1–3 fuse, stage 4 (49 pixels) does not.
        let stage1 = try #require(FusedBlockSchedule(batch: 1, height: 56, width: 56, channels: 96, hiddenCount: 384, threads: 2))
        #expect(stage1.imageRows == 2 && stage1.blocks == 28 && stage1.tasks == 2)
        let stage2 = try #require(FusedBlockSchedule(batch: 1, height: 28, width: 28, channels: 192, hiddenCount: 768, threads: 2))
        #expect(stage2.blocks % 2 == 0 && stage2.blockPixels <= 112)
        let stage3 = try #require(FusedBlockSchedule(batch: 1, height: 14, width: 14, channels: 384, hiddenCount: 1536, threads: 2))
        #expect(stage3.imageRows == 7 && stage3.blocks == 2)
        #expect(FusedBlockSchedule(batch: 1, height: 7, width: 7, channels: 768, hiddenCount: 3072, threads: 2) == nil)
        // One thread (an image stream) fuses however few pixels there are.
        let alone = try #require(FusedBlockSchedule(batch: 1, height: 7, width: 7, channels: 768, hiddenCount: 3072, threads: 1))
        #expect(alone.imageRows == 7 && alone.blocks == 1 && alone.tasks == 1)
        #expect(FusedBlockSchedule(batch: 1, height: 1, width: 1, channels: 8, hiddenCount: 32, threads: 1)?.blocks == 1)
        let batched = try #require(FusedBlockSchedule(batch: 8, height: 7, width: 7, channels: 768, hiddenCount: 3072, threads: 2))
        #expect(batched.imageRows * 7 * 3072 * 4 <= 640 * 1024 && batched.blocks % 2 == 0)
        #expect(batched.scratchCount == batched.tasks * batched.blockPixels * (768 + 3072))
    }

    /// Depthwise convolution with the per-pixel LayerNorm fused in.
    @Test(arguments: [(1, 5, 6, 7, 3), (2, 9, 11, 17, 7), (1, 14, 14, 96, 7), (3, 4, 3, 33, 5)])
    func depthwiseWithNormMatchesNaive(shape: (Int, Int, Int, Int, Int)) {
        let (batch, height, width, channels, k) = shape
        var random = SeededRandom(seed: UInt64(channels))
        let input = random.floats(batch * height * width * channels), weights = random.floats(channels * k * k)
        let bias = random.floats(channels), gamma = random.floats(channels), beta = random.floats(channels)
        let filter = weights.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: channels, kernelSize: k) }
        for pool in TestPools.all {
            var fast = [Float](repeating: .nan, count: input.count), naive = [Float](repeating: 0, count: input.count)
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in
                    let norm = LayerNormParameters(weight: g.baseAddress!, bias: b.baseAddress!, epsilon: 1e-6)
                    depthwiseConvolution(input, batch: batch, height: height, width: width, filter: filter, bias: bias,
                                         normalization: norm, output: &fast, pool: pool)
                }
            }
            NaiveKernels.depthwiseConvolution(input, batch: batch, height: height, width: width, channels: channels,
                                              weights: weights, kernelSize: k, bias: bias, output: &naive)
            let convolved = naive
            NaiveKernels.layerNorm(convolved, output: &naive, rows: batch * height * width, channels: channels,
                                   weight: gamma, bias: beta, epsilon: 1e-6)
            expectClose(fast, naive, "dw+norm \(shape) threads \(pool.threadCount)") { _ in 2e-5 }
        }
    }

    /// Downsampling patches with the LayerNorm applied while gathering; odd sizes floor.
    @Test func normalizedPatchesMatchNaive() {
        let (batch, height, width, channels, p) = (2, 7, 9, 19, 2)
        var random = SeededRandom(seed: 5)
        let input = random.floats(batch * height * width * channels)
        let gamma = random.floats(channels), beta = random.floats(channels)
        var normalized = [Float](repeating: 0, count: input.count)
        NaiveKernels.layerNorm(input, output: &normalized, rows: batch * height * width, channels: channels,
                               weight: gamma, bias: beta, epsilon: 1e-6)
        let count = batch * (height / p) * (width / p) * p * p * channels
        var expected = [Float](repeating: 0, count: count)
        extractPatches(normalized, batch: batch, height: height, width: width, channels: channels, patchSize: p, output: &expected, pool: TestPools.one)
        for pool in TestPools.all {
            var fast = [Float](repeating: .nan, count: count)
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in
                    extractNormalizedPatches(input, batch: batch, height: height, width: width, channels: channels, patchSize: p,
                                             normalization: LayerNormParameters(weight: g.baseAddress!, bias: b.baseAddress!, epsilon: 1e-6),
                                             output: &fast, pool: pool)
                }
            }
            expectClose(fast, expected, "normalized patches threads \(pool.threadCount)") { _ in 1e-5 }
        }
    }

    /// Stem patches from either layout, in (channel, row, column) order.
    @Test func gatheredPatchesMatchBothLayouts() {
        let (batch, channels, height, width, p) = (2, 3, 9, 10, 4)
        var random = SeededRandom(seed: 9)
        let nchw = random.floats(batch * channels * height * width)
        var nhwc = [Float](repeating: 0, count: nchw.count)
        NaiveKernels.channelsFirstToLast(nchw, batch: batch, channels: channels, height: height, width: width, output: &nhwc)
        let (oh, ow) = (height / p, width / p)
        var expected = [Float]()
        for n in 0..<batch {
            for y in 0..<oh {
                for x in 0..<ow {
                    for c in 0..<channels {
                        for i in 0..<p {
                            for j in 0..<p { expected.append(nchw[((n * channels + c) * height + y * p + i) * width + x * p + j]) }
                        }
                    }
                }
            }
        }
        for pool in TestPools.all {
            var first = [Float](repeating: .nan, count: expected.count), last = first
            gatherPatches(nchw, batch: batch, height: height, width: width, channels: channels,
                          imageStride: channels * height * width, channelStride: height * width, rowStride: width, pixelStride: 1,
                          patchSize: p, output: &first, pool: pool)
            gatherPatches(nhwc, batch: batch, height: height, width: width, channels: channels,
                          imageStride: height * width * channels, channelStride: 1, rowStride: width * channels, pixelStride: channels,
                          patchSize: p, output: &last, pool: pool)
            #expect(first == expected)
            #expect(last == expected)
        }
    }
}
