import ConvNeXt
import Testing

@Suite struct CheckpointNamingTests {
    @Test(arguments: [
        ("stem.0.weight", "embeddings.patch_embeddings.weight"),
        ("stem.1.bias", "embeddings.layernorm.bias"),
        ("stages.2.downsample.0.weight", "encoder.stages.2.downsampling_layer.0.weight"),
        ("stages.2.downsample.1.bias", "encoder.stages.2.downsampling_layer.1.bias"),
        ("stages.0.blocks.1.conv_dw.weight", "encoder.stages.0.layers.1.dwconv.weight"),
        ("stages.0.blocks.1.norm.bias", "encoder.stages.0.layers.1.layernorm.bias"),
        ("stages.3.blocks.0.mlp.fc1.weight", "encoder.stages.3.layers.0.pwconv1.weight"),
        ("stages.3.blocks.0.mlp.fc2.bias", "encoder.stages.3.layers.0.pwconv2.bias"),
        ("stages.3.blocks.0.mlp.grn.weight", "encoder.stages.3.layers.0.grn.weight"),
        ("stages.1.blocks.2.gamma", "encoder.stages.1.layers.2.layer_scale_parameter"),
        ("head.norm.weight", "layernorm.weight"),
        ("head.fc.bias", "classifier.bias"),
    ])
    func mapsTimmNames(key: String, canonical: String) {
        #expect(CheckpointNaming.timm.canonicalName(of: key) == canonical)
    }

    @Test(arguments: [
        ("downsample_layers.0.0.weight", "embeddings.patch_embeddings.weight"),
        ("downsample_layers.0.1.bias", "embeddings.layernorm.bias"),
        ("downsample_layers.3.0.weight", "encoder.stages.3.downsampling_layer.0.weight"),
        ("downsample_layers.3.1.weight", "encoder.stages.3.downsampling_layer.1.weight"),
        ("stages.2.7.dwconv.bias", "encoder.stages.2.layers.7.dwconv.bias"),
        ("stages.2.7.norm.weight", "encoder.stages.2.layers.7.layernorm.weight"),
        ("stages.2.7.pwconv1.weight", "encoder.stages.2.layers.7.pwconv1.weight"),
        ("stages.2.7.pwconv2.bias", "encoder.stages.2.layers.7.pwconv2.bias"),
        ("stages.2.7.gamma", "encoder.stages.2.layers.7.layer_scale_parameter"),
        ("stages.2.7.grn.gamma", "encoder.stages.2.layers.7.grn.weight"),
        ("norm.bias", "layernorm.bias"),
        ("head.weight", "classifier.weight"),
    ])
    func mapsOriginalNames(key: String, canonical: String) {
        #expect(CheckpointNaming.original.canonicalName(of: key) == canonical)
    }

    @Test func stripsTransformersPrefixes() {
        #expect(CheckpointNaming.transformers.canonicalName(of: "convnext.encoder.stages.0.layers.0.dwconv.weight") == "encoder.stages.0.layers.0.dwconv.weight")
        #expect(CheckpointNaming.transformers.canonicalName(of: "convnextv2.layernorm.weight") == "layernorm.weight")
        #expect(CheckpointNaming.transformers.canonicalName(of: "classifier.weight") == "classifier.weight")
    }

    @Test func rejectsUnknownKeys() {
        #expect(CheckpointNaming.timm.canonicalName(of: "stages.0.blocks.0.attn.qkv.weight") == nil)
        #expect(CheckpointNaming.original.canonicalName(of: "stages.x.0.dwconv.weight") == nil)
        #expect(CheckpointNaming.timm.canonicalName(of: "head.weight") == nil)
    }

    @Test func detectsNaming() {
        #expect(CheckpointNaming.detect(["convnext.embeddings.patch_embeddings.weight", "classifier.weight"]) == .transformers)
        #expect(CheckpointNaming.detect(["embeddings.layernorm.weight", "hidden_states_norms.stem.weight"]) == .transformers)
        #expect(CheckpointNaming.detect(["stem.0.weight", "stages.0.blocks.0.gamma"]) == .timm)
        #expect(CheckpointNaming.detect(["downsample_layers.0.0.weight", "stages.0.0.gamma"]) == .original)
        #expect(CheckpointNaming.detect(["fc.weight"]) == nil)
    }
}
