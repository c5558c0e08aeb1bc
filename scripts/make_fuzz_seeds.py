#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz targets to Tests/Fixtures/fuzz/<target>/.

Standard library only. The seeds are small on purpose (libFuzzer mutates whole inputs, and
the parsers' interesting bytes are headers): safetensors files with each dtype, metadata, an
empty tensor and a tiny transformers-named checkpoint; configs with every field kind;
preprocessor configs in each size form; sharded indexes naming the shards the fuzz harness
writes beside them (see Sources/ConvNeXtFuzz/FuzzScratchFolder.swift); copies of the smallest
PNG and JPEG test images. scripts/fuzz.sh adds
the test fixtures (images, checkpoints, configs) to these seeds.

    python3 scripts/make_fuzz_seeds.py
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "fuzz")
SIZES = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "U8": 1, "BOOL": 1}


def safetensors(tensors, metadata=None):
    """tensors: [(name, dtype, shape)] with deterministic bytes."""
    header, blobs, offset = {}, [], 0
    for name, dtype, shape in tensors:
        count = 1
        for side in shape:
            count *= side
        size = count * SIZES[dtype]
        blobs.append(bytes((offset + i) * 37 % 251 for i in range(size)))
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def tiny_checkpoint():
    """A 1-stage transformers ConvNextForImageClassification: 4 channels, 1 block, 3 labels."""
    c, p = 4, "convnext."
    names = [(p + "embeddings.patch_embeddings.weight", [c, 3, 4, 4]), (p + "embeddings.patch_embeddings.bias", [c]),
             (p + "embeddings.layernorm.weight", [c]), (p + "embeddings.layernorm.bias", [c])]
    block = p + "encoder.stages.0.layers.0."
    names += [(block + "dwconv.weight", [c, 1, 7, 7]), (block + "dwconv.bias", [c]),
              (block + "layernorm.weight", [c]), (block + "layernorm.bias", [c]),
              (block + "pwconv1.weight", [4 * c, c]), (block + "pwconv1.bias", [4 * c]),
              (block + "pwconv2.weight", [c, 4 * c]), (block + "pwconv2.bias", [c]),
              (block + "layer_scale_parameter", [c]),
              (p + "layernorm.weight", [c]), (p + "layernorm.bias", [c]),
              ("classifier.weight", [3, c]), ("classifier.bias", [3])]
    return safetensors([(name, "F32", shape) for name, shape in names])


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def main():
    write("safetensors", "seed-dtypes.safetensors", safetensors(
        [(f"t_{d.lower()}", d, [2, 3]) for d in SIZES], metadata={"format": "pt"}))
    write("safetensors", "seed-scalar-empty.safetensors", safetensors([("scalar", "F32", []), ("empty", "F16", [0, 5])]))
    write("safetensors", "seed-tiny-checkpoint.safetensors", tiny_checkpoint())
    write("safetensors", "seed-header-only.safetensors", struct.pack("<Q", 8) + b"{}      ")

    base = {"model_type": "convnext", "num_channels": 3, "patch_size": 4, "num_stages": 4,
            "hidden_sizes": [8, 16, 24, 32], "depths": [1, 1, 2, 1], "hidden_act": "gelu",
            "layer_norm_eps": 1e-12, "layer_scale_init_value": 1e-6, "drop_path_rate": 0.0, "image_size": 224}
    write("config", "seed-minimal.json", json.dumps({"model_type": "convnext"}))
    write("config", "seed-full.json", json.dumps(dict(base, id2label={"0": "cat", "1": "dog"}, label2id={"cat": 0, "dog": 1},
                                                      out_features=["stage2", "stage4"], architectures=["ConvNextForImageClassification"])))
    write("config", "seed-v2.json", json.dumps(dict(base, model_type="convnextv2", out_indices=[1, 3], num_labels=5)))
    write("config", "seed-backbone.json", json.dumps(dict(base, stage_names=["stem", "stage1", "stage2", "stage3", "stage4"],
                                                          out_features=["stem"], architectures=["ConvNextBackbone"])))

    processor = {"crop_pct": 0.875, "do_normalize": True, "do_rescale": True, "do_resize": True,
                 "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225], "resample": 3,
                 "rescale_factor": 1 / 255, "size": {"shortest_edge": 24}}
    write("preprocessor-config", "seed-hub.json", json.dumps(processor))
    write("preprocessor-config", "seed-warp.json", json.dumps(dict(processor, size={"shortest_edge": 400}, resample=2)))
    write("preprocessor-config", "seed-crop.json", json.dumps(dict(processor, do_center_crop=True, crop_size={"height": 5, "width": 3},
                                                                   size=16, resample=0)))
    write("preprocessor-config", "seed-pair.json", json.dumps(dict(processor, size=[12, 10], do_resize=False, do_normalize=False)))

    for target, name in (("png", "rocket_tiny.png"), ("jpeg", "rocket_tiny.jpg")):
        with open(os.path.join(ROOT, "..", "images", name), "rb") as f:
            write(target, "seed-" + name, f.read())

    shards = {"convnext.embeddings.patch_embeddings.weight": "model-00001-of-00002.safetensors",
              "classifier.weight": "model-00002-of-00002.safetensors", "classifier.bias": "model-00002-of-00002.safetensors"}
    write("sharded-index", "seed-index.json", json.dumps({"metadata": {"total_size": 60}, "weight_map": shards}))
    write("sharded-index", "seed-one-shard.json", json.dumps({"weight_map": {"classifier.bias": "model-00002-of-00002.safetensors"}}))


if __name__ == "__main__":
    main()
