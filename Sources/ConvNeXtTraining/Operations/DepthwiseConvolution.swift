import ConvNeXtKernels

extension Variable {
    /// A depthwise convolution (`groups` = channels, stride 1, zero padding k/2, odd k) of
    /// `[N, H, W, C]` activations, with `weight` in PyTorch's `[C, 1, k, k]` layout and `bias` `[C]`.
    public func depthwiseConvolution(weight: Variable, bias: Variable?) -> Variable {
        precondition(shape.count == 4, "depthwiseConvolution: input must be [N, H, W, C], got \(shape)")
        let (batch, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
        let k = weight.shape.last ?? 0
        precondition(weight.shape == [channels, 1, k, k], "depthwiseConvolution: weight \(weight.shape) for \(channels) channels")
        let x = value, w = weight.value, pool = tape.pool
        let filter = w.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: channels, kernelSize: k) }
        let output = Tensor(shape: shape) { y in
            x.withUnsafeBufferPointer { x in
                withOptionalPointer(bias?.value) { b in
                    ConvNeXtKernels.depthwiseConvolution(x.baseAddress!, batch: batch, height: height, width: width,
                                                         filter: filter, bias: b, output: y.baseAddress!, pool: pool)
                }
            }
        }
        let xShape = shape, weightShape = weight.shape, biasShape = bias?.shape
        return tape.record(output, inputs: bias.map { [self, weight, $0] } ?? [self, weight]) { dy, needed in
            dy.withUnsafeBufferPointer { dyBuffer in
                let dy = dyBuffer.baseAddress!
                // The input gradient is the convolution of dY with the rotated filter.
                let dx = !needed[0] ? nil : Tensor(shape: xShape) { dx in
                    let rotated = w.withUnsafeBufferPointer { rotatedDepthwiseWeights($0, channels: channels, kernelSize: k) }
                    let flipped = rotated.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: channels, kernelSize: k) }
                    ConvNeXtKernels.depthwiseConvolution(dy, batch: batch, height: height, width: width,
                                                         filter: flipped, bias: nil, output: dx.baseAddress!, pool: pool)
                }
                let dw = !needed[1] ? nil : Tensor(shape: weightShape, scalars: x.withUnsafeBufferPointer {
                    depthwiseWeightGradient(input: $0.baseAddress!, outputGradient: dy, batch: batch, height: height,
                                            width: width, channels: channels, kernelSize: k, pool: pool)
                })
                var result = [dx, dw]
                if let biasShape {
                    result.append(needed[2] ? Tensor(shape: biasShape, scalars: columnSums(dy, rows: dyBuffer.count / max(channels, 1), columns: channels, pool: pool)) : nil)
                }
                return result
            }
        }
    }
}
