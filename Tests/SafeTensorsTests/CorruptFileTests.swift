import ConvNeXtKernels
import Foundation
import SafeTensors
import Testing

/// Each malformed file must produce its specific typed error when opened, never a crash.
@Suite struct CorruptFileTests {
    /// A well-formed 8-byte data buffer for headers that should fail on something else.
    let eightBytes = [UInt8](repeating: 0, count: 8)

    @Test func zeroByteFileIsTruncated() throws {
        let (error, path) = try openingError([])
        #expect(error == .truncated(path: path, fileSize: 0))
    }

    @Test func fiveByteFileIsTruncated() throws {
        let (error, path) = try openingError([1, 2, 3, 4, 5])
        #expect(error == .truncated(path: path, fileSize: 5))
    }

    @Test func headerLengthPastEndOfFile() throws {
        let bytes = safetensorsBytes(header: "{}", data: eightBytes, headerLength: 100)
        let (error, path) = try openingError(bytes)
        #expect(error == .headerLengthPastEnd(path: path, headerLength: 100, fileSize: 18))
    }

    @Test func hugeHeaderLength() throws {
        let bytes = safetensorsBytes(header: "{}", headerLength: 1 << 63)
        let (error, path) = try openingError(bytes)
        #expect(error == .headerTooLarge(path: path, headerLength: 1 << 63, limit: SafeTensorsFile.maximumHeaderLength))
    }

    @Test func emptyHeaderIsInvalidJSON() throws {
        let (error, path) = try openingError(safetensorsBytes(header: ""))
        let detail = try #require(invalidJSONDetail(error, path: path))
        #expect(detail.contains("end of input"))
    }

    @Test func invalidJSON() throws {
        let (error, path) = try openingError(safetensorsBytes(header: #"{"w": {"dtype": "F32",}"#))
        #expect(invalidJSONDetail(error, path: path) != nil)
    }

    @Test func trailingGarbageAfterJSON() throws {
        let (error, path) = try openingError(safetensorsBytes(header: "{} x"))
        #expect(invalidJSONDetail(error, path: path) != nil)
    }

    @Test func headerThatIsAnArray() throws {
        let (error, path) = try openingError(safetensorsBytes(header: "[1, 2]"))
        let detail = try #require(invalidJSONDetail(error, path: path))
        #expect(detail.contains("object"))
    }

    @Test func headerWithInvalidUTF8() throws {
        let header: [UInt8] = Array(#"{"w"#.utf8) + [0xFF] + Array(#"": 1}"#.utf8)
        let (error, path) = try openingError(littleEndianBytes(UInt64(header.count)) + header)
        #expect(invalidJSONDetail(error, path: path) != nil)
    }

    @Test func deeplyNestedHeaderDoesNotExhaustTheStack() throws {
        let header = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (error, path) = try openingError(safetensorsBytes(header: header))
        let detail = try #require(invalidJSONDetail(error, path: path))
        #expect(detail.contains("nesting"))
    }

    @Test func metadataWithNonStringValue() throws {
        let (error, path) = try openingError(safetensorsBytes(header: #"{"__metadata__": {"epoch": 3}}"#))
        let detail = try #require(invalidJSONDetail(error, path: path))
        #expect(detail.contains("epoch"))
    }

    @Test func entryThatIsNotAnObject() throws {
        let (error, path) = try openingError(safetensorsBytes(header: #"{"w": [1, 2]}"#))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func entryMissingDataOffsets() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [2]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        let detail = try #require(invalidEntryDetail(error, path: path, tensor: "w"))
        #expect(detail.contains("data_offsets"))
    }

    @Test func entryMissingDType() throws {
        let header = #"{"w": {"shape": [2], "data_offsets": [0, 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        let detail = try #require(invalidEntryDetail(error, path: path, tensor: "w"))
        #expect(detail.contains("dtype"))
    }

    @Test func negativeOffset() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func nonIntegerOffset() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8.0]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func stringOffset() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": ["0", 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func offsetBeyondIntRange() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 99999999999999999999999]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func threeOffsets() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4, 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func beginAfterEnd() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 0]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func negativeShapeExtent() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func offsetsPastEndOfData() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(error == .offsetsOutOfBounds(path: path, tensor: "w", begin: 0, end: 16, bufferSize: 8))
    }

    @Test func overlappingOffsets() throws {
        let header = """
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """
        let data = [UInt8](repeating: 0, count: 12)
        let (error, path) = try openingError(safetensorsBytes(header: header, data: data))
        #expect(error == .overlappingOffsets(path: path, first: "a", second: "b"))
    }

    @Test func tensorContainedInAnother() throws {
        let header = """
            {"outer": {"dtype": "U8", "shape": [8], "data_offsets": [0, 8]},
             "inner": {"dtype": "U8", "shape": [2], "data_offsets": [2, 4]}}
            """
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(error == .overlappingOffsets(path: path, first: "outer", second: "inner"))
    }

    @Test func sizeMismatchWithShape() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(error == .sizeMismatch(path: path, tensor: "w", expectedBytes: 12, actualBytes: 8))
    }

    @Test func shapeWithOverflowingDimensions() throws {
        let huge = "4611686018427387904"  // 2^62
        let header = #"{"w": {"dtype": "F32", "shape": [\#(huge), \#(huge)], "data_offsets": [0, 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func shapeWhoseByteSizeOverflows() throws {
        let header = #"{"w": {"dtype": "F64", "shape": [4611686018427387904], "data_offsets": [0, 8]}}"#
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(invalidEntryDetail(error, path: path, tensor: "w") != nil)
    }

    @Test func duplicateTensorName() throws {
        let header = """
            {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
            """
        let (error, path) = try openingError(safetensorsBytes(header: header, data: eightBytes))
        #expect(error == .duplicateTensor(path: path, tensor: "w"))
    }

    @Test func unsupportedDTypeFailsOnlyWhenRead() throws {
        try withTemporaryDirectory { directory in
            let header = """
                {"odd": {"dtype": "F8_E4M3", "shape": [4], "data_offsets": [0, 4]},
                 "ok": {"dtype": "U8", "shape": [4], "data_offsets": [4, 8]}}
                """
            let url = try writeFile(safetensorsBytes(header: header, data: Array(0..<8)), named: "odd.safetensors", in: directory)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.info("odd") == TensorInfo(dtype: .other("F8_E4M3"), shape: [4]))
            #expect(try file.tensor("ok").scalars == [4, 5, 6, 7])
            #expect(throws: SafeTensorsError.unsupportedDType(path: url.path, tensor: "odd", dtype: "F8_E4M3")) {
                try file.tensor("odd")
            }
        }
    }

    @Test func missingTensorName() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try writeSafeTensors(["present": Tensor(shape: [1], scalars: [1])], to: url)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.info("absent") == nil)
            #expect(throws: SafeTensorsError.missingTensor(name: "absent", path: url.path)) {
                try file.tensor("absent")
            }
        }
    }

    @Test func nonexistentFile() throws {
        try withTemporaryDirectory { directory in
            let error = openingError(directory.appendingPathComponent("absent.safetensors"))
            guard case .cannotOpen(let path, _)? = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(path.hasSuffix("absent.safetensors"))
        }
    }

    @Test func directoryInsteadOfFile() throws {
        try withTemporaryDirectory { directory in
            #expect(openingError(directory) == .cannotOpen(path: directory.path, reason: "not a regular file"))
        }
    }

    /// The detail of an `invalidHeaderJSON` error for `path`, or `nil` for any other error.
    private func invalidJSONDetail(_ error: SafeTensorsError?, path expectedPath: String) -> String? {
        guard case .invalidHeaderJSON(let path, let detail)? = error, path == expectedPath else {
            Issue.record("expected invalidHeaderJSON for \(expectedPath), got \(String(describing: error))")
            return nil
        }
        return detail
    }

    /// The detail of an `invalidEntry` error for `tensor` in `path`, or `nil` for any other error.
    private func invalidEntryDetail(_ error: SafeTensorsError?, path expectedPath: String, tensor expectedTensor: String) -> String? {
        guard case .invalidEntry(let path, let tensor, let detail)? = error, path == expectedPath, tensor == expectedTensor else {
            Issue.record("expected invalidEntry for '\(expectedTensor)' in \(expectedPath), got \(String(describing: error))")
            return nil
        }
        return detail
    }
}
