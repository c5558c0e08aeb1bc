import ConvNeXtKernels

extension Variable {
    /// The mean over the pixels of each image: `[N, H, W, C]` → `[N, C]`.
    public func meanOverPixels() -> Variable {
        precondition(shape.count == 4, "meanOverPixels: input must be [N, H, W, C], got \(shape)")
        let (batch, pixels, channels) = (shape[0], shape[1] * shape[2], shape[3])
        let x = value
        let output = Tensor(shape: [batch, channels]) { y in
            x.withUnsafeBufferPointer {
                globalAveragePool($0.baseAddress!, batch: batch, pixels: pixels, channels: channels, output: y.baseAddress!)
            }
        }
        let xShape = shape
        return tape.record(output, inputs: [self]) { dy, _ in
            [Tensor(shape: xShape) { dx in
                dy.withUnsafeBufferPointer { dy in
                    let scale = 1 / Float(pixels)
                    for n in 0..<batch {
                        for p in 0..<pixels {
                            let target = dx.baseAddress! + (n * pixels + p) * channels
                            for c in 0..<channels { target[c] = dy[n * channels + c] * scale }
                        }
                    }
                }
            }]
        }
    }
}
