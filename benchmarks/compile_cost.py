#!/usr/bin/env python3
"""Measures what `exaforge compile` costs on every model of the zoo: peak
memory and time, against the bound of issue 15 (peak resident memory at most
1.5 x the model's weight bytes + 200 MiB).

Usage: .venv/bin/python benchmarks/compile_cost.py [--exaforge PATH]
           [--baseline PATH] [--cache-dir DIR] [--models REGEX]
           [--exports REGEX] [--json FILE] [--timeout S]

The zoo comes from utils/gen_model_zoo.py (generated, or taken from its
cache, build/model-zoo by default). For each export, `exaforge compile
MODEL.onnx -o TMP/model.xf` runs once; its peak resident set (ru_maxrss of
the child from wait4: anonymous and file-backed pages, so an mmapped model
file counts as memory; this script keeps its own resident set small, since a
child's ru_maxrss starts at its parent's resident set) and its wall time are
reported with

  weights  the bytes of every initializer and Constant tensor of the model
           (from the ONNX file's shapes and element types)
  bound    1.5 x weights + 200 MiB
  ok       whether the peak is within the bound

With --baseline OTHER, each export is also compiled with OTHER (e.g. a build
of an older commit), alternately in the same run, and both are shown
(before = OTHER, after = --exaforge). The exit status is 1 when a compile
fails or a peak of --exaforge exceeds its bound: the script is the
regression check of compile memory (a benchmark, not a timed test, since
the numbers depend on the machine's load).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "utils"))
from run_model_zoo import execute  # noqa: E402

GENERATOR = os.path.join(ROOT, "utils", "gen_model_zoo.py")
MIB = 1024.0 * 1024.0
# The bound of issue 15: peak <= BOUND_FACTOR * weights + BOUND_BASE_MIB.
BOUND_FACTOR = 1.5
BOUND_BASE_MIB = 200.0


def weight_bytes(path):
    """The bytes of the initializers and Constant tensors of the ONNX model at
    `path` (main graph and subgraphs), from their shapes and element types;
    string tensors are not counted."""
    import numpy as np
    import onnx
    from onnx import helper

    model = onnx.load(path, load_external_data=False)

    def tensor_bytes(tensor):
        if tensor.data_type in (onnx.TensorProto.STRING,
                                onnx.TensorProto.UNDEFINED):
            return 0
        itemsize = np.dtype(
            helper.tensor_dtype_to_np_dtype(tensor.data_type)).itemsize
        return int(np.prod(tensor.dims, dtype=np.int64)) * itemsize

    def graph_bytes(graph):
        total = sum(tensor_bytes(t) for t in graph.initializer)
        for node in graph.node:
            for attr in node.attribute:
                if node.op_type == "Constant" and attr.HasField("t"):
                    total += tensor_bytes(attr.t)
                if attr.HasField("g"):
                    total += graph_bytes(attr.g)
                total += sum(graph_bytes(g) for g in attr.graphs)
        return total

    return graph_bytes(model.graph)


def measure_weight_bytes(path):
    """`weight_bytes(path)`, computed in a child process: the model's tensors
    never enter this process, whose resident set must stay small. (A child
    inherits its parent's resident set size at fork as the start of its
    ru_maxrss, and keeps it through exec: after loading a 600 MiB model here,
    every compile would report at least that much.)"""
    out = subprocess.run([sys.executable, os.path.abspath(__file__),
                          "--weight-bytes-of", path], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return int(out)


def compile_once(exaforge, model, timeout):
    """Compiles `model` with `exaforge` into a temporary artifact; returns
    (seconds, peak MiB, error line or None)."""
    work = tempfile.mkdtemp(prefix="xf-compile-cost-")
    try:
        code, stderr, seconds, rss_mib = execute(
            [exaforge, "compile", model, "-o",
             os.path.join(work, "model.xf")], timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if code != 0:
        lines = [l for l in stderr.splitlines() if l.strip()]
        why = "timed out" if code is None else (
            lines[0][:200] if lines else f"exit status {code}")
        return seconds, rss_mib, why
    return seconds, rss_mib, None


def load_zoo(cache_dir, models):
    """Generates (or reuses) the zoo exports of the models matching the
    regular expression `models`; returns (zoo directory, manifest)."""
    gen = subprocess.run([sys.executable, GENERATOR, "--cache-dir", cache_dir,
                          "--models", models], stdout=subprocess.PIPE,
                         text=True, check=False)
    if gen.returncode != 0:
        print(gen.stdout)
        raise SystemExit("compile_cost.py: error: the generator failed")
    zoo_dir = gen.stdout.strip().splitlines()[-1]
    with open(os.path.join(zoo_dir, "manifest.json")) as f:
        return zoo_dir, json.load(f)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exaforge",
                        default=os.path.join(ROOT, "build", "bin", "exaforge"))
    parser.add_argument("--baseline", metavar="PATH",
                        help="another exaforge to compare with (before)")
    parser.add_argument("--cache-dir",
                        default=os.path.join(ROOT, "build", "model-zoo"))
    parser.add_argument("--models", default=".*", metavar="REGEX",
                        help="the zoo models to measure (default: all)")
    parser.add_argument("--exports", default=".*", metavar="REGEX",
                        help="the exports to measure (MODEL/EXPORT), e.g. "
                             "'dynamo-op18|gpt2/torchscript-op13'")
    parser.add_argument("--json", metavar="FILE", help="write the rows here")
    parser.add_argument("--timeout", type=float, default=1200)
    parser.add_argument("--weight-bytes-of", metavar="MODEL",
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.weight_bytes_of:
        print(weight_bytes(args.weight_bytes_of))
        return 0

    zoo_dir, manifest = load_zoo(args.cache_dir, args.models)
    rows, failed = [], False
    for key in sorted(manifest["exports"]):
        entry = manifest["exports"][key]
        if not re.search(args.models, entry["model"]) or \
                not re.search(args.exports, key):
            continue
        if entry["status"] != "ok":
            print(f"[compile-cost] {key}: not exported, skipped", flush=True)
            continue
        model = os.path.join(zoo_dir, entry["file"])
        weights_mib = measure_weight_bytes(model) / MIB
        row = {"export": key, "weights_mib": round(weights_mib, 1),
               "bound_mib": round(BOUND_FACTOR * weights_mib +
                                  BOUND_BASE_MIB, 1)}
        runs = [("after", args.exaforge)]
        if args.baseline:
            runs.insert(0, ("before", args.baseline))
        for label, exaforge in runs:
            print(f"[compile-cost] {key}: compiling ({label})", flush=True)
            seconds, peak, why = compile_once(exaforge, model, args.timeout)
            row[f"{label}_peak_mib"] = round(peak)
            row[f"{label}_s"] = round(seconds, 1)
            if why:
                row[f"{label}_error"] = why
        row["ok"] = "after_error" not in row and \
            row["after_peak_mib"] <= row["bound_mib"]
        failed |= not row["ok"]
        rows.append(row)

    header = f"{'export':<36} {'weights MiB':>11} {'bound MiB':>9}"
    if args.baseline:
        header += f" {'peak before':>11} {'s before':>8}"
    header += f" {'peak MiB':>8} {'compile s':>9}  ok"
    print("\n" + header)
    for row in rows:
        line = f"{row['export']:<36} {row['weights_mib']:>11.1f} " \
               f"{row['bound_mib']:>9.0f}"
        if args.baseline:
            line += f" {row['before_peak_mib']:>11} {row['before_s']:>8.1f}"
        line += f" {row['after_peak_mib']:>8} {row['after_s']:>9.1f}  " + \
            ("yes" if row["ok"] else "NO")
        print(line)
        for label in ("before", "after"):
            if f"{label}_error" in row:
                print(f"    {label}: {row[label + '_error']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
