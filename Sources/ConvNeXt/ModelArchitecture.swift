/// Which transformers model class a checkpoint is, and so which outputs it produces.
public enum ModelArchitecture: String, Sendable, CaseIterable {
    /// `ConvNextModel`: features and pooled output, no head.
    case base = "ConvNextModel"
    /// `ConvNextForImageClassification`: adds a linear classifier (none when `num_labels` is 0).
    case imageClassification = "ConvNextForImageClassification"
    /// `ConvNextBackbone`: normalized feature maps of selected stages.
    case backbone = "ConvNextBackbone"

    /// The architecture named by a transformers class name (V1 or V2), or nil.
    public init?(className: String) {
        switch className {
        case "ConvNextModel", "ConvNextV2Model": self = .base
        case "ConvNextForImageClassification", "ConvNextV2ForImageClassification": self = .imageClassification
        case "ConvNextBackbone", "ConvNextV2Backbone": self = .backbone
        default: return nil
        }
    }

    /// The transformers class name for a configuration's generation.
    public func className(for generation: ConvNeXtConfiguration.Generation) -> String {
        generation == .v1 ? rawValue : rawValue.replacingOccurrences(of: "ConvNext", with: "ConvNextV2")
    }
}
