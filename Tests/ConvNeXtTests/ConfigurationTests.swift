import ConvNeXt
import Foundation
import Testing

private func decode(_ json: String) throws -> ConvNeXtConfiguration {
    let configuration = try JSONDecoder().decode(ConvNeXtConfiguration.self, from: Data(json.utf8))
    try configuration.validate()
    return configuration
}

@Suite struct ConfigurationTests {
    @Test func decodesTransformersConfig() throws {
        let configuration = try decode("""
        {"architectures": ["ConvNextForImageClassification"], "depths": [3, 3, 27, 3], "drop_path_rate": 0.0,
         "hidden_act": "gelu", "hidden_sizes": [128, 256, 512, 1024], "id2label": {"0": "tench", "1": "goldfish", "2": "shark"},
         "label2id": {"tench": 0, "goldfish": 1, "shark": 2}, "image_size": 224, "initializer_range": 0.02,
         "layer_norm_eps": 1e-12, "layer_scale_init_value": 1e-06, "model_type": "convnext", "num_channels": 3,
         "num_stages": 4, "patch_size": 4, "torch_dtype": "float32", "transformers_version": "4.40.0",
         "out_features": ["stage4"], "out_indices": [4], "stage_names": ["stem", "stage1", "stage2", "stage3", "stage4"]}
        """)
        #expect(configuration.depths == [3, 3, 27, 3])
        #expect(configuration.hiddenSizes == [128, 256, 512, 1024])
        #expect(configuration.numLabels == 3)
        #expect(configuration.id2label[1] == "goldfish")
        #expect(configuration.label2id["shark"] == 2)
        #expect(configuration.layerNormEps == 1e-12)
        #expect(configuration.hasLayerScale)
        #expect(configuration.architectures == ["ConvNextForImageClassification"])
        #expect(try configuration.alignedOutputFeatures().map(\.name) == ["stage4"])
    }

    @Test func emptyConfigTakesTransformersDefaults() throws {
        let configuration = try decode("{}")
        #expect(configuration == ConvNeXtConfiguration())
        #expect(configuration.numLabels == 2)
        #expect(configuration.depths == [3, 3, 9, 3])
        #expect(configuration.stageNames == ["stem", "stage1", "stage2", "stage3", "stage4"])
    }

    @Test func numLabelsWithoutId2labelMakesGenericLabels() throws {
        let configuration = try decode(#"{"num_labels": 4}"#)
        #expect(configuration.numLabels == 4)
        #expect(configuration.id2label[3] == "LABEL_3")
        #expect(try decode(#"{"num_labels": 0}"#).numLabels == 0)
    }

    @Test func roundTripsThroughJSON() throws {
        var configuration = ConvNeXtVariant.nano.configuration(numLabels: 7)
        configuration.outIndices = [1, -1]
        let data = try JSONEncoder().encode(configuration)
        let decoded = try JSONDecoder().decode(ConvNeXtConfiguration.self, from: data)
        #expect(decoded.depths == configuration.depths)
        #expect(decoded.id2label == configuration.id2label)
        #expect(try decoded.alignedOutputFeatures().map(\.name) == ["stage1", "stage4"])
    }

    @Test func alignsOutputFeaturesLikeTransformers() throws {
        var configuration = ConvNeXtConfiguration()
        #expect(try configuration.alignedOutputFeatures().map(\.index) == [4])
        configuration.outIndices = [0, 2, -1]
        #expect(try configuration.alignedOutputFeatures().map(\.name) == ["stem", "stage2", "stage4"])
        configuration.outIndices = nil
        configuration.outFeatures = ["stem", "stage3"]
        #expect(try configuration.alignedOutputFeatures().map(\.index) == [0, 3])
    }

    @Test(arguments: [
        (#"{"hidden_sizes": [8, 16, 32]}"#, "hidden_sizes"),
        (#"{"depths": [1, 1]}"#, "depths"),
        (#"{"num_stages": 0}"#, "num_stages"),
        (#"{"depths": [1, -1, 1, 1]}"#, "depths"),
        (#"{"hidden_sizes": [8, 0, 32, 64]}"#, "hidden_sizes"),
        (#"{"hidden_act": "gelu_but_different"}"#, "hidden_act"),
        (#"{"patch_size": 0}"#, "patch_size"),
        (#"{"num_channels": 0}"#, "num_channels"),
        (#"{"layer_norm_eps": -1}"#, "layer_norm_eps"),
        (#"{"out_features": ["stage9"]}"#, "out_features"),
        (#"{"out_features": ["stage2", "stage1"]}"#, "out_features"),
        (#"{"out_features": ["stage1", "stage1"]}"#, "out_features"),
        (#"{"out_indices": [7]}"#, "out_indices"),
        (#"{"out_indices": [3, 1]}"#, "out_indices"),
        (#"{"out_features": ["stage1"], "out_indices": [2]}"#, "out_features"),
        (#"{"model_type": "resnet"}"#, "model_type"),
        (#"{"id2label": {"x": "cat"}}"#, "id2label"),
        (#"{"id2label": {"0": "cat", "5": "dog"}}"#, "id2label"),
        (#"{"num_labels": -2}"#, "num_labels"),
        (#"{"hidden_sizes": [8, 16, 32, 4294967296]}"#, "hidden_sizes"),
        (#"{"num_stages": 100, "depths": [], "hidden_sizes": []}"#, "num_stages"),
        (#"{"image_size": 0}"#, "image_size"),
    ])
    func rejectsInconsistentConfig(json: String, field: String) {
        #expect {
            _ = try decode(json)
        } throws: { error in
            guard case let .invalidConfiguration(found, _) = error as? ConvNeXtError else { return false }
            return found == field
        }
    }

    @Test func reportsWrongFieldTypeByName() throws {
        let folder = try temporaryDirectory()
        let url = folder.appendingPathComponent("config.json")
        try Data(#"{"depths": "three"}"#.utf8).write(to: url)
        #expect {
            _ = try ConvNeXtConfiguration.load(from: url)
        } throws: { error in
            "\(error)".contains("depths") && "\(error)".contains(url.path)
        }
        try Data("{not json".utf8).write(to: url)
        #expect(throws: ConvNeXtError.self) { _ = try ConvNeXtConfiguration.load(from: url) }
    }

    @Test func mapsEveryTransformersActivationName() throws {
        for name in ["gelu", "gelu_new", "gelu_fast", "gelu_pytorch_tanh", "quick_gelu", "relu", "silu", "swish", "mish", "tanh", "sigmoid", "linear", "relu6", "gelu_10", "leaky_relu", "relu2", "laplace", "gelu_python", "gelu_accurate"] {
            #expect(Activation(transformersName: name) != nil, "\(name)")
        }
    }
}
