#if canImport(Glibc)
import Glibc
#endif

/// 64-byte aligned memory for tensors. On Linux, blocks of a megabyte or more are mapped
/// straight from the system and returned to it when freed: glibc's allocator raises its
/// mapping threshold after such frees and then keeps later big blocks on its heap, so loading
/// a model (read a tensor, pack it, drop it, hundreds of times) fragmented ~80 MB of heap.
/// With ``TensorMemoryCache/usesHugePages``, blocks of 2 MB or more start on a huge-page
/// boundary and ask for huge pages (see ``mapHugePageAligned(byteCount:)``). Mappings are
/// populated up front: one call is cheaper than a page fault per page. Freed mappings may be
/// kept for reuse (``TensorMemoryCache``).
package enum LargeAllocation {
    static let mappingThreshold = 1 << 20

    /// The memory and whether it was mapped (pass both back to ``deallocate(_:byteCount:mapped:)``);
    /// `hugePages` overrides ``TensorMemoryCache/usesHugePages``.
    package static func allocate(byteCount: Int, hugePages: Bool? = nil) -> (pointer: UnsafeMutableRawPointer, mapped: Bool) {
        #if os(Linux)
        let wantsHugePages = byteCount >= hugePageSize && (hugePages ?? BlockCache.shared.withLock { $0.hugePages })
        if byteCount >= mappingThreshold,
           let kept = BlockCache.shared.withLock({ $0.take(byteCount: byteCount, alignment: wantsHugePages ? UInt(hugePageSize) : 64) }) {
            return (kept, true)
        }
        if wantsHugePages, let mapping = mapHugePageAligned(byteCount: byteCount) {
            return (mapping, true)
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
    package static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int, mapped: Bool) {
        #if os(Linux)
        if mapped {
            if !BlockCache.shared.withLock({ $0.keep(pointer, byteCount: byteCount) }) { unmap(pointer, byteCount: byteCount) }
            return
        }
        #endif
        pointer.deallocate()
    }

    #if os(Linux)
    /// The transparent huge page size of x86-64 and of arm64 with 4 KB pages.
    static let hugePageSize = 2 << 20

    /// `byteCount` bytes mapped from a 2 MB boundary, asked to be backed by transparent huge
    /// pages (where the system allows them only on request, the usual setting), then
    /// populated. Streaming ConvNeXt's 114 MB of weights through 4 KB pages took a TLB miss
    /// every 4 KB, and the hardware prefetchers stop at every page boundary. The mapping is
    /// exactly the bytes asked for (a partly used last 2 MB stays in small pages: no memory
    /// wasted). Nil when the system refuses the mapping.
    static func mapHugePageAligned(byteCount: Int) -> UnsafeMutableRawPointer? {
        let alignment = hugePageSize
        guard let raw = mmap(nil, byteCount + alignment, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { return nil }
        let start = UInt(bitPattern: raw), aligned = (start + UInt(alignment) - 1) / UInt(alignment) * UInt(alignment)
        let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let end = aligned + (UInt(byteCount) + pageSize - 1) / pageSize * pageSize
        let mappedEnd = start + UInt(byteCount + alignment)
        // Give back the slack on both sides.
        if aligned > start { munmap(raw, Int(aligned - start)) }
        if mappedEnd > end { munmap(UnsafeMutableRawPointer(bitPattern: end), Int(mappedEnd - end)) }
        let mapping = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(mapping, byteCount, MADV_HUGEPAGE)
        // MADV_POPULATE_WRITE (Linux 5.14) faults every page in at once; older kernels refuse
        // it, and then a write per page does the same.
        let populateWrite: Int32 = 23
        if madvise(mapping, byteCount, populateWrite) != 0 {
            var page = 0
            while page < byteCount {
                mapping.storeBytes(of: 0, toByteOffset: page, as: UInt8.self)
                page += Int(pageSize)
            }
        }
        return mapping
    }
    #endif

    /// Returns a mapping to the system.
    static func unmap(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        munmap(pointer, byteCount)
        #endif
    }
}
