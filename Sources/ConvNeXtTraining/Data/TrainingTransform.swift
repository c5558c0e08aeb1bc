import ConvNeXtImages

/// timm's training transform (`create_transform(is_training=True)`) for the ConvNeXt recipe:
///
/// 1. ``RandomResizedCrop`` to `size` x `size` (scale 0.08–1, ratio 3/4–4/3, bicubic);
/// 2. horizontal flip with probability 0.5;
/// 3. ``RandAugment`` (`rand-m9-mstd0.5-inc1`) when set, otherwise ``ColorJitter`` when set
///    (timm applies color jitter only without auto-augmentation);
/// 4. bytes to floats in [0, 1], then `(x − mean) / std` per channel;
/// 5. ``RandomErasing`` in pixel mode when set (probability 0.25 in the recipe), on the
///    normalized values.
///
/// The output is channels-last (`[size, size, 3]`), the layout the training model takes
/// with `.channelsLast`.
public struct TrainingTransform: SampleTransform {
    /// The random crop (which also fixes the output size).
    public var crop: RandomResizedCrop
    /// The horizontal flip.
    public var flip: RandomHorizontalFlip
    /// RandAugment, or nil.
    public var randAugment: RandAugment?
    /// Color jitter, used only when ``randAugment`` is nil.
    public var colorJitter: ColorJitter?
    /// Random erasing after normalization, or nil.
    public var randomErasing: RandomErasing?
    /// Per-channel mean subtracted after scaling to [0, 1].
    public let mean: [Float]
    /// Per-channel standard deviation divided by.
    public let std: [Float]
    private let table: NormalizationTable

    /// The ImageNet mean of timm's `IMAGENET_DEFAULT_MEAN`.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    /// The ImageNet standard deviation of timm's `IMAGENET_DEFAULT_STD`.
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// The recipe's transform at `size` (224 for ImageNet): RandAugment, no color jitter,
    /// random erasing 0.25, ImageNet mean and std. Pass nil to turn a stage off. As timm does,
    /// RandAugment fills uncovered pixels with `round(255 · mean)`.
    public init(size: Int, randAugment: RandAugment? = RandAugment(), colorJitter: ColorJitter? = nil,
                randomErasing: RandomErasing? = RandomErasing(), flip: RandomHorizontalFlip = RandomHorizontalFlip(),
                mean: [Float] = TrainingTransform.imageNetMean, std: [Float] = TrainingTransform.imageNetStd) {
        var randAugment = randAugment
        if mean.count == 3 {
            let fill = mean.map { UInt8(min(255, max(0, (255 * Double($0)).rounded(.toNearestOrEven)))) }
            randAugment?.fill = (fill[0], fill[1], fill[2])
        }
        self.init(crop: RandomResizedCrop(width: size, height: size), flip: flip, randAugment: randAugment,
                  colorJitter: colorJitter, randomErasing: randomErasing, mean: mean, std: std)
    }

    /// A transform with an explicit crop (for non-square outputs or other scale and ratio ranges).
    public init(crop: RandomResizedCrop, flip: RandomHorizontalFlip = RandomHorizontalFlip(),
                randAugment: RandAugment?, colorJitter: ColorJitter?, randomErasing: RandomErasing?,
                mean: [Float], std: [Float]) {
        self.crop = crop
        self.flip = flip
        self.randAugment = randAugment
        self.colorJitter = colorJitter
        self.randomErasing = randomErasing
        self.mean = mean
        self.std = std
        self.table = NormalizationTable(mean: mean, std: std)
    }

    /// The crop's height.
    public var outputHeight: Int { crop.height }
    /// The crop's width.
    public var outputWidth: Int { crop.width }

    /// The augmented image before conversion to floats (steps 1–3).
    public func augmented(_ image: RGBImage, using generator: inout some RandomNumberGenerator) -> RGBImage {
        var result = crop.apply(to: image, using: &generator)
        result = flip.apply(to: result, using: &generator)
        if let randAugment {
            result = randAugment.apply(to: result, using: &generator)
        } else if let colorJitter {
            result = colorJitter.apply(to: result, using: &generator)
        }
        return result
    }

    /// The normalized, channels-last pixels of one augmented sample.
    ///
    /// - Throws: ``ConvNeXtImages/ImageProcessorError/emptyImage`` for an image without pixels.
    public func pixels(for image: RGBImage, using generator: inout some RandomNumberGenerator) throws -> [Float] {
        guard image.width > 0 && image.height > 0 else { throw ImageProcessorError.emptyImage }
        var values = table.apply(to: augmented(image, using: &generator))
        if let randomErasing {
            Self.erase(&values, height: outputHeight, width: outputWidth, with: randomErasing, using: &generator)
        }
        return values
    }

    /// Random erasing on channels-last values. Noise is drawn in channel, row, column order,
    /// as ``RandomErasing/apply(to:using:)`` draws it for channels-first images, so both
    /// layouts give the same image from the same generator state.
    static func erase(_ values: inout [Float], height: Int, width: Int, with erasing: RandomErasing,
                      using generator: inout some RandomNumberGenerator) {
        guard let box = erasing.region(height: height, width: width, using: &generator) else { return }
        for channel in 0..<3 {
            for row in box.rows {
                for column in box.columns {
                    values[(row * width + column) * 3 + channel] = Float(RandomSampling.gaussian(using: &generator))
                }
            }
        }
    }
}
