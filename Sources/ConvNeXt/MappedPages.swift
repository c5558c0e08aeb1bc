import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands back to the system the resident pages of the read-only memory mappings of files
/// under a folder (the checkpoint that ``ModelFolder`` is loading).
///
/// A mapped checkpoint's pages stay resident once read, so without this a streaming load
/// peaks at the whole file plus the packed weights. `MADV_DONTNEED` on a private read-only
/// file mapping only drops page-table entries: a later read faults the same bytes back in
/// from the page cache, so nothing that still reads the mapping can tell. Linux only (the
/// mappings are found in /proc/self/maps); elsewhere it does nothing.
struct MappedPages {
    /// The folder whose files' mappings are released.
    let folder: String

    init(under url: URL) {
        var isDirectory: ObjCBool = false
        let resolved = url.resolvingSymlinksInPath()
        _ = FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory)
        folder = isDirectory.boolValue ? resolved.path + "/" : resolved.deletingLastPathComponent().path + "/"
    }

    /// Releases the resident pages of every read-only mapping of a file under ``folder``.
    func release() {
        #if os(Linux)
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return }
        for line in maps.split(separator: "\n") {
            // start-end perms offset device inode path
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1].hasPrefix("r"), !fields[1].contains("w"),
                  fields[5].trimmingCharacters(in: .whitespaces).hasPrefix(folder) else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), end > start,
                  let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            _ = madvise(address, Int(end - start), MADV_DONTNEED)
        }
        #endif
    }
}
