import ConvNeXtImages

/// The operations of timm's RandAugment "increasing" set (`_RAND_INCREASING_TRANSFORMS`),
/// whose strength grows with the magnitude.
public enum RandAugmentOperation: String, Sendable, CaseIterable {
    /// `ImageOps.autocontrast`.
    case autoContrast = "AutoContrast"
    /// `ImageOps.equalize`.
    case equalize = "Equalize"
    /// `ImageOps.invert`.
    case invert = "Invert"
    /// Rotation by up to ±30° at magnitude 10.
    case rotate = "Rotate"
    /// Posterize to `4 − int(m/10·4)` bits.
    case posterizeIncreasing = "PosterizeIncreasing"
    /// Solarize at threshold `256 − int(m/10·256)`.
    case solarizeIncreasing = "SolarizeIncreasing"
    /// Add `int(m/10·110)` below 128.
    case solarizeAdd = "SolarizeAdd"
    /// Color factor `1 ± 0.9·m/10` (at least 0.1).
    case colorIncreasing = "ColorIncreasing"
    /// Contrast factor `1 ± 0.9·m/10` (at least 0.1).
    case contrastIncreasing = "ContrastIncreasing"
    /// Brightness factor `1 ± 0.9·m/10` (at least 0.1).
    case brightnessIncreasing = "BrightnessIncreasing"
    /// Sharpness factor `1 ± 0.9·m/10` (at least 0.1).
    case sharpnessIncreasing = "SharpnessIncreasing"
    /// Horizontal shear by up to ±0.3.
    case shearX = "ShearX"
    /// Vertical shear by up to ±0.3.
    case shearY = "ShearY"
    /// Horizontal shift by up to ±45% of the width.
    case translateXRelative = "TranslateXRel"
    /// Vertical shift by up to ±45% of the height.
    case translateYRelative = "TranslateYRel"

    /// The argument timm's level function gives for `magnitude` (on timm's 0...10 scale);
    /// signed operations take a random sign (negated with probability 0.5). Operations
    /// without an argument return 0.
    public func argument(magnitude: Double, translatePercent: Double = 0.45,
                         using generator: inout some RandomNumberGenerator) -> Double {
        let level = magnitude / 10
        func randomlyNegated(_ value: Double) -> Double {
            RandomSampling.bernoulli(0.5, using: &generator) ? -value : value
        }
        switch self {
        case .autoContrast, .equalize, .invert: return 0
        case .rotate: return randomlyNegated(level * 30)
        case .posterizeIncreasing: return Double(4 - Int(level * 4))
        case .solarizeIncreasing: return Double(256 - Int(level * 256))
        case .solarizeAdd: return Double(Int(level * 110))
        case .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing:
            return max(0.1, 1 + randomlyNegated(level * 0.9))
        case .shearX, .shearY: return randomlyNegated(level * 0.3)
        case .translateXRelative, .translateYRelative: return randomlyNegated(level * translatePercent)
        }
    }

    /// The operation applied to `image` with an ``argument(magnitude:translatePercent:using:)``
    /// value; geometric operations fill uncovered pixels with `fill`.
    public func apply(to image: RGBImage, argument: Double, sampling: AffineSampling,
                      fill: (UInt8, UInt8, UInt8)) -> RGBImage {
        switch self {
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        case .invert: return image.inverted()
        case .rotate: return image.rotated(degrees: argument, sampling: sampling, fill: fill)
        case .posterizeIncreasing: return image.posterized(bits: Int(argument))
        case .solarizeIncreasing: return image.solarized(threshold: Int(argument))
        case .solarizeAdd: return image.solarizeAdded(Int(argument))
        case .colorIncreasing: return image.colorEnhanced(factor: argument)
        case .contrastIncreasing: return image.contrastEnhanced(factor: argument)
        case .brightnessIncreasing: return image.brightnessEnhanced(factor: argument)
        case .sharpnessIncreasing: return image.sharpnessEnhanced(factor: argument)
        case .shearX: return image.affineTransformed((1, argument, 0, 0, 1, 0), sampling: sampling, fill: fill)
        case .shearY: return image.affineTransformed((1, 0, 0, argument, 1, 0), sampling: sampling, fill: fill)
        case .translateXRelative:
            let shift = argument * Double(image.width)
            return image.affineTransformed((1, 0, shift, 0, 1, 0), sampling: sampling, fill: fill)
        case .translateYRelative:
            let shift = argument * Double(image.height)
            return image.affineTransformed((1, 0, 0, 0, 1, shift), sampling: sampling, fill: fill)
        }
    }
}
