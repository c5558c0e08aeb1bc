import ConvNeXtKernels

/// An exponential moving average of a model's parameters, timm's `ModelEmaV2`: after each
/// optimizer step, `ema ← decay·ema + (1 − decay)·p` for every parameter.
public struct ModelEMA: Sendable {
    /// The weight of the running average (the recipe's 0.9999).
    public let decay: Double
    /// The averaged parameters, by name.
    public private(set) var parameters: [String: Tensor]

    /// An average that starts at `parameters`.
    public init(parameters: [String: Tensor], decay: Double = 0.9999) {
        precondition((0...1).contains(decay), "EMA decay \(decay) is not in [0, 1]")
        self.parameters = parameters
        self.decay = decay
    }

    /// Moves the average toward `current`. Names the average lacks are ignored, as are
    /// averaged names `current` lacks.
    public mutating func update(with current: [String: Tensor]) {
        let (keep, take) = (Float(decay), Float(1 - decay))
        for (name, value) in current {
            guard var average = parameters.removeValue(forKey: name) else { continue }
            precondition(average.shape == value.shape, "EMA parameter '\(name)' has shape \(average.shape), the model's \(value.shape)")
            average.withUnsafeMutableBufferPointer { e in
                value.withUnsafeBufferPointer { p in for i in 0..<e.count { e[i] = keep * e[i] + take * p[i] } }
            }
            parameters[name] = average
        }
    }
}
