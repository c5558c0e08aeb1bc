import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Testing

/// A 1-row gray gradient with the given values.
func grayRow(_ values: [UInt8]) -> RGBImage {
    RGBImage(width: values.count, height: 1, pixels: values.flatMap { [$0, $0, $0] })
}

func grayValues(_ image: RGBImage) -> [UInt8] { stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] } }

@Suite struct AugmentationPointOperationTests {
    let gradient: [UInt8] = [0, 31, 64, 100, 127, 128, 200, 255]

    @Test func invert() {
        #expect(grayValues(grayRow(gradient).inverted()) == gradient.map { 255 - $0 })
    }

    @Test func posterize() {
        #expect(grayValues(grayRow(gradient).posterized(bits: 2)) == [0, 0, 64, 64, 64, 128, 192, 192])
        #expect(grayRow(gradient).posterized(bits: 8) == grayRow(gradient))
        #expect(grayValues(grayRow(gradient).posterized(bits: 0)) == [UInt8](repeating: 0, count: 8))
    }

    @Test func solarize() {
        #expect(grayValues(grayRow(gradient).solarized(threshold: 128)) == [0, 31, 64, 100, 127, 127, 55, 0])
        #expect(grayRow(gradient).solarized(threshold: 256) == grayRow(gradient))
        #expect(grayValues(grayRow(gradient).solarizeAdded(100)) == [100, 131, 164, 200, 227, 128, 200, 255])
    }

    @Test func autocontrast() {
        // 50...150 stretches to 0...255 with int(v·2.55 − 127.5).
        #expect(grayValues(grayRow([50, 100, 150]).autocontrasted()) == [0, 127, 255])
        #expect(grayRow([9, 9]).autocontrasted() == grayRow([9, 9]))
    }

    @Test func equalizeTwoLevels() {
        // Histogram {10: 4, 200: 4}: step = (8 − 4) / 255 = 0, so Pillow leaves it unchanged.
        let small = grayRow([10, 10, 10, 10, 200, 200, 200, 200])
        #expect(small.equalized() == small)
        // 512 pixels of 10 and 512 of 200: step = 2, lut[10] = 1/2 = 0, lut[200] = (1 + 512)/2 = 256 → 255.
        let large = grayRow([UInt8](repeating: 10, count: 512) + [UInt8](repeating: 200, count: 512))
        let values = grayValues(large.equalized())
        #expect(values.first == 0 && values.last == 255 && Set(values).count == 2)
    }

    @Test func enhanceFactorsOneAreIdentity() {
        let image = augmentationTestImage(width: 6, height: 5)
        #expect(image.colorEnhanced(factor: 1) == image)
        #expect(image.contrastEnhanced(factor: 1) == image)
        #expect(image.brightnessEnhanced(factor: 1) == image)
        #expect(image.sharpnessEnhanced(factor: 1) == image)
    }

    @Test func enhanceSimpleCases() {
        #expect(grayValues(grayRow([100, 200]).brightnessEnhanced(factor: 0.5)) == [50, 100])
        #expect(grayValues(grayRow([100, 200]).brightnessEnhanced(factor: 1.5)) == [150, 255])
        // Mean gray 150: factor 0 gives the mean everywhere.
        #expect(grayValues(grayRow([100, 200]).contrastEnhanced(factor: 0)) == [150, 150])
        // A gray image has no color to remove.
        #expect(grayRow([3, 77, 250]).colorEnhanced(factor: 0) == grayRow([3, 77, 250]))
        // Red (255, 0, 0) has luminance (255·19595 + 32768) >> 16 = 76.
        let red = RGBImage(width: 1, height: 1, pixels: [255, 0, 0]).colorEnhanced(factor: 0)
        #expect(red.pixels == [76, 76, 76])
    }
}
