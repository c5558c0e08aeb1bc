/// Freed large tensor blocks kept for reuse instead of being returned to the system.
///
/// A training step allocates and frees the same few hundred large tensors every step; mapping
/// each from the system costs a page fault and a page clear per 4 KB, which measured slower than
/// the arithmetic. A freed block of a megabyte or more is kept (up to ``limit`` bytes in all,
/// the oldest let go first) and handed to the next allocation of exactly its size. The default
/// limit, 4 MB, lets an inference server's per-pass outputs reuse their memory (batch 8's last
/// hidden state is 1.2 MB: mapping and clearing it took 0.45 ms a pass, 0.3% of the pass); a
/// ``ConvNeXtTraining`` tape raises the limit when it is created.
public enum TensorMemoryCache {
    /// The most bytes of freed blocks kept for reuse (0: every block goes back at once);
    /// 4 MB by default. Lowering it releases kept blocks beyond the new limit.
    public static var limit: Int {
        get { BlockCache.shared.withLock { $0.limit } }
        set { BlockCache.shared.withLock { $0.limit = max(0, newValue); $0.trim() } }
    }

    /// The bytes currently kept for reuse.
    public static var keptBytes: Int { BlockCache.shared.withLock { $0.bytes } }

    /// Returns every kept block to the system. Loading a model calls it at the end: the
    /// tensors it read and dropped one by one would otherwise stay kept (up to ``limit``),
    /// though nothing later asks for their sizes.
    public static func releaseKeptBlocks() {
        BlockCache.shared.withLock { $0.releaseAll() }
    }

    /// Whether tensors and inference buffers of 2 MB or more allocated from now on ask Linux
    /// for transparent huge pages (elsewhere, or where the system refuses, nothing changes).
    /// Off by default. Streaming big weights then takes a TLB miss per 2 MB instead of per
    /// 4 KB: ConvNeXt-T's last-stage multiplies at batch 1 ran 5–15% faster and a pass about
    /// 2% faster. The cost is at allocation: on virtual machines that hand free memory back to
    /// their host, fresh huge pages can take several times as long to fault in (loading
    /// ConvNeXt-T took up to 0.6 s instead of 0.2–0.3 s). Worth it for a long-running server.
    public static var usesHugePages: Bool {
        get { BlockCache.shared.withLock { $0.hugePages } }
        set { BlockCache.shared.withLock { $0.hugePages = newValue } }
    }
}

/// The kept blocks, oldest first. Few distinct sizes and entries, so a linear search suffices.
struct BlockCache: Sendable {
    static let shared = LockedValue(BlockCache())

    var limit = 4 << 20
    var bytes = 0
    var hugePages = false
    /// Addresses as integers: raw pointers are not `Sendable`.
    private var blocks: [(address: UInt, byteCount: Int)] = []

    /// A kept block of exactly `byteCount` bytes starting on an `alignment` boundary, most
    /// recently freed first (warmest in cache).
    mutating func take(byteCount: Int, alignment: UInt = 64) -> UnsafeMutableRawPointer? {
        guard let index = blocks.lastIndex(where: { $0.byteCount == byteCount && $0.address % alignment == 0 }) else { return nil }
        let block = blocks.remove(at: index)
        bytes -= byteCount
        return UnsafeMutableRawPointer(bitPattern: block.address)
    }

    /// Keeps a freed block; false when the limit leaves no room (the caller frees it).
    mutating func keep(_ pointer: UnsafeMutableRawPointer, byteCount: Int) -> Bool {
        guard byteCount <= limit else { return false }
        blocks.append((UInt(bitPattern: pointer), byteCount))
        bytes += byteCount
        trim()
        return true
    }

    /// Releases every kept block.
    mutating func releaseAll() { release(downTo: 0) }

    /// Releases the oldest blocks until the kept bytes fit the limit.
    mutating func trim() { release(downTo: limit) }

    /// Releases the oldest blocks until at most `target` bytes are kept.
    private mutating func release(downTo target: Int) {
        while bytes > target, !blocks.isEmpty {
            let block = blocks.removeFirst()
            bytes -= block.byteCount
            LargeAllocation.unmap(UnsafeMutableRawPointer(bitPattern: block.address)!, byteCount: block.byteCount)
        }
    }
}
