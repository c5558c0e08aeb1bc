import ConvNeXtImages
import Testing

/// `RGBImage.resized` equals Pillow's `Image.resize` byte for byte.
@Suite struct ResizeParityTests {
    static let cases = FixtureManifest.shared.resize

    @Test(arguments: cases.map(\.expected))
    func resizeEqualsPillow(_ name: String) throws {
        let entry = try #require(Self.cases.first { $0.expected == name })
        var source = try decodeFixture(entry.file)
        if let crop = entry.crop {
            source = Self.crop(source, left: crop[0], top: crop[1], right: crop[2], bottom: crop[3])
        }
        if let repeats = entry.column_repeat {
            source = Self.firstColumn(source, repeatedRows: repeats)
        }
        let filter = try #require(ResamplingFilter(rawValue: entry.filter))
        let output = source.resized(width: entry.width, height: entry.height, filter: filter)
        let expected = bytes(of: try Fixtures.resized.tensor(name))
        #expect(output.width == entry.width && output.height == entry.height)
        let equal = output.pixels == expected
        #expect(equal, "\(name): \(firstDifference(output.pixels, expected))")
    }

    @Test func equalSizeReturnsTheImage() throws {
        let image = try decodeFixture("rocket_tiny.png")
        for filter in ResamplingFilter.allCases {
            #expect(image.resized(width: image.width, height: image.height, filter: filter) == image)
        }
    }

    static func crop(_ image: RGBImage, left: Int, top: Int, right: Int, bottom: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in top..<bottom {
            let start = (y * image.width + left) * 3
            pixels += image.pixels[start..<(start + (right - left) * 3)]
        }
        return RGBImage(width: right - left, height: bottom - top, pixels: pixels)
    }

    /// A one-pixel-wide image: the first column, each row repeated (the generator's tall image).
    static func firstColumn(_ image: RGBImage, repeatedRows repeats: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<image.height {
            let start = y * image.width * 3
            for _ in 0..<repeats { pixels += image.pixels[start..<(start + 3)] }
        }
        return RGBImage(width: 1, height: image.height * repeats, pixels: pixels)
    }
}
