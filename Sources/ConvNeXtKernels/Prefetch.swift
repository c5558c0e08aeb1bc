import CPrefetch

/// Asks for the cache line at `address` to be brought into L2 (not L1: what is prefetched is
/// a whole weight panel, larger than L1), without waiting for it.
@inline(__always)
func prefetchToL2(_ address: UnsafeRawPointer) {
    cpf_prefetch_l2(address)
}
