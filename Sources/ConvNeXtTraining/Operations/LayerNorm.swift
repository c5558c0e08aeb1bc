import ConvNeXtKernels

extension Variable {
    /// LayerNorm over the last axis (the channels of `[N, H, W, C]` activations) with biased
    /// variance: `(x − mean) / √(var + epsilon) · weight + bias`.
    public func layerNorm(weight: Variable, bias: Variable, epsilon: Float) -> Variable {
        let channels = shape.last ?? 0
        precondition(weight.value.count == channels && bias.value.count == channels,
                     "layerNorm: weight \(weight.shape) and bias \(bias.shape) for \(channels) channels")
        let rows = channels == 0 ? 0 : value.count / channels
        let x = value, w = weight.value, pool = tape.pool
        let output = Tensor(shape: shape) { y in
            x.withUnsafeBufferPointer { x in
                w.withUnsafeBufferPointer { w in
                    bias.value.withUnsafeBufferPointer { b in
                        ConvNeXtKernels.layerNorm(x.baseAddress!, output: y.baseAddress!, rows: rows, channels: channels,
                                                  weight: w.baseAddress!, bias: b.baseAddress!, epsilon: epsilon, pool: pool)
                    }
                }
            }
        }
        let xShape = shape, weightShape = weight.shape, biasShape = bias.shape
        return tape.record(output, inputs: [self, weight, bias]) { dy, needed in
            var dx = needed[0] ? Tensor.unfilled(shape: xShape) : nil
            let (dw, db) = x.withUnsafeBufferPointer { x in
                dy.withUnsafeBufferPointer { dy in
                    w.withUnsafeBufferPointer { w in
                        withOptionalMutablePointer(&dx) { dx in
                            layerNormBackward(input: x.baseAddress!, outputGradient: dy.baseAddress!, rows: rows, channels: channels,
                                              weight: w.baseAddress!, epsilon: epsilon, inputGradient: dx, pool: pool)
                        }
                    }
                }
            }
            return [dx, needed[1] ? Tensor(shape: weightShape, scalars: dw) : nil, needed[2] ? Tensor(shape: biasShape, scalars: db) : nil]
        }
    }
}

/// Calls `body` with mutable access to the tensor's scalars, or nil for no tensor.
func withOptionalMutablePointer<R>(_ tensor: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard tensor != nil else { return body(nil) }
    return tensor!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
