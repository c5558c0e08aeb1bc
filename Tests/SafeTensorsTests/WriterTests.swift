import ConvNeXtKernels
import Foundation
import SafeTensors
import Testing

/// `writeSafeTensors` produces the documented layout and writes atomically.
@Suite struct WriterTests {
    private func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func layoutIsSortedPaddedAndLittleEndian() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("layout.safetensors")
            let tensors = ["b": Tensor(shape: [1], scalars: [2]), "a": Tensor(shape: [2], scalars: [1, -1])]
            try writeSafeTensors(tensors, metadata: ["k": "v"], to: url)
            let bytes = [UInt8](try Data(contentsOf: url))
            let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
            #expect(headerLength % 8 == 0)
            let header = try #require(String(bytes: bytes[8..<(8 + headerLength)], encoding: .utf8))
            let trimmed = header.trimmingCharacters(in: .whitespaces)
            #expect(trimmed == #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#)
            #expect(header.count - trimmed.count < 8)
            let data = Array(bytes[(8 + headerLength)...])
            #expect(data == [Float(1), -1, 2].flatMap { littleEndianBytes($0.bitPattern) })
        }
    }

    @Test func replacesExistingFileAndLeavesNoTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try writeSafeTensors(["old": Tensor(shape: [3], scalars: [1, 2, 3])], to: url)
            try writeSafeTensors(["new": Tensor(shape: [1], scalars: [9])], to: url)
            #expect(try contents(of: directory) == ["model.safetensors"])
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.tensorNames == ["new"])
            #expect(try file.tensor("new").scalars == [9])
        }
    }

    @Test func nonexistentDirectoryThrowsWriteFailed() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("missing/model.safetensors")
            let error = writeError(["w": Tensor(shape: [1], scalars: [1])], to: url)
            guard case .writeFailed(let path, _)? = error else {
                Issue.record("expected writeFailed, got \(String(describing: error))")
                return
            }
            #expect(path == url.path)
            let remaining = try contents(of: directory)
            #expect(remaining.isEmpty)
        }
    }

    @Test func failedRenameRemovesTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("occupied")
            try FileManager.default.createDirectory(at: url.appendingPathComponent("child"), withIntermediateDirectories: true)
            let error = writeError(["w": Tensor(shape: [1], scalars: [1])], to: url)
            guard case .writeFailed(let path, _)? = error else {
                Issue.record("expected writeFailed, got \(String(describing: error))")
                return
            }
            #expect(path == url.path)
            #expect(try contents(of: directory) == ["occupied"])
        }
    }

    @Test func reservedNameIsRejectedAndDestinationKept() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try writeSafeTensors(["w": Tensor(shape: [1], scalars: [5])], to: url)
            let error = writeError(["__metadata__": Tensor(shape: [1], scalars: [1])], to: url)
            guard case .writeFailed? = error else {
                Issue.record("expected writeFailed, got \(String(describing: error))")
                return
            }
            #expect(try contents(of: directory) == ["model.safetensors"])
            #expect(try SafeTensorsFile(contentsOf: url).tensor("w").scalars == [5])
        }
    }

    @Test func writesEmptyCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("empty.safetensors")
            try writeSafeTensors([:], to: url)
            #expect(try SafeTensorsFile(contentsOf: url).tensorNames.isEmpty)
        }
    }

    private func writeError(_ tensors: [String: Tensor], to url: URL) -> SafeTensorsError? {
        do {
            try writeSafeTensors(tensors, to: url)
            return nil
        } catch {
            return error
        }
    }
}
