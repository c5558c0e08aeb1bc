import Foundation

/// Straightforward reference implementations of the kernels, kept beside the fast ones so
/// tests can compare the two. They run on the calling thread, loop in the obvious order and
/// take weights in PyTorch's layouts; use them for checking, never for speed.
public enum NaiveKernels {
    /// `output[rows, N] = epilogue(input[rows, K] · weightsᵀ + bias)` with `weights` row-major
    /// `[outputCount, inputCount]` (unpacked); see ``matrixMultiply(_:rows:weights:bias:output:epilogue:pool:)``.
    public static func matrixMultiply(
        _ input: UnsafePointer<Float>, rows: Int,
        weights: UnsafePointer<Float>, outputCount n: Int, inputCount k: Int,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
        epilogue: MatrixEpilogue = .store
    ) {
        for row in 0..<rows {
            for j in 0..<n {
                var result = bias?[j] ?? 0
                for p in 0..<k { result += input[row * k + p] * weights[j * k + p] }
                let y = output + row * n + j
                switch epilogue {
                case .activate(let activation): y.pointee = activation(result)
                case .addScaled(let scale): y.pointee += (scale?[j] ?? 1) * result
                case .store, .normalize: y.pointee = result
                }
            }
            if case .normalize(let norm) = epilogue {
                layerNorm(output + row * n, output: output + row * n, rows: 1, channels: n, weight: norm.weight, bias: norm.bias, epsilon: norm.epsilon)
            }
        }
    }

    /// Channels-last depthwise convolution with `weights` in PyTorch's `[channels, 1, k, k]`
    /// layout; see ``depthwiseConvolution(_:batch:height:width:filter:bias:normalization:output:pool:)``.
    public static func depthwiseConvolution(
        _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels c: Int,
        weights: UnsafePointer<Float>, kernelSize k: Int, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>
    ) {
        let pad = k / 2
        for n in 0..<batch {
            for h in 0..<height {
                for w in 0..<width {
                    let y = output + ((n * height + h) * width + w) * c
                    for ch in 0..<c {
                        var sum = bias?[ch] ?? 0
                        for i in 0..<k {
                            let sh = h + i - pad
                            if sh < 0 || sh >= height { continue }
                            for j in 0..<k {
                                let sw = w + j - pad
                                if sw < 0 || sw >= width { continue }
                                sum += weights[(ch * k + i) * k + j] * input[((n * height + sh) * width + sw) * c + ch]
                            }
                        }
                        y[ch] = sum
                    }
                }
            }
        }
    }

    /// LayerNorm over the last axis; see ``layerNorm(_:output:rows:channels:weight:bias:epsilon:pool:)``.
    public static func layerNorm(
        _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        rows: Int, channels: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float
    ) {
        for row in 0..<rows {
            let x = input + row * channels, y = output + row * channels
            var mean: Float = 0
            for c in 0..<channels { mean += x[c] }
            mean /= Float(channels)
            var variance: Float = 0
            for c in 0..<channels { let d = x[c] - mean; variance += d * d }
            variance /= Float(channels)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for c in 0..<channels { y[c] = (x[c] - mean) * inverse * weight[c] + bias[c] }
        }
    }

    /// Mean over pixels; see ``globalAveragePool(_:batch:pixels:channels:output:)``.
    public static func globalAveragePool(
        _ input: UnsafePointer<Float>, batch: Int, pixels: Int, channels: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        for n in 0..<batch {
            let y = output + n * channels
            for c in 0..<channels { y[c] = 0 }
            for p in 0..<pixels {
                let x = input + (n * pixels + p) * channels
                for c in 0..<channels { y[c] += x[c] }
            }
            let scale = 1 / Float(pixels)
            for c in 0..<channels { y[c] *= scale }
        }
    }

    /// Row-wise softmax in place; see ``softmax(_:rows:columns:)``.
    public static func softmax(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let x = values + r * columns
            var maximum = -Float.infinity
            for c in 0..<columns { maximum = max(maximum, x[c]) }
            var sum: Float = 0
            for c in 0..<columns { x[c] = Foundation.exp(x[c] - maximum); sum += x[c] }
            for c in 0..<columns { x[c] /= sum }
        }
    }

    /// Global response normalization in place; see ``globalResponseNorm(_:batch:pixels:channels:weight:bias:)``.
    public static func globalResponseNorm(
        _ values: UnsafeMutablePointer<Float>, batch: Int, pixels: Int, channels: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>
    ) {
        var norms = [Float](repeating: 0, count: channels)
        for n in 0..<batch {
            let base = values + n * pixels * channels
            for c in 0..<channels { norms[c] = 0 }
            for p in 0..<pixels {
                let x = base + p * channels
                for c in 0..<channels { norms[c] += x[c] * x[c] }
            }
            var mean: Float = 0
            for c in 0..<channels { norms[c] = norms[c].squareRoot(); mean += norms[c] }
            mean /= Float(channels)
            for c in 0..<channels { norms[c] = weight[c] * norms[c] / (mean + 1e-6) }
            for p in 0..<pixels {
                let x = base + p * channels
                for c in 0..<channels { x[c] = x[c] * norms[c] + bias[c] + x[c] }
            }
        }
    }

    /// `[N, C, H, W]` → `[N, H, W, C]`; see ``channelsFirstToLast(_:batch:channels:height:width:output:)``.
    public static func channelsFirstToLast(
        _ input: UnsafePointer<Float>, batch: Int, channels: Int, height: Int, width: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        let plane = height * width
        for n in 0..<batch {
            for c in 0..<channels {
                for p in 0..<plane { output[(n * plane + p) * channels + c] = input[(n * channels + c) * plane + p] }
            }
        }
    }

    /// `[N, H, W, C]` → `[N, C, H, W]`; see ``channelsLastToFirst(_:batch:height:width:channels:output:)``.
    public static func channelsLastToFirst(
        _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        let plane = height * width
        for n in 0..<batch {
            for c in 0..<channels {
                for p in 0..<plane { output[(n * channels + c) * plane + p] = input[(n * plane + p) * channels + c] }
            }
        }
    }
}
