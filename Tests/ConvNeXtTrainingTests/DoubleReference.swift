import Foundation

/// Float64 forward passes of the training operations, written independently of the library's
/// kernels (PyTorch layouts for weights, channels-last activations), for finite differences.
enum DoubleReference {
    /// `x[rows, k] · w[n, k]ᵀ + b`.
    static func linear(_ x: [Double], _ w: [Double], _ b: [Double]?, n: Int, k: Int) -> [Double] {
        let rows = x.count / k
        var y = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for j in 0..<n {
                var sum = b?[j] ?? 0
                for p in 0..<k { sum += x[r * k + p] * w[j * k + p] }
                y[r * n + j] = sum
            }
        }
        return y
    }

    /// Depthwise k×k, stride 1, zero padding k/2; x `[N, H, W, C]`, w `[C, 1, k, k]`.
    static func depthwise(_ x: [Double], _ w: [Double], _ b: [Double]?, batch: Int, height: Int, width: Int, channels: Int, k: Int) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        let pad = k / 2
        for n in 0..<batch {
            for h in 0..<height {
                for col in 0..<width {
                    for c in 0..<channels {
                        var sum = b?[c] ?? 0
                        for i in 0..<k {
                            for j in 0..<k {
                                let (sh, sw) = (h + i - pad, col + j - pad)
                                guard sh >= 0, sh < height, sw >= 0, sw < width else { continue }
                                sum += w[(c * k + i) * k + j] * x[((n * height + sh) * width + sw) * channels + c]
                            }
                        }
                        y[((n * height + h) * width + col) * channels + c] = sum
                    }
                }
            }
        }
        return y
    }

    /// Kernel p, stride p convolution; x `[N, H, W, C]`, w `[O, C, p, p]`; output `[N, H/p, W/p, O]`.
    static func patchConvolution(_ x: [Double], _ w: [Double], _ b: [Double]?, batch: Int, height: Int, width: Int, channels: Int, outputs: Int, p: Int) -> [Double] {
        let (oh, ow) = (height / p, width / p)
        var y = [Double](repeating: 0, count: batch * oh * ow * outputs)
        for n in 0..<batch {
            for r in 0..<oh {
                for s in 0..<ow {
                    for o in 0..<outputs {
                        var sum = b?[o] ?? 0
                        for c in 0..<channels {
                            for i in 0..<p {
                                for j in 0..<p {
                                    sum += w[((o * channels + c) * p + i) * p + j] * x[((n * height + r * p + i) * width + s * p + j) * channels + c]
                                }
                            }
                        }
                        y[((n * oh + r) * ow + s) * outputs + o] = sum
                    }
                }
            }
        }
        return y
    }

    /// LayerNorm over the last axis (biased variance).
    static func layerNorm(_ x: [Double], _ w: [Double], _ b: [Double], epsilon: Double) -> [Double] {
        let channels = w.count
        var y = x
        for row in 0..<(x.count / channels) {
            let slice = x[row * channels ..< (row + 1) * channels]
            let mean = slice.reduce(0, +) / Double(channels)
            let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(channels)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for c in 0..<channels { y[row * channels + c] = (x[row * channels + c] - mean) * inverse * w[c] + b[c] }
        }
        return y
    }

    /// GRN on `[N, P, C]`.
    static func globalResponseNorm(_ x: [Double], _ w: [Double], _ b: [Double], batch: Int) -> [Double] {
        let channels = w.count, pixels = x.count / batch / channels
        var y = x
        for n in 0..<batch {
            var norms = [Double](repeating: 0, count: channels)
            for p in 0..<pixels { for c in 0..<channels { let v = x[(n * pixels + p) * channels + c]; norms[c] += v * v } }
            norms = norms.map { $0.squareRoot() }
            let denominator = norms.reduce(0, +) / Double(channels) + 1e-6
            for p in 0..<pixels {
                for c in 0..<channels {
                    let i = (n * pixels + p) * channels + c
                    y[i] = w[c] * x[i] * norms[c] / denominator + b[c] + x[i]
                }
            }
        }
        return y
    }

    /// `mean_n Σ_c −t·log softmax(z)` over `[N, L]`.
    static func softCrossEntropy(_ z: [Double], _ t: [Double], classes: Int) -> Double {
        let batch = z.count / classes
        var total = 0.0
        for n in 0..<batch {
            let row = Array(z[n * classes ..< (n + 1) * classes])
            let maximum = row.max()!
            let logSumExp = maximum + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - maximum) })
            for c in 0..<classes { total += t[n * classes + c] * (logSumExp - row[c]) }
        }
        return total / Double(batch)
    }

    /// The activations, by the library's names.
    static func activation(_ name: String, _ x: Double) -> Double {
        switch name {
        case "gelu": return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case "geluTanh": return 0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
        case "quickGELU": return x / (1 + Foundation.exp(-1.702 * x))
        case "relu": return max(x, 0)
        case "reluSquared": return max(x, 0) * max(x, 0)
        case "relu6": return min(max(x, 0), 6)
        case "leakyReLU": return x >= 0 ? x : 0.01 * x
        case "silu": return x / (1 + Foundation.exp(-x))
        case "mish": return x * Foundation.tanh(Foundation.log1p(Foundation.exp(x)))
        case "tanh": return Foundation.tanh(x)
        case "sigmoid": return 1 / (1 + Foundation.exp(-x))
        case "laplace": return 0.5 * (1 + Foundation.erf((x - 0.707107) / (0.282095 * 2.0.squareRoot())))
        case "identity": return x
        default: fatalError("no reference for \(name)")
        }
    }
}
