import ConvNeXtKernels

extension Variable {
    /// ConvNeXt V2's global response normalization of `[N, H, W, C]` activations:
    /// `G = ‖x‖₂ over (H, W)`, `N = G / (mean_c G + 1e-6)`, `y = weight·(x·N) + bias + x`, with
    /// `weight` and `bias` holding C values (transformers stores them `[1, 1, 1, C]`).
    public func globalResponseNorm(weight: Variable, bias: Variable) -> Variable {
        precondition(shape.count == 4, "globalResponseNorm: input must be [N, H, W, C], got \(shape)")
        let (batch, pixels, channels) = (shape[0], shape[1] * shape[2], shape[3])
        precondition(weight.value.count == channels && bias.value.count == channels,
                     "globalResponseNorm: weight \(weight.shape) and bias \(bias.shape) for \(channels) channels")
        let x = value, w = weight.value, pool = tape.pool
        var output = x
        output.withUnsafeMutableBufferPointer { y in
            w.withUnsafeBufferPointer { w in
                bias.value.withUnsafeBufferPointer { b in
                    ConvNeXtKernels.globalResponseNorm(y.baseAddress!, batch: batch, pixels: pixels, channels: channels,
                                                       weight: w.baseAddress!, bias: b.baseAddress!)
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
                            globalResponseNormBackward(input: x.baseAddress!, outputGradient: dy.baseAddress!, batch: batch, pixels: pixels,
                                                       channels: channels, weight: w.baseAddress!, inputGradient: dx, pool: pool)
                        }
                    }
                }
            }
            return [dx, needed[1] ? Tensor(shape: weightShape, scalars: dw) : nil, needed[2] ? Tensor(shape: biasShape, scalars: db) : nil]
        }
    }
}
