#!/usr/bin/env python3
"""Generate the training (gradient) fixtures for swift-convnext's ConvNeXtTraining tests.

Run by hand (never in CI), from the repository root, with the fixture virtual environment
(scripts/requirements-fixtures.txt):

    /work/venv/bin/python scripts/generate_training_fixtures.py --output Tests/Fixtures/training

Each case is a small transformers ConvNextForImageClassification / ConvNextV2ForImageClassification
with every parameter re-randomised (conv/linear weights ~ N(0, 1/fan_in), LayerNorm weights
1 + 0.1 N, biases 0.1 N, layer scale 0.5 + 0.1 N, GRN 0.1 N) and drop path off. Folder
`<output>/<case>/`:
  config.json           as save_pretrained writes it
  model.safetensors     the weights (transformers' keys)
  input.safetensors     pixel_values (N,C,H,W), labels (N, float32 class indices), soft_targets (N, L)
  expected.safetensors  float32: logits; loss (cross-entropy, label smoothing 0.1); soft_loss
                        (timm SoftTargetCrossEntropy against soft_targets); grad.<name> for every
                        parameter under its canonical name (transformers' key without the
                        `convnext.`/`convnextv2.` prefix), the gradient of the loss named by the
                        metadata entry `gradient_of` ("loss" or "soft_loss").
The script also runs every case in float64 and prints how far the float32 gradients are from it
(the reference's own rounding noise).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import sys

import safetensors.torch
import transformers
from transformers import (
    ConvNextConfig,
    ConvNextForImageClassification,
    ConvNextV2Config,
    ConvNextV2ForImageClassification,
)

sys.path.insert(0, str(Path(__file__).parent))
from generate_fixtures import randomize_  # noqa: E402  (one re-randomization rule for every fixture)

transformers.utils.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()
LABEL_SMOOTHING = 0.1


def canonical(name: str) -> str:
    for prefix in ("convnext.", "convnextv2."):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def losses(logits: torch.Tensor, labels: torch.Tensor, soft: torch.Tensor) -> dict[str, torch.Tensor]:
    return {
        "loss": F.cross_entropy(logits, labels, label_smoothing=LABEL_SMOOTHING),
        "soft_loss": torch.sum(-soft * F.log_softmax(logits, dim=-1), dim=-1).mean(),
    }


def gradients(model: nn.Module, x: torch.Tensor, labels, soft, loss_name: str):
    model.zero_grad(set_to_none=True)
    logits = model(x).logits
    values = losses(logits, labels, soft)
    values[loss_name].backward()
    grads = {canonical(n): p.grad.detach().clone() for n, p in model.named_parameters()}
    return logits.detach(), {k: v.detach() for k, v in values.items()}, grads


def case(root: Path, name: str, model_cls, config, input_shape, seed: int, loss_name: str) -> None:
    torch.manual_seed(seed)
    model = model_cls(config)
    randomize_(model, seed)
    model.train()  # drop_path_rate is 0: train mode only matters for stochastic layers
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(input_shape, generator=g)
    n, classes = input_shape[0], config.num_labels
    labels = torch.randint(0, classes, (n,), generator=g)
    # Mixup-like soft targets: two smoothed one-hot rows mixed with a random weight.
    other = torch.randint(0, classes, (n,), generator=g)
    lam = torch.rand((n, 1), generator=g)
    smooth = lambda idx: F.one_hot(idx, classes).float() * (1 - LABEL_SMOOTHING) + LABEL_SMOOTHING / classes
    soft = lam * smooth(labels) + (1 - lam) * smooth(other)

    logits, values, grads = gradients(model, x, labels, soft, loss_name)
    reference = model_cls(config).double()
    reference.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    reference.train()
    _, values64, grads64 = gradients(reference, x.double(), labels, soft.double(), loss_name)
    worst = max(((grads[k] - grads64[k].float()).abs().max() / grads64[k].abs().max()).item() for k in grads)
    print(f"{name}: {len(grads)} parameters, {loss_name} {values[loss_name].item():.6f}; "
          f"float32 vs float64 worst gradient error {worst:.2e} of max|g|")

    out = root / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        for f in ("config.json", "model.safetensors"):
            shutil.copy(Path(tmp) / f, out / f)
    save = lambda path, tensors, meta=None: safetensors.torch.save_file(
        {k: v.contiguous().float() for k, v in tensors.items()}, str(path), metadata=meta or {"format": "pt"})
    save(out / "input.safetensors", {"pixel_values": x, "labels": labels.float(), "soft_targets": soft})
    expected = {"logits": logits, "loss": values["loss"].reshape([]), "soft_loss": values["soft_loss"].reshape([])}
    expected.update({f"grad.{k}": v for k, v in grads.items()})
    save(out / "expected.safetensors", expected, {"format": "pt", "gradient_of": loss_name,
                                                   "label_smoothing": str(LABEL_SMOOTHING)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, required=True)
    root = parser.parse_args().output
    root.mkdir(parents=True, exist_ok=True)

    v1 = ConvNextConfig(num_stages=4, hidden_sizes=[8, 12, 16, 20], depths=[1, 2, 1, 1],
                        layer_scale_init_value=1e-6, drop_path_rate=0.0, num_labels=5)
    case(root, "v1_layer_scale", ConvNextForImageClassification, v1, (3, 3, 48, 40), 7100, "loss")

    v2 = ConvNextV2Config(num_stages=3, hidden_sizes=[8, 12, 16], depths=[1, 1, 2], patch_size=2,
                          num_channels=1, drop_path_rate=0.0, num_labels=4)
    case(root, "v2_patch2_gray", ConvNextV2ForImageClassification, v2, (2, 1, 19, 21), 7200, "soft_loss")

    plain = ConvNextConfig(num_stages=3, hidden_sizes=[8, 16, 24], depths=[1, 1, 1], layer_scale_init_value=0.0,
                           hidden_act="gelu_pytorch_tanh", drop_path_rate=0.0, num_labels=3)
    case(root, "v1_no_layer_scale_tanh", ConvNextForImageClassification, plain, (2, 3, 33, 36), 7300, "loss")

    with open(root / "README.md", "w") as f:
        f.write("Generated by `scripts/generate_training_fixtures.py` (see its docstring for the format) with "
                f"torch {torch.__version__}, transformers {transformers.__version__}.\n")


if __name__ == "__main__":
    main()
