import ConvNeXt
import ConvNeXtTraining
import Testing

@Suite struct AugmentationErasingTests {
    @Test func erasesWithProbabilityAndSize() {
        let erasing = RandomErasing()
        var generator = SeededGenerator(seed: 31)
        var erased = 0
        let trials = 2000
        for _ in 0..<trials {
            var image = Tensor(shape: [3, 16, 20], repeating: 7)
            let regions = erasing.apply(to: &image, using: &generator)
            guard let box = regions[0] else {
                #expect(image.scalars.allSatisfy { $0 == 7 })
                continue
            }
            erased += 1
            let changed = image.scalars.filter { $0 != 7 }.count
            #expect(changed == 3 * box.rows.count * box.columns.count)
            #expect(box.rows.count < 16 && box.columns.count < 20)
            let area = Double(box.rows.count * box.columns.count) / 320
            #expect(area > 0.005 && area < 0.45, "area \(area)")
        }
        let rate = Double(erased) / Double(trials)
        #expect(abs(rate - 0.25) < 0.04, "erase rate \(rate)")
    }

    @Test func deterministicAndBatched() {
        let erasing = RandomErasing(probability: 1)
        var a = SeededGenerator(seed: 2), b = SeededGenerator(seed: 2)
        var x = Tensor(shape: [2, 3, 8, 8], repeating: 0)
        var y = x
        let first = erasing.apply(to: &x, using: &a)
        let second = erasing.apply(to: &y, using: &b)
        #expect(x == y && first.count == 2 && second.count == 2)
        #expect(first.allSatisfy { $0 != nil })
    }
}
