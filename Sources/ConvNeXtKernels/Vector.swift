// The vector type every kernel is written in, chosen when the package is built (see
// Package.swift's `CONVNEXT_SIMD`): 16 lanes for AVX-512, 8 for AVX2, otherwise 4, which
// every x86-64 (SSE2) and arm64 (NEON) CPU runs natively.

#if CONVNEXT_VECTOR16
/// The SIMD vector the kernels compute with.
@usableFromInline typealias FloatVector = SIMD16<Float>
@usableFromInline typealias IntVector = SIMD16<Int32>
#elseif CONVNEXT_VECTOR8
@usableFromInline typealias FloatVector = SIMD8<Float>
@usableFromInline typealias IntVector = SIMD8<Int32>
#else
@usableFromInline typealias FloatVector = SIMD4<Float>
@usableFromInline typealias IntVector = SIMD4<Int32>
#endif

/// Lanes in a ``FloatVector``.
@usableFromInline let vectorLanes = FloatVector.scalarCount

/// `a·b + c`, fused where the target has fused multiply-add. Without it (baseline x86-64),
/// `addingProduct` compiles to a scalar `fmaf` library call per lane, so the portable build
/// multiplies and adds separately.
@inline(__always) @usableFromInline
func multiplyAdd(_ a: FloatVector, _ b: FloatVector, _ c: FloatVector) -> FloatVector {
    #if CONVNEXT_FMA || arch(arm64)
    return c.addingProduct(a, b)
    #else
    return a * b + c
    #endif
}

extension FloatVector {
    /// Loads a vector from `pointer`, which need not be aligned.
    @inline(__always) @usableFromInline
    static func load(_ pointer: UnsafePointer<Float>) -> FloatVector {
        UnsafeRawPointer(pointer).loadUnaligned(as: FloatVector.self)
    }

    /// Stores the vector at `pointer`, which need not be aligned.
    @inline(__always) @usableFromInline
    func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: FloatVector.self)
    }

    /// Loads `count < scalarCount` values, zero-filling the other lanes.
    @inline(__always) @usableFromInline
    static func loadPartial(_ pointer: UnsafePointer<Float>, count: Int) -> FloatVector {
        var result = FloatVector()
        for lane in 0..<count { result[lane] = pointer[lane] }
        return result
    }

    /// Stores the first `count` lanes.
    @inline(__always) @usableFromInline
    func storePartial(to pointer: UnsafeMutablePointer<Float>, count: Int) {
        for lane in 0..<count { pointer[lane] = self[lane] }
    }

    /// Lane-wise maximum. (The standard `pointwiseMax` handles NaN per IEEE and compiles to
    /// a scalar loop; a compare-and-select is one instruction.)
    @inline(__always) @usableFromInline
    func maximum(_ other: FloatVector) -> FloatVector {
        replacing(with: other, where: self .< other)
    }

    /// Lane-wise minimum; see ``maximum(_:)``.
    @inline(__always) @usableFromInline
    func minimum(_ other: FloatVector) -> FloatVector {
        replacing(with: other, where: other .< self)
    }

    /// The sum of the lanes, added pairwise (the standard `sum()` adds lane by lane in order).
    @inline(__always) @usableFromInline
    func laneSum() -> Float {
        #if CONVNEXT_VECTOR16
        let half = lowHalf + highHalf
        let quarter = half.lowHalf + half.highHalf
        #elseif CONVNEXT_VECTOR8
        let quarter = lowHalf + highHalf
        #else
        let quarter = self
        #endif
        let pair = quarter.lowHalf + quarter.highHalf
        return pair[0] + pair[1]
    }

    /// The largest lane.
    @inline(__always) @usableFromInline
    func laneMaximum() -> Float {
        #if CONVNEXT_VECTOR16
        let half = lowHalf.replacing(with: highHalf, where: lowHalf .< highHalf)
        let quarter = half.lowHalf.replacing(with: half.highHalf, where: half.lowHalf .< half.highHalf)
        #elseif CONVNEXT_VECTOR8
        let quarter = lowHalf.replacing(with: highHalf, where: lowHalf .< highHalf)
        #else
        let quarter = self
        #endif
        let pair = quarter.lowHalf.replacing(with: quarter.highHalf, where: quarter.lowHalf .< quarter.highHalf)
        return Swift.max(pair[0], pair[1])
    }
}
