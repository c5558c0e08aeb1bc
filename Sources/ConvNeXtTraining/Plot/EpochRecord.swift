/// One epoch's summary, as a trainer logs it and ``TrainingCurvePlot`` draws it.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch number (the x axis).
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var trainLoss: Double
    /// Mean validation loss, when validated.
    public var validationLoss: Double?
    /// Validation top-1 accuracy in 0...1, when validated.
    public var validationTop1: Double?
    /// The learning rate at the end of the epoch.
    public var learningRate: Double

    /// A record of one epoch.
    public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationTop1: Double? = nil,
                learningRate: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationTop1 = validationTop1
        self.learningRate = learningRate
    }
}
