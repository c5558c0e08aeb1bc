import Testing
@testable import ConvNeXtKernels

@Suite struct ReductionAndLayoutTests {
    @Test func globalAveragePoolMatchesReference() {
        var random = SeededRandom(seed: 9)
        for (batch, pixels, channels) in [(1, 1, 1), (2, 49, 40), (3, 5, 17), (1, 9, 768)] {
            let input = random.floats(batch * pixels * channels)
            var fast = [Float](repeating: .nan, count: batch * channels), naive = fast
            globalAveragePool(input, batch: batch, pixels: pixels, channels: channels, output: &fast)
            NaiveKernels.globalAveragePool(input, batch: batch, pixels: pixels, channels: channels, output: &naive)
            expectClose(fast, naive, "pool \(batch)x\(pixels)x\(channels)") { _ in 1e-6 }
        }
    }

    @Test func softmaxMatchesReference() {
        var random = SeededRandom(seed: 10)
        for (rows, columns) in [(1, 1), (1, 7), (3, 10), (2, 1000), (4, 33)] {
            var fast = random.floats(rows * columns, in: -20...20)
            fast[0] = 100  // large logits must not overflow
            var naive = fast
            softmax(&fast, rows: rows, columns: columns)
            NaiveKernels.softmax(&naive, rows: rows, columns: columns)
            expectClose(fast, naive, "softmax \(rows)x\(columns)") { index in 1e-6 * (1e-3 + naive[index]) }
            for r in 0..<rows {
                let sum = fast[r * columns ..< (r + 1) * columns].reduce(0, +)
                #expect(abs(sum - 1) < 1e-5)
            }
        }
    }

    @Test func layoutConversionsMatchReferenceAndRoundTrip() {
        var random = SeededRandom(seed: 12)
        for (batch, channels, height, width) in [(1, 1, 1, 1), (2, 3, 4, 5), (1, 17, 7, 9), (2, 40, 3, 33)] {
            let input = random.floats(batch * channels * height * width)
            var last = [Float](repeating: .nan, count: input.count), naiveLast = last
            channelsFirstToLast(input, batch: batch, channels: channels, height: height, width: width, output: &last)
            NaiveKernels.channelsFirstToLast(input, batch: batch, channels: channels, height: height, width: width, output: &naiveLast)
            #expect(last == naiveLast)
            var first = [Float](repeating: .nan, count: input.count), naiveFirst = first
            channelsLastToFirst(last, batch: batch, height: height, width: width, channels: channels, output: &first)
            NaiveKernels.channelsLastToFirst(last, batch: batch, height: height, width: width, channels: channels, output: &naiveFirst)
            #expect(first == naiveFirst)
            #expect(first == input)
        }
    }
}
