/// An error reading or writing safetensors files or sharded checkpoints.
///
/// Every case names the file it concerns (`path`) and, where one is involved, the tensor,
/// so a message is enough to locate the problem without a debugger.
public enum SafeTensorsError: Error, Equatable, Sendable {
    /// The file could not be opened, inspected or mapped into memory.
    case cannotOpen(path: String, reason: String)

    /// The file is shorter than the 8-byte header length that starts every safetensors file.
    case truncated(path: String, fileSize: Int)

    /// The header length field exceeds ``SafeTensorsFile/maximumHeaderLength``.
    case headerTooLarge(path: String, headerLength: UInt64, limit: Int)
    /// The header lists more tensors than ``SafeTensorsFile/maximumTensorCount``.
    case tooManyTensors(path: String, count: Int, limit: Int)

    /// The header length field points past the end of the file.
    case headerLengthPastEnd(path: String, headerLength: UInt64, fileSize: Int)

    /// The header (or the `__metadata__` entry in it) is not valid JSON of the expected form.
    case invalidHeaderJSON(path: String, detail: String)

    /// A tensor's header entry lacks a field or has a field of the wrong form.
    case invalidEntry(path: String, tensor: String, detail: String)

    /// A tensor was read whose element type this library cannot convert to `Float`.
    case unsupportedDType(path: String, tensor: String, dtype: String)

    /// A tensor's `data_offsets` extend past the end of the data buffer.
    case offsetsOutOfBounds(path: String, tensor: String, begin: Int, end: Int, bufferSize: Int)

    /// The byte ranges of two tensors overlap.
    case overlappingOffsets(path: String, first: String, second: String)

    /// A tensor's byte range does not match its shape and element size.
    case sizeMismatch(path: String, tensor: String, expectedBytes: Int, actualBytes: Int)

    /// A tensor name appears twice in one header or index.
    case duplicateTensor(path: String, tensor: String)

    /// The named tensor is not in the file, checkpoint or shard at `path`.
    case missingTensor(name: String, path: String)

    /// A sharded checkpoint's `model.safetensors.index.json` is malformed.
    case invalidIndex(path: String, detail: String)

    /// A shard named in a sharded checkpoint's index does not exist.
    case missingShard(indexPath: String, shard: String)

    /// A folder holds neither `model.safetensors.index.json` nor `model.safetensors`.
    case noWeights(directory: String)

    /// Writing a safetensors file failed; the destination was left untouched.
    case writeFailed(path: String, reason: String)
}

extension SafeTensorsError: CustomStringConvertible {
    /// A one-line, human-readable explanation naming the file and, where relevant, the tensor.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open '\(path)': \(reason)"
        case let .truncated(path, fileSize):
            "'\(path)' is truncated: \(fileSize) bytes, but a safetensors file starts with an 8-byte header length"
        case let .headerTooLarge(path, headerLength, limit):
            "'\(path)': header length \(headerLength) exceeds the limit of \(limit) bytes"
        case let .tooManyTensors(path, count, limit):
            "'\(path)': the header lists \(count) tensors, more than the limit of \(limit)"
        case let .headerLengthPastEnd(path, headerLength, fileSize):
            "'\(path)': header length \(headerLength) runs past the end of the \(fileSize)-byte file"
        case let .invalidHeaderJSON(path, detail):
            "'\(path)': invalid header: \(detail)"
        case let .invalidEntry(path, tensor, detail):
            "'\(path)': invalid entry for tensor '\(tensor)': \(detail)"
        case let .unsupportedDType(path, tensor, dtype):
            "'\(path)': tensor '\(tensor)' has dtype \(dtype), which cannot be converted to Float"
        case let .offsetsOutOfBounds(path, tensor, begin, end, bufferSize):
            "'\(path)': tensor '\(tensor)' has data_offsets [\(begin), \(end)] outside the \(bufferSize)-byte data buffer"
        case let .overlappingOffsets(path, first, second):
            "'\(path)': the data of tensors '\(first)' and '\(second)' overlap"
        case let .sizeMismatch(path, tensor, expectedBytes, actualBytes):
            "'\(path)': tensor '\(tensor)' needs \(expectedBytes) bytes for its shape and dtype, but its data_offsets span \(actualBytes)"
        case let .duplicateTensor(path, tensor):
            "'\(path)': tensor '\(tensor)' is listed more than once"
        case let .missingTensor(name, path):
            "no tensor named '\(name)' in '\(path)'"
        case let .invalidIndex(path, detail):
            "invalid checkpoint index '\(path)': \(detail)"
        case let .missingShard(indexPath, shard):
            "shard '\(shard)' named in '\(indexPath)' does not exist"
        case let .noWeights(directory):
            "'\(directory)' holds neither model.safetensors.index.json nor model.safetensors"
        case let .writeFailed(path, reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}
