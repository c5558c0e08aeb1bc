/// What one epoch of training measured: one line of `metrics.jsonl`, one point of each curve
/// ``TrainingCurvePlot`` draws.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch, counting from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's steps (on mixed, augmented batches).
    public var trainLoss: Double
    /// The learning rate of the epoch's last step.
    public var learningRate: Double
    /// Training images processed per second over the epoch (data waiting included).
    public var imagesPerSecond: Double
    /// The epoch's wall-clock time in seconds.
    public var seconds: Double
    /// Images skipped because they could not be decoded.
    public var skippedImages: Int
    /// Validation loss (plain cross-entropy), when there is validation data.
    public var validationLoss: Double?
    /// Validation top-1 accuracy in [0, 1].
    public var validationTop1: Double?
    /// Validation top-5 accuracy in [0, 1] (top-k with k = min(5, classes)).
    public var validationTop5: Double?
    /// Validation top-1 accuracy of the EMA weights, when an EMA is kept.
    public var validationTop1EMA: Double?

    /// A record of one epoch.
    public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationTop1: Double? = nil,
                learningRate: Double, validationTop5: Double? = nil, validationTop1EMA: Double? = nil,
                imagesPerSecond: Double = 0, seconds: Double = 0, skippedImages: Int = 0) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationTop1 = validationTop1
        self.learningRate = learningRate
        self.validationTop5 = validationTop5
        self.validationTop1EMA = validationTop1EMA
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
        self.skippedImages = skippedImages
    }

    enum CodingKeys: String, CodingKey {
        case epoch, trainLoss = "train_loss", learningRate = "lr", imagesPerSecond = "images_per_second"
        case seconds, skippedImages = "skipped_images", validationLoss = "val_loss"
        case validationTop1 = "val_top1", validationTop5 = "val_top5", validationTop1EMA = "val_top1_ema"
    }
}
