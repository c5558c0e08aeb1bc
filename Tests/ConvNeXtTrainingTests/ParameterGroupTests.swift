import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// The original repository's parameter groups and layer-wise decay on canonical names.
@Suite struct ParameterGroupTests {
    @Test func layerIDsFollowTheOriginalTwelveLayerRule() throws {
        let rule = try LayerDecay(decay: 0.8, stage2Depth: 27)
        #expect(rule.layerCount == 12)
        let expected: [(String, Int)] = [
            ("embeddings.patch_embeddings.weight", 0), ("embeddings.layernorm.bias", 0),
            ("encoder.stages.0.layers.2.dwconv.weight", 1),
            ("encoder.stages.1.downsampling_layer.1.weight", 2), ("encoder.stages.1.layers.0.layer_scale_parameter", 2),
            ("encoder.stages.2.downsampling_layer.0.weight", 3), ("encoder.stages.2.layers.2.pwconv2.bias", 3),
            ("encoder.stages.2.layers.5.pwconv1.weight", 4), ("encoder.stages.2.layers.26.layernorm.weight", 11),
            ("encoder.stages.3.downsampling_layer.1.bias", 12), ("encoder.stages.3.layers.2.pwconv1.weight", 12),
            ("layernorm.weight", 13), ("classifier.weight", 13), ("convnext.encoder.stages.0.layers.0.dwconv.bias", 1),
        ]
        for (name, id) in expected { #expect(rule.layerID(for: name) == id, "\(name)") }
        #expect(rule.scale(forLayer: 13) == 1)
        #expect(abs(rule.scale(forLayer: 0) - 0.054975581388800036) < 1e-15)  // 0.8^13
        #expect(try LayerDecay(decay: 0.7, stage2Depth: 9).layerCount == 6)
    }

    @Test func groupsExemptOneDimensionalParametersAndBiases() throws {
        var configuration = ConvNeXtConfiguration()
        configuration.hiddenSizes = [8, 12, 16, 20]; configuration.depths = [1, 1, 4, 1]; configuration.id2label = [0: "a", 1: "b", 2: "c"]
        let model = try TrainableConvNeXt(configuration: configuration, seed: 1)
        let plain = try ParameterGroups(model: model, weightDecay: 0.05, skipList: ["encoder.stages.0.layers.0.pwconv1.weight"])
        #expect(plain.groups.map(\.name) == ["decay", "no_decay"])
        #expect(plain["classifier.weight"]?.weightDecay == 0.05)
        #expect(plain["encoder.stages.2.layers.3.dwconv.weight"]?.weightDecay == 0.05)
        for name in ["classifier.bias", "layernorm.weight", "encoder.stages.1.layers.0.layer_scale_parameter",
                     "encoder.stages.0.layers.0.pwconv1.weight"] {
            #expect(plain[name]?.weightDecay == 0, "\(name)")
        }
        #expect(Set(plain.parameterNames) == Set(model.parameterNames))

        let layered = try ParameterGroups(model: model, weightDecay: 0.05, layerDecay: 0.5)
        // Stage 2 has 4 blocks: layers 3, 3, 3, 4; stage 3 is layer 5; the head 6.
        #expect(layered["encoder.stages.2.layers.3.pwconv1.weight"]?.name == "layer_4_decay")
        #expect(layered["encoder.stages.3.layers.0.pwconv1.bias"]?.name == "layer_5_no_decay")
        #expect(layered["classifier.weight"]?.learningRateScale == 1)
        #expect(layered["embeddings.patch_embeddings.weight"]?.learningRateScale == 1.0 / 64)
        #expect(Set(layered.parameterNames) == Set(model.parameterNames))
        #expect(throws: OptimizationError.duplicateParameter(name: "x")) {
            try ParameterGroups([ParameterGroup(name: "a", parameterNames: ["x"]), ParameterGroup(name: "b", parameterNames: ["x"])])
        }
    }

    @Test func groupHyperparameters() {
        let decaying = ParameterGroup(name: "d", parameterNames: [], learningRateScale: 0.5, weightDecay: 0.05)
        #expect(decaying.hyperparameters(learningRate: 2, weightDecay: nil) == (1, 0.05))
        #expect(decaying.hyperparameters(learningRate: 2, weightDecay: 0.1) == (1, 0.1))
        let exempt = ParameterGroup(name: "n", parameterNames: [])
        #expect(exempt.hyperparameters(learningRate: 2, weightDecay: 0.1) == (2, 0))
    }
}
