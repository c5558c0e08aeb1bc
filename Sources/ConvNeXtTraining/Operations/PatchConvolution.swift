import ConvNeXtKernels

extension Variable {
    /// A convolution whose kernel size equals its stride (the stem's patchify, the 2x2
    /// downsampling) over `[N, H, W, C]` activations: `weight` `[out, C, p, p]` (PyTorch's layout),
    /// `bias` `[out]`; output `[N, H/p, W/p, out]`, sizes floored like PyTorch's.
    ///
    /// Runs as patches × weights; the backward pass multiplies back and scatters the patch
    /// gradient onto the pixels.
    public func patchConvolution(weight: Variable, bias: Variable?) -> Variable {
        precondition(shape.count == 4, "patchConvolution: input must be [N, H, W, C], got \(shape)")
        let (batch, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
        precondition(weight.shape.count == 4 && weight.shape[1] == channels && weight.shape[2] == weight.shape[3],
                     "patchConvolution: weight \(weight.shape) for \(channels) channels")
        let (outputs, p) = (weight.shape[0], weight.shape[2])
        let (outHeight, outWidth) = (height / p, width / p)
        let rows = batch * outHeight * outWidth, depth = p * p * channels
        let x = value, pool = tape.pool
        let patches = Tensor(shape: [rows, depth]) { patches in
            x.withUnsafeBufferPointer {
                extractPatches($0.baseAddress!, batch: batch, height: height, width: width, channels: channels,
                               patchSize: p, output: patches.baseAddress!, pool: pool)
            }
        }
        let filterRows = weight.value.withUnsafeBufferPointer {
            Tensor(shape: [outputs, depth], scalars: patchFilterRows($0, outputChannels: outputs, inputChannels: channels, patchSize: p))
        }
        let packed = filterRows.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: outputs, inputCount: depth, pool: pool) }
        let output = Tensor(shape: [batch, outHeight, outWidth, outputs]) { y in
            patches.withUnsafeBufferPointer { patches in
                withOptionalPointer(bias?.value) { b in
                    matrixMultiply(patches.baseAddress!, rows: rows, weights: packed, bias: b, output: y.baseAddress!, pool: pool)
                }
            }
        }
        let xShape = shape, weightShape = weight.shape, biasShape = bias?.shape
        return tape.record(output, inputs: bias.map { [self, weight, $0] } ?? [self, weight]) { dy, needed in
            dy.withUnsafeBufferPointer { dy in
                let dy = dy.baseAddress!
                let dx = !needed[0] ? nil : Tensor(shape: xShape) { dx in
                    var patchGradient = [Float](repeating: 0, count: rows * depth)
                    patchGradient.withUnsafeMutableBufferPointer { gradient in
                        filterRows.withUnsafeBufferPointer {
                            multiply(dy, $0.baseAddress!, m: rows, n: outputs, k: depth, output: gradient.baseAddress!, pool: pool)
                        }
                        scatterPatches(gradient.baseAddress!, batch: batch, height: height, width: width, channels: channels,
                                       patchSize: p, output: dx.baseAddress!, pool: pool)
                    }
                }
                let dw = !needed[1] ? nil : Tensor(shape: weightShape, scalars: {
                    var rowGradient = [Float](repeating: 0, count: outputs * depth)
                    rowGradient.withUnsafeMutableBufferPointer { gradient in
                        patches.withUnsafeBufferPointer {
                            multiplyTransposingFirst(dy, $0.baseAddress!, m: rows, n: outputs, k: depth, output: gradient.baseAddress!, pool: pool)
                        }
                    }
                    return patchFilterWeights(rowGradient, outputChannels: outputs, inputChannels: channels, patchSize: p)
                }())
                var result = [dx, dw]
                if let biasShape {
                    result.append(needed[2] ? Tensor(shape: biasShape, scalars: columnSums(dy, rows: rows, columns: outputs, pool: pool)) : nil)
                }
                return result
            }
        }
    }
}
