import ConvNeXtImages
import Foundation
import Testing

/// Every malformed input gives its specific typed error naming the file, and no crash.
@Suite struct MalformedInputTests {
    func decodeError(_ name: String, pixelLimit: Int = RGBImage.defaultPixelLimit) -> ImageError? {
        do {
            _ = try RGBImage(contentsOf: fixtureURL(name), pixelLimit: pixelLimit)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedBaselineJPEG() {
        #expect(decodeError("truncated.jpg") == .truncated(source: fixtureURL("truncated.jpg").path))
    }

    @Test func truncatedProgressiveJPEG() {
        #expect(decodeError("truncated_progressive.jpg") == .truncated(source: fixtureURL("truncated_progressive.jpg").path))
    }

    /// Found by fuzzing (Tests/Fixtures/fuzz/png): an IDAT chunk that claims 2 GB where the file
    /// ends 14 bytes in, after the last row's data. Recovering the rows once took seconds of
    /// inflating padding; now the padding is capped, and the rows match Pillow's, which accepts it.
    @Test func pngWhoseDataChunkClaimsGigabytes() throws {
        let url = imageFixtures.deletingLastPathComponent().appendingPathComponent("fuzz/png/regression-idat-claims-2gb.png")
        let image = try RGBImage(contentsOf: url)
        let pillow = try #require(Data(base64Encoded: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufTFufT"))
        #expect(image.width == 16 && image.height == 8)
        #expect(image.pixels == [UInt8](pillow))
    }

    @Test func truncatedPNG() {
        #expect(decodeError("truncated.png") == .truncated(source: fixtureURL("truncated.png").path))
    }

    @Test func pngWithBadHeaderChecksum() {
        guard case .corrupt(let source, let reason) = decodeError("bad_crc.png") else {
            Issue.record("expected a corrupt-data error")
            return
        }
        #expect(source == fixtureURL("bad_crc.png").path)
        #expect(reason.contains("CRC"))
    }

    @Test func pngWithBadImageDataChecksumDecodesLikePillow() throws {
        // Pillow does not check IDAT CRCs; neither do we.
        #expect(try decodeFixture("rocket_bad_idat_crc.png") == (try decodeFixture("rocket_tiny.png")))
    }

    @Test func textFileNamedJPEG() {
        #expect(decodeError("text.jpg") == .unknownFormat(source: fixtureURL("text.jpg").path))
    }

    @Test func emptyFile() {
        #expect(decodeError("empty.png") == .empty(source: fixtureURL("empty.png").path))
    }

    @Test func hugeDimensionsAreRefusedBeforeAllocating() {
        // A 69-byte PNG whose header claims 60000x60000 (3.6 gigapixels).
        let expected = ImageError.tooLarge(source: fixtureURL("huge_header.png").path, width: 60000, height: 60000, limit: 178_956_970)
        #expect(decodeError("huge_header.png") == expected)
    }

    @Test func pixelLimitIsConfigurable() {
        guard case .tooLarge(_, 128, 96, 1000) = decodeError("astronaut_baseline.jpg", pixelLimit: 1000) else {
            Issue.record("expected tooLarge for a 128x96 JPEG with a 1000-pixel limit")
            return
        }
        #expect(decodeError("astronaut.png", pixelLimit: 128 * 96) == nil)
    }

    @Test func pngWithGarbageImageData() {
        guard case .corrupt(let source, _) = decodeError("garbage_idat.png") else {
            Issue.record("expected a corrupt-data error")
            return
        }
        #expect(source == fixtureURL("garbage_idat.png").path)
    }

    @Test func missingFile() {
        guard case .unreadable(let source, _) = decodeError("no_such_file.png") else {
            Issue.record("expected an unreadable-file error")
            return
        }
        #expect(source == fixtureURL("no_such_file.png").path)
    }

    @Test func dataInputNamesItsSource() {
        #expect(throws: ImageError.empty(source: "upload")) { try RGBImage(data: Data(), name: "upload") }
        #expect(throws: ImageError.unknownFormat(source: "<data>")) { try RGBImage(data: Data("GIF89a".utf8)) }
    }

    @Test func everyTruncationOfAJPEGFailsCleanly() throws {
        let data = try Data(contentsOf: fixtureURL("rocket_tiny.jpg"))
        for length in stride(from: 1, to: data.count - 2, by: 7) {
            #expect(throws: ImageError.self) { try RGBImage(data: data.prefix(length)) }
        }
    }

    @Test func everyTruncationOfAPNGFailsCleanly() throws {
        let data = try Data(contentsOf: fixtureURL("rocket_tiny.png"))
        // Up to the last bytes of the IDAT data (then IDAT CRC, then 12 bytes of IEND).
        for length in stride(from: 1, to: data.count - 24, by: 5) {
            #expect(throws: ImageError.self) { try RGBImage(data: data.prefix(length)) }
        }
    }

    @Test func pngCutInsideTheZlibTrailerDecodesLikePillow() throws {
        // Pillow stops once every row is decoded, so a missing Adler-32 trailer goes unnoticed.
        let data = try Data(contentsOf: fixtureURL("rocket_tiny.png"))
        let cut = try RGBImage(data: data.prefix(data.count - 12 - 4 - 2))
        #expect(cut == (try decodeFixture("rocket_tiny.png")))
    }
}
