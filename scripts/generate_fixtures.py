#!/usr/bin/env python3
"""Generate reference-numerics fixtures for swift-convnext.

Run by hand (never in CI), from the repository root, in a virtual environment
outside the repository that has the packages pinned in
scripts/requirements-fixtures.txt:

    python3 -m venv /work/venv
    /work/venv/bin/pip install -r scripts/requirements-fixtures.txt
    /work/venv/bin/python scripts/generate_fixtures.py --output Tests/Fixtures
    # optional, full-size ConvNeXt-T (about 115 MB), written OUTSIDE the repository:
    /work/venv/bin/python scripts/generate_fixtures.py --output Tests/Fixtures --full-tiny /work/full-tiny

Every case gets its own folder `<output>/<case>/` with
  config.json            HF config as `save_pretrained` writes it
  model.safetensors      weights (or sharded files + model.safetensors.index.json for `sharded`)
  input.safetensors      `pixel_values`, float32, NCHW, standard normal
  expected.safetensors   float32 reference outputs, NCHW:
                           logits, pooler_output, last_hidden_state, hidden_states.K (K = 0..num_stages,
                           0 = embeddings/stem output), or feature_maps.NAME for backbones.

All parameters are re-randomised (HF initialises layer scale to 1e-6, which turns every block into
an identity and hides bugs): conv/linear weights ~ N(0, 1/fan_in), norm weights ~ 1 + 0.1 N,
biases ~ 0.1 N, layer scale / gamma ~ 0.5 + 0.1 N, GRN ~ 0.1 N.  Everything is seeded, so
reruns reproduce the weights and inputs bit for bit; expected outputs may differ in the last
float32 bits across CPUs / torch builds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn

import safetensors
import safetensors.torch
import timm
import transformers
from transformers import (
    ConvNextBackbone,
    ConvNextConfig,
    ConvNextV2Config,
    ConvNextV2ForImageClassification,
    ConvNextForImageClassification,
    ConvNextModel,
)

transformers.utils.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()

LABEL_NAMES = ["cat", "dog", "bird", "fish", "frog", "horse", "ship", "truck", "plane", "deer"]

# Small architectures. The whole Tests/Fixtures folder must stay under ~2 MB.
ARCH_4 = dict(num_stages=4, hidden_sizes=[8, 16, 24, 32], depths=[2, 1, 2, 1])
ARCH_4_SMALL = dict(num_stages=4, hidden_sizes=[8, 12, 16, 20], depths=[1, 1, 1, 1])


def versions() -> dict:
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "timm": timm.__version__,
        "safetensors": safetensors.__version__,
        "numpy": np.__version__,
    }


# ---------------------------------------------------------------------------------------------
# Randomisation


def randomize_(model: nn.Module, seed: int) -> None:
    """Re-randomise every parameter of `model` in place (deterministically)."""
    g = torch.Generator().manual_seed(seed)

    def normal(t: torch.Tensor) -> torch.Tensor:
        return torch.randn(t.shape, generator=g, dtype=torch.float32)

    done: set[int] = set()
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                w = module.weight
                fan_in = w[0].numel()  # in/groups * kh * kw, or in_features
                w.copy_(normal(w) / fan_in**0.5)
                done.add(id(w))
                if module.bias is not None:
                    module.bias.copy_(0.1 * normal(module.bias))
                    done.add(id(module.bias))
            elif isinstance(module, nn.LayerNorm):  # HF ConvNextLayerNorm, timm LayerNorm/LayerNorm2d
                module.weight.copy_(1.0 + 0.1 * normal(module.weight))
                module.bias.copy_(0.1 * normal(module.bias))
                done.update((id(module.weight), id(module.bias)))
        for name, p in model.named_parameters():
            if id(p) in done:
                continue
            leaf = name.rsplit(".", 1)[-1]
            if leaf in ("layer_scale_parameter", "gamma"):
                p.copy_(0.5 + 0.1 * normal(p))
            elif ".grn." in name:
                p.copy_(0.1 * normal(p))
            else:
                raise RuntimeError(f"randomize_: no rule for parameter {name} {tuple(p.shape)}")
            done.add(id(p))
    missing = [n for n, p in model.named_parameters() if id(p) not in done]
    assert not missing, missing


def round_params_(model: nn.Module, dtype: torch.dtype) -> None:
    """Round every parameter to `dtype` and back to float32 in place."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(dtype).to(torch.float32))


def make_input(shape, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=torch.float32)


# ---------------------------------------------------------------------------------------------
# Outputs


def hf_expected(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    model.eval()
    with torch.no_grad():
        if isinstance(model, ConvNextBackbone):
            out = model(x)
            return {
                f"feature_maps.{name}": fm
                for name, fm in zip(model.out_features, out.feature_maps, strict=True)
            }
        out = model(x, output_hidden_states=True)
        result: dict[str, torch.Tensor] = {}
        if isinstance(model, (ConvNextForImageClassification, ConvNextV2ForImageClassification)):
            result["logits"] = out.logits
            inner = model.convnextv2(x) if isinstance(model, ConvNextV2ForImageClassification) else model.convnext(x)
            result["pooler_output"] = inner.pooler_output
            result["last_hidden_state"] = inner.last_hidden_state
        else:
            result["pooler_output"] = out.pooler_output
            result["last_hidden_state"] = out.last_hidden_state
        for k, h in enumerate(out.hidden_states):
            result[f"hidden_states.{k}"] = h
        return result


def check_outputs(case: str, expected: dict[str, torch.Tensor]) -> None:
    for name, t in expected.items():
        assert t.dtype == torch.float32, (case, name, t.dtype)
        assert torch.isfinite(t).all(), f"{case}: {name} has non-finite values"
        std = t.float().std().item() if t.numel() > 1 else 1.0
        assert std > 1e-3, f"{case}: {name} is degenerate (std {std})"


def max_diff(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor], keys=None) -> float:
    keys = keys or sorted(set(a) & set(b))
    return max((a[k] - b[k]).abs().max().item() for k in keys)


def save_tensors(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    safetensors.torch.save_file(
        {k: v.detach().contiguous() for k, v in tensors.items()}, str(path), metadata={"format": "pt"}
    )


def write_case(
    out_dir: Path,
    x: torch.Tensor,
    expected: dict[str, torch.Tensor],
) -> None:
    check_outputs(out_dir.name, expected)
    save_tensors(out_dir / "input.safetensors", {"pixel_values": x})
    save_tensors(out_dir / "expected.safetensors", expected)


def save_hf(model: nn.Module, out_dir: Path, **save_kwargs) -> None:
    """save_pretrained into a temp dir; keep config.json and the safetensors weights (+index)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp, **save_kwargs)
        kept = 0
        for f in sorted(os.listdir(tmp)):
            if f == "config.json" or f.endswith(".safetensors") or f == "model.safetensors.index.json":
                shutil.copy(os.path.join(tmp, f), out_dir / f)
                kept += 1
            else:
                print(f"    (dropping {f} written by save_pretrained)")
    if "max_shard_size" not in save_kwargs:
        assert (out_dir / "model.safetensors").exists(), os.listdir(out_dir)


def reload_check(case: str, cls, out_dir: Path, x: torch.Tensor, expected: dict[str, torch.Tensor]) -> None:
    """Reload the written folder with transformers and make sure it reproduces the expected outputs."""
    model = cls.from_pretrained(str(out_dir), dtype=torch.float32).eval()
    again = hf_expected(model, x)
    assert set(again) == set(expected), (set(again) ^ set(expected))
    d = max_diff(again, expected)
    assert d <= 1e-6, f"{case}: reload differs by {d}"


# ---------------------------------------------------------------------------------------------
# Key crosswalks (to HF canonical names)


def timm_to_hf(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = {}
    for k, v in sd.items():
        n = k
        if n.startswith("stem.0."):
            n = "convnext.embeddings.patch_embeddings." + n[len("stem.0."):]
        elif n.startswith("stem.1."):
            n = "convnext.embeddings.layernorm." + n[len("stem.1."):]
        elif n.startswith("head.norm."):
            n = "convnext.layernorm." + n[len("head.norm."):]
        elif n.startswith("head.fc."):
            n = "classifier." + n[len("head.fc."):]
        elif n.startswith("stages."):
            parts = n.split(".")
            i = parts[1]
            if parts[2] == "downsample":
                n = f"convnext.encoder.stages.{i}.downsampling_layer.{parts[3]}.{parts[4]}"
            elif parts[2] == "blocks":
                j = parts[3]
                rest = ".".join(parts[4:])
                rest = (
                    rest.replace("conv_dw.", "dwconv.")
                    .replace("norm.", "layernorm.")
                    .replace("mlp.fc1.", "pwconv1.")
                    .replace("mlp.fc2.", "pwconv2.")
                )
                if rest == "gamma":
                    rest = "layer_scale_parameter"
                n = f"convnext.encoder.stages.{i}.layers.{j}.{rest}"
                if ("pwconv1" in rest or "pwconv2" in rest) and v.ndim == 4:
                    v = v[:, :, 0, 0]  # conv_mlp: 1x1 conv weight [out, in, 1, 1] -> linear [out, in]
            else:
                raise KeyError(k)
        else:
            raise KeyError(k)
        out[n] = v.clone()
    return out


def hf_to_original(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """HF ConvNextForImageClassification keys -> facebookresearch/ConvNeXt keys."""
    out = {}
    for k, v in sd.items():
        n = k
        if n.startswith("convnext.embeddings.patch_embeddings."):
            n = "downsample_layers.0.0." + n.rsplit(".", 1)[1]
        elif n.startswith("convnext.embeddings.layernorm."):
            n = "downsample_layers.0.1." + n.rsplit(".", 1)[1]
        elif n.startswith("convnext.layernorm."):
            n = "norm." + n.rsplit(".", 1)[1]
        elif n.startswith("classifier."):
            n = "head." + n.rsplit(".", 1)[1]
        elif n.startswith("convnext.encoder.stages."):
            parts = n.split(".")
            i = parts[3]
            if parts[4] == "downsampling_layer":
                n = f"downsample_layers.{i}.{parts[5]}.{parts[6]}"
            elif parts[4] == "layers":
                j = parts[5]
                rest = ".".join(parts[6:])
                rest = rest.replace("layernorm.", "norm.")
                if rest == "layer_scale_parameter":
                    rest = "gamma"
                n = f"stages.{i}.{j}.{rest}"
            else:
                raise KeyError(k)
        else:
            raise KeyError(k)
        out[n] = v.clone()
    return out


# ---------------------------------------------------------------------------------------------
# Cases


def hf_case(
    root: Path,
    case: str,
    cls,
    config_kwargs: dict,
    input_shape,
    seed: int,
    *,
    weight_dtype: torch.dtype | None = None,
    save_kwargs: dict | None = None,
    description: str = "",
    config_cls=ConvNextConfig,
) -> dict:
    torch.manual_seed(seed)
    config = config_cls(**config_kwargs)
    model = cls(config).eval()
    randomize_(model, seed)
    if weight_dtype is not None:
        round_params_(model, weight_dtype)
    x = make_input(input_shape, seed + 1)
    expected = hf_expected(model, x)
    out_dir = root / case
    if weight_dtype is not None:
        save_hf(model.to(weight_dtype), out_dir, **(save_kwargs or {}))
        model.to(torch.float32)
    else:
        save_hf(model, out_dir, **(save_kwargs or {}))
    write_case(out_dir, x, expected)
    reload_check(case, cls, out_dir, x, expected)
    return dict(case=case, cls=cls.__name__, input=list(input_shape), outputs=sorted(expected), description=description)


def timm_case(root: Path, case: str, conv_mlp: bool, seed: int, description: str, v2: bool = False) -> dict:
    torch.manual_seed(seed)
    depths, dims, num_classes = (1, 1, 2, 1), (8, 16, 24, 32), 7
    tm = timm.models.convnext.ConvNeXt(
        in_chans=3, num_classes=num_classes, depths=depths, dims=dims, ls_init_value=None if v2 else 1e-6,
        conv_mlp=conv_mlp, use_grn=v2,
    ).eval()
    randomize_(tm, seed)
    x = make_input((1, 3, 64, 64), seed + 1)
    with torch.no_grad():
        feats = tm.forward_features(x)
        expected = {
            "logits": tm(x),
            "pooler_output": tm.forward_head(feats, pre_logits=True),
            "last_hidden_state": feats,
        }
        h = tm.stem(x)
        expected["hidden_states.0"] = h
        for k, stage in enumerate(tm.stages, start=1):
            h = stage(h)
            expected[f"hidden_states.{k}"] = h
    out_dir = root / case
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    sd = {k: v.detach().clone() for k, v in tm.state_dict().items()}
    save_tensors(out_dir / "model.safetensors", sd)

    common = dict(
        num_channels=3,
        patch_size=4,
        num_stages=4,
        hidden_sizes=list(dims),
        depths=list(depths),
        hidden_act="gelu",
        layer_norm_eps=1e-6,
        id2label={i: LABEL_NAMES[i] for i in range(num_classes)},
        label2id={LABEL_NAMES[i]: i for i in range(num_classes)},
    )
    if v2:
        config = ConvNextV2Config(**common)
        config.architectures = ["ConvNextV2ForImageClassification"]
        config.to_json_file(str(out_dir / "config.json"))
        write_case(out_dir, x, expected)
        return dict(case=case, cls="timm ConvNeXt V2", input=[1, 3, 64, 64], outputs=sorted(expected), description=description)
    config = ConvNextConfig(**common, layer_scale_init_value=1e-6)
    config.architectures = ["ConvNextForImageClassification"]
    config.to_json_file(str(out_dir / "config.json"))
    write_case(out_dir, x, expected)

    # Prove the crosswalk: load the same weights into HF under the renamed keys.
    hf = ConvNextForImageClassification(ConvNextConfig.from_json_file(str(out_dir / "config.json"))).eval()
    hf.load_state_dict(timm_to_hf(sd), strict=True)
    got = hf_expected(hf, x)
    d = max_diff(got, expected)
    print(f"    timm -> HF crosswalk ({'conv_mlp' if conv_mlp else 'linear mlp'}): max |diff| = {d:.3e}")
    assert d <= 1e-5, f"{case}: HF with crosswalked timm weights differs by {d}"
    return dict(case=case, cls="timm ConvNeXt", input=[1, 3, 64, 64], outputs=sorted(expected), description=description,
                crosswalk_max_diff=d)


def original_case(root: Path, case: str, seed: int, description: str) -> dict:
    torch.manual_seed(seed)
    config = ConvNextConfig(
        num_stages=4, hidden_sizes=[8, 12, 16, 20], depths=[1, 1, 2, 1],
        layer_norm_eps=1e-6,
        id2label={i: LABEL_NAMES[i] for i in range(6)},
        label2id={LABEL_NAMES[i]: i for i in range(6)},
    )
    model = ConvNextForImageClassification(config).eval()
    randomize_(model, seed)
    x = make_input((1, 3, 64, 64), seed + 1)
    expected = hf_expected(model, x)
    out_dir = root / case
    save_hf(model, out_dir)
    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
    orig = hf_to_original(sd)
    assert len(orig) == len(sd)
    save_tensors(out_dir / "model.safetensors", orig)
    write_case(out_dir, x, expected)
    return dict(case=case, cls="original ConvNeXt names", input=[1, 3, 64, 64], outputs=sorted(expected),
                description=description)


def labels(n: int) -> dict:
    return dict(
        id2label={i: LABEL_NAMES[i] for i in range(n)},
        label2id={LABEL_NAMES[i]: i for i in range(n)},
    )


def generate(root: Path) -> list[dict]:
    root.mkdir(parents=True, exist_ok=True)
    cases: list[dict] = []
    C = ConvNextForImageClassification

    def run(fn, *args, **kwargs):
        info = fn(root, *args, **kwargs)
        print(f"  {info['case']:<34} {info['cls']:<32} input {info['input']}")
        cases.append(info)

    run(hf_case, "classifier_4stage", C, dict(**ARCH_4, **labels(5)), (1, 3, 64, 64), 1000,
        description="4 stages [8,16,24,32] depths [2,1,2,1], 5 named labels, head eps 1e-12")
    run(hf_case, "classifier_3stage_no_layer_scale", C,
        dict(num_stages=3, hidden_sizes=[8, 16, 32], depths=[1, 2, 1], layer_scale_init_value=0.0, **labels(4)),
        (1, 3, 48, 48), 1100, description="3 stages, layer_scale_init_value 0 (no layer_scale_parameter keys)")
    run(hf_case, "nonsquare", C, dict(**ARCH_4_SMALL, **labels(3)), (1, 3, 75, 97), 1200,
        description="75x97 input: spatial sizes floor at every stride (18x24, 9x12, 4x6, 2x3)")
    run(hf_case, "batch3", C, dict(**ARCH_4_SMALL, **labels(3)), (3, 3, 64, 64), 1300,
        description="batch of 3")
    run(hf_case, "backbone", ConvNextBackbone, dict(**ARCH_4_SMALL, out_features=["stem", "stage2", "stage4"]),
        (2, 3, 64, 64), 1400, description="ConvNextBackbone, out_features [stem, stage2, stage4], batch 2")
    run(hf_case, "backbone_default", ConvNextBackbone, dict(**ARCH_4_SMALL), (1, 3, 64, 64), 1500,
        description="ConvNextBackbone, no out_features/out_indices -> [stage4]")
    run(hf_case, "base_model", ConvNextModel, dict(**ARCH_4_SMALL), (1, 3, 64, 64), 1600,
        description="ConvNextModel (no head, no convnext. prefix)")
    run(hf_case, "odd_config", C,
        dict(num_channels=1, patch_size=2, num_stages=4, hidden_sizes=[8, 12, 16, 24], depths=[1, 2, 1, 1],
             hidden_act="gelu_new", layer_norm_eps=1e-5, drop_path_rate=0.1, **labels(4)),
        (1, 1, 40, 36), 1700, description="1 channel, patch 2, gelu_new, head eps 1e-5, drop_path 0.1 (ignored)")
    run(hf_case, "num_labels_zero", C, dict(**ARCH_4_SMALL, num_labels=0), (1, 3, 64, 64), 1800,
        description="num_labels 0: classifier is Identity, logits == pooler_output")
    run(hf_case, "half_precision", C, dict(**ARCH_4, **labels(5)), (1, 3, 64, 64), 1000,
        weight_dtype=torch.float16,
        description="classifier_4stage weights stored as float16; expected = fp32 run of fp16-rounded weights")
    run(hf_case, "bf16_precision", C, dict(**ARCH_4, **labels(5)), (1, 3, 64, 64), 1000,
        weight_dtype=torch.bfloat16,
        description="classifier_4stage weights stored as bfloat16; expected = fp32 run of bf16-rounded weights")
    run(hf_case, "sharded", C, dict(**ARCH_4_SMALL, **labels(3)), (1, 3, 48, 48), 1900,
        save_kwargs=dict(max_shard_size="20KB"),
        description="save_pretrained(max_shard_size=20KB): model-0000i-of-0000N.safetensors + index")
    run(timm_case, "timm_names", False, 2000,
        description="timm ConvNeXt state_dict keys (linear mlp), expected from timm")
    run(timm_case, "timm_conv_mlp", True, 2100,
        description="timm ConvNeXt conv_mlp=True (fc weights [out,in,1,1], LayerNorm2d), expected from timm")
    run(hf_case, "convnextv2_classifier", ConvNextV2ForImageClassification, dict(**ARCH_4_SMALL, **labels(3)),
        (2, 3, 64, 64), 2300, config_cls=ConvNextV2Config,
        description="ConvNeXt V2 (model_type convnextv2): GRN after the activation, no layer scale, batch 2")
    run(timm_case, "timm_v2", False, 2400, v2=True,
        description="timm ConvNeXt with use_grn=True (V2; mlp.grn.weight/bias flat [4C]), expected from timm")
    run(original_case, "original_names", 2200,
        description="facebookresearch/ConvNeXt key names (downsample_layers/stages/norm/head), HF config, eps 1e-6")

    # Extra sanity checks on a few cases.
    e = safetensors.torch.load_file(str(root / "num_labels_zero" / "expected.safetensors"))
    assert torch.equal(e["logits"], e["pooler_output"])
    cfg = json.loads((root / "sharded" / "config.json").read_text())
    idx = json.loads((root / "sharded" / "model.safetensors.index.json").read_text())
    n_shards = len(set(idx["weight_map"].values()))
    assert n_shards > 1, n_shards
    print(f"  sharded: {n_shards} shards; model_type {cfg['model_type']}")
    half = safetensors.torch.load_file(str(root / "half_precision" / "model.safetensors"))
    assert all(v.dtype == torch.float16 for v in half.values())
    bf = safetensors.torch.load_file(str(root / "bf16_precision" / "model.safetensors"))
    assert all(v.dtype == torch.bfloat16 for v in bf.values())
    return cases


def full_tiny(out_dir: Path) -> None:
    print(f"full-size ConvNeXt-T -> {out_dir}")
    seed = 3000
    torch.manual_seed(seed)
    config = ConvNextConfig(hidden_sizes=[96, 192, 384, 768], depths=[3, 3, 9, 3], num_labels=1000)
    model = ConvNextForImageClassification(config).eval()
    randomize_(model, seed)
    x = make_input((1, 3, 224, 224), seed + 1)
    expected = hf_expected(model, x)
    save_hf(model, out_dir)
    write_case(out_dir, x, expected)
    n = sum(p.numel() for p in model.parameters())
    print(f"  params {n}; logits std {expected['logits'].std().item():.4f}")
    reload_check("full_tiny", ConvNextForImageClassification, out_dir, x, expected)


def write_readme(root: Path, cases: list[dict], argv: list[str]) -> None:
    v = versions()
    lines = [
        "# Reference fixtures",
        "",
        "Generated by `scripts/generate_fixtures.py` (run by hand, never in CI). Regenerate with:",
        "",
        "```",
        "python3 -m venv /work/venv && /work/venv/bin/pip install -r scripts/requirements-fixtures.txt",
        "/work/venv/bin/python scripts/generate_fixtures.py --output Tests/Fixtures",
        "# optional: full-size random ConvNeXt-T (28.59M params, ~115 MB) in the same layout, outside the repo",
        "/work/venv/bin/python scripts/generate_fixtures.py --output Tests/Fixtures --full-tiny /work/full-tiny",
        "```",
        "",
        "Reruns reproduce every file bit for bit on the same machine and versions (weights and inputs are",
        "seeded; expected outputs may move in the last float32 bits on another CPU or torch build).",
        "",
        "Versions used: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
        "Each case folder holds `config.json`, the weights (`model.safetensors`, or shards plus",
        "`model.safetensors.index.json` for `sharded`), `input.safetensors` (`pixel_values`, float32 NCHW,",
        "standard normal) and `expected.safetensors` (float32, NCHW, computed with torch in float32,",
        "`eval()`, `no_grad()`). Every parameter is re-randomised (conv/linear ~ N(0, 1/fan_in), norm",
        "weights 1 + 0.1 N, biases 0.1 N, layer scale 0.5 + 0.1 N), so no block is an identity.",
        "Expected keys: `logits`, `pooler_output`, `last_hidden_state`, `hidden_states.K` (K = 0..num_stages,",
        "0 = stem output) or, for backbones, `feature_maps.NAME` for each of `out_features`.",
        "",
        "| case | model | input | outputs | what it checks |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in cases:
        outs = ", ".join(o for o in c["outputs"] if not o.startswith("hidden_states."))
        nh = sum(1 for o in c["outputs"] if o.startswith("hidden_states."))
        if nh:
            outs += f", hidden_states.0..{nh - 1}"
        lines.append(f"| `{c['case']}` | {c['cls']} | {tuple(c['input'])} | {outs} | {c['description']} |")
    lines += [
        "",
        "Notes:",
        "- `timm_names` / `timm_conv_mlp` store timm's state-dict keys; their config.json describes the same",
        "  architecture in HF terms (head eps 1e-6). The generator loads the weights into HF",
        "  `ConvNextForImageClassification` through the DESIGN.md crosswalk and asserts agreement within 1e-5.",
        "- `original_names` stores facebookresearch/ConvNeXt keys (`downsample_layers.*`, `stages.i.j.*`, `norm`,",
        "  `head`); config.json and expected outputs are from the HF model before renaming.",
        "- `half_precision` / `bf16_precision`: config.json carries `\"dtype\"`; expected outputs are the",
        "  float32 forward pass of the rounded weights, so a loader that upcasts must match to float32 rounding.",
        "- `backbone` / `backbone_default` / `base_model` configs have no `id2label` (the 2-label default is",
        "  omitted by `save_pretrained`).",
        "",
    ]
    (root / "README.md").write_text("\n".join(lines))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", default="Tests/Fixtures", type=Path)
    ap.add_argument("--full-tiny", type=Path, default=None, metavar="DIR",
                    help="also write a full-size random ConvNeXt-T to DIR (keep it outside the repository)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()))
    cases = generate(args.output)
    write_readme(args.output, cases, sys.argv)
    total = sum(f.stat().st_size for f in args.output.rglob("*") if f.is_file())
    print(f"wrote {len(cases)} cases to {args.output} ({total / 1024:.0f} KiB)")
    if args.full_tiny is not None:
        full_tiny(args.full_tiny)
    return 0


if __name__ == "__main__":
    sys.exit(main())
