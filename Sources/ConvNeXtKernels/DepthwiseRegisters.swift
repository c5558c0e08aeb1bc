// Register blocks for the 14-pixel input-stationary 7×7 depthwise kernel (AVX-512 builds).

#if CONVNEXT_VECTOR16
/// One kernel row's seven taps for a channel vector, held in registers.
struct SevenTaps {
    let t0, t1, t2, t3, t4, t5, t6: FloatVector

    @inline(__always)
    init(_ t0: FloatVector, _ t1: FloatVector, _ t2: FloatVector, _ t3: FloatVector, _ t4: FloatVector, _ t5: FloatVector, _ t6: FloatVector) {
        (self.t0, self.t1, self.t2, self.t3, self.t4, self.t5, self.t6) = (t0, t1, t2, t3, t4, t5, t6)
    }

    /// Tap `j` (0...6); folds to a register when `j` is a constant.
    @_transparent
    func callAsFunction(_ j: Int) -> FloatVector {
        switch j {
        case 0: t0
        case 1: t1
        case 2: t2
        case 3: t3
        case 4: t4
        case 5: t5
        default: t6
        }
    }
}

/// Fourteen vector accumulators: output pixels q = 0..<14 of a run, one channel vector.
struct FourteenVectors {
    var y0, y1, y2, y3, y4, y5, y6, y7, y8, y9, y10, y11, y12, y13: FloatVector

    @inline(__always)
    init(repeating value: FloatVector) {
        (y0, y1, y2, y3, y4, y5, y6) = (value, value, value, value, value, value, value)
        (y7, y8, y9, y10, y11, y12, y13) = (value, value, value, value, value, value, value)
    }

    /// Adds input column `m` (0..<20, pixel `w − 3 + m`) to every output q < `outputs` it
    /// reaches with tap `m − q`. `m` and `outputs` must be constants so the guards fold away
    /// after inlining, which `@inline(__always)` did not guarantee in this large caller (hence
    /// transparent).
    @_transparent
    mutating func feed(_ x: FloatVector, column m: Int, _ taps: SevenTaps, outputs: Int) {
        if outputs > 0 && m >= 0 && m <= 6 { y0 = multiplyAdd(taps(m), x, y0) }
        if outputs > 1 && m >= 1 && m <= 7 { y1 = multiplyAdd(taps(m &- 1), x, y1) }
        if outputs > 2 && m >= 2 && m <= 8 { y2 = multiplyAdd(taps(m &- 2), x, y2) }
        if outputs > 3 && m >= 3 && m <= 9 { y3 = multiplyAdd(taps(m &- 3), x, y3) }
        if outputs > 4 && m >= 4 && m <= 10 { y4 = multiplyAdd(taps(m &- 4), x, y4) }
        if outputs > 5 && m >= 5 && m <= 11 { y5 = multiplyAdd(taps(m &- 5), x, y5) }
        if outputs > 6 && m >= 6 && m <= 12 { y6 = multiplyAdd(taps(m &- 6), x, y6) }
        if outputs > 7 && m >= 7 && m <= 13 { y7 = multiplyAdd(taps(m &- 7), x, y7) }
        if outputs > 8 && m >= 8 && m <= 14 { y8 = multiplyAdd(taps(m &- 8), x, y8) }
        if outputs > 9 && m >= 9 && m <= 15 { y9 = multiplyAdd(taps(m &- 9), x, y9) }
        if outputs > 10 && m >= 10 && m <= 16 { y10 = multiplyAdd(taps(m &- 10), x, y10) }
        if outputs > 11 && m >= 11 && m <= 17 { y11 = multiplyAdd(taps(m &- 11), x, y11) }
        if outputs > 12 && m >= 12 && m <= 18 { y12 = multiplyAdd(taps(m &- 12), x, y12) }
        if outputs > 13 && m >= 13 && m <= 19 { y13 = multiplyAdd(taps(m &- 13), x, y13) }
    }

    /// Stores pixel q < count at `pointer + q·stride`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
        y0.store(to: pointer)
        if count > 1 { y1.store(to: pointer + stride) }
        if count > 2 { y2.store(to: pointer + 2 &* stride) }
        if count > 3 { y3.store(to: pointer + 3 &* stride) }
        if count > 4 { y4.store(to: pointer + 4 &* stride) }
        if count > 5 { y5.store(to: pointer + 5 &* stride) }
        if count > 6 { y6.store(to: pointer + 6 &* stride) }
        if count > 7 { y7.store(to: pointer + 7 &* stride) }
        if count > 8 { y8.store(to: pointer + 8 &* stride) }
        if count > 9 { y9.store(to: pointer + 9 &* stride) }
        if count > 10 { y10.store(to: pointer + 10 &* stride) }
        if count > 11 { y11.store(to: pointer + 11 &* stride) }
        if count > 12 { y12.store(to: pointer + 12 &* stride) }
        if count > 13 { y13.store(to: pointer + 13 &* stride) }
    }
}
#endif
