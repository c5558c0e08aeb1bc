import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Testing

@Suite struct AugmentationRandAugmentTests {
    let fill: (UInt8, UInt8, UInt8) = (124, 116, 104)

    @Test func rotateZeroAndIdentityAffineAreIdentity() {
        let image = augmentationTestImage(width: 7, height: 5)
        #expect(image.rotated(degrees: 0, sampling: .bilinear, fill: fill) == image)
        #expect(image.rotated(degrees: 360, sampling: .nearest, fill: fill) == image)
        #expect(image.affineTransformed((1, 0, 0, 0, 1, 0), sampling: .bilinear, fill: fill) == image)
        #expect(image.affineTransformed((1, 0, 0, 0, 1, 0), sampling: .nearest, fill: fill) == image)
    }

    @Test func rotateNinetyNearestOnSquare() {
        let image = augmentationTestImage(width: 4, height: 4)
        let rotated = image.rotated(degrees: 90, sampling: .nearest, fill: fill)
        // Counter-clockwise: output (x, y) comes from input (3 − y, x).
        for y in 0..<4 { for x in 0..<4 { #expect(rotated[x, y] == image[3 - y, x]) } }
    }

    @Test func rotationsMatchTransposesAndSmallAnglesUseFill() {
        let square = augmentationTestImage(width: 5, height: 5)
        let sampled = square.rotated(degrees: 89.999_999_9, sampling: .nearest, fill: fill)
        #expect(sampled == square.rotated(degrees: 90, sampling: .bilinear, fill: fill))
        #expect(square.rotated(degrees: -90, sampling: .nearest, fill: fill) == square.rotated(degrees: 270, sampling: .nearest, fill: fill))
        let wide = augmentationTestImage(width: 6, height: 3)
        let half = wide.rotated(degrees: 180, sampling: .bilinear, fill: fill)
        #expect(half[0, 0] == wide[5, 2] && half[4, 1] == wide[1, 1])
        // 30° on a wide image uncovers its corners.
        let turned = augmentationTestImage(width: 12, height: 4).rotated(degrees: 30, sampling: .bilinear, fill: fill)
        #expect(turned[0, 0] == (124, 116, 104))
    }

    @Test func translateFillsUncoveredPixels() {
        let image = augmentationTestImage(width: 4, height: 2)
        let shifted = RandAugmentOperation.translateXRelative.apply(to: image, argument: 0.5, sampling: .nearest, fill: fill)
        // Output x samples input x + 2: the two right columns are fill.
        #expect(shifted[0, 0] == image[2, 0] && shifted[1, 1] == image[3, 1])
        #expect(shifted[2, 0] == (124, 116, 104) && shifted[3, 1] == (124, 116, 104))
    }

    @Test func levelArguments() {
        var generator = SeededGenerator(seed: 5)
        #expect(RandAugmentOperation.posterizeIncreasing.argument(magnitude: 9, using: &generator) == 1)
        #expect(RandAugmentOperation.solarizeIncreasing.argument(magnitude: 9, using: &generator) == 26)
        #expect(RandAugmentOperation.solarizeAdd.argument(magnitude: 9, using: &generator) == 99)
        for _ in 0..<20 {
            let shear = RandAugmentOperation.shearX.argument(magnitude: 10, using: &generator)
            #expect(abs(abs(shear) - 0.3) < 1e-12)
            let factor = RandAugmentOperation.colorIncreasing.argument(magnitude: 9, using: &generator)
            #expect(abs(factor - 1.81) < 1e-12 || abs(factor - 0.19) < 1e-12)
        }
    }

    @Test func everyOperationKeepsSize() {
        let image = augmentationTestImage(width: 9, height: 6)
        var generator = SeededGenerator(seed: 6)
        for operation in RandAugmentOperation.allCases {
            let argument = operation.argument(magnitude: 9, using: &generator)
            let result = operation.apply(to: image, argument: argument, sampling: .bilinear, fill: fill)
            #expect(result.width == 9 && result.height == 6, "\(operation)")
        }
    }

    @Test func deterministicForSeedAndChangesImages() {
        let image = augmentationTestImage(width: 12, height: 10)
        let augment = RandAugment()
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
        var changed = 0
        for _ in 0..<40 {
            let first = augment.apply(to: image, using: &a)
            #expect(first == augment.apply(to: image, using: &b))
            if first != image { changed += 1 }
        }
        // Each of two layers applies with probability 0.5: about 3/4 of images change.
        #expect(changed > 15 && changed < 40)
    }
}
