// The AVX-512 micro-kernel: 7 rows × 3 vectors (48 columns), 21 of the 32 vector registers.

#if CONVNEXT_VECTOR16
/// Computes one tile `c[r, 0..<48] = bias + Σₚ a[r·lda + p] · panel[p, 0..<48]` for
/// `r < rowCount` (1...7), over `depth` products, and stores it at `c` with row stride `ldc`.
///
/// Each step loads three weight vectors and seven broadcasts for 21 multiply-adds (the 7×32
/// tile: two and seven for 14), so the per-call work and the loads are spread over 50% more
/// arithmetic; ConvNeXt's K = 96 and 192 expansions are where that shows. One function with a
/// separate `var` accumulator per vector so the optimizer keeps all of them in registers; rows
/// past `rowCount` re-read the last valid row and are not stored. Not inlined: its callers pass
/// only pointers, and vectors crossing a call boundary would be split. Each step also
/// prefetches the next 64-byte line from `prefetch` into L2 (`depth` lines in all). Activations
/// are the caller's, on the stored tile: 21 inlined GELUs made this function so large that the
/// optimizer stopped inlining its vector loads (a call per load, 4x slower). With `residual`
/// (same row stride as `c`, possibly `c` itself) the tile is instead stored as
/// `residual + scale ⊙ tile` (see ``ResidualAdd``), saving a pass over a scratch tile.
@inline(never)
func matrixMicroKernel(
    _ a: UnsafePointer<Float>, lda: Int, rowCount: Int,
    panel: UnsafePointer<Float>, depth: Int, bias: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, prefetch: UnsafeRawPointer,
    residual: UnsafePointer<Float>? = nil, scale: UnsafePointer<Float>? = nil
) {
    let a0 = a
    let a1 = rowCount > 1 ? a0 + lda : a0
    let a2 = rowCount > 2 ? a1 + lda : a1
    let a3 = rowCount > 3 ? a2 + lda : a2
    let a4 = rowCount > 4 ? a3 + lda : a3
    let a5 = rowCount > 5 ? a4 + lda : a4
    let a6 = rowCount > 6 ? a5 + lda : a5
    var c00 = FloatVector(), c01 = FloatVector(), c02 = FloatVector()
    var c10 = FloatVector(), c11 = FloatVector(), c12 = FloatVector()
    var c20 = FloatVector(), c21 = FloatVector(), c22 = FloatVector()
    var c30 = FloatVector(), c31 = FloatVector(), c32 = FloatVector()
    var c40 = FloatVector(), c41 = FloatVector(), c42 = FloatVector()
    var c50 = FloatVector(), c51 = FloatVector(), c52 = FloatVector()
    var c60 = FloatVector(), c61 = FloatVector(), c62 = FloatVector()
    let vectorBytes = MemoryLayout<FloatVector>.stride
    var b = UnsafeRawPointer(panel)
    var p = 0
    while p < depth {
        let b0 = b.loadUnaligned(as: FloatVector.self)
        let b1 = b.loadUnaligned(fromByteOffset: vectorBytes, as: FloatVector.self)
        let b2 = b.loadUnaligned(fromByteOffset: 2 &* vectorBytes, as: FloatVector.self)
        prefetchToL2(prefetch + p &* 64)
        var x = FloatVector(repeating: a0[p])
        c00 = multiplyAdd(x, b0, c00); c01 = multiplyAdd(x, b1, c01); c02 = multiplyAdd(x, b2, c02)
        x = FloatVector(repeating: a1[p])
        c10 = multiplyAdd(x, b0, c10); c11 = multiplyAdd(x, b1, c11); c12 = multiplyAdd(x, b2, c12)
        x = FloatVector(repeating: a2[p])
        c20 = multiplyAdd(x, b0, c20); c21 = multiplyAdd(x, b1, c21); c22 = multiplyAdd(x, b2, c22)
        x = FloatVector(repeating: a3[p])
        c30 = multiplyAdd(x, b0, c30); c31 = multiplyAdd(x, b1, c31); c32 = multiplyAdd(x, b2, c32)
        x = FloatVector(repeating: a4[p])
        c40 = multiplyAdd(x, b0, c40); c41 = multiplyAdd(x, b1, c41); c42 = multiplyAdd(x, b2, c42)
        x = FloatVector(repeating: a5[p])
        c50 = multiplyAdd(x, b0, c50); c51 = multiplyAdd(x, b1, c51); c52 = multiplyAdd(x, b2, c52)
        x = FloatVector(repeating: a6[p])
        c60 = multiplyAdd(x, b0, c60); c61 = multiplyAdd(x, b1, c61); c62 = multiplyAdd(x, b2, c62)
        b += 3 &* vectorBytes
        p &+= 1
    }
    let lanes = vectorLanes
    let bias0 = FloatVector.load(bias), bias1 = FloatVector.load(bias + lanes), bias2 = FloatVector.load(bias + 2 &* lanes)
    c00 += bias0; c01 += bias1; c02 += bias2
    c10 += bias0; c11 += bias1; c12 += bias2
    c20 += bias0; c21 += bias1; c22 += bias2
    c30 += bias0; c31 += bias1; c32 += bias2
    c40 += bias0; c41 += bias1; c42 += bias2
    c50 += bias0; c51 += bias1; c52 += bias2
    c60 += bias0; c61 += bias1; c62 += bias2
    guard let residual else {
        var row = c
        c00.store(to: row); c01.store(to: row + lanes); c02.store(to: row + 2 &* lanes)
        guard rowCount > 1 else { return }
        row += ldc
        c10.store(to: row); c11.store(to: row + lanes); c12.store(to: row + 2 &* lanes)
        guard rowCount > 2 else { return }
        row += ldc
        c20.store(to: row); c21.store(to: row + lanes); c22.store(to: row + 2 &* lanes)
        guard rowCount > 3 else { return }
        row += ldc
        c30.store(to: row); c31.store(to: row + lanes); c32.store(to: row + 2 &* lanes)
        guard rowCount > 4 else { return }
        row += ldc
        c40.store(to: row); c41.store(to: row + lanes); c42.store(to: row + 2 &* lanes)
        guard rowCount > 5 else { return }
        row += ldc
        c50.store(to: row); c51.store(to: row + lanes); c52.store(to: row + 2 &* lanes)
        guard rowCount > 6 else { return }
        row += ldc
        c60.store(to: row); c61.store(to: row + lanes); c62.store(to: row + 2 &* lanes)
        return
    }
    let add = ResidualAdd(scale: scale)
    add.row(c00, c01, c02, residual, c)
    guard rowCount > 1 else { return }
    add.row(c10, c11, c12, residual + ldc, c + ldc)
    guard rowCount > 2 else { return }
    add.row(c20, c21, c22, residual + 2 &* ldc, c + 2 &* ldc)
    guard rowCount > 3 else { return }
    add.row(c30, c31, c32, residual + 3 &* ldc, c + 3 &* ldc)
    guard rowCount > 4 else { return }
    add.row(c40, c41, c42, residual + 4 &* ldc, c + 4 &* ldc)
    guard rowCount > 5 else { return }
    add.row(c50, c51, c52, residual + 5 &* ldc, c + 5 &* ldc)
    guard rowCount > 6 else { return }
    add.row(c60, c61, c62, residual + 6 &* ldc, c + 6 &* ldc)
}
#endif
