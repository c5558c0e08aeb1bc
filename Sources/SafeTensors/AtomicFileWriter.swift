import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: the content goes to a uniquely named temporary file in the
/// destination's directory, which is flushed to disk and then renamed over the destination.
/// Readers see either the old file or the complete new one, never a partial write.
struct AtomicFileWriter {
    /// An open temporary file that content is appended to.
    struct Sink {
        fileprivate let descriptor: Int32
        fileprivate let destinationPath: String

        /// Appends all of `bytes`, retrying short and interrupted writes.
        func write(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) {
            guard var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = systemWrite(descriptor, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw .writeFailed(path: destinationPath, reason: "write failed: \(systemErrorMessage())")
                }
                next += written
                remaining -= written
            }
        }

        /// Appends all of `bytes`.
        func write(_ bytes: [UInt8]) throws(SafeTensorsError) {
            try bytes.withUnsafeBytes { raw in Result { () throws(SafeTensorsError) in try write(raw) } }.get()
        }
    }

    /// Creates the file at `url` from what `body` writes to the sink, replacing any existing
    /// file only once everything is on disk. On failure the temporary file is removed and
    /// the destination is left as it was.
    static func write(to url: URL, _ body: (Sink) throws(SafeTensorsError) -> Void) throws(SafeTensorsError) {
        let destinationPath = url.path
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path

        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .writeFailed(path: destinationPath, reason: "cannot create a temporary file in '\(directory)': \(systemErrorMessage())")
        }
        var isOpen = true
        do throws(SafeTensorsError) {
            try body(Sink(descriptor: descriptor, destinationPath: destinationPath))
            guard fsync(descriptor) == 0 else {
                throw .writeFailed(path: destinationPath, reason: "fsync failed: \(systemErrorMessage())")
            }
            isOpen = false
            guard close(descriptor) == 0 else {
                throw .writeFailed(path: destinationPath, reason: "close failed: \(systemErrorMessage())")
            }
            guard rename(temporaryPath, destinationPath) == 0 else {
                throw .writeFailed(path: destinationPath, reason: "rename failed: \(systemErrorMessage())")
            }
        } catch {
            if isOpen { close(descriptor) }
            unlink(temporaryPath)
            throw error
        }
        syncDirectory(directory)
    }

    /// Flushes the directory entry of the renamed file; best effort, as not every file
    /// system supports syncing directories.
    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// The C library's `write(2)`, named apart from ``AtomicFileWriter/Sink/write(_:)``.
@inline(__always)
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
