// Software prefetch. Swift has no prefetch API; LLVM's `llvm.prefetch` intrinsic is reached
// by its symbol name (it lowers to `prefetcht0/1/2` on x86-64 and `prfm` on arm64, and to
// nothing on targets without one). Arguments: address, 0 = read, locality 0...3, 1 = data.
@_silgen_name("llvm.prefetch.p0")
func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cache: Int32)

/// Asks for the cache line at `address` to be brought into L2 (not L1: what is prefetched is
/// a whole weight panel, larger than L1), without waiting for it.
@inline(__always)
func prefetchToL2(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 0, 2, 1)
}
