import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Testing

/// A small image whose pixels are all distinct enough to detect reordering.
func augmentationTestImage(width: Int, height: Int) -> RGBImage {
    RGBImage(width: width, height: height, pixels: (0..<(width * height * 3)).map { UInt8(($0 * 37 + $0 / 3) % 256) })
}

@Suite struct AugmentationCropTests {
    @Test func regionStaysWithinBounds() {
        let crop = RandomResizedCrop(width: 8, height: 8)
        var generator = SeededGenerator(seed: 1)
        var fallbacks = 0
        for _ in 0..<2000 {
            let r = crop.region(imageWidth: 64, imageHeight: 48, using: &generator)
            #expect(r.x >= 0 && r.y >= 0 && r.x + r.width <= 64 && r.y + r.height <= 48)
            let area = Double(r.width * r.height) / Double(64 * 48)
            let ratio = Double(r.width) / Double(r.height)
            if r.width == 64 && r.height == 48 { fallbacks += 1; continue }
            // Rounding of the sides widens the bounds slightly for small crops.
            #expect(area > 0.06 && area < 1.06, "area \(area)")
            #expect(ratio > 0.7 && ratio < 1.42, "ratio \(ratio)")
        }
        #expect(fallbacks < 200)
    }

    @Test func fallbackIsClampedCenterCrop() {
        // No crop of 90% of a 100x10 image has ratio ≤ 4/3 and height ≤ 10, so the fallback
        // keeps the full height and width round(10·4/3) = 13, centered at (100 − 13) // 2.
        let crop = RandomResizedCrop(width: 4, height: 4, scale: 0.9...1)
        var generator = SeededGenerator(seed: 2)
        let r = crop.region(imageWidth: 100, imageHeight: 10, using: &generator)
        #expect(r == RandomResizedCrop.Region(x: 43, y: 0, width: 13, height: 10))
    }

    @Test func deterministicForSeed() {
        let image = augmentationTestImage(width: 20, height: 16)
        let crop = RandomResizedCrop(width: 8, height: 8)
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let first = crop.apply(to: image, using: &a)
        #expect(first == crop.apply(to: image, using: &b))
        #expect(first.width == 8 && first.height == 8)
    }

    @Test func flipTwiceIsIdentity() {
        let image = augmentationTestImage(width: 5, height: 3)
        let flipped = image.horizontallyFlipped()
        #expect(flipped != image)
        #expect(flipped[0, 1] == image[4, 1])
        #expect(flipped.horizontallyFlipped() == image)
    }

    @Test func flipProbability() {
        let image = augmentationTestImage(width: 4, height: 2)
        var generator = SeededGenerator(seed: 3)
        let flips = (0..<1000).filter { _ in RandomHorizontalFlip().apply(to: image, using: &generator) != image }.count
        #expect(abs(flips - 500) < 80)
    }
}
