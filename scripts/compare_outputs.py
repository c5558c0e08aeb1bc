"""Runs `convnext run` on fixture folders and prints the max relative error of every output
against the reference (transformers or timm) outputs in expected.safetensors.

Run by hand (not in CI), with numpy and safetensors installed:

    python scripts/compare_outputs.py .build/release/convnext Tests/Fixtures [CASE ...]

Each CASE is a folder under the root holding a model, input.safetensors and expected.safetensors
(default: every such folder). The error of a tensor is max|ours - reference| / max|reference|.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from safetensors.numpy import load_file


def main() -> None:
    exe, root = sys.argv[1], sys.argv[2]
    cases = sys.argv[3:] or sorted(d for d in os.listdir(root) if os.path.exists(f"{root}/{d}/expected.safetensors"))
    worst_all = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            folder, out = f"{root}/{case}", f"{tmp}/out.safetensors"
            subprocess.run([exe, "run", "--model", folder, "--input", f"{folder}/input.safetensors", "--output", out, "--threads", "2"], check=True)
            ours, reference = load_file(out), load_file(f"{folder}/expected.safetensors")
            worst = max(float(np.abs(ours[k] - reference[k]).max() / np.abs(reference[k]).max()) for k in reference)
            worst_all = max(worst, worst_all)
            print(f"{case:36s} max relative error {worst:.2e}")
    print(f"worst {worst_all:.2e}")


if __name__ == "__main__":
    main()
