import ConvNeXtImages
import ConvNeXtKernels
import Foundation
import SafeTensors

/// Tests/Fixtures/images, written by scripts/generate_image_fixtures.py.
let imageFixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("images")

func fixtureURL(_ name: String) -> URL { imageFixtures.appendingPathComponent(name) }

/// What the fixture generator recorded from Pillow and transformers.
struct FixtureManifest: Decodable {
    struct Decode: Decodable {
        let file: String
        let mode: String
        let width: Int
        let height: Int
        let expected: String?
        let digest: String
    }

    struct Resize: Decodable {
        let file: String
        let crop: [Int]?
        let column_repeat: Int?
        let filter: Int
        let width: Int
        let height: Int
        let expected: String
    }

    struct Processor: Decodable {
        let label: String
        let config: String
        let file: String
        let shape: [Int]
        let dtype: String
        let expected: String?
        let digest: String
    }

    struct Ramp: Decodable {
        let config: String
        let expected: String
    }

    let decode: [Decode]
    let resize: [Resize]
    let processor: [Processor]
    let ramp: Ramp

    static let shared: FixtureManifest = {
        // The committed manifest is known-good; a failure here is a broken checkout.
        let data = try! Data(contentsOf: fixtureURL("manifest.json"))
        return try! JSONDecoder().decode(FixtureManifest.self, from: data)
    }()
}

enum Fixtures {
    static let decoded = open("decoded.safetensors")
    static let resized = open("resized.safetensors")
    static let processed = open("processed.safetensors")

    private static func open(_ name: String) -> SafeTensorsFile {
        try! SafeTensorsFile(contentsOf: fixtureURL(name))
    }
}

/// The bytes of a U8 fixture tensor (read back as Float by the SafeTensors module).
func bytes(of tensor: Tensor) -> [UInt8] {
    tensor.scalars.map { UInt8($0) }
}

/// FNV-1a 64 of `bytes`, as hex: the digest the fixture generator records for large outputs.
func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

func fnv1a64(_ values: [UInt8]) -> String { values.withUnsafeBytes { fnv1a64($0) } }

func fnv1a64(_ tensor: Tensor) -> String { tensor.withUnsafeBufferPointer { fnv1a64(UnsafeRawBufferPointer($0)) } }

/// The first index at which two byte arrays differ, with both values, for failure messages.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    guard a.count == b.count else { return "sizes differ: \(a.count) vs \(b.count)" }
    guard let index = a.indices.first(where: { a[$0] != b[$0] }) else { return "equal" }
    let mismatches = a.indices.count { a[$0] != b[$0] }
    return "\(mismatches) bytes differ; first at byte \(index) (pixel \(index / 3)): \(a[index]) vs \(b[index])"
}

/// Decodes a fixture file; the fixtures are known-good, so a failure is reported by the caller.
func decodeFixture(_ name: String) throws -> RGBImage {
    try RGBImage(contentsOf: fixtureURL(name))
}
