import ConvNeXtImages
import Foundation
import Testing

/// Decoded pixels equal `PIL.Image.open(f).convert("RGB")` byte for byte.
@Suite struct DecodingParityTests {
    static let cases = FixtureManifest.shared.decode

    @Test(arguments: cases.map(\.file))
    func decodedPixelsEqualPillow(_ file: String) throws {
        let entry = try #require(Self.cases.first { $0.file == file })
        let image = try decodeFixture(file)
        #expect(image.width == entry.width && image.height == entry.height, "\(file) (\(entry.mode))")
        if let name = entry.expected {
            let expected = bytes(of: try Fixtures.decoded.tensor(name))
            let equal = image.pixels == expected
            #expect(equal, "\(file) (\(entry.mode)): \(firstDifference(image.pixels, expected))")
        }
        #expect(fnv1a64(image.pixels) == entry.digest, "\(file) (\(entry.mode))")
    }

    @Test func decodingFromDataEqualsDecodingTheFile() throws {
        let url = fixtureURL("astronaut_progressive.jpg")
        let fromData = try RGBImage(data: try Data(contentsOf: url), name: "progressive")
        #expect(fromData == (try decodeFixture("astronaut_progressive.jpg")))
    }

    @Test func formatComesFromTheSignatureNotTheName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let misnamed = directory.appendingPathComponent("photo.png")
        try FileManager.default.copyItem(at: fixtureURL("rocket_tiny.jpg"), to: misnamed)
        #expect(try RGBImage(contentsOf: misnamed) == (try decodeFixture("rocket_tiny.jpg")))
    }

    @Test func concurrentDecodesAgree() async throws {
        let reference = try decodeFixture("chelsea_interlaced.png")
        let results = try await withThrowingTaskGroup(of: RGBImage.self) { group in
            for _ in 0..<8 {
                group.addTask { try decodeFixture("chelsea_interlaced.png") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == reference })
    }
}
