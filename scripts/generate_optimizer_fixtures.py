#!/usr/bin/env python3
"""Generate the optimizer fixtures for swift-convnext's ConvNeXtTraining tests.

Run by hand (never in CI), from the repository root, with the fixture virtual environment
(scripts/requirements-fixtures.txt):

    /work/venv/bin/python scripts/generate_optimizer_fixtures.py --output Tests/Fixtures/training_optim

Each case is a small transformers ConvNextForImageClassification with every parameter
re-randomised as scripts/generate_training_fixtures.py does, trained on one fixed batch for
`steps` iterations: cross-entropy with label smoothing 0.1, drop path 0, no augmentation,
torch.optim.AdamW (single-tensor path) over the original repository's parameter groups
(weight decay except on 1-D parameters and biases; optional layer-wise lr decay) with the
original per-iteration cosine schedule (linear warm-up, then cosine to the minimum lr),
optionally gradient-norm clipping. Every case starts from the same model and batch. In `<output>/`:
  config.json           as save_pretrained writes it
  model.safetensors     the initial weights (transformers' keys)
  input.safetensors     pixel_values (N,C,H,W), labels (N, float32 class indices)
  expected_<case>.safetensors  float32: loss [steps] (before each update), lr [steps] (the scheduled
                        base lr), final.<name> for every parameter under its canonical name.
                        Metadata: the hyper-parameters.
The script also repeats every run in float64 and prints how far the float32 losses drift from
it (the reference's own rounding noise, which grows as training goes on).
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import safetensors.torch
import transformers
from transformers import ConvNextConfig, ConvNextForImageClassification

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_training_fixtures import canonical, randomize_  # noqa: E402

transformers.utils.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()
LABEL_SMOOTHING = 0.1


def cosine_scheduler(base_value, final_value, epochs, niter_per_ep, warmup_epochs=0, start_warmup_value=0, warmup_steps=-1):
    """The original repository's utils.cosine_scheduler, verbatim in behaviour."""
    warmup_schedule = np.array([])
    warmup_iters = warmup_epochs * niter_per_ep
    if warmup_steps > 0:
        warmup_iters = warmup_steps
    if warmup_epochs > 0:
        warmup_schedule = np.linspace(start_warmup_value, base_value, warmup_iters)
    iters = np.arange(epochs * niter_per_ep - warmup_iters)
    schedule = np.array([final_value + 0.5 * (base_value - final_value) * (1 + math.cos(math.pi * i / (len(iters))))
                         for i in iters])
    schedule = np.concatenate((warmup_schedule, schedule))
    assert len(schedule) == epochs * niter_per_ep
    return schedule


def layer_id(name: str, num_layers: int) -> int:
    """get_num_layer_for_convnext on canonical transformers names (stage 2 blocks in threes)."""
    parts = canonical(name).split(".")
    if parts[0] == "embeddings":
        return 0
    if parts[0] != "encoder":
        return num_layers + 1
    stage = int(parts[2])
    if stage == 0:
        return 1
    if stage == 1:
        return 2
    if stage == 2:
        return 3 if parts[3] == "downsampling_layer" else 3 + int(parts[4]) // 3
    return num_layers


def parameter_groups(model, weight_decay: float, layer_decay: float | None, stage2_depth: int):
    """The original optim_factory.get_parameter_groups."""
    num_layers = 3 + (stage2_depth + 2) // 3
    groups: dict[str, dict] = {}
    for name, p in model.named_parameters():
        exempt = p.ndim == 1 or name.endswith(".bias")
        label = "no_decay" if exempt else "decay"
        scale = 1.0
        if layer_decay is not None:
            lid = layer_id(name, num_layers)
            label = f"layer_{lid}_{label}"
            scale = layer_decay ** (num_layers + 1 - lid)
        groups.setdefault(label, {"params": [], "weight_decay": 0.0 if exempt else weight_decay, "lr_scale": scale})
        groups[label]["params"].append(p)
    return list(groups.values())


def train(model, x, labels, args, schedule):
    groups = parameter_groups(model, args["weight_decay"], args["layer_decay"], args["stage2_depth"])
    optimizer = torch.optim.AdamW(groups, lr=schedule[0], betas=(0.9, 0.999), eps=1e-8, foreach=False)
    losses = []
    for it in range(len(schedule)):
        for group in optimizer.param_groups:
            group["lr"] = schedule[it] * group["lr_scale"]
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x).logits, labels, label_smoothing=LABEL_SMOOTHING)
        loss.backward()
        if args["clip_grad"] is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args["clip_grad"])
        optimizer.step()
        losses.append(loss.item())
    return losses


def run(out: Path, name: str, config, x, labels, initial, args: dict) -> None:
    schedule = cosine_scheduler(args["lr"], args["min_lr"], 1, args["steps"], warmup_steps=args["warmup"], warmup_epochs=1)
    model = ConvNextForImageClassification(config)
    model.load_state_dict(initial)
    model.train()
    reference = ConvNextForImageClassification(config).double()
    reference.load_state_dict({k: v.double() for k, v in initial.items()})
    reference.train()
    losses64 = train(reference, x.double(), labels, args, schedule)
    losses = train(model, x, labels, args, schedule)
    drift = max(abs(a - b) / abs(b) for a, b in zip(losses, losses64))
    final64 = {canonical(n): p.detach() for n, p in reference.named_parameters()}
    final = {canonical(n): p.detach() for n, p in model.named_parameters()}
    param_drift = max(((final[k] - final64[k].float()).abs().max() / final64[k].abs().max()).item() for k in final)
    print(f"{name}: loss {losses[0]:.5f} -> {losses[-1]:.5f}; float32 vs float64: worst loss {drift:.2e}, "
          f"worst final parameter {param_drift:.2e} of max|p|")
    expected = {"loss": torch.tensor(losses), "lr": torch.tensor(schedule)}
    expected.update({f"final.{k}": v for k, v in final.items()})
    meta = {"format": "pt", "label_smoothing": str(LABEL_SMOOTHING)}
    meta.update({k: str(v) for k, v in args.items()})
    save(out / f"expected_{name}.safetensors", expected, meta)


def save(path: Path, tensors: dict, meta: dict) -> None:
    safetensors.torch.save_file({k: v.contiguous().float() for k, v in tensors.items()}, str(path), metadata=meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, required=True)
    root = parser.parse_args().output
    root.mkdir(parents=True, exist_ok=True)

    config = ConvNextConfig(num_stages=4, hidden_sizes=[8, 12, 16, 20], depths=[1, 1, 1, 1],
                            layer_scale_init_value=1e-6, drop_path_rate=0.0, num_labels=5)
    seed = 8100
    torch.manual_seed(seed)
    model = ConvNextForImageClassification(config)
    randomize_(model, seed)
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn((4, 3, 32, 32), generator=g)
    labels = torch.randint(0, config.num_labels, (4,), generator=g)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    for stale in root.glob("*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        for f in ("config.json", "model.safetensors"):
            shutil.copy(Path(tmp) / f, root / f)
    save(root / "input.safetensors", {"pixel_values": x, "labels": labels.float()}, {"format": "pt"})

    pretrain = {"steps": 50, "lr": 4e-3, "min_lr": 1e-6, "warmup": 5, "weight_decay": 0.05,
                "layer_decay": None, "clip_grad": None, "stage2_depth": 1}
    run(root, "adamw_cosine", config, x, labels, initial, pretrain)
    finetune = {"steps": 12, "lr": 2e-3, "min_lr": 1e-6, "warmup": 3, "weight_decay": 0.05,
                "layer_decay": 0.8, "clip_grad": 1.0, "stage2_depth": 1}
    run(root, "adamw_layer_decay_clip", config, x, labels, initial, finetune)

    with open(root / "README.md", "w") as f:
        f.write("Generated by `scripts/generate_optimizer_fixtures.py` (see its docstring for the format) with "
                f"torch {torch.__version__}, transformers {transformers.__version__}.\n")


if __name__ == "__main__":
    main()
