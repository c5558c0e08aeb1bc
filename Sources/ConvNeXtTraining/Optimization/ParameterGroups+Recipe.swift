import ConvNeXt

extension ParameterGroups {
    /// The original repository's `get_parameter_groups`: weight decay `weightDecay` except on
    /// 1-D parameters (biases, LayerNorm weights, layer scale), names ending in `.bias`, GRN
    /// weights (`.grn.weight`, as ConvNeXt V2's own rule exempts GRN's gamma and beta) and names
    /// in `skipList`; with `layerDecay`, one group per layer and decay setting, named
    /// `layer_<id>_decay` / `layer_<id>_no_decay` with that layer's learning-rate scale.
    ///
    /// - Parameter parameters: names and shapes in model order (groups keep that order).
    public init(parameters: [(name: String, shape: [Int])], weightDecay: Double, skipList: Set<String> = [], layerDecay: LayerDecay? = nil) {
        var groups: [ParameterGroup] = []
        var position: [String: Int] = [:]
        for (name, shape) in parameters {
            let exempt = shape.count == 1 || name.hasSuffix(".bias") || name.hasSuffix(".grn.weight") || skipList.contains(name)
            var label = exempt ? "no_decay" : "decay"
            let layer = layerDecay?.layerID(for: name)
            if let layer { label = "layer_\(layer)_" + label }
            if let index = position[label] {
                groups[index].parameterNames.append(name)
            } else {
                position[label] = groups.count
                groups.append(ParameterGroup(
                    name: label, parameterNames: [name],
                    learningRateScale: layer.map { layerDecay!.scale(forLayer: $0) } ?? 1,
                    weightDecay: exempt ? 0 : weightDecay, layerID: layer))
            }
        }
        var seen = Set<String>()
        let unique = groups.map { group in
            var group = group
            group.parameterNames = group.parameterNames.filter { seen.insert($0).inserted }
            return group
        }
        self.init(validated: unique)
    }

    /// ``init(parameters:weightDecay:skipList:layerDecay:)`` for every parameter of `model`,
    /// with layer-wise decay `layerDecay` (none when nil or 1).
    ///
    /// - Throws: ``OptimizationError/unsupportedLayerDecay(reason:)`` when layer decay is asked
    ///   of a model without four stages.
    public init(model: TrainableConvNeXt, weightDecay: Double, skipList: Set<String> = [], layerDecay: Double? = nil) throws {
        let rule = try layerDecay.flatMap { $0 == 1 ? nil : try LayerDecay(decay: $0, configuration: model.configuration) }
        self.init(parameters: model.layout.entries, weightDecay: weightDecay, skipList: skipList, layerDecay: rule)
    }
}
