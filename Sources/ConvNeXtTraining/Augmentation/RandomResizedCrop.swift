import ConvNeXtImages
import Foundation

/// timm's `RandomResizedCropAndInterpolation` (torchvision's `RandomResizedCrop`): a random
/// region of random area and aspect ratio, resized to a fixed size.
///
/// Up to ten attempts draw an area fraction uniformly from ``scale`` and an aspect ratio
/// (width / height) log-uniformly from ``ratio``; sides are `round(√(area·ratio))` and
/// `round(√(area/ratio))` (Python rounding), and the first region that fits is placed
/// uniformly at random. When none fits, the fallback is the center crop clamped to the
/// ratio range. The region is resized with Pillow-exact ``filter`` (bicubic in the recipe).
public struct RandomResizedCrop: Sendable, Equatable {
    /// Output width in pixels.
    public var width: Int
    /// Output height in pixels.
    public var height: Int
    /// The range of the crop's area as a fraction of the image's.
    public var scale: ClosedRange<Double>
    /// The range of the crop's aspect ratio, width / height.
    public var ratio: ClosedRange<Double>
    /// The resampling filter used to resize the crop.
    public var filter: ResamplingFilter

    /// The recipe's crop: scale 0.08...1, ratio 3/4...4/3, bicubic.
    public init(width: Int, height: Int, scale: ClosedRange<Double> = 0.08...1,
                ratio: ClosedRange<Double> = (3.0 / 4.0)...(4.0 / 3.0), filter: ResamplingFilter = .bicubic) {
        precondition(width > 0 && height > 0, "output size must be positive")
        precondition(scale.lowerBound > 0 && ratio.lowerBound > 0, "scale and ratio must be positive")
        self.width = width
        self.height = height
        self.scale = scale
        self.ratio = ratio
        self.filter = filter
    }

    /// A crop region in image coordinates: top-left (`x`, `y`) and size.
    public struct Region: Sendable, Equatable {
        /// Left column.
        public var x: Int
        /// Top row.
        public var y: Int
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int

        /// The region at (`x`, `y`) of `width` x `height`.
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// The region `get_params` picks for an image of `imageWidth` x `imageHeight`.
    public func region(imageWidth: Int, imageHeight: Int, using generator: inout some RandomNumberGenerator) -> Region {
        let area = Double(imageWidth * imageHeight)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let targetArea = RandomSampling.uniform(scale.lowerBound, scale.upperBound, using: &generator) * area
            let aspect = exp(RandomSampling.uniform(logRatio.0, logRatio.1, using: &generator))
            let w = RandomSampling.pythonRound((targetArea * aspect).squareRoot())
            let h = RandomSampling.pythonRound((targetArea / aspect).squareRoot())
            if w <= imageWidth && h <= imageHeight && w > 0 && h > 0 {
                let top = RandomSampling.integer(0, through: imageHeight - h, using: &generator)
                let left = RandomSampling.integer(0, through: imageWidth - w, using: &generator)
                return Region(x: left, y: top, width: w, height: h)
            }
        }
        let inRatio = Double(imageWidth) / Double(imageHeight)
        var w = imageWidth
        var h = imageHeight
        if inRatio < ratio.lowerBound {
            h = RandomSampling.pythonRound(Double(w) / ratio.lowerBound)
        } else if inRatio > ratio.upperBound {
            w = RandomSampling.pythonRound(Double(h) * ratio.upperBound)
        }
        return Region(x: (imageWidth - w) / 2, y: (imageHeight - h) / 2, width: w, height: h)
    }

    /// A random crop of `image`, resized to ``width`` x ``height``.
    public func apply(to image: RGBImage, using generator: inout some RandomNumberGenerator) -> RGBImage {
        let r = region(imageWidth: image.width, imageHeight: image.height, using: &generator)
        return image.cropped(x: r.x, y: r.y, width: r.width, height: r.height)
            .resized(width: width, height: height, filter: filter)
    }
}

/// A horizontal flip with probability ``probability`` (torchvision's `RandomHorizontalFlip`).
public struct RandomHorizontalFlip: Sendable, Equatable {
    /// The chance of flipping; 0.5 in the recipe.
    public var probability: Double

    /// A flip that happens with `probability`.
    public init(probability: Double = 0.5) { self.probability = probability }

    /// `image`, mirrored with probability ``probability``.
    public func apply(to image: RGBImage, using generator: inout some RandomNumberGenerator) -> RGBImage {
        RandomSampling.bernoulli(probability, using: &generator) ? image.horizontallyFlipped() : image
    }
}
