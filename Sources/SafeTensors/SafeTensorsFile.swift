import ConvNeXtKernels
import Foundation

/// A safetensors file, memory-mapped read-only, with its header parsed and validated.
///
/// Opening a file checks the whole header up front (see ``init(contentsOf:)``), so later
/// reads only fail for a missing name or an unconvertible dtype. Tensor data stays in the
/// mapping until ``tensor(_:)`` converts it to `Float`. The file should not be modified
/// while it is open.
public final class SafeTensorsFile: Sendable {
    /// The largest header accepted, in bytes (100 MB), guarding against hostile lengths.
    public static let maximumHeaderLength = 100_000_000
    /// The most tensors a file may hold (200,000; the largest ConvNeXt has about 800), checked
    /// before any tensor entry is built.
    public static let maximumTensorCount = 200_000

    /// The location the file was opened from.
    public let url: URL

    /// The string pairs of the header's `__metadata__` entry; empty if it has none.
    public let metadata: [String: String]

    /// The names of all tensors in the file, sorted.
    public let tensorNames: [String]

    private let mapping: MappedFile
    private let header: SafeTensorsHeader

    /// Opens and memory-maps the safetensors file at `url`, validating its header.
    ///
    /// The header length must fit in the file and be at most ``maximumHeaderLength``; the
    /// header must be a JSON object whose entries each have a string `dtype`, a `shape` of
    /// non-negative integers and `data_offsets` `[begin, end]` with `begin <= end`, inside the
    /// data buffer, spanning exactly the shape's size for a known dtype, and overlapping no
    /// other tensor.
    ///
    /// - Throws: ``SafeTensorsError`` naming the file and, where relevant, the tensor.
    public init(contentsOf url: URL) throws(SafeTensorsError) {
        let path = url.path
        let mapping = try MappedFile(path: path)
        self.header = try SafeTensorsHeader.parse(file: mapping.bytes, path: path, maximumLength: Self.maximumHeaderLength)
        self.url = url
        self.mapping = mapping
        self.metadata = header.metadata
        self.tensorNames = header.entries.keys.sorted()
    }

    /// The dtype and shape of the tensor called `name`, or `nil` if the file has none.
    public func info(_ name: String) -> TensorInfo? {
        header.entries[name]?.info
    }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool {
        header.entries[name] != nil
    }

    /// The tensor called `name`, converted to `Float`.
    ///
    /// - Throws: ``SafeTensorsError/missingTensor(name:path:)`` if there is no such tensor,
    ///   ``SafeTensorsError/unsupportedDType(path:tensor:dtype:)`` if its dtype cannot be converted.
    public func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        guard let entry = header.entries[name] else { throw .missingTensor(name: name, path: url.path) }
        guard let convert = ScalarConversion.converter(for: entry.info.dtype) else {
            throw .unsupportedDType(path: url.path, tensor: name, dtype: entry.info.dtype.name)
        }
        // The header check guarantees the range lies in the file, which is then at least 8 bytes.
        guard let base = mapping.baseAddress else { preconditionFailure("validated file is not mapped") }
        let source = base + header.dataStart + entry.begin
        return Tensor(shape: entry.info.shape) { destination in
            if let destinationBase = destination.baseAddress {
                convert(source, destination.count, destinationBase)
            }
        }
    }

    /// Lets the system reclaim the memory of the tensor data read so far; reading a tensor again
    /// still works (its bytes are read back from the file). For loaders that read each tensor once.
    public func releaseResidentPages() { mapping.releaseResidentPages() }
}
