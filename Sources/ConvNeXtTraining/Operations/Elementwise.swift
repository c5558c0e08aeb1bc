import ConvNeXtKernels

extension Variable {
    /// The element-wise sum (a residual connection); both operands have the same shape.
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        precondition(lhs.shape == rhs.shape, "adding \(rhs.shape) to \(lhs.shape)")
        return lhs.tape.record(sum(lhs.value, rhs.value, pool: lhs.tape.pool), inputs: [lhs, rhs]) { dy, needed in
            [needed[0] ? dy : nil, needed[1] ? dy : nil]
        }
    }

    /// Multiplies each channel (the last axis) by its entry of `scale` `[C]`: ConvNeXt's layer scale.
    public func scalingChannels(by scale: Variable) -> Variable {
        let channels = shape.last ?? 0
        precondition(scale.value.count == channels, "scalingChannels: scale \(scale.shape) for \(channels) channels")
        let rows = channels == 0 ? 0 : value.count / channels
        let x = value, gamma = scale.value, pool = tape.pool
        let output = Tensor(shape: shape) { y in
            x.withUnsafeBufferPointer { x in
                gamma.withUnsafeBufferPointer { multiplyChannels(x.baseAddress!, by: $0.baseAddress!, rows: rows, channels: channels, output: y.baseAddress!, pool: pool) }
            }
        }
        let xShape = shape, scaleShape = scale.shape
        return tape.record(output, inputs: [self, scale]) { dy, needed in
            dy.withUnsafeBufferPointer { dy in
                let dy = dy.baseAddress!
                let dx = !needed[0] ? nil : Tensor(shape: xShape) { dx in
                    gamma.withUnsafeBufferPointer { multiplyChannels(dy, by: $0.baseAddress!, rows: rows, channels: channels, output: dx.baseAddress!, pool: pool) }
                }
                let dgamma = !needed[1] ? nil : x.withUnsafeBufferPointer { x in
                    let x = x.baseAddress!
                    return Tensor(shape: scaleShape, scalars: reduceRows(rows, width: channels, pool: pool) { range, accumulator in
                        let vectorEnd = channels - channels % laneCount
                        for row in range {
                            let g = dy + row &* channels, v = x + row &* channels
                            var c = 0
                            while c < vectorEnd {
                                (Lanes.load(accumulator + c) + Lanes.load(g + c) * Lanes.load(v + c)).store(to: accumulator + c)
                                c &+= laneCount
                            }
                            while c < channels { accumulator[c] += g[c] * v[c]; c &+= 1 }
                        }
                    })
                }
                return [dx, dgamma]
            }
        }
    }

    /// Multiplies every value of sample `n` (the first axis) by `scales[n]`.
    public func scalingSamples(by scales: [Float]) -> Variable {
        precondition(shape.first == scales.count, "scalingSamples: \(scales.count) scales for shape \(shape)")
        let perSample = scales.isEmpty ? 0 : value.count / scales.count
        func scaled(_ tensor: Tensor) -> Tensor {
            var result = tensor
            result.withUnsafeMutableBufferPointer { values in
                for (n, scale) in scales.enumerated() {
                    for i in n * perSample ..< (n + 1) * perSample { values[i] *= scale }
                }
            }
            return result
        }
        return tape.record(scaled(value), inputs: [self]) { dy, _ in [scaled(dy)] }
    }

    /// Stochastic depth (timm's and transformers' `drop_path`): each sample's values are zeroed
    /// with probability `rate` and the kept ones divided by `1 − rate`. `rate` 0 is the identity.
    public func droppingPaths(rate: Float, generator: inout some RandomNumberGenerator) -> Variable {
        precondition(rate >= 0 && rate < 1, "drop path rate \(rate) is not in [0, 1)")
        guard rate > 0 else { return self }
        let keep = 1 - rate
        let scales = (0..<(shape.first ?? 0)).map { _ in Float.random(in: 0..<1, using: &generator) < keep ? 1 / keep : 0 }
        return scalingSamples(by: scales)
    }
}
