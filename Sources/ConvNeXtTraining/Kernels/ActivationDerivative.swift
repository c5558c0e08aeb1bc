import ConvNeXtKernels
import Foundation

extension Activation {
    /// The derivative of the activation at `x` (at a kink, the right-hand side's, except
    /// relu/relu6 at 0, which take PyTorch's 0).
    func derivative(_ x: Float) -> Float {
        switch self {
        case .gelu: return Activation.geluDerivative(x)
        case .geluTanh:
            let a: Float = 0.797_884_560_802_865_4, b: Float = 0.044_715
            let t = Foundation.tanh(a * (x + b * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * a * (1 + 3 * b * x * x)
        case .geluClipped:
            let y = Activation.gelu(x)
            return y > -10 && y < 10 ? Activation.geluDerivative(x) : 0
        case .quickGELU:
            let s = Activation.logistic(1.702 * x)
            return s + 1.702 * x * s * (1 - s)
        case .relu: return x > 0 ? 1 : 0
        case .reluSquared: return x > 0 ? 2 * x : 0
        case .relu6: return x > 0 && x < 6 ? 1 : 0
        case .leakyReLU: return x >= 0 ? 1 : 0.01
        case .silu:
            let s = Activation.logistic(x)
            return s * (1 + x * (1 - s))
        case .mish:
            guard x <= 20 else { return 1 }
            let softplus = Foundation.log1p(Foundation.exp(x)), t = Foundation.tanh(softplus)
            return t + x * (1 - t * t) * Activation.logistic(x)
        case .tanh: let t = Foundation.tanh(x); return 1 - t * t
        case .sigmoid: let s = Activation.logistic(x); return s * (1 - s)
        case .laplace:
            let scale = Float(1 / (0.282_095 * 2.0.squareRoot()))
            let z = (x - 0.707_107) * scale
            return Float(1 / Double.pi.squareRoot()) * Foundation.exp(-z * z) * scale
        case .identity: return 1
        }
    }

    /// Φ(x) + x·φ(x): the derivative of x·Φ(x).
    private static func geluDerivative(_ x: Float) -> Float {
        let cdf = 0.5 * (1 + Foundation.erf(x * 0.707_106_781_186_547_5))
        return cdf + x * 0.398_942_280_401_432_7 * Foundation.exp(-0.5 * x * x)
    }

    private static func logistic(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
}

/// `dx[i] = dy[i] · activation′(x[i])` for `count` values, in parallel runs.
func activationBackward(
    _ activation: Activation, input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool
) {
    let tasks = max(1, min(pool.threadCount, count / 8192))
    pool.parallelFor(tasks) { task in
        for i in count * task / tasks ..< count * (task + 1) / tasks { dx[i] = dy[i] * activation.derivative(x[i]) }
    }
}

/// Applies `activation` in place to `count` values, in parallel runs.
func activateInPlace(_ activation: Activation, _ values: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool) {
    let tasks = max(1, min(pool.threadCount, count / 16384))
    pool.parallelFor(tasks) { task in
        let start = count * task / tasks
        activation.apply(to: values + start, count: count * (task + 1) / tasks - start)
    }
}
