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

/// `dx[i] = dy[i] · activation′(x[i])` for `count` values, in parallel runs. Exact GELU, the
/// ConvNeXt default, is vectorized; the other activations go value by value.
func activationBackward(
    _ activation: Activation, input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool
) {
    let tasks = max(1, min(pool.threadCount, count / 8192))
    pool.parallelFor(tasks) { task in
        let range = count * task / tasks ..< count * (task + 1) / tasks
        if activation == .gelu {
            geluBackward(x + range.lowerBound, dy + range.lowerBound, dx + range.lowerBound, count: range.count)
        } else {
            for i in range { dx[i] = dy[i] * activation.derivative(x[i]) }
        }
    }
}

/// Exact GELU's backward pass, `dx = dy·(Φ(x) + x·φ(x))`, with Φ(x) = gelu(x)/x from the
/// inference kernel's vector GELU (relative accuracy carries through the division; Φ(0) = ½)
/// and φ from a vector exp. Works in blocks that stay in L1.
private func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int) {
    let block = 1024
    withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { buffer in
        let gelu = buffer.baseAddress!
        var start = 0
        while start < count {
            let length = min(block, count - start)
            gelu.update(from: x + start, count: length)
            Activation.gelu.apply(to: gelu, count: length)
            var i = 0
            while i &+ laneCount <= length {
                let value = Lanes.load(x + (start &+ i))
                let cdf = (Lanes.load(gelu + i) / value).replacing(with: 0.5, where: value .== Lanes())
                let density = (value * value * -0.5).exponential() * 0.398_942_280_401_432_7
                (Lanes.load(dy + (start &+ i)) * cdf.adding(value, times: density)).store(to: dx + (start &+ i))
                i &+= laneCount
            }
            while i < length {
                dx[start + i] = dy[start + i] * Activation.gelu.derivative(x[start + i])
                i &+= 1
            }
            start += length
        }
    }
}

/// `output = activation(input)` for `count` values, in parallel runs. Copies and activates
/// L1-sized blocks, so each value is read and written once (a copy then an in-place pass would
/// stream the whole tensor twice).
func activate(_ activation: Activation, _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool) {
    let tasks = max(1, min(pool.threadCount, count / 16384))
    pool.parallelFor(tasks) { task in
        var start = count * task / tasks
        let end = count * (task + 1) / tasks
        while start < end {
            let length = min(2048, end - start)
            (output + start).update(from: input + start, count: length)
            activation.apply(to: output + start, count: length)
            start += length
        }
    }
}
