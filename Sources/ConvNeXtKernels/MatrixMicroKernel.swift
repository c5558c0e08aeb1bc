/// The register tile of the matrix-multiply micro-kernel: ``rows`` × ``columns`` outputs.
///
/// Six rows × two vectors (12 accumulators) fit the 16 vector registers of SSE, NEON and AVX2
/// with room for the two weight vectors and a broadcast input. AVX-512 has 32 registers and
/// takes seven rows, which divides every row count of ConvNeXt at 224×224 (3136, 784, 196, 49),
/// by three vectors, 48 columns, which divides all its widths (96 · 2ᵏ): 21 accumulators, three
/// weight vectors and a broadcast (see `MatrixMicroKernel+AVX512.swift`).
@usableFromInline enum MatrixTile {
    #if CONVNEXT_VECTOR16
    /// Input rows per tile (MR).
    @usableFromInline static let rows = 7
    /// Output columns per tile (NR): three vectors.
    @usableFromInline static let columns = 3 * vectorLanes
    #else
    /// Input rows per tile (MR).
    @usableFromInline static let rows = 6
    /// Output columns per tile (NR): two vectors.
    @usableFromInline static let columns = 2 * vectorLanes
    #endif
}

/// The residual-adding store of a micro-kernel tile row: `y = r + scale ⊙ t`, one rounding
/// (a multiply-add; a missing layer scale is a scale of 1, so `y = r + t` exactly as an add).
struct ResidualAdd {
    let s0: FloatVector, s1: FloatVector
    #if CONVNEXT_VECTOR16
    let s2: FloatVector
    #endif

    @inline(__always)
    init(scale: UnsafePointer<Float>?) {
        let one = FloatVector(repeating: 1)
        s0 = scale.map { FloatVector.load($0) } ?? one
        s1 = scale.map { FloatVector.load($0 + vectorLanes) } ?? one
        #if CONVNEXT_VECTOR16
        s2 = scale.map { FloatVector.load($0 + 2 &* vectorLanes) } ?? one
        #endif
    }

    #if CONVNEXT_VECTOR16
    @inline(__always)
    func row(_ t0: FloatVector, _ t1: FloatVector, _ t2: FloatVector, _ r: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let lanes = vectorLanes
        let y0 = multiplyAdd(s0, t0, FloatVector.load(r)), y1 = multiplyAdd(s1, t1, FloatVector.load(r + lanes))
        let y2 = multiplyAdd(s2, t2, FloatVector.load(r + 2 &* lanes))
        y0.store(to: y); y1.store(to: y + lanes); y2.store(to: y + 2 &* lanes)
    }
    #else
    @inline(__always)
    func row(_ t0: FloatVector, _ t1: FloatVector, _ r: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let y0 = multiplyAdd(s0, t0, FloatVector.load(r)), y1 = multiplyAdd(s1, t1, FloatVector.load(r + vectorLanes))
        y0.store(to: y); y1.store(to: y + vectorLanes)
    }
    #endif
}

#if !CONVNEXT_VECTOR16

/// Computes one tile `c[r, 0..<NR] = bias + Σₚ a[r·lda + p] · panel[p, 0..<NR]` for
/// `r < rowCount` (1...``MatrixTile/rows``), over `depth` products, and stores it at `c` with row stride `ldc`.
///
/// One function with a separate `var` accumulator per vector of the tile so the optimizer keeps all of them in
/// registers; rows past `rowCount` re-read the last valid row and are not stored. Not inlined:
/// its callers pass only pointers, and vectors crossing a call boundary would be split.
/// Each step also prefetches the next 64-byte line from `prefetch` into L2 (`depth` lines in
/// all): the caller points it at weights it will need next, or at ones already cached.
/// With `residual` (same row stride as `c`, possibly `c` itself) the tile is instead stored
/// as `residual + scale ⊙ tile` (see ``ResidualAdd``).
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
    var c00 = FloatVector(), c01 = FloatVector()
    var c10 = FloatVector(), c11 = FloatVector()
    var c20 = FloatVector(), c21 = FloatVector()
    var c30 = FloatVector(), c31 = FloatVector()
    var c40 = FloatVector(), c41 = FloatVector()
    var c50 = FloatVector(), c51 = FloatVector()
    let vectorBytes = MemoryLayout<FloatVector>.stride
    var b = UnsafeRawPointer(panel)
    var p = 0
    while p < depth {
        let b0 = b.loadUnaligned(as: FloatVector.self)
        let b1 = b.loadUnaligned(fromByteOffset: vectorBytes, as: FloatVector.self)
        prefetchToL2(prefetch + p &* 64)
        var x = FloatVector(repeating: a0[p])
        c00 = multiplyAdd(x, b0, c00); c01 = multiplyAdd(x, b1, c01)
        x = FloatVector(repeating: a1[p])
        c10 = multiplyAdd(x, b0, c10); c11 = multiplyAdd(x, b1, c11)
        x = FloatVector(repeating: a2[p])
        c20 = multiplyAdd(x, b0, c20); c21 = multiplyAdd(x, b1, c21)
        x = FloatVector(repeating: a3[p])
        c30 = multiplyAdd(x, b0, c30); c31 = multiplyAdd(x, b1, c31)
        x = FloatVector(repeating: a4[p])
        c40 = multiplyAdd(x, b0, c40); c41 = multiplyAdd(x, b1, c41)
        x = FloatVector(repeating: a5[p])
        c50 = multiplyAdd(x, b0, c50); c51 = multiplyAdd(x, b1, c51)
        b += 2 &* vectorBytes
        p &+= 1
    }
    let bias0 = FloatVector.load(bias), bias1 = FloatVector.load(bias + vectorLanes)
    let lanes = vectorLanes
    c00 += bias0; c01 += bias1; c10 += bias0; c11 += bias1; c20 += bias0; c21 += bias1
    c30 += bias0; c31 += bias1; c40 += bias0; c41 += bias1; c50 += bias0; c51 += bias1
    guard let residual else {
        c00.store(to: c); c01.store(to: c + lanes)
        guard rowCount > 1 else { return }
        var row = c + ldc
        c10.store(to: row); c11.store(to: row + lanes)
        guard rowCount > 2 else { return }
        row += ldc
        c20.store(to: row); c21.store(to: row + lanes)
        guard rowCount > 3 else { return }
        row += ldc
        c30.store(to: row); c31.store(to: row + lanes)
        guard rowCount > 4 else { return }
        row += ldc
        c40.store(to: row); c41.store(to: row + lanes)
        guard rowCount > 5 else { return }
        row += ldc
        c50.store(to: row); c51.store(to: row + lanes)
        return
    }
    let add = ResidualAdd(scale: scale)
    add.row(c00, c01, residual, c)
    guard rowCount > 1 else { return }
    add.row(c10, c11, residual + ldc, c + ldc)
    guard rowCount > 2 else { return }
    add.row(c20, c21, residual + 2 &* ldc, c + 2 &* ldc)
    guard rowCount > 3 else { return }
    add.row(c30, c31, residual + 3 &* ldc, c + 3 &* ldc)
    guard rowCount > 4 else { return }
    add.row(c40, c41, residual + 4 &* ldc, c + 4 &* ldc)
    guard rowCount > 5 else { return }
    add.row(c50, c51, residual + 5 &* ldc, c + 5 &* ldc)
}
#endif
