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
}
