#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory; unmapped when the last reference goes away.
///
/// `@unchecked Sendable`: the mapping is read-only and immutable for its whole lifetime.
/// As with any memory-mapped file, truncating the file on disk while it is mapped makes
/// later reads of the lost pages fault; files are assumed not to change while open.
final class MappedFile: @unchecked Sendable {
    /// The first byte of the mapping, or `nil` for an empty file (which is not mapped).
    let baseAddress: UnsafeRawPointer?
    /// The size of the file in bytes.
    let byteCount: Int

    /// Maps the file at `path`, throwing ``SafeTensorsError/cannotOpen(path:reason:)`` on failure.
    init(path: String) throws(SafeTensorsError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: systemErrorMessage()) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotOpen(path: path, reason: systemErrorMessage()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        guard let size = Int(exactly: status.st_size) else { throw .cannotOpen(path: path, reason: "file size out of range") }

        byteCount = size
        guard size > 0 else {
            baseAddress = nil
            return
        }
        let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapping, mapping != MAP_FAILED else {
            throw .cannotOpen(path: path, reason: "mmap failed: \(systemErrorMessage())")
        }
        baseAddress = UnsafeRawPointer(mapping)
    }

    /// The bytes of the whole file.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: baseAddress, count: byteCount) }

    /// Lets the system drop the pages read so far. The mapping is private and read-only, so this
    /// only removes page-table entries: a later read faults the same bytes back in from the file.
    /// A reader that streams a large file once calls it to keep its resident memory flat.
    func releaseResidentPages() {
        guard let baseAddress else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: baseAddress), byteCount, MADV_DONTNEED)
    }

    deinit {
        if let baseAddress { munmap(UnsafeMutableRawPointer(mutating: baseAddress), byteCount) }
    }
}

/// The text of the current `errno`.
func systemErrorMessage() -> String {
    String(cString: strerror(errno))
}
