import ConvNeXtKernels

/// Updates named parameters from their gradients, group by group (``ParameterGroups``).
///
/// A step follows PyTorch: a parameter whose gradient is absent is skipped (its state does not
/// advance); gradients of names no group holds are ignored. The optimizer's state is a set of
/// named tensors (``state``) that ``loadState(_:)`` restores, for checkpoints.
public protocol Optimizer: Sendable {
    /// The parameters the optimizer updates and their learning-rate scales and weight decays.
    var groups: ParameterGroups { get }

    /// One update of `parameters` (by canonical name) from `gradients`.
    ///
    /// - Parameters:
    ///   - learningRate: the scheduled base learning rate; each group multiplies it by its
    ///     ``ParameterGroup/learningRateScale``.
    ///   - weightDecay: a scheduled weight decay for the groups whose own is positive; nil keeps
    ///     each group's (see ``ParameterGroup/hyperparameters(learningRate:weightDecay:)``).
    /// - Throws: ``OptimizationError`` when a grouped parameter that has a gradient is missing
    ///   or a gradient's shape differs from its parameter's.
    mutating func step(_ parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Double, weightDecay: Double?) throws

    /// The state as named tensors, keys `state.<quantity>.<parameter name>`.
    var state: [String: Tensor] { get }

    /// Replaces the state with `state` (as ``state`` wrote it).
    ///
    /// - Throws: ``OptimizationError/unexpectedState(key:)`` for a key the optimizer does not
    ///   write or a parameter no group holds; ``OptimizationError/shapeMismatch(name:expected:found:)``
    ///   for tensors of one parameter with different shapes.
    mutating func loadState(_ state: [String: Tensor]) throws
}

extension Optimizer {
    /// ``step(_:gradients:learningRate:weightDecay:)`` with each group's own weight decay.
    public mutating func step(_ parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Double) throws {
        try step(&parameters, gradients: gradients, learningRate: learningRate, weightDecay: nil)
    }

    /// The grouped parameters that have a gradient, with their group, checked against `parameters`.
    func updates(_ parameters: [String: Tensor], gradients: [String: Tensor]) throws -> [(name: String, group: ParameterGroup, gradient: Tensor)] {
        var result: [(name: String, group: ParameterGroup, gradient: Tensor)] = []
        for group in groups.groups {
            for name in group.parameterNames {
                guard let gradient = gradients[name] else { continue }
                guard let parameter = parameters[name] else { throw OptimizationError.missingParameter(name: name) }
                guard parameter.shape == gradient.shape else {
                    throw OptimizationError.shapeMismatch(name: name, expected: parameter.shape, found: gradient.shape)
                }
                result.append((name, group, gradient))
            }
        }
        return result
    }
}

/// Splits optimizer state keys `state.<quantity>.<parameter>` for ``Optimizer/loadState(_:)``.
struct StateKeys {
    let quantities: [String]
    let groups: ParameterGroups

    static func key(_ quantity: String, _ name: String) -> String { "state.\(quantity).\(name)" }

    /// The state's tensors by quantity, then parameter name.
    func parse(_ state: [String: Tensor]) throws -> [String: [String: Tensor]] {
        var result: [String: [String: Tensor]] = Dictionary(uniqueKeysWithValues: quantities.map { ($0, [:]) })
        for (key, tensor) in state {
            guard let quantity = quantities.first(where: { key.hasPrefix("state.\($0).") }) else {
                throw OptimizationError.unexpectedState(key: key)
            }
            let name = String(key.dropFirst("state.\(quantity).".count))
            guard groups.contains(name) else { throw OptimizationError.unexpectedState(key: key) }
            result[quantity]![name] = tensor
        }
        return result
    }
}
