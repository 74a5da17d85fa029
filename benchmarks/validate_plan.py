#!/usr/bin/env python3
"""Checks the planner's cost model against measured runs on local ranks.

For each layout (1, 2 and 4 ranks; data, tensor and pipeline parallelism and
their mixes) the script:
  1. asks `exaforge plan --json` for the predicted step time of that layout on
     this machine's description (written by `exaforge calibrate`, one rank
     per core, or given with --machine), adapted to the number of ranks
     sharing this node's cores (below);
  2. compiles the model with the same layout and times it with
     `exaforge-run -n R --benchmark N` (the median of N runs);
  3. prints predicted, measured and the relative error, and the median error
     over all layouts (the issue's target: under 25 %).

Ranks share the node: the description has one rank per core. With R ranks on C
cores each rank runs C/R threads (at least 1) and gets C/R of a core's
throughput and 1/R of the node's memory bandwidth, so the description given to
the planner has R devices per node with those figures.

Usage:
  .venv/bin/python benchmarks/validate_plan.py [--runs 20] [--batch 8]
      [--workdir DIR] [--layouts 1:1:1:1,1:1:2:2,...]  (dp:tp:pp:micro-batches)
      [--machine FILE]  (default: `exaforge calibrate` measures this machine)
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
EXAFORGE = os.path.join(BIN, "exaforge")
EXAFORGE_RUN = os.path.join(BIN, "exaforge-run")
GENERATOR = os.path.join(ROOT, "utils", "gen_example_models.py")

# A GPT-2-style stack big enough that compute, not per-op overhead, dominates.
MODEL_FLAGS = ["--model", "gpt2", "--hidden", "256", "--heads", "8",
               "--layers", "4", "--seq", "64", "--vocab", "1000"]

# (dp, tp, pp, micro-batches) per layout. The pipelines also run with one
# micro-batch, which shows what the overlap of the stages gains.
LAYOUTS = [(1, 1, 1, 1),
           (2, 1, 1, 1), (1, 2, 1, 1), (1, 1, 2, 2), (1, 1, 2, 1),
           (4, 1, 1, 1), (1, 4, 1, 1), (1, 1, 4, 4), (1, 1, 4, 1),
           (2, 2, 1, 1), (2, 1, 2, 2), (1, 2, 2, 2)]


def run(*args):
    """Runs a command; exits with its output if it fails."""
    proc = subprocess.run([*map(str, args)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{proc.stdout}\n"
                 f"{proc.stderr}")
    return proc.stdout


def scaled_description(local, ranks, cores, workdir):
    """Writes the description `local` (one rank per core) with `ranks`
    devices sharing the node's `cores` cores; returns its path."""
    text = open(local).read()

    def number(key):
        match = re.search(rf"^\s*{key}:\s*([0-9.]+)", text, re.M)
        if not match:
            sys.exit(f"{local}: no '{key}'")
        return float(match.group(1))

    devices = number("devices_per_node")
    flops = number("f32")                       # GFLOP/s per core
    bandwidth = number("memory_bandwidth") * devices  # GB/s per node
    share = cores / ranks
    text = re.sub(r"^(\s*devices_per_node:).*$", rf"\1 {ranks}", text,
                  flags=re.M)
    text = re.sub(r"^(\s*f32:).*$", rf"\1 {flops * share:.2f} GFLOP/s", text,
                  flags=re.M)
    text = re.sub(r"^(\s*memory_bandwidth:).*$",
                  rf"\1 {bandwidth / ranks:.2f} GB/s", text, flags=re.M)
    path = os.path.join(workdir, f"local-{ranks}.yaml")
    with open(path, "w") as file:
        file.write(text)
    return path


def predicted_seconds(model, machine, batch, layout):
    """The planner's step time for `layout`, or None if it did not price it."""
    plan = json.loads(run(EXAFORGE, "plan", model, "--machine", machine,
                          "--nodes", 1, "--batch", batch, "--json",
                          "--top", 10000, "--microbatches", layout[3]))
    for entry in plan["layouts"]:
        key = (entry["dp"], entry["tp"], entry["pp"], entry["microbatches"])
        if key == layout:
            return entry["predicted_step_seconds"]
    return None


def measured_seconds(model, artifact, inputs, layout, threads, runs):
    """The median time of `runs` runs of the model compiled for `layout`."""
    dp, tp, pp, microbatches = layout
    ranks = dp * tp * pp
    run(EXAFORGE, "compile", model, "-o", artifact, "--ranks", ranks,
        "--dp", dp, "--tp", tp, "--pp", pp, "--microbatches", microbatches)
    if ranks == 1:
        out = run(EXAFORGE, "run", artifact, "--input", inputs,
                  "--threads", threads, "--benchmark", runs)
    else:
        out = run(EXAFORGE_RUN, "-n", ranks, artifact, "--input", inputs,
                  "--threads", threads, "--benchmark", runs)
    match = re.search(r"median ([0-9.]+) ms", out)
    if not match:
        sys.exit(f"no median in:\n{out}")
    return float(match.group(1)) / 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--cores", type=int, default=os.cpu_count())
    parser.add_argument("--workdir")
    parser.add_argument("--machine",
                        help="this machine's description, one rank per core "
                             "(default: measured with `exaforge calibrate`)")
    parser.add_argument("--layouts",
                        help="comma-separated dp:tp:pp:microbatches "
                             "(default: the twelve above)")
    args = parser.parse_args()
    layouts = LAYOUTS
    if args.layouts:
        layouts = [tuple(map(int, item.split(":")))
                   for item in args.layouts.split(",")]
    workdir = args.workdir or tempfile.mkdtemp(prefix="xf-validate-")
    os.makedirs(workdir, exist_ok=True)
    local = args.machine
    if not local:
        local = os.path.join(workdir, "local.yaml")
        run(EXAFORGE, "calibrate", "-o", local)
    run(sys.executable, GENERATOR, "--out-dir", workdir, *MODEL_FLAGS)
    model = os.path.join(workdir, "gpt2.onnx")
    ids = np.random.default_rng(0).integers(
        0, 1000, size=(args.batch, 64)).astype(np.int64)
    ids_path = os.path.join(workdir, "input_ids.npy")
    np.save(ids_path, ids)
    inputs = f"input_ids={ids_path}"

    print(f"GPT-2-style stack ({' '.join(MODEL_FLAGS[2:])}), batch "
          f"{args.batch}, {args.cores} cores, median of {args.runs} runs")
    print(f"{'layout':<16}{'ranks':>6}{'threads':>8}{'predicted':>12}"
          f"{'measured':>12}{'error':>9}")
    errors = []
    for layout in layouts:
        dp, tp, pp, microbatches = layout
        ranks = dp * tp * pp
        threads = max(1, args.cores // ranks)
        machine = scaled_description(local, ranks, args.cores, workdir)
        predicted = predicted_seconds(model, machine, args.batch, layout)
        artifact = os.path.join(workdir,
                                f"gpt2-{dp}-{tp}-{pp}-{microbatches}.xf")
        measured = measured_seconds(model, artifact, inputs, layout, threads,
                                    args.runs)
        name = f"dp{dp} tp{tp} pp{pp} M{microbatches}"
        if predicted is None:
            print(f"{name:<16}{ranks:>6}{threads:>8}{'(none)':>12}"
                  f"{measured * 1e3:>10.2f}ms{'':>9}")
            continue
        error = abs(predicted - measured) / measured
        errors.append(error)
        print(f"{name:<16}{ranks:>6}{threads:>8}{predicted * 1e3:>10.2f}ms"
              f"{measured * 1e3:>10.2f}ms{error * 100:>8.0f}%")
    if errors:
        print(f"median error: {statistics.median(errors) * 100:.0f}% over "
              f"{len(errors)} layouts (target: under 25%)")


if __name__ == "__main__":
    main()
