#ifndef CPREFETCH_H
#define CPREFETCH_H

// Software prefetch for the matrix-multiply kernels. Swift has no prefetch API, and reaching
// LLVM's intrinsic by symbol name breaks sanitizer builds (the call is emitted as an `invoke`),
// so this one-line inline function, imported and inlined by Swift, emits it instead:
// `prefetcht1` on x86-64, `prfm pldl2keep` on arm64, nothing where a target has no prefetch.

/// Asks for the cache line at `address` to be brought into L2 for reading, without waiting.
static inline __attribute__((always_inline)) void cpf_prefetch_l2(const void *address) {
    __builtin_prefetch(address, 0, 2);
}

#endif
