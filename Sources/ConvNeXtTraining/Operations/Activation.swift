import ConvNeXtKernels

extension Variable {
    /// `activation` applied element by element (the inference kernels' vector versions).
    public func activated(_ activation: Activation) -> Variable {
        guard activation != .identity else { return self }
        let x = value, pool = tape.pool
        let output = Tensor(shape: shape) { y in
            x.withUnsafeBufferPointer { activate(activation, $0.baseAddress!, output: y.baseAddress!, count: y.count, pool: pool) }
        }
        let xShape = shape
        return tape.record(output, inputs: [self]) { dy, _ in
            [Tensor(shape: xShape) { dx in
                x.withUnsafeBufferPointer { x in
                    dy.withUnsafeBufferPointer { dy in
                        activationBackward(activation, input: x.baseAddress!, outputGradient: dy.baseAddress!,
                                           inputGradient: dx.baseAddress!, count: dx.count, pool: pool)
                    }
                }
            }]
        }
    }
}
