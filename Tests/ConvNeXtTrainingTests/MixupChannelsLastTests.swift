import ConvNeXt
import ConvNeXtTraining
import Testing

@Suite struct MixupChannelsLastTests {
    static func toChannelsLast(_ x: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let values = x.scalars
        return Tensor(shape: [n, h, w, c]) { out in
            for s in 0..<n { for ch in 0..<c { for i in 0..<(h * w) {
                out[(s * h * w + i) * c + ch] = values[(s * c + ch) * h * w + i]
            } } }
        }
    }

    @Test func matchesTheChannelsFirstMixing() {
        for (seed, mixup) in [(1, Mixup(classCount: 5, mixupAlpha: 0.8, cutmixAlpha: 0)),
                              (2, Mixup(classCount: 5, mixupAlpha: 0, cutmixAlpha: 1)),
                              (3, Mixup(classCount: 5))] as [(UInt64, Mixup)] {
            for trial in 0..<5 {
                var first = randomTensor([4, 3, 6, 7], seed: seed &* 100 &+ UInt64(trial))
                var last = Self.toChannelsLast(first)
                var g1 = SeededGenerator(seed: seed &+ UInt64(trial)), g2 = g1
                let labels = [0, 3, 4, 1]
                let a = mixup.apply(images: &first, labels: labels, using: &g1)
                let b = mixup.apply(channelsLastImages: &last, labels: labels, using: &g2)
                #expect(a.outcome == b.outcome)
                #expect(a.targets == b.targets)
                #expect(Self.toChannelsLast(first) == last)
            }
        }
    }

    @Test func acceptsOddAndEmptyBatches() {
        let mixup = Mixup(classCount: 3, mixupAlpha: 0.8, cutmixAlpha: 0)
        var images = randomTensor([3, 2, 2, 3], seed: 4)
        let middle = Array(images.scalars[12..<24])
        var generator = SeededGenerator(seed: 5)
        let result = mixup.apply(channelsLastImages: &images, labels: [0, 1, 2], using: &generator)
        let mixed = Array(images.scalars[12..<24])
        for (a, b) in zip(mixed, middle) { #expect(abs(a - b) < 1e-5) }
        #expect(result.targets.shape == [3, 3])
        var empty = Tensor(shape: [0, 2, 2, 3])
        #expect(mixup.apply(channelsLastImages: &empty, labels: [], using: &generator).targets.shape == [0, 3])
    }
}
