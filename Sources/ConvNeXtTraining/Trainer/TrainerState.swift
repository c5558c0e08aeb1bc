/// Where a run stands, saved with every checkpoint (`trainer_state` metadata of
/// `training_state.safetensors`) so `--resume` continues exactly.
public struct TrainerState: Sendable, Equatable, Codable {
    /// Bumped when the checkpoint layout changes incompatibly.
    public var formatVersion = 1
    /// Epochs finished (the checkpoint was written after this many).
    public var completedEpochs: Int
    /// Optimizer steps taken (the schedule's position).
    public var optimizerSteps: Int
    /// The recipe of the run.
    public var recipe: TrainingRecipe
    /// The classes in label order.
    public var classNames: [String]
    /// How many training images the run uses per epoch, to refuse resuming on other data.
    public var trainingSampleCount: Int
    /// Every finished epoch's record.
    public var history: [EpochRecord]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", completedEpochs = "completed_epochs", optimizerSteps = "optimizer_steps"
        case recipe, classNames = "class_names", trainingSampleCount = "training_sample_count", history
    }
}
