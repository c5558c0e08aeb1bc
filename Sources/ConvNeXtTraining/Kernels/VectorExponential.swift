// e^x for ``Lanes``: the same range reduction as ConvNeXtKernels' vector exp (which is internal
// to that module): x = n·ln2 + r, e^r by a degree-6 polynomial, 2ⁿ from its bit pattern.

#if CONVNEXT_VECTOR16
typealias IntegerLanes = SIMD16<Int32>
#elseif CONVNEXT_VECTOR8
typealias IntegerLanes = SIMD8<Int32>
#else
typealias IntegerLanes = SIMD4<Int32>
#endif

extension Lanes {
    /// `e^self`, within about 1 ulp for inputs in [-87.3, 88]; inputs outside are clamped there.
    @inline(__always)
    func exponential() -> Lanes {
        let upper = Lanes(repeating: 88), lower = Lanes(repeating: -87.3)
        var x = self.replacing(with: upper, where: self .> upper)
        x = x.replacing(with: lower, where: x .< lower)
        // Adding 1.5·2²³ rounds x·log2(e) to an integer held in the low mantissa bits.
        let magic = Lanes(repeating: 12_582_912)
        let shifted = magic.adding(x, times: Lanes(repeating: 1.442_695_04))
        let n = shifted - magic
        var r = x.adding(n, times: Lanes(repeating: -0.693_145_751_953_125))
        r = r.adding(n, times: Lanes(repeating: -1.428_606_765_330_187e-6))
        var p = Lanes(repeating: 0.001_381_461_3)
        p = Lanes(repeating: 0.008_368_71).adding(p, times: r)
        p = Lanes(repeating: 0.041_668_39).adding(p, times: r)
        p = Lanes(repeating: 0.166_665_21).adding(p, times: r)
        p = Lanes(repeating: 0.499_999_94).adding(p, times: r)
        let er = r.adding(p, times: r * r) + 1
        let integer = unsafeBitCast(shifted, to: IntegerLanes.self) &- unsafeBitCast(magic, to: IntegerLanes.self)
        return er * unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
    }
}
