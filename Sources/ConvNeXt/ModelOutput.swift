/// The memory order of image-shaped (4-D) tensors at the API boundary.
public enum TensorLayout: String, Sendable, CaseIterable {
    /// `[N, C, H, W]`, transformers' convention.
    case channelsFirst
    /// `[N, H, W, C]`, the library's internal order (no conversion cost).
    case channelsLast
}

/// What a forward pass returns, named as in transformers' model outputs.
///
/// Which fields are set depends on the architecture: base models and classifiers set
/// ``lastHiddenState`` and ``poolerOutput``; classifiers also ``logits``; backbones set
/// ``featureMaps``. Image-shaped tensors use the layout asked for.
public struct ModelOutput: Sendable {
    /// The last stage's output, `[N, C, h, w]`, not normalized.
    public var lastHiddenState: Tensor?
    /// LayerNorm of the spatial mean of ``lastHiddenState``, `[N, C]`.
    public var poolerOutput: Tensor?
    /// Class scores, `[N, num_labels]`; equals ``poolerOutput`` when `num_labels` is 0, as in transformers.
    public var logits: Tensor?
    /// The stem output followed by each stage's output (`num_stages + 1` tensors), when asked for.
    public var hiddenStates: [Tensor] = []
    /// A backbone's normalized feature maps, in `out_features` order.
    public var featureMaps: [(name: String, tensor: Tensor)] = []
}

extension ModelOutput {
    /// The outputs under the names `convnext run` writes and transformers' output fields use:
    /// `logits`, `pooler_output`, `last_hidden_state`, `hidden_states.K`, `feature_maps.NAME`.
    public var namedTensors: [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        tensors["logits"] = logits
        tensors["pooler_output"] = poolerOutput
        tensors["last_hidden_state"] = lastHiddenState
        for (index, state) in hiddenStates.enumerated() { tensors["hidden_states.\(index)"] = state }
        for feature in featureMaps { tensors["feature_maps.\(feature.name)"] = feature.tensor }
        return tensors
    }
}
