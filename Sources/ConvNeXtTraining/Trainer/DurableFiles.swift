import Foundation

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
private let systemRename = Glibc.rename
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
private let systemRename = Darwin.rename
#endif

/// Crash-safe file-system steps for checkpoints: files are flushed to disk before they are
/// renamed into place, and a rename either happens completely or not at all, so a run killed
/// at any instant leaves either the old or the new version, never a mix.
enum DurableFiles {
    /// Writes `data` to `url` through a temporary file in the same folder, flushed and renamed.
    static func write(_ data: Data, to url: URL) throws(TrainingError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try writeFlushed(data, to: temporary)
        try rename(temporary, to: url)
    }

    /// Writes `data` to a new file at `url` and flushes it to disk (no rename).
    static func writeFlushed(_ data: Data, to url: URL) throws(TrainingError) {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let failure: String? = data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        }
        if let failure { throw .writeFailed(path: url.path, reason: failure) }
    }

    /// Flushes a file or folder (a folder's entries: the names renamed into it).
    static func flush(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Renames `source` to `destination` atomically, replacing a file or symbolic link there.
    static func rename(_ source: URL, to destination: URL) throws(TrainingError) {
        guard systemRename(source.path, destination.path) == 0 else {
            throw .writeFailed(path: destination.path, reason: String(cString: strerror(errno)))
        }
        flush(destination.deletingLastPathComponent())
    }

    /// Points the symbolic link `link` at `target` (a relative path) atomically.
    static func pointLink(_ link: URL, to target: String) throws(TrainingError) {
        let temporary = link.deletingLastPathComponent().appendingPathComponent(".\(link.lastPathComponent).tmp-\(getpid())")
        unlink(temporary.path)
        guard symlink(target, temporary.path) == 0 else {
            throw .writeFailed(path: link.path, reason: String(cString: strerror(errno)))
        }
        try rename(temporary, to: link)
    }
}
