/// Parameters that share a learning-rate scale and a weight decay (a PyTorch param group).
public struct ParameterGroup: Sendable, Hashable {
    /// A label, like the original repository's: `decay`, `no_decay`, `layer_3_decay`, ….
    public var name: String
    /// The canonical names of the parameters in the group.
    public var parameterNames: [String]
    /// Multiplies the scheduled learning rate (layer-wise decay; 1 otherwise).
    public var learningRateScale: Double
    /// The weight decay; 0 turns it off. A weight-decay schedule replaces it only when it is
    /// positive, as the original training loop does.
    public var weightDecay: Double
    /// The layer-wise decay layer, when the group came from one.
    public var layerID: Int?

    /// A group of `parameterNames`.
    public init(name: String, parameterNames: [String], learningRateScale: Double = 1, weightDecay: Double = 0, layerID: Int? = nil) {
        self.name = name
        self.parameterNames = parameterNames
        self.learningRateScale = learningRateScale
        self.weightDecay = weightDecay
        self.layerID = layerID
    }

    /// The learning rate and weight decay this group uses at one step.
    ///
    /// - Parameters:
    ///   - learningRate: the scheduled base learning rate, multiplied by ``learningRateScale``.
    ///   - weightDecay: a scheduled weight decay that replaces ``weightDecay`` when that is
    ///     positive; nil keeps ``weightDecay``.
    public func hyperparameters(learningRate: Double, weightDecay scheduled: Double?) -> (learningRate: Double, weightDecay: Double) {
        (learningRate * learningRateScale, weightDecay > 0 ? (scheduled ?? weightDecay) : weightDecay)
    }
}
