import Testing
@testable import ConvNeXtKernels

@Suite struct NormalizationTests {
    @Test(arguments: [1, 2, 3, 7, 16, 17, 33, 96, 101])
    func layerNormMatchesReference(channels: Int) {
        var random = SeededRandom(seed: UInt64(channels))
        for (index, rows) in [1, 2, 5, 40, 300].enumerated() {
            // An offset mean checks the two-pass variance.
            let input = random.floats(rows * channels, in: 2...4)
            let weight = random.floats(channels), bias = random.floats(channels)
            var fast = [Float](repeating: .nan, count: input.count), naive = fast
            let pool = TestPools.all[index % 3]
            layerNorm(input, output: &fast, rows: rows, channels: channels, weight: weight, bias: bias, epsilon: 1e-6, pool: pool)
            NaiveKernels.layerNorm(input, output: &naive, rows: rows, channels: channels, weight: weight, bias: bias, epsilon: 1e-6)
            expectClose(fast, naive, "layerNorm \(rows)x\(channels)") { _ in 2e-5 }
            // In place.
            var inPlace = input
            inPlace.withUnsafeMutableBufferPointer { buffer in
                layerNorm(buffer.baseAddress!, output: buffer.baseAddress!, rows: rows, channels: channels,
                          weight: weight, bias: bias, epsilon: 1e-6, pool: pool)
            }
            #expect(inPlace == fast)
        }
    }

    /// Rows taken four at a time must give exactly what one row at a time gives (the fused
    /// kernels and the plain LayerNorm are compared for equality elsewhere), in place or not,
    /// for row counts that leave every remainder.
    @Test(arguments: [16, 32, 48, 96, 768])
    func fourRowsMatchOneRowExactly(channels: Int) {
        var random = SeededRandom(seed: UInt64(channels) + 100)
        for rows in [1, 3, 4, 5, 8, 11] {
            let input = random.floats(rows * channels, in: -3...5)
            let weight = random.floats(channels), bias = random.floats(channels)
            var single = [Float](repeating: .nan, count: input.count), batched = single
            input.withUnsafeBufferPointer { x in
                single.withUnsafeMutableBufferPointer { y in
                    for row in 0..<rows {
                        normalizeRow(x.baseAddress! + row * channels, y.baseAddress! + row * channels, channels, weight, bias, 1e-6)
                    }
                }
                normalizeRows(x.baseAddress!, &batched, rows: rows, stride: channels, channels, weight, bias, 1e-6)
            }
            #expect(batched == single, "\(rows)x\(channels)")
            var inPlace = input
            inPlace.withUnsafeMutableBufferPointer { buffer in
                normalizeRows(buffer.baseAddress!, buffer.baseAddress!, rows: rows, stride: channels, channels, weight, bias, 1e-6)
            }
            #expect(inPlace == single, "in place \(rows)x\(channels)")
        }
    }

    @Test func layerNormOfConstantRowIsBias() {
        let input = [Float](repeating: 3, count: 2 * 19), weight = [Float](repeating: 2, count: 19)
        let bias = (0..<19).map(Float.init)
        var output = [Float](repeating: .nan, count: input.count)
        layerNorm(input, output: &output, rows: 2, channels: 19, weight: weight, bias: bias, epsilon: 1e-12, pool: TestPools.two)
        #expect(output == bias + bias)
    }

    @Test func globalResponseNormMatchesReference() {
        var random = SeededRandom(seed: 5)
        for (batch, pixels, channels) in [(1, 1, 1), (2, 3, 5), (1, 49, 40), (3, 4, 19)] {
            let input = random.floats(batch * pixels * channels)
            let weight = random.floats(channels), bias = random.floats(channels)
            var fast = input, naive = input
            globalResponseNorm(&fast, batch: batch, pixels: pixels, channels: channels, weight: weight, bias: bias)
            NaiveKernels.globalResponseNorm(&naive, batch: batch, pixels: pixels, channels: channels, weight: weight, bias: bias)
            expectClose(fast, naive, "GRN \(batch)x\(pixels)x\(channels)") { index in 1e-5 * (1 + abs(naive[index])) }
        }
    }
}
