import ConvNeXt
import Foundation

/// Layer-wise learning-rate decay for fine-tuning, the original repository's
/// `LayerDecayValueAssigner` with `get_num_layer_for_convnext` on canonical parameter names.
///
/// Layers: the stem (`embeddings.*`) is 0; stage 0's blocks 1; stage 1's downsampling layer
/// and blocks 2; stage 2's downsampling layer 3 and its block j is `3 + j / 3` (blocks in
/// threes); stage 3's downsampling layer and blocks ``layerCount``; everything else (the final
/// `layernorm.*` and `classifier.*`) `layerCount + 1`. With stage 2 27 blocks deep (small and
/// larger) ``layerCount`` is 12 as in the original; other depths keep the grouping by three,
/// so ``layerCount`` is `3 + ⌈depth₂ / 3⌉`. Layer `id`'s learning rate is scaled by
/// `decay^(layerCount + 1 − id)`: 1 for the head, smallest for the stem.
public struct LayerDecay: Sendable, Equatable {
    /// The per-layer factor (the original's `--layer_decay`, e.g. 0.8).
    public let decay: Double
    /// The number of layers below the head (12 for stage-2 depth 27).
    public let layerCount: Int

    /// The rule for a four-stage model whose stage 2 has `stage2Depth` blocks.
    public init(decay: Double, stage2Depth: Int) throws {
        guard decay > 0 else { throw OptimizationError.invalidHyperparameter(name: "layer decay", reason: "\(decay) is not positive") }
        guard stage2Depth > 0 else { throw OptimizationError.unsupportedLayerDecay(reason: "stage 2 has no blocks") }
        self.decay = decay
        layerCount = 3 + (stage2Depth + 2) / 3
    }

    /// The rule for `configuration`, which must have four stages.
    public init(decay: Double, configuration: ConvNeXtConfiguration) throws {
        guard configuration.depths.count == 4 else {
            throw OptimizationError.unsupportedLayerDecay(reason: "the rule needs 4 stages, the model has \(configuration.depths.count)")
        }
        try self.init(decay: decay, stage2Depth: configuration.depths[2])
    }

    /// The layer of the parameter named `name` (canonical; a `convnext.` prefix is ignored).
    public func layerID(for name: String) -> Int {
        let parts = name.split(separator: ".").map(String.init)
        let start = parts.first == "convnext" || parts.first == "convnextv2" ? 1 : 0
        let local = Array(parts[start...])
        if local.first == "embeddings" { return 0 }
        guard local.count >= 4, local[0] == "encoder", local[1] == "stages", let stage = Int(local[2]) else { return layerCount + 1 }
        let isDownsampling = local[3] == "downsampling_layer"
        switch stage {
        case 0: return isDownsampling ? 0 : 1
        case 1: return 2
        case 2:
            guard !isDownsampling, local.count >= 5, local[3] == "layers", let block = Int(local[4]) else { return 3 }
            return 3 + block / 3
        default: return layerCount
        }
    }

    /// The learning-rate scale of layer `id`: `decay^(layerCount + 1 − id)`.
    public func scale(forLayer id: Int) -> Double {
        pow(decay, Double(layerCount + 1 - id))
    }
}
