extension ConvNeXtConfiguration {
    /// Reconstructs a configuration from a checkpoint's canonical parameter shapes, for
    /// checkpoints published without a transformers `config.json` (timm, the original repository).
    ///
    /// Depths, widths, input channels, patch size, layer scale, V1/V2 and the number of labels
    /// come from the tensors; the final LayerNorm epsilon is `layerNormEpsilon` (timm and the
    /// original repository use 1e-6).
    public static func inferred(fromShapes shapes: [String: [Int]], layerNormEpsilon: Double) throws -> (ConvNeXtConfiguration, ModelArchitecture) {
        func missing(_ what: String) -> ConvNeXtError {
            .invalidConfiguration(field: "config.json", reason: "no config.json, and the checkpoint does not show \(what)")
        }
        guard let stem = shapes["embeddings.patch_embeddings.weight"], stem.count == 4 else { throw missing("the stem convolution") }
        var configuration = ConvNeXtConfiguration()
        configuration.numChannels = stem[1]
        configuration.patchSize = stem[2]
        let stageIndices = shapes.keys.compactMap { key -> Int? in
            guard key.hasPrefix("encoder.stages.") else { return nil }
            return Int(key.dropFirst("encoder.stages.".count).prefix { $0 != "." })
        }
        guard let lastStage = stageIndices.max() else { throw missing("any stage") }
        var depths: [Int] = [], sizes: [Int] = []
        for stage in 0...lastStage {
            let prefix = "encoder.stages.\(stage).layers."
            let blocks = Set(shapes.keys.compactMap { key -> Int? in
                guard key.hasPrefix(prefix) else { return nil }
                return Int(key.dropFirst(prefix.count).prefix { $0 != "." })
            })
            depths.append(blocks.count)
            let downsampling = shapes["encoder.stages.\(stage).downsampling_layer.1.weight"]
            sizes.append(downsampling?[0] ?? shapes[prefix + "0.dwconv.weight"]?[0] ?? stem[0])
        }
        guard !depths.isEmpty else { throw missing("any stage") }
        configuration.depths = depths
        configuration.hiddenSizes = sizes
        configuration.numStages = depths.count
        configuration.layerNormEps = layerNormEpsilon
        if shapes.keys.contains(where: { $0.contains(".grn.") }) {
            configuration.generation = .v2
        } else if !shapes.keys.contains(where: { $0.hasSuffix(".layer_scale_parameter") }) {
            configuration.layerScaleInitValue = 0
        }
        let architecture: ModelArchitecture
        let norms = shapes.keys.filter { $0.hasPrefix("hidden_states_norms.") && $0.hasSuffix(".weight") }
        if !norms.isEmpty {
            architecture = .backbone
            let names = Set(norms.map { String($0.dropFirst("hidden_states_norms.".count).dropLast(".weight".count)) })
            configuration.outFeatures = configuration.stageNames.filter { names.contains($0) }
        } else if let classifier = shapes["classifier.weight"], classifier.count == 2 {
            architecture = .imageClassification
            configuration.setNumLabels(classifier[0])
        } else {
            architecture = .base
        }
        configuration.architectures = [architecture.className(for: configuration.generation)]
        try configuration.validate()
        return (configuration, architecture)
    }
}
