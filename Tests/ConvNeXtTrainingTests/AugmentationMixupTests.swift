import ConvNeXt
import ConvNeXtTraining
import Testing

@Suite struct AugmentationMixupTests {
    func batch(_ n: Int, _ h: Int, _ w: Int) -> Tensor {
        Tensor(shape: [n, 3, h, w], scalars: (0..<(n * 3 * h * w)).map { Float($0 / (3 * h * w)) })
    }

    @Test func targetsAreSmoothedAndSumToOne() {
        let mixup = Mixup(classCount: 5)
        let targets = mixup.targets(labels: [0, 3], lambda: 0.7).scalars
        for row in 0..<2 { #expect(abs(targets[row * 5..<(row + 1) * 5].reduce(0, +) - 1) < 1e-5) }
        // Row 0: 0.7·on at class 0 (on = 0.92, off = 0.02) + 0.3·on at class 3.
        #expect(abs(targets[0] - (0.7 * 0.92 + 0.3 * 0.02)) < 1e-6)
        #expect(abs(targets[3] - (0.7 * 0.02 + 0.3 * 0.92)) < 1e-6)
        #expect(abs(targets[1] - 0.02) < 1e-6)
    }

    @Test func lambdaMeanAndDeterminism() {
        // Mixup alone reports the Beta(0.8, 0.8) draw itself: mean 1/2, variance
        // 0.64 / (2.56 · 2.6). (CutMix's corrected λ is biased upward by box clipping.)
        let mixup = Mixup(classCount: 3, cutmixAlpha: 0)
        var generator = SeededGenerator(seed: 21)
        var lambdas: [Double] = []
        var images = batch(2, 4, 4)
        for _ in 0..<3000 {
            var copy = images
            lambdas.append(mixup.apply(images: &copy, labels: [0, 1], using: &generator).outcome.lambda)
        }
        let mean = lambdas.reduce(0, +) / Double(lambdas.count)
        #expect(abs(mean - 0.5) < 0.02, "mean λ \(mean)")
        let variance = lambdas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(lambdas.count)
        #expect(abs(variance - 0.64 / (2.56 * 2.6)) < 0.008, "variance \(variance)")
        #expect(lambdas.allSatisfy { $0 >= 0 && $0 <= 1 })
        var a = SeededGenerator(seed: 4), b = SeededGenerator(seed: 4)
        var other = images
        let first = mixup.apply(images: &images, labels: [0, 2], using: &a)
        let second = mixup.apply(images: &other, labels: [0, 2], using: &b)
        #expect(first.outcome == second.outcome && images == other)
    }

    @Test func mixupBlendsWithFlip() {
        let mixup = Mixup(classCount: 2, cutmixAlpha: 0)
        var generator = SeededGenerator(seed: 8)
        var images = batch(2, 2, 2)
        let result = mixup.apply(images: &images, labels: [0, 1], using: &generator)
        let lambda = Float(result.outcome.lambda)
        #expect(result.outcome.rows == nil)
        // Sample 0 is all 0, sample 1 all 1: sample 0 becomes 1 − λ, sample 1 becomes λ.
        #expect(abs(images.scalars[0] - (1 - lambda)) < 1e-6 && abs(images.scalars[12] - lambda) < 1e-6)
    }

    @Test func cutmixBoxMatchesCorrectedLambda() {
        let mixup = Mixup(classCount: 2, mixupAlpha: 0)
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<200 {
            var images = batch(2, 8, 6)
            let result = mixup.apply(images: &images, labels: [0, 1], using: &generator)
            guard let rows = result.outcome.rows, let columns = result.outcome.columns else { continue }
            let pasted = images.scalars[0..<48].filter { $0 == 1 }.count
            #expect(pasted == rows.count * columns.count)
            #expect(abs(result.outcome.lambda - (1 - Double(pasted) / 48)) < 1e-12)
            let sums = result.targets.scalars
            #expect(abs(sums[0] + sums[1] - 1) < 1e-5)
        }
    }

    /// An unclipped box has exactly `int(side·√(1 − λ))` rows and columns, odd sides included
    /// (timm 1.0's `rand_bbox`).
    @Test func unclippedCutmixBoxHasTheFullCut() {
        var generator = SeededGenerator(seed: 13)
        var unclipped = 0
        for _ in 0..<2000 {
            let lambda = Double.random(in: 0.3..<0.99, using: &generator)
            let box = Mixup.cutmixBox(height: 32, width: 27, lambda: lambda, using: &generator)
            let cutH = Int(32 * (1 - lambda).squareRoot()), cutW = Int(27 * (1 - lambda).squareRoot())
            if box.rows.lowerBound > 0 && box.rows.upperBound < 32 { #expect(box.rows.count == cutH); unclipped += 1 }
            if box.columns.lowerBound > 0 && box.columns.upperBound < 27 { #expect(box.columns.count == cutW) }
        }
        #expect(unclipped > 500)
    }

    @Test func cutmixBoxSideDistribution() {
        var generator = SeededGenerator(seed: 12)
        var sum = 0.0
        let draws = 4000
        for _ in 0..<draws {
            let box = Mixup.cutmixBox(height: 1000, width: 1000, lambda: 0.75, using: &generator)
            sum += Double(box.rows.count)
            #expect(abs(box.lambda - (1 - Double(box.rows.count * box.columns.count) / 1e6)) < 1e-12)
        }
        // An unclipped side is int(1000·√0.25) = 500; clipping near the borders (a uniform
        // center within 250 of an edge, half the time) brings the mean side to 437.5.
        #expect(abs(sum / Double(draws) - 437.5) < 10)
    }
}
