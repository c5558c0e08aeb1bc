import ConvNeXtImages

/// torchvision's `ColorJitter(brightness, contrast, saturation, hue)` on PIL images: the four
/// adjustments in a random order (`torch.randperm(4)`), with factors drawn uniformly from
/// `max(0, 1 − b)...1 + b` (brightness, contrast, saturation) and `−h...h` (hue). A zero
/// strength disables its adjustment (no factor is drawn for it).
///
/// The adjustments are Pillow's: `ImageEnhance.Brightness`, `Contrast`, `Color` and the HSV
/// hue shift of ``ConvNeXtImages/RGBImage/hueAdjusted(by:)``. timm uses color jitter only
/// when no auto-augmentation (RandAugment) is configured.
public struct ColorJitter: Sendable, Equatable {
    /// Brightness strength `b`: factor in `max(0, 1 − b)...1 + b`.
    public var brightness: Double
    /// Contrast strength.
    public var contrast: Double
    /// Saturation strength.
    public var saturation: Double
    /// Hue strength `h`, at most 0.5: shift in `−h...h` turns.
    public var hue: Double

    /// The adjustments in torchvision's indexing, used to report the order drawn.
    public enum Adjustment: Int, Sendable, CaseIterable {
        case brightness, contrast, saturation, hue
    }

    /// A jitter of the given strengths; timm's `--color-jitter 0.4` is brightness, contrast
    /// and saturation 0.4 with hue 0.
    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        precondition(brightness >= 0 && contrast >= 0 && saturation >= 0, "jitter strengths must be non-negative")
        precondition(hue >= 0 && hue <= 0.5, "hue strength must be in 0...0.5")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
    }

    /// The draws of one call (`get_params`): the order, then each enabled factor.
    public func parameters(using generator: inout some RandomNumberGenerator)
        -> (order: [Adjustment], factors: [Adjustment: Double]) {
        var order = Adjustment.allCases
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int.random(in: 0...i, using: &generator))
        }
        var factors: [Adjustment: Double] = [:]
        for (adjustment, strength) in [(Adjustment.brightness, brightness), (.contrast, contrast), (.saturation, saturation)]
        where strength > 0 {
            factors[adjustment] = RandomSampling.uniform(max(0, 1 - strength), 1 + strength, using: &generator)
        }
        if hue > 0 { factors[.hue] = RandomSampling.uniform(-hue, hue, using: &generator) }
        return (order, factors)
    }

    /// `image` with the adjustments of `factors` applied in `order`.
    public static func apply(order: [Adjustment], factors: [Adjustment: Double], to image: RGBImage) -> RGBImage {
        var result = image
        for adjustment in order {
            guard let factor = factors[adjustment] else { continue }
            switch adjustment {
            case .brightness: result = result.brightnessEnhanced(factor: factor)
            case .contrast: result = result.contrastEnhanced(factor: factor)
            case .saturation: result = result.colorEnhanced(factor: factor)
            case .hue: result = result.hueAdjusted(by: factor)
            }
        }
        return result
    }

    /// `image` jittered with freshly drawn parameters.
    public func apply(to image: RGBImage, using generator: inout some RandomNumberGenerator) -> RGBImage {
        let (order, factors) = parameters(using: &generator)
        return Self.apply(order: order, factors: factors, to: image)
    }
}
