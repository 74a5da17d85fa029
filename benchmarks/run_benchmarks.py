#!/usr/bin/env python3
"""Times Exaforge against onnxruntime on the example models at realistic sizes.

For every model: generate it (utils/gen_example_models.py), compile it with
`exaforge compile`, time `exaforge run --benchmark N` (in-process timing of
the run call only: loading, input and output files are excluded), and time
onnxruntime's InferenceSession.run on the same inputs with the same number of
threads, in the same invocation. Prints latency (median of N runs), the ratio
Exaforge / onnxruntime (lower is better; the target is <= 1.5), and a
1024^3 f32 MatMul in GFLOP/s against onnxruntime's and the machine's nominal
peak.

What the run-time checks cost is measured by checks_cost.py. --extra NAME=PATH
adds an ONNX file (e.g. a model of the zoo), compiled with the
--extra-compile-args (e.g. `--input-shape input_ids=batch,seq` to make the
sequence length symbolic).

Usage: .venv/bin/python benchmarks/run_benchmarks.py [--threads T] [--runs N]
           [--small] [--models mlp,gpt2,resnet,matmul] [--workdir DIR]
           [--extra NAME=PATH ...] [--extra-compile-args ARGS]
       .venv/bin/python benchmarks/run_benchmarks.py --zoo [OPTIONS]
           times every model of the zoo instead (benchmarks/zoo_benchmark.py,
           whose options it takes)
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAFORGE = os.environ.get("EXAFORGE", os.path.join(ROOT, "build", "bin", "exaforge"))
GENERATOR = os.path.join(ROOT, "utils", "gen_example_models.py")

# The random inputs shared with utils/compare_with_onnxruntime.py.
sys.path.insert(0, os.path.join(ROOT, "utils"))
from compare_with_onnxruntime import random_feeds  # noqa: E402

# Sizes: (generator flags, batch). --small shrinks them for a quick check.
SIZES = {
    "mlp": (["--model", "mlp"], 64),
    "gpt2": (["--model", "gpt2", "--hidden", "768", "--heads", "12",
              "--layers", "12", "--seq", "128", "--vocab", "50257"], 1),
    "resnet": (["--model", "resnet", "--image-size", "224", "--width", "64"], 1),
}
SMALL_SIZES = {
    "mlp": (["--model", "mlp"], 8),
    "gpt2": (["--model", "gpt2"], 2),
    "resnet": (["--model", "resnet"], 2),
}


def nominal_peak_gflops(threads):
    """The f32 peak of `threads` cores from /proc/cpuinfo: cores x 2 FMA
    units x SIMD lanes (16 with AVX-512, 8 with AVX2) x 2 flops x the
    reported clock. The reported clock is the base clock: with turbo a
    core runs faster, so measured rates can exceed this figure."""
    mhz, lanes = None, 8
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("cpu MHz") and mhz is None:
                mhz = float(line.split(":")[1])
            if line.startswith("flags") and "avx512f" in line.split():
                lanes = 16
    return threads * 2 * lanes * 2 * (mhz or 0) / 1e3


def make_matmul_model(path, n=1024):
    """A single f32 MatMul of two n x n inputs."""
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])
    c = helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"], name="mm")],
                              "matmul", [a, b], [c])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)


def time_onnxruntime(model, feeds, threads, runs):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    session.run(None, feeds)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def time_exaforge(artifact, feeds, threads, runs, workdir):
    args = [EXAFORGE, "run", artifact, "--threads", str(threads),
            "--benchmark", str(runs), "--output-dir", os.path.join(workdir, "out")]
    for name, value in feeds.items():
        path = os.path.join(workdir, f"{name}.npy")
        np.save(path, value)
        args += ["--input", f"{name}={path}"]
    proc = subprocess.run(args, capture_output=True, text=True, check=True)
    match = re.search(r"median ([0-9.]+) ms", proc.stdout)
    if not match:
        raise RuntimeError(f"no timing in exaforge run output:\n{proc.stdout}")
    return float(match.group(1))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if "--zoo" in argv:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import zoo_benchmark  # pylint: disable=import-outside-toplevel
        return zoo_benchmark.main([arg for arg in argv if arg != "--zoo"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--small", action="store_true", help="small sizes, quick")
    parser.add_argument("--models", default="mlp,gpt2,resnet,matmul")
    parser.add_argument("--workdir", default=os.path.join(ROOT, "build", "benchmarks"))
    parser.add_argument("--extra", action="append", default=[],
                        help="NAME=PATH: an ONNX file to time too (batch 1)")
    parser.add_argument("--extra-compile-args", default="",
                        help="exaforge compile arguments of the --extra models")
    args = parser.parse_args(argv)
    os.makedirs(args.workdir, exist_ok=True)
    sizes = SMALL_SIZES if args.small else SIZES
    rng = np.random.default_rng(0)
    rows = []
    extras = dict(entry.split("=", 1) for entry in args.extra)
    names = [n for n in args.models.split(",") if n] + list(extras)
    for name in names:
        model = os.path.join(args.workdir, f"{name}.onnx")
        compile_args = []
        if name in extras:
            model, batch = extras[name], 1
            compile_args = args.extra_compile_args.split()
        elif name == "matmul":
            make_matmul_model(model)
            batch = 1
        else:
            flags, batch = sizes[name]
            subprocess.run([sys.executable, GENERATOR, "--out-dir", args.workdir, *flags],
                           check=True, capture_output=True)
        artifact = os.path.join(args.workdir, f"{name}.xf")
        start = time.perf_counter()
        subprocess.run([EXAFORGE, "compile", model, "-o", artifact, *compile_args],
                       check=True)
        compile_s = time.perf_counter() - start
        session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        feeds = random_feeds(session, batch, rng)
        ort_ms = time_onnxruntime(model, feeds, args.threads, args.runs)
        xf_ms = time_exaforge(artifact, feeds, args.threads, args.runs, args.workdir)
        rows.append((name, batch, compile_s, xf_ms, ort_ms))
        print(f"{name}: exaforge {xf_ms:.2f} ms, onnxruntime {ort_ms:.2f} ms, "
              f"ratio {xf_ms / ort_ms:.2f}", flush=True)

    print(f"\nthreads: {args.threads}, runs: {args.runs} (median)\n")
    print("| model | batch | compile (s) | exaforge (ms) | onnxruntime (ms) | ratio |")
    print("|---|---|---|---|---|---|")
    for name, batch, compile_s, xf_ms, ort_ms in rows:
        print(f"| {name} | {batch} | {compile_s:.1f} | {xf_ms:.2f} | {ort_ms:.2f} "
              f"| {xf_ms / ort_ms:.2f} |")
    for name, _, _, xf_ms, ort_ms in rows:
        if name == "matmul":
            flops = 2 * 1024 ** 3
            peak = nominal_peak_gflops(args.threads)
            print(f"\nMatMul 1024^3: exaforge {flops / xf_ms / 1e6:.0f} GFLOP/s, "
                  f"onnxruntime {flops / ort_ms / 1e6:.0f} GFLOP/s, nominal peak "
                  f"of {args.threads} cores at the base clock {peak:.0f} GFLOP/s "
                  f"(exaforge at {flops / xf_ms / 1e6 / peak:.0%} of it)")


if __name__ == "__main__":
    sys.exit(main())
