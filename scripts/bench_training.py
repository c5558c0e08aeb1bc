#!/usr/bin/env python3
"""Side-by-side training-step benchmark: swift-convnext against PyTorch eager (timm), same run.

Run by hand from anywhere (never in CI):

    CONVNEXT_SIMD=avx512 swift build -c release --scratch-path .build-avx512
    python3 scripts/bench_training.py --threads 2 --batch 16 --iterations 5 --rounds 2

One training step = forward, cross-entropy with label smoothing 0.1, backward, AdamW step
(weight decay 0.05 except on 1-D parameters and biases; lr 1e-4), at 224x224, float32.

  PyTorch   timm `convnext_<variant>` (1000 classes, random init), NCHW, torch.set_num_threads(T),
            one inter-op thread, `zero_grad(set_to_none=True)` each step.
  ours      `convnext bench --training --variant V --batch B --threads T --iterations N`.

Each engine runs in its own process; the two alternate for --rounds rounds so that load from
other processes on a shared machine hits both alike. Reported: the median over all timed steps
of ms/step (and per phase), images/s, peak RSS of the process, and our ratio = our ms/step /
PyTorch's (below 1: we are faster).

Python packages (torch, timm) go into a virtual environment OUTSIDE the repository, created if
missing (default ~/.cache/swift-convnext-bench-venv, shared with bench_peers.py; --venv), or use
an existing interpreter with --python (e.g. --python /work/venv/bin/python).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
DEFAULT_VENV = Path.home() / ".cache" / "swift-convnext-bench-venv"
DEFAULT_CONVNEXT = REPO / ".build-avx512" / "release" / "convnext"
BUILD_HINT = "CONVNEXT_SIMD=avx512 swift build -c release --scratch-path .build-avx512"
REQUIREMENTS = ["torch", "timm"]
STAMP = ".swift-convnext-training-bench-requirements"


def log(message: str = "") -> None:
    print(message, file=sys.stderr, flush=True)


def die(message: str) -> None:
    log(f"error: {message}")
    sys.exit(1)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--variant", default="tiny", help="ConvNeXt variant (timm convnext_<variant>)")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--iterations", type=int, default=5, help="timed steps per engine per round (after 2 warm-up steps)")
    p.add_argument("--rounds", type=int, default=2, help="times each engine runs, alternating")
    p.add_argument("--convnext", default=str(DEFAULT_CONVNEXT), help="the convnext executable")
    p.add_argument("--python", help="a Python with torch and timm (skips the venv)")
    p.add_argument("--venv", default=str(DEFAULT_VENV), help="virtual environment to create/use (outside the repository)")
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def thread_env(threads: int) -> dict:
    names = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"]
    return dict(os.environ, **{name: str(threads) for name in names})


def ensure_python(args: argparse.Namespace) -> str:
    if args.python:
        return args.python
    venv = Path(args.venv).expanduser().absolute()
    if venv == REPO or REPO in venv.parents:
        die(f"--venv {venv} is inside the repository {REPO}; put it elsewhere")
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating virtual environment {venv}")
        if subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode != 0 or not python.exists():
            die(f"`{sys.executable} -m venv {venv}` failed (on Debian/Ubuntu: apt-get install python3-venv)")
    stamp = venv / STAMP
    if not stamp.exists():
        log(f"installing into {venv}: {' '.join(REQUIREMENTS)}")
        if subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", *REQUIREMENTS]).returncode != 0:
            die(f"could not install {' '.join(REQUIREMENTS)} into {venv}")
        stamp.write_text("\n".join(REQUIREMENTS) + "\n")
    return str(python)


def torch_worker(args: argparse.Namespace) -> None:
    """Runs in the torch process: times training steps and prints one JSON line."""
    import resource
    import time

    import timm
    import torch

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = timm.create_model(f"convnext_{args.variant}", pretrained=False, num_classes=1000)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and not n.endswith(".bias")]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim > 1 and not n.endswith(".bias"))]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    images = torch.randn(args.batch, 3, args.image_size, args.image_size)
    labels = torch.tensor([i * 97 % 1000 for i in range(args.batch)])
    phases = []
    for step in range(2 + args.iterations):
        start = time.perf_counter()
        loss = criterion(model(images), labels)
        forward = time.perf_counter()
        loss.backward()
        backward = time.perf_counter()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        end = time.perf_counter()
        if step >= 2:
            phases.append((forward - start, backward - forward, end - backward))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"steps": phases, "peak_mb": peak, "torch": torch.__version__, "timm": timm.__version__}))


def run_torch(args: argparse.Namespace, python: str) -> dict:
    command = [python, str(SCRIPT), "--torch-worker", "--variant", args.variant, "--batch", str(args.batch),
               "--threads", str(args.threads), "--image-size", str(args.image_size), "--iterations", str(args.iterations)]
    result = subprocess.run(command, env=thread_env(args.threads), capture_output=True, text=True)
    if result.returncode != 0:
        die(f"PyTorch worker failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_ours(args: argparse.Namespace) -> dict:
    command = [args.convnext, "bench", "--training", "--variant", args.variant, "--batch", str(args.batch),
               "--threads", str(args.threads), "--image-size", str(args.image_size), "--iterations", str(args.iterations),
               "--print-steps"]
    result = subprocess.run(command, env=thread_env(args.threads), capture_output=True, text=True)
    if result.returncode != 0:
        die(f"`{' '.join(command)}` failed:\n{result.stderr[-3000:]}")
    steps, peak = [], 0.0
    for line in result.stdout.splitlines():
        if line.startswith("step-phases-ms:"):
            steps.append(tuple(float(v) / 1e3 for v in line.split(":")[1].split()))
        elif line.startswith("peak resident memory:"):
            peak = float(line.split(":")[1].split()[0])
    if not steps:
        die(f"no step timings in the output of `{' '.join(command)}`:\n{result.stdout}")
    return {"steps": steps, "peak_mb": peak}


def summary(steps: list) -> dict:
    total = [sum(s) for s in steps]
    return {"step": statistics.median(total), "min": min(total), "forward": statistics.median(s[0] for s in steps),
            "backward": statistics.median(s[1] for s in steps), "optimizer": statistics.median(s[2] for s in steps)}


def main() -> None:
    args = parse_args()
    if args.torch_worker:
        torch_worker(args)
        return
    if not Path(args.convnext).exists():
        die(f"{args.convnext} not found; build it first: {BUILD_HINT}")
    python = ensure_python(args)
    torch_steps, our_steps, torch_peak, our_peak, versions = [], [], 0.0, 0.0, ""
    for round_index in range(args.rounds):
        log(f"round {round_index + 1}/{args.rounds}: PyTorch")
        t = run_torch(args, python)
        torch_steps += t["steps"]
        torch_peak = max(torch_peak, t["peak_mb"])
        versions = f"torch {t['torch']}, timm {t['timm']}"
        log(f"round {round_index + 1}/{args.rounds}: swift-convnext")
        o = run_ours(args)
        our_steps += o["steps"]
        our_peak = max(our_peak, o["peak_mb"])
    ours, theirs = summary(our_steps), summary(torch_steps)
    print(f"ConvNeXt-{args.variant} training step, {args.image_size}x{args.image_size}, batch {args.batch}, "
          f"{args.threads} threads; median of {len(our_steps)} steps each ({versions})")
    print(f"| engine | ms/step | min | forward | backward | optimizer | images/s | peak RSS MB |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, s, peak in (("PyTorch eager (timm)", theirs, torch_peak), ("swift-convnext", ours, our_peak)):
        print(f"| {name} | {s['step'] * 1e3:.0f} | {s['min'] * 1e3:.0f} | {s['forward'] * 1e3:.0f} | {s['backward'] * 1e3:.0f} | "
              f"{s['optimizer'] * 1e3:.0f} | {args.batch / s['step']:.2f} | {peak:.0f} |")
    print(f"swift-convnext ratio (ms/step, ours / PyTorch): {ours['step'] / theirs['step']:.2f}")


if __name__ == "__main__":
    main()
