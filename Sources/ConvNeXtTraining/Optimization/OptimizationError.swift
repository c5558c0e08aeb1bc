/// Why an optimizer, a parameter grouping or a state restore was refused.
public enum OptimizationError: Error, Equatable, CustomStringConvertible {
    /// A parameter an optimizer updates is missing from the parameters it was given.
    case missingParameter(name: String)
    /// A gradient or a state tensor does not have its parameter's shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A parameter name appears in more than one group.
    case duplicateParameter(name: String)
    /// A state tensor's key is not one the optimizer writes (or names a parameter it lacks).
    case unexpectedState(key: String)
    /// A hyper-parameter is outside the range the optimizer accepts.
    case invalidHyperparameter(name: String, reason: String)
    /// A model or a parameter name the layer-wise decay rule cannot place.
    case unsupportedLayerDecay(reason: String)

    public var description: String {
        switch self {
        case let .missingParameter(name): return "no parameter named '\(name)'"
        case let .shapeMismatch(name, expected, found): return "'\(name)' has shape \(found), expected \(expected)"
        case let .duplicateParameter(name): return "'\(name)' is in more than one parameter group"
        case let .unexpectedState(key): return "unexpected optimizer state '\(key)'"
        case let .invalidHyperparameter(name, reason): return "invalid \(name): \(reason)"
        case let .unsupportedLayerDecay(reason): return "layer-wise decay: \(reason)"
        }
    }
}
