/// The key-naming schemes ConvNeXt checkpoints are published with.
///
/// Every scheme maps onto the canonical (transformers base-model) names of ``ParameterLayout``.
public enum CheckpointNaming: String, Sendable, CaseIterable {
    /// Hugging Face transformers: `convnext.encoder.stages.0.layers.0.dwconv.weight`.
    case transformers
    /// timm: `stages.0.blocks.0.conv_dw.weight`, `stem.0.weight`, `head.fc.weight`.
    case timm
    /// The original facebookresearch repository: `downsample_layers.0.0.weight`, `stages.0.0.dwconv.weight`.
    case original

    /// The naming a set of checkpoint keys follows, or nil when none fits.
    public static func detect(_ keys: some Sequence<String>) -> CheckpointNaming? {
        var sawTimm = false, sawTransformers = false
        for key in keys {
            if key.hasPrefix("downsample_layers.") { return .original }
            if key.hasPrefix("stem.") || key.contains(".blocks.") || key.hasPrefix("head.fc.") || key.hasPrefix("head.norm.") { sawTimm = true }
            let stripped = CheckpointNaming.strippingModelPrefix(key)
            if stripped.hasPrefix("embeddings.") || stripped.hasPrefix("encoder.") { sawTransformers = true }
        }
        if sawTransformers { return .transformers }
        return sawTimm ? .timm : nil
    }

    /// The canonical name of a checkpoint key under this naming, or nil when the key has no
    /// place in a ConvNeXt model.
    public func canonicalName(of key: String) -> String? {
        switch self {
        case .transformers: return CheckpointNaming.strippingModelPrefix(key)
        case .timm: return CheckpointNaming.canonicalTimmName(key)
        case .original: return CheckpointNaming.canonicalOriginalName(key)
        }
    }

    static func strippingModelPrefix(_ key: String) -> String {
        for prefix in ["convnext.", "convnextv2."] where key.hasPrefix(prefix) {
            return String(key.dropFirst(prefix.count))
        }
        return key
    }

    private static func canonicalTimmName(_ key: String) -> String? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let leaf = parts.last, parts.count >= 2 else { return nil }
        switch parts.first {
        case "stem":
            guard parts.count == 3 else { return nil }
            switch parts[1] {
            case "0": return "embeddings.patch_embeddings.\(leaf)"
            case "1": return "embeddings.layernorm.\(leaf)"
            default: return nil
            }
        case "head":
            guard parts.count == 3 else { return nil }
            switch parts[1] {
            case "norm": return "layernorm.\(leaf)"
            case "fc": return "classifier.\(leaf)"
            default: return nil
            }
        case "stages":
            guard parts.count >= 4, let stage = Int(parts[1]) else { return nil }
            if parts[2] == "downsample", parts.count == 5, ["0", "1"].contains(parts[3]) {
                return "encoder.stages.\(stage).downsampling_layer.\(parts[3]).\(leaf)"
            }
            guard parts[2] == "blocks", parts.count >= 5, let block = Int(parts[3]) else { return nil }
            let layer = "encoder.stages.\(stage).layers.\(block)"
            switch parts[4...].joined(separator: ".") {
            case "gamma": return layer + ".layer_scale_parameter"
            case "conv_dw.weight", "conv_dw.bias": return "\(layer).dwconv.\(leaf)"
            case "norm.weight", "norm.bias": return "\(layer).layernorm.\(leaf)"
            case "mlp.fc1.weight", "mlp.fc1.bias": return "\(layer).pwconv1.\(leaf)"
            case "mlp.fc2.weight", "mlp.fc2.bias": return "\(layer).pwconv2.\(leaf)"
            case "mlp.grn.weight", "mlp.grn.bias": return "\(layer).grn.\(leaf)"
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func canonicalOriginalName(_ key: String) -> String? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let leaf = parts.last, parts.count >= 2 else { return nil }
        switch parts.first {
        case "downsample_layers":
            guard parts.count == 4, let stage = Int(parts[1]), ["0", "1"].contains(parts[2]) else { return nil }
            if stage == 0 {
                return parts[2] == "0" ? "embeddings.patch_embeddings.\(leaf)" : "embeddings.layernorm.\(leaf)"
            }
            return "encoder.stages.\(stage).downsampling_layer.\(parts[2]).\(leaf)"
        case "norm":
            return parts.count == 2 ? "layernorm.\(leaf)" : nil
        case "head":
            return parts.count == 2 ? "classifier.\(leaf)" : nil
        case "stages":
            guard parts.count >= 4, let stage = Int(parts[1]), let block = Int(parts[2]) else { return nil }
            let layer = "encoder.stages.\(stage).layers.\(block)"
            switch parts[3...].joined(separator: ".") {
            case "gamma": return layer + ".layer_scale_parameter"
            case "dwconv.weight", "dwconv.bias": return "\(layer).dwconv.\(leaf)"
            case "norm.weight", "norm.bias": return "\(layer).layernorm.\(leaf)"
            case "pwconv1.weight", "pwconv1.bias": return "\(layer).pwconv1.\(leaf)"
            case "pwconv2.weight", "pwconv2.bias": return "\(layer).pwconv2.\(leaf)"
            case "grn.gamma": return layer + ".grn.weight"
            case "grn.beta": return layer + ".grn.bias"
            default: return nil
            }
        default:
            return nil
        }
    }
}
