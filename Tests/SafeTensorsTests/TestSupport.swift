import Foundation
import SafeTensors

/// Runs `body` with a fresh, uniquely named temporary directory that is removed afterwards.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// The bytes of a hand-built safetensors file: the header length (that of `header` unless
/// `headerLength` overrides it), the header text and the data buffer.
func safetensorsBytes(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return littleEndianBytes(headerLength ?? UInt64(headerBytes.count)) + headerBytes + data
}

/// The little-endian bytes of an integer.
func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
    (0..<MemoryLayout<Value>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

/// Writes `bytes` to `name` in `directory` and returns the file's URL.
@discardableResult
func writeFile(_ bytes: [UInt8], named name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

/// The error opening the safetensors file at `url` throws, or `nil` if it opens.
func openingError(_ url: URL) -> SafeTensorsError? {
    do {
        _ = try SafeTensorsFile(contentsOf: url)
        return nil
    } catch {
        return error
    }
}

/// Writes `bytes` to a temporary file and returns the error opening it throws (`nil` if it
/// opens) along with the file's path, for comparison with the path the error names.
func openingError(_ bytes: [UInt8]) throws -> (error: SafeTensorsError?, path: String) {
    try withTemporaryDirectory { directory in
        let url = try writeFile(bytes, named: "corrupt.safetensors", in: directory)
        return (openingError(url), url.path)
    }
}

/// The error opening the checkpoint at `url` throws, or `nil` if it opens.
func checkpointError(_ url: URL) -> SafeTensorsError? {
    do {
        _ = try CheckpointWeights(contentsOf: url)
        return nil
    } catch {
        return error
    }
}
