// Vector versions of the transcendental functions the activations need. Each is a few dozen
// vector instructions with no branches; coefficients are minimax fits made for this file
// (errors measured against double-precision references over the whole float range).

@usableFromInline enum VectorMath {
    /// `e^x`, within about 1 ulp for x in [-87.3, 88]; inputs outside are clamped there.
    @inline(__always) @usableFromInline
    static func exp(_ x: FloatVector) -> FloatVector {
        expInRange(x.minimum(FloatVector(repeating: 88)).maximum(FloatVector(repeating: -87.3)))
    }

    /// `e^x` for x already in [-87.3, 88] (no clamping; see ``exp(_:)``).
    @inline(__always) @usableFromInline
    static func expInRange(_ x: FloatVector) -> FloatVector {
        // x = n·ln2 + r with |r| ≤ ln2/2. Adding 1.5·2²³ rounds x·log2(e) to an integer n that
        // sits in the low mantissa bits, which avoids float→int conversions (slow in Swift's
        // generic SIMD code) and `rounded()` (a library call without SSE4.1).
        let magic = FloatVector(repeating: 12_582_912)
        let shifted = multiplyAdd(x, FloatVector(repeating: 1.442_695_04), magic)
        let n = shifted - magic
        // ln2 split in two so n·ln2High is exact.
        var r = multiplyAdd(n, FloatVector(repeating: -0.693_145_751_953_125), x)
        r = multiplyAdd(n, FloatVector(repeating: -1.428_606_765_330_187e-6), r)
        // e^r = 1 + r + r²·P(r)
        var p = FloatVector(repeating: 0.001_381_461_3)
        p = multiplyAdd(p, r, FloatVector(repeating: 0.008_368_71))
        p = multiplyAdd(p, r, FloatVector(repeating: 0.041_668_39))
        p = multiplyAdd(p, r, FloatVector(repeating: 0.166_665_21))
        p = multiplyAdd(p, r, FloatVector(repeating: 0.499_999_94))
        let er = multiplyAdd(p, r * r, r) + 1
        // 2ⁿ built from its bit pattern; n ∈ [-126, 127] after the clamp.
        let integer = unsafeBitCast(shifted, to: IntVector.self) &- unsafeBitCast(magic, to: IntVector.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: FloatVector.self)
        return er * scale
    }

    /// `|x|`.
    @inline(__always) @usableFromInline
    static func magnitude(_ x: FloatVector) -> FloatVector {
        unsafeBitCast(unsafeBitCast(x, to: IntVector.self) & 0x7FFF_FFFF, to: FloatVector.self)
    }

    /// `magnitude` with the sign of `sign`.
    @inline(__always) @usableFromInline
    static func copySign(_ magnitude: FloatVector, _ sign: FloatVector) -> FloatVector {
        let signBit = unsafeBitCast(sign, to: IntVector.self) & IntVector(repeating: Int32(bitPattern: 0x8000_0000))
        return unsafeBitCast(unsafeBitCast(magnitude, to: IntVector.self) | signBit, to: FloatVector.self)
    }

    /// Below this magnitude erf uses its odd series; above, `1 − erfc`.
    @usableFromInline static let erfSeriesLimit: Float = 0.921_875

    /// `erf(x)/x − 1` as a polynomial in x² for |x| ≤ ``erfSeriesLimit`` (relative error 1.6e-8).
    @inline(__always) @usableFromInline
    static func erfSeries(_ z: FloatVector) -> FloatVector {
        var s = FloatVector(repeating: -0.000_599_085_35)
        s = multiplyAdd(s, z, FloatVector(repeating: 0.004_993_180_3))
        s = multiplyAdd(s, z, FloatVector(repeating: -0.026_766_617))
        s = multiplyAdd(s, z, FloatVector(repeating: 0.112_818_16))
        s = multiplyAdd(s, z, FloatVector(repeating: -0.376_124_95))
        return multiplyAdd(s, z, FloatVector(repeating: 0.128_379_15))
    }

    /// `erfc(t)` for t ≥ ``erfSeriesLimit`` as `exp(−t² + U(t))`, U fitted on [0.92, 4] for
    /// uniform error 1.2e-8 in the exponent, so the result is accurate in relative terms (up to
    /// the rounding of −t² + U, about 2e-6 relative at t = 4). Returns 0 for t > 4, where
    /// erf(t) rounds to ±1.
    @inline(__always) @usableFromInline
    static func erfcTail(_ t: FloatVector) -> FloatVector {
        let four = FloatVector(repeating: 4)
        let tc = t.minimum(four)
        var u = FloatVector(repeating: 1.602_485_9e-6)
        u = multiplyAdd(u, tc, FloatVector(repeating: -4.535_449_6e-5))
        u = multiplyAdd(u, tc, FloatVector(repeating: 0.000_590_714_45))
        u = multiplyAdd(u, tc, FloatVector(repeating: -0.004_730_278))
        u = multiplyAdd(u, tc, FloatVector(repeating: 0.026_335_528))
        u = multiplyAdd(u, tc, FloatVector(repeating: -0.109_925_166))
        u = multiplyAdd(u, tc, FloatVector(repeating: 0.368_004_65))
        u = multiplyAdd(u, tc, FloatVector(repeating: -1.130_131_5))
        u = multiplyAdd(u, tc, FloatVector(repeating: 0.000_294_271_74))
        let e = exp(multiplyAdd(-tc, tc, u))
        return e.replacing(with: 0, where: t .> four)
    }

    /// The error function, absolute error below 1e-7 everywhere (about 1 ulp).
    @inline(__always) @usableFromInline
    static func erf(_ x: FloatVector) -> FloatVector {
        let t = magnitude(x)
        let small = multiplyAdd(erfSeries(x * x), x, x)
        let large = copySign(1 - erfcTail(t), x)
        return large.replacing(with: small, where: t .<= FloatVector(repeating: erfSeriesLimit))
    }

    /// Exact GELU, `x·Φ(x) = max(x, 0) − |x|·Q(|x|)` with `Q(a) = ½·erfc(a/√2)` the normal
    /// tail: `Q(a) = 2^T(a)`, T a degree-10 minimax fit of log₂ Q on [0, 4√2] (error 2.3e-7),
    /// the power of two split into an integer exponent and a degree-5 polynomial on [−½, ½].
    /// No cancellation, no clamping of the exponent (T ∈ [−26.3, −1]) and no separate scaling
    /// of x: 28 vector operations, relative error below 4.5e-7 for x ≥ −1 and 2.8e-6 down to
    /// x = −4√2, below which GELU (< 5e-8 in magnitude) is returned as 0, as PyTorch's float
    /// GELU does.
    ///
    /// T is evaluated by Estrin's scheme (pairs, then powers t², t⁴), not Horner's: a chain of
    /// ten dependent multiply-adds kept so many waiting operations in the scheduler that GELU
    /// ran at half the multiply-add rate. Three more operations, 40% less latency: 0.19
    /// instead of 0.24 ns per value on one Zen 5 core, and the MLPs with GELU 1–6% faster.
    @_transparent @usableFromInline
    static func gelu(_ x: FloatVector) -> FloatVector {
        let a = magnitude(x)
        let limit = FloatVector(repeating: 5.656_854)
        // Kept at least 1e-9 so t⁴ is never subnormal (slow on x86) for tiny x; T moves by 1e-9.
        let t = a.minimum(limit).maximum(FloatVector(repeating: 1e-9))
        let t2 = t * t, t4 = t2 * t2
        // T(t) = Σ cᵢ·tⁱ, grouped ((c₁₀t² + (c₉t + c₈))·t⁴ + (c₇t + c₆)t² + (c₅t + c₄))·t⁴ + (c₃t + c₂)t² + (c₁t + c₀).
        let p01 = multiplyAdd(FloatVector(repeating: -1.1511143e+00), t, FloatVector(repeating: -9.9999976e-01))
        let p23 = multiplyAdd(FloatVector(repeating: -5.2634902e-02), t, FloatVector(repeating: -4.591488e-01))
        let p45 = multiplyAdd(FloatVector(repeating: -1.9510364e-04), t, FloatVector(repeating: 7.205994e-03))
        let p67 = multiplyAdd(FloatVector(repeating: 5.247664e-05), t, FloatVector(repeating: -1.9195519e-04))
        let p89 = multiplyAdd(FloatVector(repeating: 5.1178534e-07), t, FloatVector(repeating: -7.064823e-06))
        let q0 = multiplyAdd(p23, t2, p01)
        let q1 = multiplyAdd(p67, t2, p45)
        let q2 = multiplyAdd(FloatVector(repeating: -1.5863124e-08), t2, p89)
        let p = multiplyAdd(multiplyAdd(q2, t4, q1), t4, q0)
        // 2^p = 2ⁿ·2^r with n = round(p): adding 1.5·2²³ + 127 leaves n + 127 in the low
        // mantissa bits, which shift into the exponent field.
        let magic = FloatVector(repeating: 12_583_039)
        let shifted = p + magic
        let r = p - (shifted - magic)
        var e = FloatVector(repeating: 1.3410005e-03)
        e = multiplyAdd(e, r, FloatVector(repeating: 9.676036e-03))
        e = multiplyAdd(e, r, FloatVector(repeating: 5.5502973e-02))
        e = multiplyAdd(e, r, FloatVector(repeating: 2.4022107e-01))
        e = multiplyAdd(e, r, FloatVector(repeating: 6.9314724e-01))
        e = multiplyAdd(e, r, FloatVector(repeating: 1.0000001e+00))
        let scale = unsafeBitCast(unsafeBitCast(shifted, to: IntVector.self) &<< 23, to: FloatVector.self)
        let q = (e * scale).replacing(with: 0, where: a .> limit)
        return multiplyAdd(-a, q, x.maximum(FloatVector()))
    }

    /// Hyperbolic tangent, within a few ulp: an odd polynomial near 0, `1 − 2/(e^{2|x|} + 1)` beyond.
    @inline(__always) @usableFromInline
    static func tanh(_ x: FloatVector) -> FloatVector {
        let t = magnitude(x)
        let z = x * x
        var p = FloatVector(repeating: -0.005_704_988_7)
        p = multiplyAdd(p, z, FloatVector(repeating: 0.020_639_088))
        p = multiplyAdd(p, z, FloatVector(repeating: -0.053_739_715))
        p = multiplyAdd(p, z, FloatVector(repeating: 0.133_314_42))
        p = multiplyAdd(p, z, FloatVector(repeating: -0.333_332_8))
        let small = multiplyAdd(p * z, x, x)
        let large = copySign(1 - 2 / (exp(t + t) + 1), x)
        return large.replacing(with: small, where: t .<= FloatVector(repeating: 0.625))
    }

    /// `1 / (1 + e^−x)`.
    @inline(__always) @usableFromInline
    static func sigmoid(_ x: FloatVector) -> FloatVector {
        1 / (1 + exp(-x))
    }
}
