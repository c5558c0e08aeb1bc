import ConvNeXtKernels

/// Sums named gradients over micro-batches (gradient accumulation, the original's
/// `--update_freq`): ``average`` is what one backward pass over the whole batch would give
/// when each micro-batch loss is a mean over equally many samples.
public struct GradientAccumulator: Sendable {
    /// The running sum of every gradient added, by name.
    public private(set) var sum: [String: Tensor] = [:]
    /// How many gradient sets were added since the last ``reset()``.
    public private(set) var count = 0

    /// An empty accumulator.
    public init() {}

    /// Adds one micro-batch's gradients. A name seen for the first time starts at its gradient;
    /// the shapes of one name must agree across micro-batches.
    public mutating func add(_ gradients: [String: Tensor]) {
        for (name, gradient) in gradients {
            guard var total = sum.removeValue(forKey: name) else { sum[name] = gradient; continue }
            precondition(total.shape == gradient.shape, "gradient '\(name)' changed shape from \(total.shape) to \(gradient.shape)")
            total.withUnsafeMutableBufferPointer { t in
                gradient.withUnsafeBufferPointer { g in for i in 0..<t.count { t[i] += g[i] } }
            }
            sum[name] = total
        }
        count += 1
    }

    /// The sum divided by ``count`` (empty when nothing was added).
    public var average: [String: Tensor] {
        guard count > 1 else { return sum }
        let scale = 1 / Float(count)
        return sum.mapValues { tensor in
            var result = tensor
            result.withUnsafeMutableBufferPointer { values in for i in values.indices { values[i] *= scale } }
            return result
        }
    }

    /// Forgets everything added.
    public mutating func reset() {
        sum = [:]
        count = 0
    }
}
