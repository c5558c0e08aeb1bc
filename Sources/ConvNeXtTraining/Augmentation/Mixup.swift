import ConvNeXtKernels

/// timm's `Mixup` in batch mode (`mode="batch"`, `correct_lam=True`): the whole batch is
/// mixed with itself reversed (`x.flip(0)`), either by blending (Mixup) or by pasting a box
/// (CutMix), and the labels become smoothed soft targets mixed with the same weight.
public struct Mixup: Sendable, Equatable {
    /// Mixup's Beta(α, α) parameter; 0 disables Mixup.
    public var mixupAlpha: Double
    /// CutMix's Beta(α, α) parameter; 0 disables CutMix.
    public var cutmixAlpha: Double
    /// The chance a batch is mixed at all (`prob`).
    public var probability: Double
    /// The chance of CutMix rather than Mixup when both are enabled.
    public var switchProbability: Double
    /// Label smoothing of the targets.
    public var labelSmoothing: Double
    /// The number of classes of the targets.
    public var classCount: Int

    /// The recipe's settings: Mixup 0.8, CutMix 1.0, probability 1, switch 0.5, smoothing 0.1.
    public init(classCount: Int, mixupAlpha: Double = 0.8, cutmixAlpha: Double = 1.0, probability: Double = 1,
                switchProbability: Double = 0.5, labelSmoothing: Double = 0.1) {
        precondition(classCount > 0, "need at least one class")
        self.classCount = classCount
        self.mixupAlpha = mixupAlpha
        self.cutmixAlpha = cutmixAlpha
        self.probability = probability
        self.switchProbability = switchProbability
        self.labelSmoothing = labelSmoothing
    }

    /// What one call did: the (corrected) weight of the original batch, and the CutMix box
    /// (`rows`, `columns` half-open) when CutMix was used.
    public struct Outcome: Sendable, Equatable {
        /// The weight λ of each sample's own label.
        public var lambda: Double
        /// The pasted rows, when CutMix was used.
        public var rows: Range<Int>?
        /// The pasted columns, when CutMix was used.
        public var columns: Range<Int>?
    }

    /// Draws `(λ, useCutMix)` as `_params_per_batch` does.
    func drawParameters(using generator: inout some RandomNumberGenerator) -> (Double, Bool) {
        guard RandomSampling.bernoulli(probability, using: &generator) else { return (1, false) }
        if mixupAlpha > 0 && cutmixAlpha > 0 {
            let cutmix = RandomSampling.bernoulli(switchProbability, using: &generator)
            let alpha = cutmix ? cutmixAlpha : mixupAlpha
            return (RandomSampling.beta(alpha, alpha, using: &generator), cutmix)
        } else if mixupAlpha > 0 {
            return (RandomSampling.beta(mixupAlpha, mixupAlpha, using: &generator), false)
        } else if cutmixAlpha > 0 {
            return (RandomSampling.beta(cutmixAlpha, cutmixAlpha, using: &generator), true)
        }
        return (1, false)
    }

    /// timm's `rand_bbox` and `cutmix_bbox_and_lam` for an `height` x `width` image: a box of
    /// sides `cut = int(side·√(1 − λ))`, from `center − cut // 2` to `center + (cut + 1) // 2`
    /// (timm 1.0; older timm cut one pixel less on odd sides) around a uniform center, clipped
    /// to the image, and λ corrected to `1 − box area / image area`.
    public static func cutmixBox(height: Int, width: Int, lambda: Double,
                                 using generator: inout some RandomNumberGenerator) -> (rows: Range<Int>, columns: Range<Int>, lambda: Double) {
        let ratio = (1 - lambda).squareRoot()
        let cutH = Int(Double(height) * ratio), cutW = Int(Double(width) * ratio)
        let cy = Int.random(in: 0..<height, using: &generator)
        let cx = Int.random(in: 0..<width, using: &generator)
        let rows = min(max(cy - cutH / 2, 0), height)..<min(max(cy + (cutH + 1) / 2, 0), height)
        let columns = min(max(cx - cutW / 2, 0), width)..<min(max(cx + (cutW + 1) / 2, 0), width)
        let corrected = 1 - Double(rows.count * columns.count) / Double(height * width)
        return (rows, columns, corrected)
    }

    /// Smoothed one-hot targets mixed with their reversal: `[N, classCount]` rows
    /// `λ·smooth(y) + (1 − λ)·smooth(y.flip(0))`, smoothing off `s/K`, on `1 − s + s/K`.
    public func targets(labels: [Int], lambda: Double) -> Tensor {
        let n = labels.count
        let off = labelSmoothing / Double(classCount)
        let on = 1 - labelSmoothing + off
        var values = [Float](repeating: 0, count: n * classCount)
        for row in 0..<n {
            for column in 0..<classCount {
                let own = labels[row] == column ? on : off
                let other = labels[n - 1 - row] == column ? on : off
                values[row * classCount + column] = Float(own * lambda + other * (1 - lambda))
            }
        }
        return Tensor(shape: [n, classCount], scalars: values)
    }

    /// Mixes `images` (`[N, C, H, W]`, N even) in place and returns the soft targets for
    /// `labels` (`timm.data.Mixup.__call__`).
    public func apply(images: inout Tensor, labels: [Int],
                      using generator: inout some RandomNumberGenerator) -> (targets: Tensor, outcome: Outcome) {
        let shape = images.shape
        precondition(shape.count == 4 && shape[0] == labels.count, "images must be [N, C, H, W] with N labels")
        precondition(shape[0] % 2 == 0, "batch size must be even")
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "label outside 0..<\(classCount)")
        let (n, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        var (lambda, cutmix) = drawParameters(using: &generator)
        var outcome = Outcome(lambda: lambda, rows: nil, columns: nil)
        if lambda != 1 {
            let original = images.scalars
            let sampleSize = channels * height * width
            if cutmix {
                let box = Self.cutmixBox(height: height, width: width, lambda: lambda, using: &generator)
                lambda = box.lambda
                outcome = Outcome(lambda: lambda, rows: box.rows, columns: box.columns)
                images.withUnsafeMutableBufferPointer { x in
                    for sample in 0..<n {
                        let source = (n - 1 - sample) * sampleSize
                        for c in 0..<channels {
                            for row in box.rows {
                                for column in box.columns {
                                    let offset = c * height * width + row * width + column
                                    x[sample * sampleSize + offset] = original[source + offset]
                                }
                            }
                        }
                    }
                }
            } else {
                let keep = Float(lambda), mix = Float(1 - lambda)
                images.withUnsafeMutableBufferPointer { x in
                    for sample in 0..<n {
                        let source = (n - 1 - sample) * sampleSize
                        for offset in 0..<sampleSize {
                            x[sample * sampleSize + offset] = original[sample * sampleSize + offset] * keep
                                + original[source + offset] * mix
                        }
                    }
                }
            }
        }
        return (targets(labels: labels, lambda: lambda), outcome)
    }
}
