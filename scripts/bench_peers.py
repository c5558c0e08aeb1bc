#!/usr/bin/env python3
"""Side-by-side CPU benchmark: swift-convnext against PyTorch, ONNX Runtime and OpenVINO.

Run by hand from anywhere (never in CI):

    CONVNEXT_SIMD=avx512 swift build -c release --scratch-path .build-avx512
    python3 scripts/bench_peers.py --threads 2 --batches 1 8 --iterations 20 --json bench.json

What it does:
  1. Creates, if missing, a virtual environment OUTSIDE the repository (default
     ~/.cache/swift-convnext-bench-venv, or --venv) and pip-installs scripts/requirements-bench.txt
     there (torch, transformers, safetensors, numpy, onnx, onnxruntime, openvino), then re-executes
     itself inside it. The install is skipped when the venv already holds that exact list.
     If an optional package fails to install, its peer is skipped; torch/transformers/safetensors/
     numpy are required.
  2. Builds one random ConvNeXt-T (transformers ConvNextForImageClassification, hidden sizes
     96/192/384/768, depths 3/3/9/3, 1000 labels, every parameter re-randomised as in
     scripts/generate_fixtures.py -- layer scale ~ 0.5 so no block is an identity -- seed 3000) and
     saves it with save_pretrained in the work folder, so every engine runs the very same weights.
     Exports it to ONNX (torch.onnx.export, opset 17, dynamic batch) and converts that to OpenVINO IR
     (openvino.convert_model, float32 weights).
  3. Correctness: logits of every engine on one fixed input (2x3x224x224) against PyTorch eager;
     max abs diff printed, anything above the tolerance flagged as MISMATCH.
  4. Timing: float32, 224x224, the same thread count everywhere, for each batch size: warm-up runs,
     then N timed runs; median (the upper median, sorted[N // 2], as `convnext bench` computes it)
     and min, per batch and per image, images/s. Each engine runs in its own process, so
     one engine's thread pool cannot disturb another's and a crash only skips that engine.
     With --rounds R every engine is timed R times, the rounds interleaved (ORT, OpenVINO, ...,
     then again), and each figure is the median of that engine's R medians: on a shared machine
     whose speed drifts, a slow spell then falls on every engine alike.
     "peak RSS" is that process's peak resident memory: Python engines include the interpreter and
     their imports (the PyTorch rows include torch + transformers), so compare it with care.

Engines and settings:
  PyTorch eager          transformers model, NCHW, torch.inference_mode(), torch.set_num_threads(T),
                         one inter-op thread.
  PyTorch channels-last  the same, model and input .to(memory_format=torch.channels_last).
  ONNX Runtime           CPUExecutionProvider, graph optimization ORT_ENABLE_ALL, sequential
                         execution, intra_op_num_threads T, inter_op_num_threads 1.
  OpenVINO               CPU, INFERENCE_NUM_THREADS T, INFERENCE_PRECISION_HINT f32 (OpenVINO
                         otherwise runs bf16 on CPUs with AVX512_BF16/AMX), input reshaped to a
                         static batch. Batch 1: PERFORMANCE_HINT LATENCY. Batch > 1: both
                         LATENCY (one synchronous batch-B request) and THROUGHPUT (the B images as
                         batch-1 requests through an AsyncInferQueue over OpenVINO's streams) are
                         timed and the better one is reported, named in the table.
  swift-convnext         `convnext bench --model DIR --batch B --threads T --iterations N` (its own
                         two warm-up passes, its own random input); logits via `convnext run`.
OMP_NUM_THREADS, MKL_NUM_THREADS and OPENBLAS_NUM_THREADS are set to T for every process.

"swift-convnext ratio" = swift-convnext median ms/image / the peer's median ms/image (below 1:
swift-convnext is faster; the target is <= 0.8 against ONNX Runtime and OpenVINO).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
REQUIREMENTS = SCRIPT.with_name("requirements-bench.txt")
DEFAULT_VENV = Path.home() / ".cache" / "swift-convnext-bench-venv"
DEFAULT_CONVNEXT = REPO / ".build-avx512" / "release" / "convnext"
BUILD_HINT = "CONVNEXT_SIMD=avx512 swift build -c release --scratch-path .build-avx512"
# Used when requirements-bench.txt is missing.
FALLBACK_REQUIREMENTS = ["torch", "transformers", "safetensors", "numpy", "onnx", "onnxruntime", "openvino"]
REQUIRED = {"torch", "transformers", "safetensors", "numpy"}
STAMP = ".swift-convnext-bench-requirements"
IN_VENV_ENV = "SWIFT_CONVNEXT_BENCH_IN_VENV"

SEED = 3000
SIDE = 224
CHECK_BATCH = 2
MODEL_DIR = "convnext-tiny-random"
ONNX_FILE = "model.onnx"
OV_FILE = "openvino/model.xml"

ENGINES = ["pytorch", "pytorch-cl", "onnxruntime", "openvino", "swift"]
NAMES = {
    "pytorch": "PyTorch eager (NCHW)",
    "pytorch-cl": "PyTorch channels-last",
    "onnxruntime": "ONNX Runtime",
    "openvino": "OpenVINO",
    "swift": "swift-convnext",
}
RESULT_TAG = "@@RESULT "


def log(message: str = "") -> None:
    print(message, flush=True)


def die(message: str) -> None:
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Side-by-side CPU benchmark of swift-convnext against PyTorch, ONNX Runtime and OpenVINO.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--venv", default=str(DEFAULT_VENV), help="virtual environment to create/use (outside the repository)")
    p.add_argument("--convnext", default=str(DEFAULT_CONVNEXT), help="the swift-convnext `convnext` executable")
    p.add_argument("--threads", type=int, default=2, help="threads for every engine")
    p.add_argument("--batches", type=int, nargs="+", default=[1, 8], help="batch sizes to time")
    p.add_argument("--iterations", type=int, default=20, help="timed runs per engine and batch size")
    p.add_argument("--rounds", type=int, default=1, help="interleaved rounds of every engine; each figure is the median of an engine's round medians")
    p.add_argument("--warmup", type=int, default=3, help="warm-up runs before timing (Python engines; `convnext bench` always does 2)")
    p.add_argument("--workdir", default=None, help="folder for the model, ONNX and IR files (default: a temporary folder, removed afterwards)")
    p.add_argument("--json", default=None, help="also write every figure to this JSON file")
    p.add_argument("--engines", nargs="+", default=ENGINES, choices=ENGINES, help="engines to run")
    p.add_argument("--no-check", action="store_true", help="skip the logits comparison")
    p.add_argument("--no-install", action="store_true", help="use the current Python as is (no venv, no pip)")
    # Internal: one engine in a child process.
    p.add_argument("--_worker", default=None, choices=[*ENGINES, "prepare"], help=argparse.SUPPRESS)
    p.add_argument("--_mode", default="time", help=argparse.SUPPRESS)
    p.add_argument("--_batch", type=int, default=1, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.threads < 1 or args.iterations < 1 or args.rounds < 1 or args.warmup < 0 or any(b < 1 for b in args.batches):
        p.error("--threads, --iterations, --rounds and --batches must be at least 1, --warmup at least 0")
    return args


def thread_env(threads: int) -> dict:
    return {"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}


# ---------------------------------------------------------------------------------------------
# Virtual environment


def requirement_lines() -> list[str]:
    if not REQUIREMENTS.exists():
        return FALLBACK_REQUIREMENTS
    lines = []
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def requirement_name(line: str) -> str:
    return re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].strip().lower()


def dir_size_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total / 1e6


def ensure_venv(venv: Path) -> Path:
    if venv == REPO or REPO in venv.parents:
        die(f"--venv {venv} is inside the repository {REPO}; put it elsewhere")
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating virtual environment {venv}")
        result = subprocess.run([sys.executable, "-m", "venv", str(venv)])
        if result.returncode != 0 or not python.exists():
            die(f"`{sys.executable} -m venv {venv}` failed (on Debian/Ubuntu: apt-get install python3-venv)")
    lines = requirement_lines()
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    stamp = venv / STAMP
    if stamp.exists() and stamp.read_text().strip() == digest:
        return python
    log(f"installing into {venv}: {' '.join(lines)}")
    start = time.monotonic()
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    failed: list[str] = []
    if subprocess.run(pip + lines).returncode != 0:
        log("pip could not install everything at once; installing the packages one by one")
        for line in lines:
            if subprocess.run(pip + [line]).returncode != 0:
                failed.append(line)
    elapsed = time.monotonic() - start
    log(f"install took {elapsed:.0f} s; venv size {dir_size_mb(venv) / 1000:.2f} GB")
    missing_required = [l for l in failed if requirement_name(l) in REQUIRED]
    if missing_required:
        die(f"could not install {', '.join(missing_required)} (required); see pip's messages above. "
            f"Edit {REQUIREMENTS} (e.g. relax the pins) or install them into {venv} by hand.")
    if failed:
        log(f"warning: could not install {', '.join(failed)}; the engines that need them will be skipped")
    else:
        stamp.write_text(digest + "\n")
    return python


def reexec_in_venv(args: argparse.Namespace) -> None:
    venv = Path(args.venv).expanduser().absolute()
    python = ensure_venv(venv)
    env = dict(os.environ, **thread_env(args.threads))
    env[IN_VENV_ENV] = "1"
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONHOME", None)
    sys.stdout.flush()
    os.execve(str(python), [str(python), str(SCRIPT), *sys.argv[1:]], env)


# ---------------------------------------------------------------------------------------------
# Model (runs in the venv)


def randomize_(model, seed: int) -> None:
    """Re-randomise every parameter in place, deterministically (the rules of generate_fixtures.py)."""
    import torch
    from torch import nn

    g = torch.Generator().manual_seed(seed)

    def normal(t):
        return torch.randn(t.shape, generator=g, dtype=torch.float32)

    done: set[int] = set()
    with torch.no_grad():
        for _, module in model.named_modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                w = module.weight
                w.copy_(normal(w) / w[0].numel() ** 0.5)  # N(0, 1/fan_in)
                done.add(id(w))
                if module.bias is not None:
                    module.bias.copy_(0.1 * normal(module.bias))
                    done.add(id(module.bias))
            elif isinstance(module, nn.LayerNorm):
                module.weight.copy_(1.0 + 0.1 * normal(module.weight))
                module.bias.copy_(0.1 * normal(module.bias))
                done.update((id(module.weight), id(module.bias)))
        for name, p in model.named_parameters():
            if id(p) in done:
                continue
            if name.rsplit(".", 1)[-1] in ("layer_scale_parameter", "gamma"):
                p.copy_(0.5 + 0.1 * normal(p))
            else:
                raise RuntimeError(f"randomize_: no rule for parameter {name} {tuple(p.shape)}")
            done.add(id(p))


def make_input(batch: int, seed: int):
    import torch

    g = torch.Generator().manual_seed(seed)
    return torch.randn((batch, 3, SIDE, SIDE), generator=g, dtype=torch.float32)


class LogitsOnly:
    """Wraps the HF model so that tracing/export sees a tensor in, a tensor out."""

    def __new__(cls, model):
        import torch

        class Wrapper(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, pixel_values):
                return self.m(pixel_values=pixel_values).logits

        return Wrapper(model).eval()


def prepare(workdir: Path, engines: list[str]) -> dict:
    """Model folder, check input, reference logits, ONNX, OpenVINO IR. Returns {engine: reason} of skips."""
    import numpy as np
    import torch
    from safetensors.numpy import save_file
    from transformers import ConvNextConfig, ConvNextForImageClassification

    skips: dict[str, str] = {}
    torch.manual_seed(SEED)
    config = ConvNextConfig(hidden_sizes=[96, 192, 384, 768], depths=[3, 3, 9, 3], num_labels=1000, image_size=SIDE)
    model = ConvNextForImageClassification(config).eval()
    randomize_(model, SEED)
    model_dir = workdir / MODEL_DIR
    model.save_pretrained(model_dir, safe_serialization=True)
    n_params = sum(p.numel() for p in model.parameters())

    x = make_input(CHECK_BATCH, SEED + 1)
    with torch.inference_mode():
        reference = model(pixel_values=x).logits.numpy()
    save_file({"pixel_values": x.numpy()}, str(workdir / "check_input.safetensors"))
    np.save(workdir / "reference_logits.npy", reference)
    log(f"model: random ConvNeXt-T, {n_params / 1e6:.2f} M parameters (seed {SEED}) -> {model_dir}")
    log(f"  reference logits (PyTorch eager, {CHECK_BATCH}x3x{SIDE}x{SIDE}): std {reference.std():.3f}, "
        f"max |logit| {np.abs(reference).max():.3f}")

    onnx_path = workdir / ONNX_FILE
    if "onnxruntime" in engines or "openvino" in engines:
        start = time.monotonic()
        try:
            export_onnx(model, onnx_path)
            log(f"  ONNX export (opset 17, dynamic batch): {time.monotonic() - start:.1f} s -> {onnx_path}")
        except Exception as e:  # noqa: BLE001
            reason = f"ONNX export failed: {type(e).__name__}: {e}"
            log(f"  {reason}")
            skips["onnxruntime"] = reason
            onnx_path = None
    if "openvino" in engines:
        start = time.monotonic()
        try:
            import openvino as ov

            if onnx_path is not None:
                ov_model = ov.convert_model(str(onnx_path))
                source = "the ONNX export"
            else:
                ov_model = ov.convert_model(LogitsOnly(model), example_input=make_input(1, 0))
                source = "the PyTorch model (no ONNX export)"
            (workdir / OV_FILE).parent.mkdir(parents=True, exist_ok=True)
            ov.save_model(ov_model, str(workdir / OV_FILE), compress_to_fp16=False)
            log(f"  OpenVINO convert_model from {source}: {time.monotonic() - start:.1f} s -> {workdir / OV_FILE}")
        except Exception as e:  # noqa: BLE001
            reason = f"OpenVINO conversion failed: {type(e).__name__}: {e}"
            log(f"  {reason}")
            skips["openvino"] = reason
    return skips


def export_onnx(model, path: Path) -> None:
    import warnings

    import torch

    x = make_input(1, 0)
    kwargs = dict(
        opset_version=17,
        input_names=["pixel_values"],
        output_names=["logits"],
        dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # the TorchScript exporter needs no extra packages
            torch.onnx.export(LogitsOnly(model), (x,), str(path), dynamo=False, **kwargs)
        except TypeError:  # a torch without the `dynamo` argument
            torch.onnx.export(LogitsOnly(model), (x,), str(path), **kwargs)


# ---------------------------------------------------------------------------------------------
# Workers: one engine, one job, in a child process


def peak_rss_mb() -> float:
    """Peak resident memory of this process since its exec (VmHWM; ru_maxrss would include the parent's)."""
    try:
        m = re.search(r"^VmHWM:\s*(\d+) kB", Path("/proc/self/status").read_text(), re.M)
        if m:
            return int(m.group(1)) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def timed(fn, warmup: int, iterations: int) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def check_input(workdir: Path):
    from safetensors.numpy import load_file

    return load_file(str(workdir / "check_input.safetensors"))["pixel_values"]


def worker(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir)
    engine, mode, batch, threads = args._worker, args._mode, args._batch, args.threads
    result: dict = {}
    if mode == "prepare":
        result["skips"] = prepare(workdir, args.engines)
    elif engine in ("pytorch", "pytorch-cl"):
        import torch
        from transformers import ConvNextForImageClassification

        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
        model = ConvNextForImageClassification.from_pretrained(workdir / MODEL_DIR).float().eval()
        x = torch.from_numpy(check_input(workdir)) if mode == "check" else make_input(batch, 7)
        if engine == "pytorch-cl":
            model = model.to(memory_format=torch.channels_last)
            x = x.contiguous(memory_format=torch.channels_last)
        result["setting"] = f"torch.set_num_threads({threads}), inference_mode" + (", channels_last" if engine == "pytorch-cl" else "")
        with torch.inference_mode():
            run = lambda: model(pixel_values=x).logits  # noqa: E731
            if mode == "check":
                result["logits"] = run().float().numpy()
            else:
                result["variants"] = [{"setting": result["setting"], "times_ms": timed(run, args.warmup, args.iterations)}]
    elif engine == "onnxruntime":
        import numpy as np
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(str(workdir / ONNX_FILE), so, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        x = check_input(workdir) if mode == "check" else make_input(batch, 7).numpy()
        x = np.ascontiguousarray(x)
        setting = f"CPUExecutionProvider, ORT_ENABLE_ALL, sequential, intra_op {threads}, inter_op 1"
        run = lambda: session.run(None, {name: x})[0]  # noqa: E731
        if mode == "check":
            result["logits"] = run()
        else:
            result["variants"] = [{"setting": setting, "times_ms": timed(run, args.warmup, args.iterations)}]
    elif engine == "openvino":
        result.update(openvino_worker(args, workdir, mode, batch, threads))
    else:
        raise SystemExit(f"unknown engine {engine}")
    if "logits" in result:
        import numpy as np

        out = workdir / f"logits_{engine}.npy"
        np.save(out, np.asarray(result.pop("logits"), dtype=np.float32))
        result["logits_file"] = str(out)
    result["peak_rss_mb"] = peak_rss_mb()
    print(RESULT_TAG + json.dumps(result), flush=True)


def openvino_worker(args, workdir: Path, mode: str, batch: int, threads: int) -> dict:
    import numpy as np
    import openvino as ov

    core = ov.Core()

    def compile_for(b: int, hint: str):
        model = core.read_model(str(workdir / OV_FILE))
        model.reshape([b, 3, SIDE, SIDE])
        config = {"PERFORMANCE_HINT": hint, "INFERENCE_NUM_THREADS": threads, "INFERENCE_PRECISION_HINT": "f32"}
        compiled = core.compile_model(model, "CPU", config)
        props = {}
        for key in ("NUM_STREAMS", "INFERENCE_NUM_THREADS", "INFERENCE_PRECISION_HINT", "OPTIMAL_NUMBER_OF_INFER_REQUESTS"):
            try:
                value = compiled.get_property(key)
                props[key] = value.to_string() if hasattr(value, "to_string") else str(value)
            except Exception:  # noqa: BLE001
                pass
        return compiled, props

    if mode == "check":
        compiled, _ = compile_for(CHECK_BATCH, "LATENCY")
        request = compiled.create_infer_request()
        x = np.ascontiguousarray(check_input(workdir))
        return {"logits": np.array(request.infer({0: x})[0])}

    x = make_input(batch, 7).numpy()
    variants = []

    # One synchronous request for the whole batch, latency hint.
    compiled, props = compile_for(batch, "LATENCY")
    request = compiled.create_infer_request()
    run = lambda: request.infer({0: x}, share_inputs=True)  # noqa: E731
    variants.append({"setting": f"LATENCY hint, sync batch {batch}, " + props_text(props),
                     "times_ms": timed(run, args.warmup, args.iterations)})
    del request, compiled

    if batch > 1:
        # Throughput hint: the batch as batch-1 requests spread over OpenVINO's streams.
        compiled, props = compile_for(1, "THROUGHPUT")
        nreq = int(props.get("OPTIMAL_NUMBER_OF_INFER_REQUESTS", "0") or 0) or threads
        queue = ov.AsyncInferQueue(compiled, nreq)
        images = [np.ascontiguousarray(x[i : i + 1]) for i in range(batch)]

        def run_async():
            for image in images:
                queue.start_async({0: image}, share_inputs=True)
            queue.wait_all()

        variants.append({"setting": f"THROUGHPUT hint, {batch} async batch-1 requests over {nreq} in flight, " + props_text(props),
                         "times_ms": timed(run_async, args.warmup, args.iterations)})
    return {"variants": variants}


def props_text(props: dict) -> str:
    short = {"NUM_STREAMS": "streams", "INFERENCE_NUM_THREADS": "threads", "INFERENCE_PRECISION_HINT": "precision"}
    return ", ".join(f"{short[k]} {v}" for k, v in props.items() if k in short)


def run_worker(args: argparse.Namespace, engine: str, mode: str, batch: int, workdir: Path, echo: bool = False) -> dict:
    """Run one worker child process; returns its result dict or raises RuntimeError with the reason.

    The parent never imports torch and stays small: a child's peak-memory figure would otherwise
    start from the parent's (fork copies the address space)."""
    command = [sys.executable, str(SCRIPT), "--_worker", engine, "--_mode", mode, "--_batch", str(batch),
               "--workdir", str(workdir), "--threads", str(args.threads),
               "--iterations", str(args.iterations), "--warmup", str(args.warmup), "--engines", *args.engines]
    env = dict(os.environ, **thread_env(args.threads))
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG):])
        if echo:
            log(line)
    raise RuntimeError(failure_text(proc))


def failure_text(proc: subprocess.CompletedProcess) -> str:
    lines = [l for l in (proc.stderr or "").strip().splitlines() if l.strip()]
    missing = next((l for l in reversed(lines) if "ModuleNotFoundError" in l or "ImportError" in l), None)
    if missing:
        return f"{missing.strip()} (package not installed? see the pip output of the venv setup)"
    tail = "\n      ".join(lines[-8:]) if lines else "(no output)"
    return f"exit status {proc.returncode}:\n      {tail}"


# ---------------------------------------------------------------------------------------------
# swift-convnext


def swift_bench(convnext: Path, workdir: Path, batch: int, args) -> dict:
    command = [str(convnext), "bench", "--model", str(workdir / MODEL_DIR), "--batch", str(batch),
               "--threads", str(args.threads), "--iterations", str(args.iterations)]
    proc = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, **thread_env(args.threads)))
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` failed: " + failure_text(proc))
    out = proc.stdout
    latency = re.search(r"latency: median ([\d.]+) ms, min ([\d.]+) ms, max ([\d.]+) ms \((\d+) runs\)", out)
    memory = re.search(r"peak resident memory: ([\d.]+) MB", out)
    gflops = re.search(r"throughput: ([\d.]+) GFLOP/s", out)
    if not latency:
        raise RuntimeError(f"could not parse the output of `{' '.join(command)}`:\n{out}")
    return {
        "setting": f"convnext bench --threads {args.threads} (2 warm-up passes)",
        "median_ms": float(latency.group(1)),
        "min_ms": float(latency.group(2)),
        "max_ms": float(latency.group(3)),
        "peak_rss_mb": float(memory.group(1)) if memory else None,
        "gflops": float(gflops.group(1)) if gflops else None,
        "raw_output": out.strip(),
    }


def swift_check(convnext: Path, workdir: Path, args) -> str:
    out = workdir / "swift_output.safetensors"
    command = [str(convnext), "run", "--model", str(workdir / MODEL_DIR), "--input", str(workdir / "check_input.safetensors"),
               "--output", str(out), "--threads", str(args.threads)]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` failed: " + failure_text(proc))
    import numpy as np
    from safetensors.numpy import load_file

    path = workdir / "logits_swift.npy"
    np.save(path, load_file(str(out))["logits"].astype(np.float32))
    return str(path)


# ---------------------------------------------------------------------------------------------
# Report


def machine_description(convnext: Path | None) -> dict:
    from importlib import metadata

    info: dict = {"cpu": platform.processor() or platform.machine(), "flags": []}
    try:
        text = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        if m:
            info["cpu"] = m.group(1).strip()
        m = re.search(r"^flags\s*:\s*(.+)$", text, re.M)
        if m:
            info["flags"] = m.group(1).split()
    except OSError:
        pass
    info["avx512"] = sorted(f for f in info.pop("flags") if f.startswith("avx512") or f in ("amx_bf16", "amx_int8", "amx_tile"))
    try:
        info["cores_available"] = len(os.sched_getaffinity(0))
    except AttributeError:
        info["cores_available"] = os.cpu_count()
    info["cores_total"] = os.cpu_count()
    info["os"] = f"{platform.system()} {platform.release()}"
    info["python"] = platform.python_version()
    versions = {}
    for package in ("torch", "transformers", "onnx", "onnxruntime", "openvino", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    info["versions"] = versions
    if convnext is not None:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        info["swift_convnext"] = {"binary": str(convnext), "repo_commit": rev.stdout.strip() or None}
    return info


def summarize(times_ms: list[float], batch: int) -> dict:
    ordered = sorted(times_ms)
    median = ordered[len(ordered) // 2]
    return {"median_ms": median, "min_ms": ordered[0], "max_ms": ordered[-1], "times_ms": times_ms,
            "median_ms_per_image": median / batch, "min_ms_per_image": ordered[0] / batch,
            "images_per_s": batch * 1e3 / median}


def print_table(batch: int, rows: dict, args) -> None:
    log()
    rounds = f"; median over {args.rounds} interleaved rounds of each engine's median" if args.rounds > 1 else ""
    log(f"batch {batch}: 3x{SIDE}x{SIDE} float32, {args.threads} threads, median of {args.iterations} timed runs{rounds}")
    header = f"{'engine':<24}{'median ms':>11}{'min ms':>10}{'ms/image':>10}{'min/img':>9}{'images/s':>10}{'peak MB':>9}{'swift ratio':>13}"
    log(header)
    log("-" * len(header))
    ours = rows.get("swift")
    for engine, r in rows.items():
        if "error" in r:
            log(f"{NAMES[engine]:<24}  skipped: {r['error'].splitlines()[0]}")
            continue
        ratio = r.get("swift_ratio")
        ratio_text = "-" if engine == "swift" or ratio is None else f"{ratio:.2f}"
        flag = " !" if r.get("mismatch") else ""
        peak = f"{r['peak_rss_mb']:.0f}" if r.get("peak_rss_mb") else "-"
        log(f"{NAMES[engine] + flag:<24}{r['median_ms']:>11.2f}{r['min_ms']:>10.2f}{r['median_ms_per_image']:>10.2f}"
            f"{r['min_ms_per_image']:>9.2f}{r['images_per_s']:>10.2f}{peak:>9}{ratio_text:>13}")
    for engine, r in rows.items():
        if "error" not in r:
            log(f"  {NAMES[engine]}: {r['setting']}")
    if ours and "error" not in ours:
        for peer in ("onnxruntime", "openvino"):
            r = rows.get(peer)
            if r and "error" not in r:
                verdict = "met" if r["swift_ratio"] <= 0.8 else "not met"
                log(f"  target ratio <= 0.80 vs {NAMES[peer]}: {r['swift_ratio']:.2f} ({verdict})")


# ---------------------------------------------------------------------------------------------
# Main (in the venv)


def time_engine(engine: str, batch: int, convnext: Path, workdir: Path, args: argparse.Namespace) -> dict:
    """One timing run of one engine at one batch size, in its own process."""
    if engine == "swift":
        r = swift_bench(convnext, workdir, batch, args)
        r.update({"median_ms_per_image": r["median_ms"] / batch, "min_ms_per_image": r["min_ms"] / batch,
                  "images_per_s": batch * 1e3 / r["median_ms"]})
        return r
    out = run_worker(args, engine, "time", batch, workdir)
    variants = []
    for v in out["variants"]:
        s = summarize(v["times_ms"], batch)
        s["setting"] = v["setting"]
        variants.append(s)
    r = dict(min(variants, key=lambda s: s["median_ms"]))
    r["peak_rss_mb"] = out["peak_rss_mb"]
    if len(variants) > 1:
        r["variants"] = variants
        others = [f"{v['setting']}: median {v['median_ms']:.1f} ms" for v in variants if v["setting"] != r["setting"]]
        r["setting"] = f"{r['setting']} (best; also timed: {'; '.join(others)})"
    return r


def combine_rounds(results: list[dict], batch: int) -> dict:
    """One engine's rounds as one row: the round with the median median (its setting and memory),
    median_ms the median of the rounds' medians (upper median, as elsewhere), min_ms the least."""
    medians = sorted(r["median_ms"] for r in results)
    median = medians[len(medians) // 2]
    row = dict(min(results, key=lambda r: abs(r["median_ms"] - median)))
    row["median_ms"] = median
    row["min_ms"] = min(r["min_ms"] for r in results)
    row["median_ms_per_image"] = median / batch
    row["min_ms_per_image"] = row["min_ms"] / batch
    row["images_per_s"] = batch * 1e3 / median
    peaks = [r["peak_rss_mb"] for r in results if r.get("peak_rss_mb") is not None]
    row["peak_rss_mb"] = max(peaks) if peaks else None
    if len(results) > 1:
        row["round_medians_ms"] = [r["median_ms"] for r in results]
    return row


def bench(args: argparse.Namespace) -> int:
    for key, value in thread_env(args.threads).items():
        os.environ[key] = value
    engines = [e for e in ENGINES if e in args.engines]
    skips: dict[str, str] = {}

    convnext = Path(args.convnext).expanduser()
    if not convnext.is_absolute():
        convnext = (REPO / convnext) if (REPO / convnext).exists() else convnext.absolute()
    if "swift" in engines and not (convnext.is_file() and os.access(convnext, os.X_OK)):
        skips["swift"] = f"no executable at {convnext}; build it from the repository root with: {BUILD_HINT}"

    info = machine_description(convnext if "swift" in engines else None)
    log("machine:")
    log(f"  CPU: {info['cpu']}; cores available {info['cores_available']} of {info['cores_total']}; {info['os']}")
    log(f"  AVX-512: {' '.join(info['avx512']) or 'none'}")
    log("  versions: python " + info["python"] + ", " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    if "swift_convnext" in info:
        log(f"  swift-convnext: {convnext} (repository at {info['swift_convnext']['repo_commit']})")
    for engine, reason in skips.items():
        log(f"  skipping {NAMES[engine]}: {reason}")
    if args.threads > (info["cores_available"] or args.threads):
        log(f"  warning: {args.threads} threads on {info['cores_available']} available cores")

    own_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="swift-convnext-bench-")) if own_workdir else Path(args.workdir).expanduser().absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"work folder: {workdir}")
    report: dict = {"machine": info, "threads": args.threads, "iterations": args.iterations, "rounds": args.rounds, "warmup": args.warmup,
                    "image_size": SIDE, "seed": SEED, "correctness": {}, "batches": {}, "skipped": {}}
    try:
        try:
            prepared = run_worker(args, "prepare", "prepare", 0, workdir, echo=True)
        except RuntimeError as e:
            die(f"could not build the model: {e}")
        for engine, reason in prepared["skips"].items():
            skips.setdefault(engine, reason)
        if "onnxruntime" in skips and "openvino" in engines and not (workdir / OV_FILE).exists():
            skips.setdefault("openvino", skips["onnxruntime"])

        # Correctness
        mismatches: set[str] = set()
        if not args.no_check:
            import numpy as np

            reference = np.load(workdir / "reference_logits.npy")
            scale = float(np.abs(reference).max())
            tolerance = 1e-4 * max(1.0, scale)
            log()
            log(f"correctness: logits on a fixed {CHECK_BATCH}x3x{SIDE}x{SIDE} input vs PyTorch eager "
                f"(max |logit| {scale:.2f}; tolerance {tolerance:.1e})")
            for engine in engines:
                if engine in skips:
                    continue
                try:
                    if engine == "swift":
                        path = swift_check(convnext, workdir, args)
                    else:
                        path = run_worker(args, engine, "check", CHECK_BATCH, workdir)["logits_file"]
                    logits = np.load(path)
                    if logits.shape != reference.shape:
                        raise RuntimeError(f"logits shape {logits.shape}, expected {reference.shape}")
                    diff = float(np.abs(logits.astype(np.float64) - reference).max())
                    same_top1 = bool((logits.argmax(1) == reference.argmax(1)).all())
                    ok = bool(diff <= tolerance and np.isfinite(diff))
                    if not ok:
                        mismatches.add(engine)
                    report["correctness"][engine] = {"max_abs_diff": diff, "same_top1": same_top1, "ok": ok}
                    log(f"  {NAMES[engine]:<24} max abs diff {diff:.2e}  top-1 {'same' if same_top1 else 'DIFFERENT'}"
                        f"{'' if ok else '  <-- MISMATCH: fast but wrong?'}")
                except Exception as e:  # noqa: BLE001
                    skips[engine] = f"correctness run failed: {e}"
                    log(f"  {NAMES[engine]:<24} failed, skipped: {e}")

        # Timing: every engine once per round, rounds interleaved, so that a noisy spell on a
        # shared machine falls on all engines alike; each engine's figure is the median of its
        # per-round medians.
        for batch in args.batches:
            log()
            log(f"timing batch {batch} ...")
            rounds: dict = {engine: [] for engine in engines}
            for round_index in range(args.rounds):
                for engine in engines:
                    if engine in skips or (rounds[engine] and "error" in rounds[engine][-1]):
                        continue
                    try:
                        r = time_engine(engine, batch, convnext, workdir, args)
                        rounds[engine].append(r)
                        suffix = f" (round {round_index + 1} of {args.rounds})" if args.rounds > 1 else ""
                        log(f"  {NAMES[engine]:<24} median {r['median_ms']:.2f} ms{suffix}")
                    except Exception as e:  # noqa: BLE001
                        rounds[engine].append({"error": str(e)})
                        log(f"  {NAMES[engine]:<24} failed, skipped: {e}")
            rows: dict = {}
            for engine in engines:
                if engine in skips:
                    rows[engine] = {"error": skips[engine]}
                elif rounds[engine] and "error" in rounds[engine][-1]:
                    rows[engine] = rounds[engine][-1]
                else:
                    rows[engine] = combine_rounds(rounds[engine], batch)
                    rows[engine]["mismatch"] = engine in mismatches
            ours = rows.get("swift")
            if ours and "error" not in ours:
                for engine, r in rows.items():
                    if "error" not in r:
                        r["swift_ratio"] = ours["median_ms_per_image"] / r["median_ms_per_image"]
            report["batches"][str(batch)] = rows

        log()
        log("=" * 96)
        log(f"ConvNeXt-T (random weights), {info['cpu']}, {args.threads} threads")
        for batch in args.batches:
            print_table(batch, report["batches"][str(batch)], args)
        if mismatches:
            log()
            log("! = logits differ from PyTorch eager beyond tolerance: " + ", ".join(NAMES[e] for e in sorted(mismatches)))
        for engine, reason in skips.items():
            report["skipped"][engine] = reason
            log(f"skipped {NAMES[engine]}: {reason}")
        log("swift ratio = swift-convnext median ms/image / that engine's median ms/image (< 1: swift-convnext faster)")
        log("peak MB = the engine process's peak resident memory (Python engines include interpreter and imports)")
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
            log(f"wrote {args.json}")
    finally:
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main() -> int:
    args = parse_args()
    if args._worker:
        worker(args)
        return 0
    if not args.no_install and os.environ.get(IN_VENV_ENV) != "1":
        reexec_in_venv(args)  # does not return
    from importlib.util import find_spec

    missing = [m for m in ("numpy", "safetensors", "torch", "transformers") if find_spec(m) is None]
    if missing:
        die(f"this Python ({sys.executable}) lacks {', '.join(missing)} (drop --no-install to let the script set up its venv)")
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
