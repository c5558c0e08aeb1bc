import ConvNeXtKernels

/// Stochastic gradient descent with momentum, exactly `torch.optim.SGD`: per parameter, with
/// the group's learning rate `lr` and weight decay `wd`,
///
///     d ← g + wd·p
///     b ← d (first step), else b ← μb + (1 − dampening)d;   d ← nesterov ? d + μb : b
///     p ← p − lr·d
///
/// (no buffer when the momentum μ is 0). State: `state.momentum_buffer.<name>`.
public struct SGD: Optimizer {
    public let groups: ParameterGroups
    /// The momentum factor μ (0 for plain SGD).
    public let momentum: Double
    /// The fraction of each new gradient kept out of the momentum buffer.
    public let dampening: Double
    /// Whether the update uses Nesterov momentum.
    public let nesterov: Bool
    private var buffers: [String: Tensor] = [:]

    /// An optimizer over `groups`.
    ///
    /// - Throws: ``OptimizationError/invalidHyperparameter(name:reason:)`` for a negative
    ///   momentum, or Nesterov momentum without momentum or with dampening (as PyTorch does).
    public init(groups: ParameterGroups, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false) throws {
        guard momentum >= 0 else { throw OptimizationError.invalidHyperparameter(name: "momentum", reason: "\(momentum) is negative") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw OptimizationError.invalidHyperparameter(name: "nesterov", reason: "needs a positive momentum and zero dampening")
        }
        self.groups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    public mutating func step(_ parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Double, weightDecay: Double?) throws {
        for (name, group, gradient) in try updates(parameters, gradients: gradients) {
            let (lr, wd) = group.hyperparameters(learningRate: learningRate, weightDecay: weightDecay)
            var direction = gradient
            if wd != 0 {
                let decay = Float(wd)
                let parameter = parameters[name]!
                direction.withUnsafeMutableBufferPointer { d in
                    parameter.withUnsafeBufferPointer { p in for i in 0..<d.count { d[i] += decay * p[i] } }
                }
            }
            if momentum != 0 {
                let mu = Float(momentum)
                var buffer: Tensor
                if let existing = buffers.removeValue(forKey: name) {
                    buffer = existing
                    let keep = Float(1 - dampening)
                    buffer.withUnsafeMutableBufferPointer { b in
                        direction.withUnsafeBufferPointer { d in for i in 0..<b.count { b[i] = b[i] * mu + keep * d[i] } }
                    }
                } else {
                    buffer = direction
                }
                if nesterov {
                    direction.withUnsafeMutableBufferPointer { d in
                        buffer.withUnsafeBufferPointer { b in for i in 0..<d.count { d[i] += mu * b[i] } }
                    }
                } else {
                    direction = buffer
                }
                buffers[name] = buffer
            }
            let rate = Float(-lr)
            parameters[name]!.withUnsafeMutableBufferPointer { p in
                direction.withUnsafeBufferPointer { d in for i in 0..<p.count { p[i] += rate * d[i] } }
            }
        }
    }

    public var state: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: buffers.map { (StateKeys.key("momentum_buffer", $0.key), $0.value) })
    }

    public mutating func loadState(_ state: [String: Tensor]) throws {
        buffers = try StateKeys(quantities: ["momentum_buffer"], groups: groups).parse(state)["momentum_buffer"]!
    }
}
