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

    /// Applies the activation in place to `count` values.
    public func apply(to values: UnsafeMutablePointer<Float>, count: Int) {
        if self == .identity { return }
        for index in 0..<count { values[index] = self(values[index]) }
    }
}

private extension Double {
    var float: Float { Float(self) }
}
