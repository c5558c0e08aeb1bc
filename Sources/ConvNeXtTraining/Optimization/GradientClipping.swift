import ConvNeXtKernels

/// The L2 norm of all of `gradients` together: the root of the sum of every scalar's square
/// (accumulated in double precision).
public func totalGradientNorm(_ gradients: [String: Tensor]) -> Double {
    var sum = 0.0
    for tensor in gradients.values {
        tensor.withUnsafeBufferPointer { values in for value in values { sum += Double(value) * Double(value) } }
    }
    return sum.squareRoot()
}

/// Scales `gradients` so their total L2 norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_` does: every gradient is multiplied by
/// `maxNorm / (norm + 1e-6)` when that is below 1, and left alone otherwise.
///
/// - Returns: the total norm before clipping.
@discardableResult
public func clipGradientNorm(_ gradients: inout [String: Tensor], maxNorm: Double) -> Double {
    let norm = totalGradientNorm(gradients)
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return norm }
    let scale = Float(coefficient)
    for name in Array(gradients.keys) {
        gradients[name]!.withUnsafeMutableBufferPointer { values in for i in values.indices { values[i] *= scale } }
    }
    return norm
}
