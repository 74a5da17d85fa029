#!/usr/bin/env python3
"""Measures what the run-time checks cost: each model compiled with and
without them, timed alternately in the same invocation.

The run-time checks (docs/design/compiled-artifact.md: symbolic sizes bound
once per run, index ranges, broadcasts) are compiled into every artifact.
`exaforge compile --no-runtime-checks`, a developers' switch, leaves them
out (bad inputs can then give wrong values; the manifest records it and
`exaforge inspect` says so). For every model this script compiles both
artifacts, then times them in R alternated rounds with `exaforge run
--benchmark N` (N in-process runs after 2 warm-up runs; loading and file I/O
excluded) on the same inputs and threads. It reports per artifact the
median over the rounds of each round's median, and the fastest run of all,
and the ratios checked / unchecked of both (the target of issue 14: under
1 % above 1). On a loaded machine the medians swing with the load (other
processes take the cores for whole runs); the fastest runs are the least
disturbed. One thread by default: OpenMP threads that spin while waiting
make a loaded machine's multi-threaded timings swing far more.

Models: the example models of run_benchmarks.py at their realistic sizes
(mlp, gpt2, resnet: static shapes but a symbolic batch), and gpt2-dynamic:
Hugging Face's GPT-2 small (GPT2LMHeadModel, 12 layers, hidden 768, random
weights) exported with a symbolic batch *and* sequence length, as exports
for text generation have it, so that its shapes are checked at run time
(the export is made on first use, a minute or two, and cached in the
workdir).

`--instructions` counts instead of timing: each artifact runs under
Valgrind's cachegrind (no cache simulation, 1 thread), once with
`--benchmark 1` and once with `--benchmark 1+D`; the difference of the two
counts of executed instructions, divided by D, is what one run executes,
without loading, compiling kernels or file I/O. The counts do not depend on
the machine's load, so the ratio checked / unchecked of instructions per
run resolves far below the timings' noise; it counts what the checks add to
the work (compares, branches, the failure calls not taken), not their cost
in cycles. Needs `valgrind`; a run is 20 to 100 times slower under it.

Usage: .venv/bin/python benchmarks/checks_cost.py [--models mlp,gpt2,resnet,gpt2-dynamic]
           [--runs N] [--rounds R] [--threads T] [--seq S] [--workdir DIR]
           [--instructions [--extra-runs D]] [--small]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_benchmarks import EXAFORGE, GENERATOR, ROOT, SIZES, SMALL_SIZES  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "utils"))
from compare_with_onnxruntime import random_feeds  # noqa: E402

# The dynamic GPT-2's vocabulary (GPT2Config's default).
GPT2_VOCAB = 50257


def export_dynamic_gpt2(path, exporter):
    """Exports GPT-2 small with random weights to `path`, its batch and
    sequence length symbolic ("batch", "seq"), with the dynamo or the
    TorchScript exporter of torch.onnx (opset 18)."""
    import torch  # pylint: disable=import-outside-toplevel
    import gen_model_zoo as zoo  # pylint: disable=import-outside-toplevel
    torch.manual_seed(zoo.SEED)
    model, spec, outputs = zoo.gpt2()
    model.eval()
    zoo.randomize_norm_statistics(model)
    zoo.randomize_zero_weights(model)
    names = [name for name, _, _ in spec]
    ids = torch.randint(0, GPT2_VOCAB, (2, 16), dtype=torch.int64)
    example = (ids, torch.ones_like(ids))
    kwargs = {"opset_version": 18, "input_names": names,
              "output_names": outputs}
    if exporter == "dynamo":
        batch = torch.export.Dim("batch", min=1, max=1024)
        seq = torch.export.Dim("seq", min=2, max=1024)
        kwargs["dynamic_shapes"] = tuple({0: batch, 1: seq} for _ in names)
    else:
        kwargs["dynamic_axes"] = {name: {0: "batch", 1: "seq"}
                                  for name in names + outputs}
    tmp = path + ".tmp"
    torch.onnx.export(model, example, tmp, dynamo=exporter == "dynamo",
                      external_data=False, **kwargs)
    os.replace(tmp, path)


def prepare(name, args, rng):
    """Returns the ONNX file of model `name` and its inputs."""
    model = os.path.join(args.workdir, f"{name}.onnx")
    if name == "gpt2-dynamic":
        model = os.path.join(args.workdir, f"gpt2-dynamic-{args.exporter}.onnx")
        if not os.path.exists(model):
            print(f"exporting GPT-2 with a symbolic sequence ({args.exporter})",
                  flush=True)
            export_dynamic_gpt2(model, args.exporter)
        ids = rng.integers(0, GPT2_VOCAB, size=(1, args.seq), dtype=np.int64)
        return model, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    import onnxruntime as ort  # pylint: disable=import-outside-toplevel
    flags, batch = (SMALL_SIZES if args.small else SIZES)[name]
    subprocess.run([sys.executable, GENERATOR, "--out-dir", args.workdir, *flags],
                   check=True, capture_output=True)
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    return model, random_feeds(session, batch, rng)


def save_inputs(feeds, workdir):
    """Saves `feeds` as .npy files in `workdir`; returns the `--input
    NAME=FILE` arguments of `exaforge run` for them."""
    arguments = []
    for name, value in feeds.items():
        path = os.path.join(workdir, f"{name}.npy")
        np.save(path, value)
        arguments += ["--input", f"{name}={path}"]
    return arguments


def run_command(artifact, inputs, args, runs, threads):
    """The `exaforge run --benchmark RUNS` command of `artifact` on `inputs`
    (save_inputs' arguments)."""
    return [EXAFORGE, "run", artifact, "--threads", str(threads),
            "--benchmark", str(runs),
            "--output-dir", os.path.join(args.workdir, "out"), *inputs]


def count_instructions(artifact, inputs, args, runs):
    """The instructions (cachegrind's "I refs") that `exaforge run
    --benchmark RUNS` of `artifact` executes on 1 thread."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
               "--cachegrind-out-file=/dev/null",
               *run_command(artifact, inputs, args, runs, threads=1)]
    result = subprocess.run(command, capture_output=True, text=True,
                            check=True)
    match = re.search(r"I\s+refs:\s+([0-9,]+)", result.stderr)
    if not match:
        raise RuntimeError(f"no instruction count in valgrind's output:\n"
                           f"{result.stderr}")
    return int(match.group(1).replace(",", ""))


def instructions_per_run(artifact, inputs, args):
    """What one run of `artifact` executes: the difference between
    `--benchmark 1+D` and `--benchmark 1`, divided by D."""
    base = count_instructions(artifact, inputs, args, 1)
    more = count_instructions(artifact, inputs, args, 1 + args.extra_runs)
    return (more - base) / args.extra_runs


def time_runs(artifact, inputs, args):
    """Runs `artifact` on `inputs` (save_inputs' arguments) with `exaforge
    run --benchmark N`; returns (median, fastest) in milliseconds."""
    command = run_command(artifact, inputs, args, args.runs, args.threads)
    out = subprocess.run(command, capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r"median ([0-9.]+) ms, min ([0-9.]+) ms", out)
    if not match:
        raise RuntimeError(f"no timing in exaforge run's output:\n{out}")
    return float(match.group(1)), float(match.group(2))


class Row:
    """The timings of one model: per round, (median, fastest) in ms."""

    def __init__(self, name, shape, on, off):
        self.name, self.shape, self.on, self.off = name, shape, on, off

    @staticmethod
    def median(rounds):
        """The median over the rounds of each round's median."""
        return statistics.median(t for t, _ in rounds)

    @staticmethod
    def fastest(rounds):
        """The fastest run of all rounds."""
        return min(t for _, t in rounds)

    def median_ratio(self):
        """Checked / unchecked, of the medians."""
        return self.median(self.on) / self.median(self.off)

    def fastest_ratio(self):
        """Checked / unchecked, of the fastest runs."""
        return self.fastest(self.on) / self.fastest(self.off)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="mlp,gpt2,resnet,gpt2-dynamic")
    parser.add_argument("--runs", type=int, default=20,
                        help="runs per timing (its median is taken)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternated timings of each artifact")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seq", type=int, default=128,
                        help="the sequence length gpt2-dynamic runs with")
    parser.add_argument("--exporter", choices=("dynamo", "torchscript"),
                        default="dynamo", help="gpt2-dynamic's exporter")
    parser.add_argument("--workdir", default=None,
                        help="where models and artifacts go (default "
                             "build/benchmarks, build/benchmarks/small with "
                             "--small)")
    parser.add_argument("--instructions", action="store_true",
                        help="count the instructions of a run under "
                             "valgrind instead of timing")
    parser.add_argument("--small", action="store_true",
                        help="the example models at their small test sizes "
                             "(run_benchmarks.py's SMALL_SIZES): the checks' "
                             "share of a smaller run is larger, so this is "
                             "the conservative choice for --instructions")
    parser.add_argument("--extra-runs", type=int, default=2,
                        help="with --instructions: the runs D whose count "
                             "is taken")
    args = parser.parse_args(argv)
    if args.workdir is None:
        args.workdir = os.path.join(ROOT, "build", "benchmarks",
                                    *(["small"] if args.small else []))
    os.makedirs(args.workdir, exist_ok=True)
    sys.path.insert(0, os.path.join(ROOT, "utils"))
    rng = np.random.default_rng(0)
    rows, counted = [], []
    for name in filter(None, args.models.split(",")):
        model, feeds = prepare(name, args, rng)
        checked = os.path.join(args.workdir, f"{name}.xf")
        unchecked = os.path.join(args.workdir, f"{name}-unchecked.xf")
        subprocess.run([EXAFORGE, "compile", model, "-o", checked], check=True)
        subprocess.run([EXAFORGE, "compile", model, "-o", unchecked,
                        "--no-runtime-checks"], check=True)
        inputs = save_inputs(feeds, args.workdir)
        shape = ", ".join(f"{k} {list(v.shape)}" for k, v in feeds.items())
        if args.instructions:
            counts = (instructions_per_run(checked, inputs, args),
                      instructions_per_run(unchecked, inputs, args))
            counted.append((name, shape, *counts))
            print(f"{name}: {counts[0]:.0f} / {counts[1]:.0f} instructions "
                  f"a run, ratio {counts[0] / counts[1]:.6f}", flush=True)
            continue
        on, off = [], []
        for _ in range(args.rounds):
            off.append(time_runs(unchecked, inputs, args))
            on.append(time_runs(checked, inputs, args))
        row = Row(name, shape, on, off)
        rows.append(row)
        print(f"{name}: median checked {row.median(on):.3f} ms, unchecked "
              f"{row.median(off):.3f} ms, ratio {row.median_ratio():.4f}; "
              f"fastest {row.fastest(on):.3f} / {row.fastest(off):.3f} ms, "
              f"ratio {row.fastest_ratio():.4f}", flush=True)

    if args.instructions:
        print(f"\ninstructions a run (1 thread; the difference of "
              f"--benchmark 1 and --benchmark {1 + args.extra_runs}, "
              f"over {args.extra_runs})\n")
        print("| model | inputs | checked | unchecked | ratio |")
        print("|---|---|---|---|---|")
        for name, shape, on, off in counted:
            print(f"| {name} | {shape} | {on:,.0f} | {off:,.0f} "
                  f"| {on / off:.6f} |")
        return 0
    print(f"\nthreads: {args.threads}; {args.rounds} alternated rounds of "
          f"{args.runs} runs per artifact\n")
    print("| model | inputs | median checked / unchecked (ms) | ratio "
          "| fastest checked / unchecked (ms) | ratio |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row.name} | {row.shape} | {row.median(row.on):.3f} / "
              f"{row.median(row.off):.3f} | {row.median_ratio():.4f} "
              f"| {row.fastest(row.on):.3f} / {row.fastest(row.off):.3f} "
              f"| {row.fastest_ratio():.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
