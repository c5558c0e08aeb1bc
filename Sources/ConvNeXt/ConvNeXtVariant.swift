/// The published ConvNeXt sizes, as configurations.
public enum ConvNeXtVariant: String, CaseIterable, Sendable {
    case atto, femto, pico, nano, tiny, small, base, large, xlarge, xxlarge

    /// Blocks per stage.
    public var depths: [Int] {
        switch self {
        case .atto, .femto, .pico: return [2, 2, 6, 2]
        case .nano: return [2, 2, 8, 2]
        case .tiny: return [3, 3, 9, 3]
        case .small, .base, .large, .xlarge: return [3, 3, 27, 3]
        case .xxlarge: return [3, 4, 30, 3]
        }
    }

    /// Channels per stage: the first stage's width, doubled at each downsampling.
    public var hiddenSizes: [Int] {
        let width: Int
        switch self {
        case .atto: width = 40
        case .femto: width = 48
        case .pico: width = 64
        case .nano: width = 80
        case .tiny, .small: width = 96
        case .base: width = 128
        case .large: width = 192
        case .xlarge: width = 256
        case .xxlarge: width = 384
        }
        return [width, width * 2, width * 4, width * 8]
    }

    /// The variant's configuration: ConvNeXt (V1) with layer scale, an ImageNet-1k head and
    /// transformers' final-norm epsilon (1e-12; 1e-5 for xxlarge, as timm publishes it).
    public func configuration(numLabels: Int = 1000) -> ConvNeXtConfiguration {
        var configuration = ConvNeXtConfiguration()
        configuration.depths = depths
        configuration.hiddenSizes = hiddenSizes
        configuration.layerNormEps = self == .xxlarge ? 1e-5 : 1e-12
        configuration.setNumLabels(numLabels)
        configuration.architectures = ["ConvNextForImageClassification"]
        return configuration
    }
}
