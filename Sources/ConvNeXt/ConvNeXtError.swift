/// Everything that can go wrong building or running a ConvNeXt model, with messages that
/// name the file, field or tensor at fault.
public enum ConvNeXtError: Error, CustomStringConvertible, Equatable {
    /// A configuration field has a value the model cannot be built from.
    case invalidConfiguration(field: String, reason: String)
    /// A file could not be read or parsed.
    case unreadableFile(path: String, reason: String)
    /// A tensor the model needs is not in the checkpoint.
    case missingTensor(name: String)
    /// The checkpoint holds tensors the model has no place for.
    case unexpectedTensors(names: [String])
    /// A checkpoint tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// The checkpoint's key names follow no naming we know.
    case unrecognizedKeyNaming(example: String)
    /// The model input is not what the model accepts.
    case invalidInput(String)
    /// A checkpoint tensor holds NaN or infinity (a corrupt or diverged checkpoint).
    case nonFiniteParameter(name: String, index: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, reason):
            return "invalid configuration: \(field): \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .missingTensor(name):
            return "checkpoint is missing tensor '\(name)'"
        case let .unexpectedTensors(names):
            let shown = names.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            return "checkpoint has \(names.count) unexpected tensor(s): \(shown)\(names.count > 5 ? ", ..." : "")"
        case let .shapeMismatch(name, expected, found):
            return "tensor '\(name)' has shape \(found), expected \(expected)"
        case let .unrecognizedKeyNaming(example):
            return "checkpoint key names follow no known ConvNeXt naming (transformers, timm or original), e.g. '\(example)'"
        case let .invalidInput(reason):
            return "invalid input: \(reason)"
        case let .nonFiniteParameter(name, index):
            return "checkpoint tensor '\(name)' holds NaN or infinity (first at element \(index))"
        }
    }
}
