import ConvNeXtKernels

/// A tensor recorded on a ``Tape``: the result of an operation, a parameter or a constant.
///
/// Operations on variables (``linear(weight:bias:)``, ``layerNorm(weight:bias:epsilon:)``, …)
/// compute their value at once with the inference kernels and record how to differentiate it.
/// Activations are channels-last: `[N, H, W, C]`.
public struct Variable {
    /// The computed value.
    public let value: Tensor
    /// The node's position on its tape.
    let id: Int
    /// The tape the variable was recorded on.
    public let tape: Tape

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// Whether gradients flow into this variable (it is a parameter or depends on one).
    public var requiresGradient: Bool { tape.requiresGradient(self) }

    /// Back-propagates from this variable; see ``Tape/backward(from:seed:)``.
    public func backward(seed: Tensor? = nil) -> Gradients { tape.backward(from: self, seed: seed) }
}
