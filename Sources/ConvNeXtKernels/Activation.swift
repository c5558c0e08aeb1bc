import Foundation

/// Element-wise activation functions, covering those a transformers config can name in `hidden_act`.
public enum Activation: Sendable, Equatable {
    /// x·Φ(x) with the exact error function.
    case gelu
    /// GELU's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    case geluTanh
    /// Exact GELU clipped to [-10, 10].
    case geluClipped
    /// x·σ(1.702·x).
    case quickGELU
    case relu
    /// relu(x)².
    case reluSquared
    /// min(max(x, 0), 6).
    case relu6
    /// x for x ≥ 0, 0.01·x otherwise.
    case leakyReLU
    /// x·σ(x), also called swish.
    case silu
    /// x·tanh(softplus(x)).
    case mish
    case tanh
    case sigmoid
    /// 0.5·(1 + erf((x − 0.707107) / (0.282095·√2))).
    case laplace
    case identity

    /// The activation applied to a single value (the reference definition).
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .gelu: return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot().float))
        case .geluTanh: return 0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
        case .geluClipped: return Swift.min(Swift.max(Activation.gelu(x), -10), 10)
        case .quickGELU: return x / (1 + Foundation.exp(-1.702 * x))
        case .relu: return Swift.max(x, 0)
        case .reluSquared: let r = Swift.max(x, 0); return r * r
        case .relu6: return Swift.min(Swift.max(x, 0), 6)
        case .leakyReLU: return x >= 0 ? x : 0.01 * x
        case .silu: return x / (1 + Foundation.exp(-x))
        case .mish: return x * Foundation.tanh(x > 20 ? x : Foundation.log1p(Foundation.exp(x)))
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .laplace: return 0.5 * (1 + Foundation.erf((x - 0.707107) / (0.282095 * 2.0.squareRoot().float)))
        case .identity: return x
        }
    }

    /// Applies the activation in place to `count` values, vectorized (exact GELU through a
    /// polynomial in the exponent of the normal tail, relative error below 4.2e-7 for x ≥ −1; see `VectorMath`).
    public func apply(to values: UnsafeMutablePointer<Float>, count: Int) {
        apply(rows: values, rowCount: 1, columns: count, rowStride: count)
    }

    /// Applies the activation in place to `columns` values in each of `rowCount` rows that
    /// start `rowStride` values apart (a tile of a matrix). One dispatch for the whole tile.
    func apply(rows values: UnsafeMutablePointer<Float>, rowCount: Int, columns count: Int, rowStride: Int) {
        switch self {
        case .identity: return
        case .gelu: Activation.applyGELU(values, rowCount, count, rowStride)
        case .geluTanh:
            Activation.map(values, rowCount, count, rowStride) { x in
                let inner = x * multiplyAdd(x * x, FloatVector(repeating: 0.035_677_408_136_300_125), FloatVector(repeating: 0.797_884_560_802_865_4))
                return (0.5 * x) * (1 + VectorMath.tanh(inner))
            }
        case .geluClipped:
            Activation.map(values, rowCount, count, rowStride) {
                VectorMath.gelu($0).maximum(FloatVector(repeating: -10)).minimum(FloatVector(repeating: 10))
            }
        case .quickGELU: Activation.map(values, rowCount, count, rowStride) { $0 * VectorMath.sigmoid(1.702 * $0) }
        case .relu: Activation.map(values, rowCount, count, rowStride) { $0.maximum(FloatVector()) }
        case .reluSquared: Activation.map(values, rowCount, count, rowStride) { let r = $0.maximum(FloatVector()); return r * r }
        case .relu6: Activation.map(values, rowCount, count, rowStride) { $0.maximum(FloatVector()).minimum(FloatVector(repeating: 6)) }
        case .leakyReLU: Activation.map(values, rowCount, count, rowStride) { $0.replacing(with: 0.01 * $0, where: $0 .< 0) }
        case .silu: Activation.map(values, rowCount, count, rowStride) { $0 * VectorMath.sigmoid($0) }
        case .mish:
            // tanh(log(1 + eˣ)) = n / (n + 2) with n = eˣ·(eˣ + 2); x itself beyond 20.
            Activation.map(values, rowCount, count, rowStride) { x in
                let e = VectorMath.exp(x.minimum(FloatVector(repeating: 20)))
                let n = e * (e + 2)
                return (x * n / (n + 2)).replacing(with: x, where: x .> FloatVector(repeating: 20))
            }
        case .tanh: Activation.map(values, rowCount, count, rowStride) { VectorMath.tanh($0) }
        case .sigmoid: Activation.map(values, rowCount, count, rowStride) { VectorMath.sigmoid($0) }
        case .laplace:
            Activation.map(values, rowCount, count, rowStride) { x in
                let u = (x - 0.707_107) * FloatVector(repeating: Float(1 / (0.282_095 * 2.0.squareRoot())))
                return 0.5 * (1 + VectorMath.erf(u))
            }
        }
    }

    /// Replaces each value `v` by `transform(v)` in `rowCount` rows of `count` values that start
    /// `rowStride` apart. Four vectors per step: the transforms are long dependency chains, and
    /// interleaving independent ones keeps the floating-point units busier.
    @inline(__always)
    static func map(
        _ values: UnsafeMutablePointer<Float>, _ rowCount: Int, _ count: Int, _ rowStride: Int,
        _ transform: (FloatVector) -> FloatVector
    ) {
        let lanes = vectorLanes
        var firstRow = 0
        if count == 2 &* lanes {
            // A matrix tile: two rows at a time, so four independent vectors are in flight.
            while firstRow &+ 2 <= rowCount {
                let x = values + firstRow &* rowStride, z = x + rowStride
                let y0 = transform(FloatVector.load(x)), y1 = transform(FloatVector.load(x + lanes))
                let y2 = transform(FloatVector.load(z)), y3 = transform(FloatVector.load(z + lanes))
                y0.store(to: x); y1.store(to: x + lanes); y2.store(to: z); y3.store(to: z + lanes)
                firstRow &+= 2
            }
        }
        for row in firstRow..<rowCount {
            let values = values + row &* rowStride
            var index = 0
            while index &+ 4 &* lanes <= count {
                let x = values + index
                let y0 = transform(FloatVector.load(x)), y1 = transform(FloatVector.load(x + lanes))
                let y2 = transform(FloatVector.load(x + 2 &* lanes)), y3 = transform(FloatVector.load(x + 3 &* lanes))
                y0.store(to: x); y1.store(to: x + lanes); y2.store(to: x + 2 &* lanes); y3.store(to: x + 3 &* lanes)
                index &+= 4 &* lanes
            }
            while index &+ lanes <= count {
                transform(FloatVector.load(values + index)).store(to: values + index)
                index &+= lanes
            }
            if index < count {
                transform(FloatVector.loadPartial(values + index, count: count &- index))
                    .storePartial(to: values + index, count: count &- index)
            }
        }
    }

    /// ``map(_:_:_:_:_:)`` for exact GELU, spelled out so that its four vectors per step are
    /// inlined whatever the optimizer decides about closures.
    @inline(never)
    static func applyGELU(_ values: UnsafeMutablePointer<Float>, _ rowCount: Int, _ count: Int, _ rowStride: Int) {
        let lanes = vectorLanes
        for row in 0..<rowCount {
            let values = values + row &* rowStride
            var index = 0
            while index &+ 4 &* lanes <= count {
                let x = values + index
                let y0 = VectorMath.gelu(FloatVector.load(x)), y1 = VectorMath.gelu(FloatVector.load(x + lanes))
                let y2 = VectorMath.gelu(FloatVector.load(x + 2 &* lanes)), y3 = VectorMath.gelu(FloatVector.load(x + 3 &* lanes))
                y0.store(to: x); y1.store(to: x + lanes); y2.store(to: x + 2 &* lanes); y3.store(to: x + 3 &* lanes)
                index &+= 4 &* lanes
            }
            // Whole vectors left (a 48-column tile row): the partial path below is scalar code.
            while index &+ lanes <= count {
                let x = values + index
                VectorMath.gelu(FloatVector.load(x)).store(to: x)
                index &+= lanes
            }
            if index < count {
                VectorMath.gelu(FloatVector.loadPartial(values + index, count: count &- index))
                    .storePartial(to: values + index, count: count &- index)
            }
        }
    }

    /// Replaces each of `count` values `v` by `transform(v)`.
    @inline(__always)
    static func map(_ values: UnsafeMutablePointer<Float>, _ count: Int, _ transform: (FloatVector) -> FloatVector) {
        map(values, 1, count, count, transform)
    }
}

private extension Double {
    var float: Float { Float(self) }
}
