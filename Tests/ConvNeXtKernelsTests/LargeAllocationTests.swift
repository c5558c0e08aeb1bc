import Testing
@testable import ConvNeXtKernels

@Suite struct LargeAllocationTests {
    /// With huge pages asked for, blocks of 2 MB and more start on a 2 MB boundary, and every
    /// byte of them is usable; all blocks keep the 64-byte alignment tensors need.
    @Test(arguments: [100, 1 << 20, 2 << 20, (2 << 20) + 1, 5_000_001])
    func blocksAreAlignedAndUsable(byteCount: Int) {
        let (pointer, mapped) = LargeAllocation.allocate(byteCount: byteCount, hugePages: true)
        defer { LargeAllocation.deallocate(pointer, byteCount: byteCount, mapped: mapped) }
        let address = UInt(bitPattern: pointer)
        #expect(address % 64 == 0)
        #if os(Linux)
        if byteCount >= 2 << 20 { #expect(mapped && address % UInt(2 << 20) == 0) }
        #endif
        let bytes = pointer.bindMemory(to: UInt8.self, capacity: byteCount)
        for index in stride(from: 0, to: byteCount, by: 4093) { bytes[index] = UInt8(truncatingIfNeeded: index) }
        bytes[byteCount - 1] = 7
        #expect(stride(from: 0, to: byteCount - 1, by: 4093).allSatisfy { bytes[$0] == UInt8(truncatingIfNeeded: $0) })
        #expect(bytes[byteCount - 1] == 7)
    }

    /// A freed block of a megabyte or more goes back to the next allocation of its size (the
    /// default 4 MB of kept blocks), so a server's per-pass outputs are not mapped and cleared
    /// again every pass; huge-page requests take only kept blocks on a 2 MB boundary. (An odd
    /// size no other test allocates: tests run concurrently.)
    @Test func freedBlocksAreReused() {
        #if os(Linux)
        let byteCount = 1_234_567
        let (first, mapped) = LargeAllocation.allocate(byteCount: byteCount)
        #expect(mapped)
        LargeAllocation.deallocate(first, byteCount: byteCount, mapped: mapped)
        #expect(TensorMemoryCache.keptBytes >= byteCount)
        let (second, secondMapped) = LargeAllocation.allocate(byteCount: byteCount)
        #expect(second == first)
        LargeAllocation.deallocate(second, byteCount: byteCount, mapped: secondMapped)

        let hugeCount = (3 << 20) + 4 * 13
        let (small, smallMapped) = LargeAllocation.allocate(byteCount: hugeCount, hugePages: false)
        let smallAligned = UInt(bitPattern: small) % UInt(2 << 20) == 0
        LargeAllocation.deallocate(small, byteCount: hugeCount, mapped: smallMapped)
        let (huge, hugeMapped) = LargeAllocation.allocate(byteCount: hugeCount, hugePages: true)
        #expect(UInt(bitPattern: huge) % UInt(2 << 20) == 0)
        if !smallAligned { #expect(huge != small) }
        LargeAllocation.deallocate(huge, byteCount: hugeCount, mapped: hugeMapped)
        #endif
    }
}
