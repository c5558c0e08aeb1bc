#if canImport(Glibc)
import Glibc
#endif

/// 64-byte aligned memory for tensors. On Linux, blocks of a megabyte or more are mapped
/// straight from the system and returned to it when freed: glibc's allocator raises its
/// mapping threshold after such frees and then keeps later big blocks on its heap, so loading
/// a model (read a tensor, pack it, drop it, hundreds of times) fragmented ~80 MB of heap.
/// Mappings are populated up front: one call is cheaper than a page fault per page. Freed
/// mappings may be kept for reuse (``TensorMemoryCache``).
enum LargeAllocation {
    static let mappingThreshold = 1 << 20

    /// The memory and whether it was mapped (pass both back to ``deallocate(_:byteCount:mapped:)``).
    static func allocate(byteCount: Int) -> (pointer: UnsafeMutableRawPointer, mapped: Bool) {
        #if os(Linux)
        if byteCount >= mappingThreshold, let kept = BlockCache.shared.withLock({ $0.take(byteCount: byteCount) }) {
            return (kept, true)
        }
        if byteCount >= mappingThreshold,
           let mapping = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
           mapping != MAP_FAILED {
            return (mapping, true)
        }
        #endif
        return (UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64), false)
    }

    /// Frees memory from ``allocate(byteCount:)`` with the same `byteCount`.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int, mapped: Bool) {
        #if os(Linux)
        if mapped {
            if !BlockCache.shared.withLock({ $0.keep(pointer, byteCount: byteCount) }) { unmap(pointer, byteCount: byteCount) }
            return
        }
        #endif
        pointer.deallocate()
    }

    /// Returns a mapping to the system.
    static func unmap(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        munmap(pointer, byteCount)
        #endif
    }
}
