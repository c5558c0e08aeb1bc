// Session 9's GELU variants (docs/performance.md, "Session 9"), timed side by side on 4096
// values in L1 on one thread, each checked against the double-precision definition.
//   A  the shipped `VectorMath.gelu`            F  Horner's scheme for T
//   C  2ⁿ applied to |x|, off the chain         G  C, t² + 1e-18, integer exponent, T in even/odd halves
//   D  C with t² = t·t + 1e-18 (no lower clamp) I  T from 16-entry vpermps tables (tables.swift)
//   J  I with 2^r from a table as well          K  A's T in Horner form, coefficients picked by blends
//                                                  (timing only: its coefficients are not a fit)
// Run: swiftc -Ounchecked -target-cpu skylake-avx512 main.swift tables.swift -o gelu && ./gelu
// (tables.swift comes from fit.py, run with numpy.)
import Foundation
import _Builtin_intrinsics.intel
typealias FloatVector = SIMD16<Float>
typealias IntVector = SIMD16<Int32>
@inline(__always) func multiplyAdd(_ a: FloatVector, _ b: FloatVector, _ c: FloatVector) -> FloatVector { c.addingProduct(a, b) }
@inline(__always) func magnitude(_ x: FloatVector) -> FloatVector {
    unsafeBitCast(unsafeBitCast(x, to: IntVector.self) & 0x7FFF_FFFF, to: FloatVector.self)
}
@inline(__always) func T(_ t: FloatVector, _ t2: FloatVector, _ t4: FloatVector) -> FloatVector {
    let p01 = multiplyAdd(FloatVector(repeating: -1.1511143e+00), t, FloatVector(repeating: -9.9999976e-01))
    let p23 = multiplyAdd(FloatVector(repeating: -5.2634902e-02), t, FloatVector(repeating: -4.591488e-01))
    let p45 = multiplyAdd(FloatVector(repeating: -1.9510364e-04), t, FloatVector(repeating: 7.205994e-03))
    let p67 = multiplyAdd(FloatVector(repeating: 5.247664e-05), t, FloatVector(repeating: -1.9195519e-04))
    let p89 = multiplyAdd(FloatVector(repeating: 5.1178534e-07), t, FloatVector(repeating: -7.064823e-06))
    let q0 = multiplyAdd(p23, t2, p01)
    let q1 = multiplyAdd(p67, t2, p45)
    let q2 = multiplyAdd(FloatVector(repeating: -1.5863124e-08), t2, p89)
    return multiplyAdd(multiplyAdd(q2, t4, q1), t4, q0)
}
@inline(__always) func hornerE(_ r: FloatVector) -> FloatVector {
    var e = FloatVector(repeating: 1.3410005e-03)
    e = multiplyAdd(e, r, FloatVector(repeating: 9.676036e-03))
    e = multiplyAdd(e, r, FloatVector(repeating: 5.5502973e-02))
    e = multiplyAdd(e, r, FloatVector(repeating: 2.4022107e-01))
    e = multiplyAdd(e, r, FloatVector(repeating: 6.9314724e-01))
    return multiplyAdd(e, r, FloatVector(repeating: 1.0000001e+00))
}
extension SIMD16 where Scalar == Float {
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: self .< other) }
    @inline(__always) func minimum(_ other: Self) -> Self { replacing(with: other, where: other .< self) }
}
let limitV = FloatVector(repeating: 5.656_854)
let magicV = FloatVector(repeating: 12_583_039)
// A: original
@inline(__always) func geluA(_ x: FloatVector) -> FloatVector {
    let a = magnitude(x)
    let t = a.minimum(limitV).maximum(FloatVector(repeating: 1e-9))
    let t2 = t * t, t4 = t2 * t2
    let p = T(t, t2, t4)
    let shifted = p + magicV
    let r = p - (shifted - magicV)
    let e = hornerE(r)
    let scale = unsafeBitCast(unsafeBitCast(shifted, to: IntVector.self) &<< 23, to: FloatVector.self)
    let q = (e * scale).replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-a, q, x.maximum(FloatVector()))
}
// C: Horner, early scale
@inline(__always) func geluC(_ x: FloatVector) -> FloatVector {
    let a = magnitude(x)
    let t = a.minimum(limitV).maximum(FloatVector(repeating: 1e-9))
    let t2 = t * t, t4 = t2 * t2
    let p = T(t, t2, t4)
    let shifted = p + magicV
    let r = p - (shifted - magicV)
    let scale = unsafeBitCast(unsafeBitCast(shifted, to: IntVector.self) &<< 23, to: FloatVector.self)
    let s = (a * scale).replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-s, hornerE(r), x.maximum(FloatVector()))
}
// D: C without the lower clamp (t2 = t·t + 1e-18 keeps t⁴ normal)
@inline(__always) func geluD(_ x: FloatVector) -> FloatVector {
    let a = magnitude(x)
    let t = a.minimum(limitV)
    let t2 = multiplyAdd(t, t, FloatVector(repeating: 1e-18)), t4 = t2 * t2
    let p = T(t, t2, t4)
    let shifted = p + magicV
    let r = p - (shifted - magicV)
    let scale = unsafeBitCast(unsafeBitCast(shifted, to: IntVector.self) &<< 23, to: FloatVector.self)
    let s = (a * scale).replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-s, hornerE(r), x.maximum(FloatVector()))
}
// E: D with the exponent added as an integer to e's bits (no multiply)

@inline(__always) func hornerT(_ t: FloatVector) -> FloatVector {
    var p = FloatVector(repeating: -1.5863124e-08)
    p = multiplyAdd(p, t, FloatVector(repeating: 5.1178534e-07))
    p = multiplyAdd(p, t, FloatVector(repeating: -7.064823e-06))
    p = multiplyAdd(p, t, FloatVector(repeating: 5.247664e-05))
    p = multiplyAdd(p, t, FloatVector(repeating: -1.9195519e-04))
    p = multiplyAdd(p, t, FloatVector(repeating: -1.9510364e-04))
    p = multiplyAdd(p, t, FloatVector(repeating: 7.205994e-03))
    p = multiplyAdd(p, t, FloatVector(repeating: -5.2634902e-02))
    p = multiplyAdd(p, t, FloatVector(repeating: -4.591488e-01))
    p = multiplyAdd(p, t, FloatVector(repeating: -1.1511143e+00))
    return multiplyAdd(p, t, FloatVector(repeating: -9.9999976e-01))
}
@inline(__always) func evenOddT(_ t: FloatVector, _ t2: FloatVector) -> FloatVector {
    var e = FloatVector(repeating: -1.5863124e-08)
    e = multiplyAdd(e, t2, FloatVector(repeating: -7.064823e-06))
    e = multiplyAdd(e, t2, FloatVector(repeating: -1.9195519e-04))
    e = multiplyAdd(e, t2, FloatVector(repeating: 7.205994e-03))
    e = multiplyAdd(e, t2, FloatVector(repeating: -4.591488e-01))
    e = multiplyAdd(e, t2, FloatVector(repeating: -9.9999976e-01))
    var o = FloatVector(repeating: 5.1178534e-07)
    o = multiplyAdd(o, t2, FloatVector(repeating: 5.247664e-05))
    o = multiplyAdd(o, t2, FloatVector(repeating: -1.9510364e-04))
    o = multiplyAdd(o, t2, FloatVector(repeating: -5.2634902e-02))
    o = multiplyAdd(o, t2, FloatVector(repeating: -1.1511143e+00))
    return multiplyAdd(o, t, e)
}
@inline(__always) func tailE(_ p: FloatVector, _ a: FloatVector, _ relu: FloatVector) -> FloatVector {
    let shifted = p + FloatVector(repeating: 12_582_912)
    let r = p - (shifted - FloatVector(repeating: 12_582_912))
    let e = hornerE(r)
    let q = unsafeBitCast(unsafeBitCast(e, to: IntVector.self) &+ (unsafeBitCast(shifted, to: IntVector.self) &<< 23), to: FloatVector.self)
    let aa = a.replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-aa, q, relu)
}
@inline(__always) func geluF(_ x: FloatVector) -> FloatVector {
    let a = magnitude(x)
    let t = a.minimum(limitV).maximum(FloatVector(repeating: 1e-9))
    return tailE(hornerT(t), a, x.maximum(FloatVector()))
}
@inline(__always) func geluG(_ x: FloatVector) -> FloatVector {
    let a = magnitude(x)
    let t = a.minimum(limitV)
    return tailE(evenOddT(t, multiplyAdd(t, t, FloatVector(repeating: 1e-18))), a, x.maximum(FloatVector()))
}

@inline(__always) func lookup(_ table: FloatVector, _ index: FloatVector) -> FloatVector {
    _mm512_permutexvar_ps(unsafeBitCast(index, to: __m512i.self), table)
}
struct Tab { var c0, c1, c2, c3, c4, e: FloatVector }
@inline(__always) func geluI(_ x: FloatVector, _ tb: Tab) -> FloatVector {
    let (tc0, tc1, tc2, tc3, tc4) = (tb.c0, tb.c1, tb.c2, tb.c3, tb.c4)
    let a = magnitude(x)
    let t = a.minimum(limitV)
    let magic = FloatVector(repeating: 12_582_912)
    let wm = multiplyAdd(t, FloatVector(repeating: 2.828), FloatVector(repeating: -0.5))
    let s = wm + magic
    let v = wm - (s - magic)
    var p = multiplyAdd(lookup(tc4, s), v, lookup(tc3, s))
    p = multiplyAdd(p, v, lookup(tc2, s))
    p = multiplyAdd(p, v, lookup(tc1, s))
    p = multiplyAdd(p, v, lookup(tc0, s))
    let shifted = p + magicV
    let r = p - (shifted - magicV)
    let e = hornerE(r)
    let scale = unsafeBitCast(unsafeBitCast(shifted, to: IntVector.self) &<< 23, to: FloatVector.self)
    let q = (e * scale).replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-a, q, x.maximum(FloatVector()))
}
@inline(__always) func geluJ(_ x: FloatVector, _ tb: Tab) -> FloatVector {
    let (tc016, tc116, tc216, tc316, tc416, expTable) = (tb.c0, tb.c1, tb.c2, tb.c3, tb.c4, tb.e)
    let a = magnitude(x)
    let t = a.minimum(limitV)
    let magic = FloatVector(repeating: 12_582_912)
    let wm = multiplyAdd(t, FloatVector(repeating: 2.828), FloatVector(repeating: -0.5))
    let s = wm + magic
    let v = wm - (s - magic)
    var y = multiplyAdd(lookup(tc416, s), v, lookup(tc316, s))
    y = multiplyAdd(y, v, lookup(tc216, s))
    y = multiplyAdd(y, v, lookup(tc116, s))
    y = multiplyAdd(y, v, lookup(tc016, s))
    let magic2 = FloatVector(repeating: 12_584_944)
    let s2 = y + magic2
    let r = y - (s2 - magic2)
    let big = lookup(expTable, s2)
    let d = FloatVector(repeating: 0.0433216987)
    var pp = multiplyAdd(FloatVector(repeating: 1.35505e-05), r, FloatVector(repeating: 0.000938384))
    pp = multiplyAdd(pp, r, d)
    let e = multiplyAdd(big * r, pp, big)
    let scale = unsafeBitCast((unsafeBitCast(s2, to: IntVector.self) &>> 4) &<< 23, to: FloatVector.self)
    let scaled = (a * scale).replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-scaled, e, x.maximum(FloatVector()))
}

@inline(__always) func geluK(_ x: FloatVector) -> FloatVector {
    let a = magnitude(x)
    let t = a.minimum(limitV).maximum(FloatVector(repeating: 1e-9))
    let m = t .> FloatVector(repeating: 2.6)
    @inline(__always) func c(_ lo: Float, _ hi: Float) -> FloatVector { FloatVector(repeating: lo).replacing(with: FloatVector(repeating: hi), where: m) }
    var p = c(-1.5863124e-08, -1.5863125e-08)
    p = multiplyAdd(p, t, c(5.1178534e-07, 5.1178535e-07))
    p = multiplyAdd(p, t, c(-7.064823e-06, -7.064824e-06))
    p = multiplyAdd(p, t, c(5.247664e-05, 5.247665e-05))
    p = multiplyAdd(p, t, c(-1.9195519e-04, -1.9195518e-04))
    p = multiplyAdd(p, t, c(-5.2634902e-02, -5.2634903e-02))
    p = multiplyAdd(p, t, c(-4.591488e-01, -4.591489e-01))
    p = multiplyAdd(p, t, c(-1.1511143e+00, -1.1511144e+00))
    p = multiplyAdd(p, t, c(-9.9999976e-01, -9.9999977e-01))
    let shifted = p + magicV
    let r = p - (shifted - magicV)
    let e = hornerE(r)
    let scale = unsafeBitCast(unsafeBitCast(shifted, to: IntVector.self) &<< 23, to: FloatVector.self)
    let q = (e * scale).replacing(with: 0, where: a .> limitV)
    return multiplyAdd(-a, q, x.maximum(FloatVector()))
}

typealias F = (FloatVector) -> FloatVector
@inline(__always) func apply(_ v: UnsafeMutablePointer<Float>, _ n: Int, _ f: F) {
    var i = 0
    let raw = UnsafeMutableRawPointer(v)
    while i + 64 <= n {
        let p = raw + i * 4
        let x0 = p.loadUnaligned(as: FloatVector.self), x1 = p.loadUnaligned(fromByteOffset: 64, as: FloatVector.self)
        let x2 = p.loadUnaligned(fromByteOffset: 128, as: FloatVector.self), x3 = p.loadUnaligned(fromByteOffset: 192, as: FloatVector.self)
        let y0 = f(x0), y1 = f(x1), y2 = f(x2), y3 = f(x3)
        p.storeBytes(of: y0, as: FloatVector.self); p.storeBytes(of: y1, toByteOffset: 64, as: FloatVector.self)
        p.storeBytes(of: y2, toByteOffset: 128, as: FloatVector.self); p.storeBytes(of: y3, toByteOffset: 192, as: FloatVector.self)
        i += 64
    }
}
@inline(never) func runA(_ v: UnsafeMutablePointer<Float>, _ n: Int) { apply(v, n, geluA) }
@inline(never) func runC(_ v: UnsafeMutablePointer<Float>, _ n: Int) { apply(v, n, geluC) }
@inline(never) func runD(_ v: UnsafeMutablePointer<Float>, _ n: Int) { apply(v, n, geluD) }
@inline(never) func runF(_ v: UnsafeMutablePointer<Float>, _ n: Int) { apply(v, n, geluF) }
@inline(never) func runG(_ v: UnsafeMutablePointer<Float>, _ n: Int) { apply(v, n, geluG) }
@inline(never) func runI(_ v: UnsafeMutablePointer<Float>, _ n: Int) { let tb = Tab(c0: tc0, c1: tc1, c2: tc2, c3: tc3, c4: tc4, e: expTable); apply(v, n) { geluI($0, tb) } }
@inline(never) func runJ(_ v: UnsafeMutablePointer<Float>, _ n: Int) { let tb = Tab(c0: tc016, c1: tc116, c2: tc216, c3: tc316, c4: tc416, e: expTable); apply(v, n) { geluJ($0, tb) } }
@inline(never) func runK(_ v: UnsafeMutablePointer<Float>, _ n: Int) { apply(v, n, geluK) }

func cpuTime() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
let n = 4096
var src = [Float](repeating: 0, count: n)
var seed: UInt64 = 1
for i in 0..<n { seed = seed &* 6364136223846793005 &+ 1442695040888963407; src[i] = Float(Double(seed >> 40) / Double(1 << 24) * 8 - 4) }
var buf = src
let variants: [(String, (UnsafeMutablePointer<Float>, Int) -> Void)] = [("A", runA), ("C", runC), ("D", runD), ("F", runF), ("G", runG), ("I", runI), ("J", runJ), ("K", runK)]
// accuracy
let grid: [Float] = [1e-30, -1e-30, 1e-12, -1e-12, 3e-10, -3e-10, .leastNormalMagnitude, 1e30, -1e30, .infinity, -.infinity] + (0..<200_053).map { Float(-12 + Double($0) * 1.2e-4) }
for (name, f) in variants {
    var g = grid + [Float](repeating: 0, count: 64)
    g.withUnsafeMutableBufferPointer { f($0.baseAddress!, grid.count + 63) }
    var worst = 0.0, worstAbsTail = 0.0
    for (x, y) in zip(grid, g) where x.isFinite {
        let exact = 0.5 * Double(x) * erfc(-Double(x) / 2.0.squareRoot())
        if Double(x) >= -4 * 2.0.squareRoot() && abs(x) < 1e29 { worst = max(worst, abs(Double(y) - exact) / max(abs(exact), 1e-37)) }
        else if x < 0 { worstAbsTail = max(worstAbsTail, abs(Double(y) - exact)) }
    }
    print(name, "rel", worst, "tail abs", worstAbsTail, "specials:", g[0..<11].map { "\($0)" }.joined(separator: " "))
}
for round in 0..<3 {
    var line = "round \(round):"
    for (name, f) in variants {
        var best = 1e9
        buf.withUnsafeMutableBufferPointer { b in
            src.withUnsafeBufferPointer { s in
                for _ in 0..<20 {
                    let t0 = cpuTime()
                    for _ in 0..<200 { b.baseAddress!.update(from: s.baseAddress!, count: n); f(b.baseAddress!, n) }
                    best = min(best, (cpuTime() - t0) / 200)
                }
            }
        }
        line += String(format: "  %@ %.3f ns", name, best * 1e9 / Double(n))
    }
    print(line)
}
