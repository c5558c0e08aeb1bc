import ConvNeXtKernels

extension Variable {
    /// A ConvNeXt block's MLP over the last axis, `linear(project) ∘ gelu ∘ linear(expand)`, as
    /// one tape node; the same values as the three operations recorded one by one.
    ///
    /// Forward, rows go in blocks that each thread expands, activates and projects while the
    /// block's hidden activations are in cache; only the pre-activation `h` is kept (the
    /// backward pass needs it), not `gelu(h)`, which the backward pass recomputes once.
    /// Exact GELU only (the other activations have no fused derivative): callers fall back to
    /// the separate operations.
    func geluMLP(expand: Variable, expandBias: Variable, project: Variable, projectBias: Variable) -> Variable {
        let c = shape.last ?? 0, hidden = expand.shape[0], outputs = project.shape[0]
        precondition(expand.shape == [hidden, c] && project.shape == [outputs, hidden]
                     && expandBias.value.count == hidden && projectBias.value.count == outputs,
                     "geluMLP: weights \(expand.shape), \(project.shape) for \(c) inputs")
        let rows = c == 0 ? 0 : value.count / c
        let x = value, w1 = expand.value, b1 = expandBias.value, w2 = project.value, b2 = projectBias.value, pool = tape.pool
        let packed1 = w1.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: hidden, inputCount: c, pool: pool) }
        let packed2 = w2.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: outputs, inputCount: hidden, pool: pool) }
        var h = Tensor.unfilled(shape: [rows, hidden])  // written by the forward below
        let output = Tensor(shape: Array(shape.dropLast()) + [outputs]) { y in
            x.withUnsafeBufferPointer { x in
                h.withUnsafeMutableBufferPointer { h in
                    b1.withUnsafeBufferPointer { b1 in
                        b2.withUnsafeBufferPointer { b2 in
                            geluMLPForward(x.baseAddress!, rows: rows, expand: packed1, expandBias: b1.baseAddress!,
                                           project: packed2, projectBias: b2.baseAddress!,
                                           hidden: h.baseAddress!, output: y.baseAddress!, pool: pool)
                        }
                    }
                }
            }
        }
        let xShape = shape, expandShape = expand.shape, projectShape = project.shape
        let saved = h
        return tape.record(output, inputs: [self, expand, expandBias, project, projectBias]) { dy, needed in
            dy.withUnsafeBufferPointer { dyBuffer in
                let dy = dyBuffer.baseAddress!
                let db2 = needed[4] ? Tensor(shape: [outputs], scalars: columnSums(dy, rows: rows, columns: outputs, pool: pool)) : nil
                // g = gelu(h), the projection's input, for its weight gradient and for Φ(h) = g/h.
                let g = Tensor(shape: [rows, hidden]) { g in
                    saved.withUnsafeBufferPointer { activate(.gelu, $0.baseAddress!, output: g.baseAddress!, count: g.count, pool: pool) }
                }
                let dw2 = !needed[3] ? nil : Tensor(shape: projectShape) { dw in
                    g.withUnsafeBufferPointer {
                        multiplyTransposingFirst(dy, $0.baseAddress!, m: rows, n: outputs, k: hidden, output: dw.baseAddress!, pool: pool)
                    }
                }
                // dH = (dY·W2) ⊙ gelu′(h), computed in place.
                var dh = Tensor(shape: [rows, hidden]) { dg in
                    w2.withUnsafeBufferPointer { multiply(dy, $0.baseAddress!, m: rows, n: outputs, k: hidden, output: dg.baseAddress!, pool: pool) }
                }
                dh.withUnsafeMutableBufferPointer { dh in
                    saved.withUnsafeBufferPointer { h in
                        g.withUnsafeBufferPointer { g in
                            geluBackwardInPlace(dh.baseAddress!, input: h.baseAddress!, activated: g.baseAddress!, count: dh.count, pool: pool)
                        }
                    }
                }
                return dh.withUnsafeBufferPointer { dhBuffer in
                    let dh = dhBuffer.baseAddress!
                    let db1 = needed[2] ? Tensor(shape: [hidden], scalars: columnSums(dh, rows: rows, columns: hidden, pool: pool)) : nil
                    let dw1 = !needed[1] ? nil : Tensor(shape: expandShape) { dw in
                        x.withUnsafeBufferPointer {
                            multiplyTransposingFirst(dh, $0.baseAddress!, m: rows, n: hidden, k: c, output: dw.baseAddress!, pool: pool)
                        }
                    }
                    let dx = !needed[0] ? nil : Tensor(shape: xShape) { dx in
                        w1.withUnsafeBufferPointer { multiply(dh, $0.baseAddress!, m: rows, n: hidden, k: c, output: dx.baseAddress!, pool: pool) }
                    }
                    return [dx, dw1, db1, dw2, db2]
                }
            }
        }
    }
}
