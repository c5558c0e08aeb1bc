#!/usr/bin/env python3
"""Trains from scratch with our trainer (`convnext train`) and with the PyTorch reference
(scripts/train_reference.py) for several seeds with identical options, one run at a time, and
prints the final and best validation top-1 of each run, their mean ± std (sample standard
deviation) and the wall time of each run.

    python3 scripts/compare_training.py --convnext .build/release/convnext \\
        --python /path/to/venv/bin/python --data /tmp/digits/train --val /tmp/digits/val \\
        --config scripts/digits_config.json --epochs 40 --image-size 32 --lr 2e-3 \\
        --warmup-epochs 3 --hflip 0 --threads 2 --seeds 0 1 2 --workdir /tmp/compare

Options other than these are passed unchanged to both trainers: --batch-size, --min-lr,
--weight-decay, --drop-path, --smoothing, --mixup, --cutmix, --reprob, --randaug (each
trainer's own default when not given; the defaults agree). Runs go to WORKDIR/{ours,torch}/seedS;
a finished run (its metrics hold every epoch) is reused unless --rerun. The table is also written
to WORKDIR/summary.md and the numbers to WORKDIR/summary.json.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

PASSED = ["batch-size", "min-lr", "weight-decay", "drop-path", "smoothing", "mixup", "cutmix", "reprob", "randaug",
          "lr", "warmup-epochs"]


def read_metrics(path):
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


def run(command, log):
    started = time.time()
    with open(log, "w") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\nsee {log}")
    return time.time() - started


def summarize(values):
    if not values:
        return "-"
    mean = statistics.mean(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * mean:.2f} ± {100 * std:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--convnext", required=True, help="our convnext binary")
    parser.add_argument("--python", default=sys.executable, help="Python of a venv with torch, transformers, timm")
    parser.add_argument("--reference", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_reference.py"))
    parser.add_argument("--data", required=True)
    parser.add_argument("--val", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--image-size", type=int, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--hflip", default="0.5")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--only", choices=["ours", "torch"], help="run one trainer only")
    parser.add_argument("--rerun", action="store_true", help="retrain runs that already finished")
    for name in PASSED:
        parser.add_argument(f"--{name}")
    args = parser.parse_args()

    common = ["--data", args.data, "--val", args.val, "--config", args.config, "--epochs", str(args.epochs),
              "--image-size", str(args.image_size), "--threads", str(args.threads), "--hflip", args.hflip]
    for name in PASSED:
        value = getattr(args, name.replace("-", "_"))
        if value is not None:
            common += [f"--{name}", value]

    results = {"ours": {}, "torch": {}}
    trainers = [args.only] if args.only else ["ours", "torch"]
    for seed in args.seeds:
        for trainer in trainers:
            folder = os.path.join(args.workdir, trainer, f"seed{seed}")
            metrics = os.path.join(folder, "metrics.jsonl")
            timing = os.path.join(folder, "wall_seconds")
            done = os.path.exists(metrics) and len(read_metrics(metrics)) == args.epochs and os.path.exists(timing)
            if args.rerun or not done:
                shutil.rmtree(folder, ignore_errors=True)
                os.makedirs(folder)
                if trainer == "ours":
                    command = [args.convnext, "train", *common, "--seed", str(seed), "--output", folder]
                else:
                    command = [args.python, args.reference, *common, "--seed", str(seed), "--output", metrics]
                print(f"{trainer} seed {seed}: {' '.join(command)}", flush=True)
                seconds = run(command, os.path.join(folder, "log.txt"))
                with open(timing, "w") as file:
                    file.write(f"{seconds}\n")
            with open(timing) as file:
                seconds = float(file.read())
            history = read_metrics(metrics)
            results[trainer][seed] = {"final": history[-1]["val_top1"], "best": max(r["val_top1"] for r in history),
                                      "final_val_loss": history[-1]["val_loss"], "seconds": seconds}
            r = results[trainer][seed]
            print(f"  {trainer} seed {seed}: final {100 * r['final']:.2f}  best {100 * r['best']:.2f}  "
                  f"({seconds:.0f} s)", flush=True)

    def cell(trainer, seed, key, scale=100, fmt="{:.2f}"):
        r = results[trainer].get(seed)
        return fmt.format(scale * r[key]) if r else "-"

    lines = ["| seed | ours final | PyTorch final | ours best | PyTorch best | ours wall (s) | PyTorch wall (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for seed in args.seeds:
        lines.append(f"| {seed} | {cell('ours', seed, 'final')} | {cell('torch', seed, 'final')} | "
                     f"{cell('ours', seed, 'best')} | {cell('torch', seed, 'best')} | "
                     f"{cell('ours', seed, 'seconds', 1, '{:.0f}')} | {cell('torch', seed, 'seconds', 1, '{:.0f}')} |")

    def column(trainer, key):
        return [r[key] for r in results[trainer].values()]

    def mean_seconds(trainer):
        values = column(trainer, "seconds")
        return f"{statistics.mean(values):.0f}" if values else "-"

    lines.append(f"| mean ± std | {summarize(column('ours', 'final'))} | {summarize(column('torch', 'final'))} | "
                 f"{summarize(column('ours', 'best'))} | {summarize(column('torch', 'best'))} | "
                 f"{mean_seconds('ours')} | {mean_seconds('torch')} |")
    table = "\n".join(lines)
    print()
    print("val top-1 (%) after the last epoch (final) and the best epoch (best):")
    print(table)
    os.makedirs(args.workdir, exist_ok=True)
    with open(os.path.join(args.workdir, "summary.md"), "w") as file:
        file.write(table + "\n")
    with open(os.path.join(args.workdir, "summary.json"), "w") as file:
        json.dump({"options": common, "results": results}, file, indent=1)


if __name__ == "__main__":
    main()
