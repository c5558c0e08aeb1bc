import ConvNeXtKernels
import Foundation

extension Variable {
    /// Softmax cross-entropy of `[N, L]` logits against class indices, averaged over the batch,
    /// with PyTorch's label smoothing: the target puts `1 − labelSmoothing` on the label and
    /// spreads `labelSmoothing` evenly over all L classes. Returns a scalar (shape `[]`).
    public func crossEntropy(labels: [Int], labelSmoothing: Float = 0) -> Variable {
        precondition(shape.count == 2 && shape[0] == labels.count, "crossEntropy: \(labels.count) labels for logits \(shape)")
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "label smoothing \(labelSmoothing) is not in [0, 1]")
        let classes = shape[1]
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "crossEntropy: a label is outside 0..<\(classes)")
        var targets = [Float](repeating: labelSmoothing / Float(classes), count: labels.count * classes)
        for (n, label) in labels.enumerated() { targets[n * classes + label] += 1 - labelSmoothing }
        return softCrossEntropy(targets: Tensor(shape: shape, scalars: targets))
    }

    /// Softmax cross-entropy of `[N, L]` logits against `[N, L]` target distributions (mixup,
    /// cutmix, smoothed labels): `mean_n Σ_c −target·log softmax(logits)`, timm's
    /// `SoftTargetCrossEntropy`. Returns a scalar (shape `[]`).
    public func softCrossEntropy(targets: Tensor) -> Variable {
        precondition(shape.count == 2 && targets.shape == shape, "softCrossEntropy: targets \(targets.shape) for logits \(shape)")
        let (batch, classes) = (shape[0], shape[1])
        var probabilities = value
        probabilities.withUnsafeMutableBufferPointer { softmax($0.baseAddress!, rows: batch, columns: classes) }
        // loss_n = Σ t·(logsumexp(z) − z), in double precision.
        var total = 0.0
        value.withUnsafeBufferPointer { z in
            targets.withUnsafeBufferPointer { t in
                for n in 0..<batch {
                    let row = n * classes
                    let maximum = Double((0..<classes).map { z[row + $0] }.max() ?? 0)
                    var exponentials = 0.0
                    for c in 0..<classes { exponentials += Foundation.exp(Double(z[row + c]) - maximum) }
                    let logSumExp = maximum + Foundation.log(exponentials)
                    for c in 0..<classes { total += Double(t[row + c]) * (logSumExp - Double(z[row + c])) }
                }
            }
        }
        let loss = Tensor(shape: [], scalars: [Float(total / Double(max(batch, 1)))])
        let logitShape = shape
        return tape.record(loss, inputs: [self]) { dy, _ in
            // d/dz = (softmax·Σt − t) / N, times the upstream scalar.
            let scale = dy.scalars[0] / Float(max(batch, 1))
            return [Tensor(shape: logitShape) { dz in
                probabilities.withUnsafeBufferPointer { p in
                    targets.withUnsafeBufferPointer { t in
                        for n in 0..<batch {
                            let row = n * classes
                            var mass: Float = 0
                            for c in 0..<classes { mass += t[row + c] }
                            for c in 0..<classes { dz[row + c] = (p[row + c] * mass - t[row + c]) * scale }
                        }
                    }
                }
            }]
        }
    }
}
