import ConvNeXtImages

/// timm's `rand_augment_transform("rand-m9-mstd0.5-inc1")`: ``layers`` operations drawn
/// uniformly with replacement from ``operations``, each applied with probability
/// ``probability`` at a magnitude drawn from N(``magnitude``, ``magnitudeStd``²) clipped to
/// 0...10.
///
/// Geometric operations sample with ``sampling`` (bicubic, as the recipe's timm pipeline,
/// `train_interpolation='bicubic'`) and fill with ``fill`` (timm's `img_mean`, the ImageNet
/// mean in 8 bits).
public struct RandAugment: Sendable {
    /// The operations to choose from.
    public var operations: [RandAugmentOperation]
    /// How many operations are applied in sequence (`n`).
    public var layers: Int
    /// The mean magnitude (`m`), on timm's 0...10 scale.
    public var magnitude: Double
    /// The standard deviation of the per-operation magnitude noise (`mstd`).
    public var magnitudeStd: Double
    /// The chance each chosen operation is applied.
    public var probability: Double
    /// TranslateXRel / TranslateYRel shift at magnitude 10, as a fraction of the size.
    public var translatePercent: Double
    /// The sampling of geometric operations.
    public var sampling: AffineSampling
    /// The color of pixels a geometric operation uncovers.
    public var fill: (UInt8, UInt8, UInt8)

    /// The recipe's `rand-m9-mstd0.5-inc1`: every increasing operation, two layers,
    /// magnitude 9 ± 0.5, probability 0.5, fill (124, 116, 104), bicubic sampling.
    public init(operations: [RandAugmentOperation] = RandAugmentOperation.allCases, layers: Int = 2,
                magnitude: Double = 9, magnitudeStd: Double = 0.5, probability: Double = 0.5,
                translatePercent: Double = 0.45, sampling: AffineSampling = .bicubic,
                fill: (UInt8, UInt8, UInt8) = (124, 116, 104)) {
        precondition(!operations.isEmpty, "RandAugment needs at least one operation")
        self.operations = operations
        self.layers = layers
        self.magnitude = magnitude
        self.magnitudeStd = magnitudeStd
        self.probability = probability
        self.translatePercent = translatePercent
        self.sampling = sampling
        self.fill = fill
    }

    /// `image` after ``layers`` randomly chosen operations (`RandAugment.__call__`).
    public func apply(to image: RGBImage, using generator: inout some RandomNumberGenerator) -> RGBImage {
        let chosen = (0..<layers).map { _ in operations[Int.random(in: 0..<operations.count, using: &generator)] }
        var result = image
        for operation in chosen {
            if probability < 1 && !RandomSampling.bernoulli(probability, using: &generator) { continue }
            var level = magnitude
            if magnitudeStd > 0 { level += magnitudeStd * RandomSampling.gaussian(using: &generator) }
            level = min(max(level, 0), 10)
            let argument = operation.argument(magnitude: level, translatePercent: translatePercent, using: &generator)
            result = operation.apply(to: result, argument: argument, sampling: sampling, fill: fill)
        }
        return result
    }
}
