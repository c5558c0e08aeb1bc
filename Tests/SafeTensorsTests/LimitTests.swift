import Foundation
import Testing
@testable import SafeTensors

/// The limits a hostile header meets before any tensor entry is built.
@Suite struct LimitTests {
    func header(tensors: Int, metadata: Bool) -> [UInt8] {
        var members = (0..<tensors).map { "\"t\($0)\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}" }
        if metadata { members.append("\"__metadata__\":{\"format\":\"pt\"}") }
        let json = Array("{\(members.joined(separator: ","))}".utf8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        bytes += json
        return bytes
    }

    @Test func tensorCountIsLimitedAndMetadataDoesNotCount() throws {
        let atLimit = header(tensors: 5, metadata: true)
        let parsed = try atLimit.withUnsafeBytes { try SafeTensorsHeader.parse(file: $0, path: "x", maximumLength: 1 << 20, maximumTensorCount: 5) }
        #expect(parsed.entries.count == 5 && parsed.metadata["format"] == "pt")
        let over = header(tensors: 6, metadata: false)
        #expect(throws: SafeTensorsError.tooManyTensors(path: "x", count: 6, limit: 5)) {
            _ = try over.withUnsafeBytes { try SafeTensorsHeader.parse(file: $0, path: "x", maximumLength: 1 << 20, maximumTensorCount: 5) }
        }
    }

    @Test func headerLengthIsLimited() {
        let bytes = header(tensors: 1, metadata: false)
        #expect(throws: SafeTensorsError.self) {
            _ = try bytes.withUnsafeBytes { try SafeTensorsHeader.parse(file: $0, path: "x", maximumLength: 16) }
        }
    }

    @Test func defaultLimitsAreGenerousForRealCheckpoints() {
        #expect(SafeTensorsFile.maximumTensorCount >= 100_000)
        #expect(SafeTensorsFile.maximumHeaderLength == 100_000_000)
    }
}
