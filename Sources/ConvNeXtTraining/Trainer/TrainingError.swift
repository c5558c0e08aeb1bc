/// Why training could not start or go on.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// A recipe value is out of range.
    case invalidRecipe(field: String, reason: String)
    /// The loss became NaN or infinite; the last complete checkpoint is kept.
    case nonFiniteLoss(epoch: Int, step: Int, value: Float)
    /// A gradient held NaN or infinity although the loss was finite; the last complete
    /// checkpoint is kept.
    case nonFiniteGradient(epoch: Int, step: Int, parameter: String)
    /// The data gives no complete batch.
    case notEnoughData(reason: String)
    /// The classes of two datasets, or of a dataset and a model, disagree.
    case labelMismatch(String)
    /// A checkpoint to resume from is missing, incomplete or from a different run.
    case cannotResume(reason: String)
    /// A checkpoint, metrics file or plot could not be written.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidRecipe(field, reason): "invalid --\(field): \(reason)"
        case let .nonFiniteLoss(epoch, step, value): "the loss became \(value) at epoch \(epoch), step \(step); training stopped and the last complete checkpoint is kept (try a lower --lr or --clip-grad, or --skip-nonfinite-steps)"
        case let .nonFiniteGradient(epoch, step, parameter): "the gradient of \(parameter) became NaN or infinite at epoch \(epoch), step \(step); training stopped and the last complete checkpoint is kept (try a lower --lr or --clip-grad, or --skip-nonfinite-steps)"
        case let .notEnoughData(reason): "not enough data: \(reason)"
        case let .labelMismatch(reason): "label mismatch: \(reason)"
        case let .cannotResume(reason): "cannot resume: \(reason)"
        case let .writeFailed(path, reason): "cannot write \(path): \(reason)"
        }
    }
}

extension TrainingError {
    /// Whether the error is a step's NaN or infinite loss or gradient.
    var isNonFiniteStep: Bool {
        switch self {
        case .nonFiniteLoss, .nonFiniteGradient: true
        default: false
        }
    }

    /// The error with the epoch of a non-finite step filled in.
    func locating(epoch: Int) -> TrainingError {
        switch self {
        case let .nonFiniteLoss(_, step, value): .nonFiniteLoss(epoch: epoch, step: step, value: value)
        case let .nonFiniteGradient(_, step, parameter): .nonFiniteGradient(epoch: epoch, step: step, parameter: parameter)
        default: self
        }
    }
}
