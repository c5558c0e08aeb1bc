import ConvNeXtKernels

extension Variable {
    /// A fully connected layer over the last axis: `y = x · weightᵀ + bias`, with `weight`
    /// `[out, in]` (PyTorch's `Linear.weight`) and `bias` `[out]`. On `[N, H, W, C]` activations
    /// this is a 1x1 convolution.
    public func linear(weight: Variable, bias: Variable?) -> Variable {
        let k = shape.last ?? 0
        precondition(weight.shape.count == 2 && weight.shape[1] == k, "linear: weight \(weight.shape) does not take \(k) inputs")
        let n = weight.shape[0]
        if let bias { precondition(bias.value.count == n, "linear: bias \(bias.shape) for \(n) outputs") }
        let rows = k == 0 ? 0 : value.count / k
        let x = value, w = weight.value, pool = tape.pool
        let packed = w.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: n, inputCount: k, pool: pool) }
        let output = Tensor(shape: Array(shape.dropLast()) + [n]) { y in
            x.withUnsafeBufferPointer { x in
                withOptionalPointer(bias?.value) { b in
                    matrixMultiply(x.baseAddress!, rows: rows, weights: packed, bias: b, output: y.baseAddress!, pool: pool)
                }
            }
        }
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        // The closure captures tensors and shapes only: a captured Variable would keep its tape alive.
        let xShape = shape, biasShape = bias?.shape
        return tape.record(output, inputs: inputs) { dy, needed in
            dy.withUnsafeBufferPointer { dy in
                let dy = dy.baseAddress!
                let dx = !needed[0] ? nil : Tensor(shape: xShape) { dx in
                    w.withUnsafeBufferPointer { multiply(dy, $0.baseAddress!, m: rows, n: n, k: k, output: dx.baseAddress!, pool: pool) }
                }
                let dw = !needed[1] ? nil : Tensor(shape: [n, k]) { dw in
                    x.withUnsafeBufferPointer {
                        multiplyTransposingFirst(dy, $0.baseAddress!, m: rows, n: n, k: k, output: dw.baseAddress!, pool: pool)
                    }
                }
                var result = [dx, dw]
                if let biasShape {
                    result.append(needed[2] ? Tensor(shape: biasShape, scalars: columnSums(dy, rows: rows, columns: n, pool: pool)) : nil)
                }
                return result
            }
        }
    }
}

/// Calls `body` with the tensor's base address, or nil for no tensor.
func withOptionalPointer<R>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let tensor else { return body(nil) }
    return tensor.withUnsafeBufferPointer { body($0.baseAddress!) }
}
