import Testing
@testable import ConvNeXtKernels

@Suite struct DepthwiseConvolutionTests {
    func check(batch: Int, height: Int, width: Int, channels: Int, kernelSize: Int, withBias: Bool, pool: WorkerPool, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let input = random.floats(batch * height * width * channels)
        let weights = random.floats(channels * kernelSize * kernelSize)
        let bias = random.floats(channels)
        let filter = weights.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: channels, kernelSize: kernelSize) }
        var fast = [Float](repeating: .nan, count: input.count), naive = [Float](repeating: 0, count: input.count)
        bias.withUnsafeBufferPointer { biasPointer in
            let b = withBias ? biasPointer.baseAddress : nil
            depthwiseConvolution(input, batch: batch, height: height, width: width, filter: filter, bias: b, output: &fast, pool: pool)
            NaiveKernels.depthwiseConvolution(
                input, batch: batch, height: height, width: width, channels: channels,
                weights: weights, kernelSize: kernelSize, bias: b, output: &naive)
        }
        let taps = Float(kernelSize * kernelSize + 1)
        expectClose(fast, naive, "\(batch)x\(height)x\(width)x\(channels) k\(kernelSize) bias \(withBias)") { _ in 2e-6 * taps }
    }

    @Test(arguments: [1, 3, 5, 7])
    func imageSizes(kernelSize: Int) {
        let sizes = [(1, 1), (2, 3), (3, 2), (1, 9), (9, 1), (5, 5), (7, 7), (6, 13), (14, 11), (4, 20), (3, 28), (2, 45), (5, 56), (3, 14), (2, 17), (2, 42), (2, 31), (3, 7), (2, 27)]
        for (index, size) in sizes.enumerated() {
            for channels in [1, 3, 8, 17, 33] {
                let pool = TestPools.all[(index + channels) % 3]
                check(batch: 1 + index % 2, height: size.0, width: size.1, channels: channels, kernelSize: kernelSize,
                      withBias: index % 3 != 0, pool: pool, seed: UInt64(index * 100 + channels))
            }
        }
    }

    @Test func convNeXtLikeShape() {
        check(batch: 2, height: 12, width: 12, channels: 96, kernelSize: 7, withBias: true, pool: TestPools.two, seed: 11)
    }
}
