#!/usr/bin/env python3
"""Times Exaforge against onnxruntime on every model of the zoo.

Usage: .venv/bin/python benchmarks/run_benchmarks.py --zoo
           [--models REGEX] [--export dynamo-op18] [--batches 1,8]
           [--threads 1,2] [--runs N] [--rounds R] [--cache-dir DIR]
           [--workdir DIR]
       (or benchmarks/zoo_benchmark.py with the same options)

The zoo (utils/gen_model_zoo.py: torchvision and Hugging Face models with
random weights, exported to ONNX with a symbolic batch) is generated into
--cache-dir, or taken from it. For each model, the export --export (the
dynamo exporter at opset 18 by default, what a new user gets from
torch.onnx.export) is compiled once with `exaforge compile` (timed; the
batch stays symbolic, so one artifact serves every batch) and, for every
batch and thread count, timed with `exaforge run --benchmark N --threads T`
(the median of N in-process runs after 2 warm-up runs; loading and file I/O
excluded) and with onnxruntime's InferenceSession.run on the same inputs,
with T intra-op threads, as the median of N runs after one warm-up, in the
same invocation. Inputs: images standard normal, token ids uniform in
[0, 256), attention masks all ones.

With --rounds R, each row is timed R times, onnxruntime and Exaforge in
turn: the columns are the medians of the R medians, and the ratio the median
of the R ratios of a round's two figures (on a shared machine whose speed
drifts, a ratio of figures taken side by side holds where figures taken
minutes apart do not).

Prints one row per model, batch and thread count with the ratio Exaforge /
onnxruntime (lower is better), then the geometric mean of the ratios over
all rows and per thread count. A model that fails to compile or run is
listed with the reason and left out of the means. The machine's load moves
both columns: compare ratios of one invocation, not across invocations.
"""

import argparse
import math
import os
import statistics
import re
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAFORGE = os.environ.get("EXAFORGE", os.path.join(ROOT, "build", "bin", "exaforge"))
GENERATOR = os.path.join(ROOT, "utils", "gen_model_zoo.py")
sys.path.insert(0, os.path.join(ROOT, "utils"))
from compare_with_onnxruntime import random_feeds  # noqa: E402
from gen_model_zoo import MODELS  # noqa: E402
# onnxruntime is timed as for the example models.
from run_benchmarks import time_onnxruntime  # noqa: E402


def parse_list(text):
    return [int(value) for value in text.split(",") if value]


def generate_zoo(cache_dir, models):
    """Exports the selected models (or reuses them); returns the zoo
    directory and its manifest."""
    import json
    pattern = "^(" + "|".join(map(re.escape, models)) + ")$"
    gen = subprocess.run([sys.executable, GENERATOR, "--cache-dir", cache_dir,
                          "--models", pattern],
                         stdout=subprocess.PIPE, text=True, check=False)
    if gen.returncode != 0:
        sys.exit(f"zoo_benchmark.py: the generator failed:\n{gen.stdout}")
    zoo = gen.stdout.strip().splitlines()[-1]
    with open(os.path.join(zoo, "manifest.json")) as file:
        return zoo, json.load(file)


def make_feeds(session, batch, rng):
    feeds = random_feeds(session, batch, rng)
    for name in feeds:
        if "mask" in name:
            feeds[name] = np.ones_like(feeds[name])
    return feeds


def time_exaforge(artifact, feeds, threads, runs, workdir):
    args = [EXAFORGE, "run", artifact, "--threads", str(threads),
            "--benchmark", str(runs)]
    for name, value in feeds.items():
        safe = "".join(c if c.isalnum() else "_" for c in name)
        path = os.path.join(workdir, f"input-{safe}.npy")
        np.save(path, value)
        args += ["--input", f"{name}={path}"]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    match = re.search(r"median ([0-9.]+) ms", proc.stdout)
    if proc.returncode != 0 or not match:
        raise RuntimeError((proc.stderr or proc.stdout).strip().splitlines()[-1:])
    return float(match.group(1))


def geometric_mean(values):
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="", help="only the models matching REGEX")
    parser.add_argument("--export", default="dynamo-op18",
                        help="the export of each model to time (gen_model_zoo.py EXPORTS)")
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1,
                        help="time each row R times, the two in turn (median ratio)")
    parser.add_argument("--cache-dir", default=os.path.join(ROOT, "build", "model-zoo"))
    parser.add_argument("--workdir", default=os.path.join(ROOT, "build", "benchmarks", "zoo"))
    args = parser.parse_args(argv)
    models = [m for m in MODELS if re.search(args.models, m)]
    if not models:
        sys.exit("zoo_benchmark.py: no model selected")
    batches, thread_counts = parse_list(args.batches), parse_list(args.threads)
    os.makedirs(args.workdir, exist_ok=True)
    zoo, manifest = generate_zoo(args.cache_dir, models)
    rng = np.random.default_rng(0)

    rows, failures = [], []
    for model_name in models:
        entry = manifest["exports"].get(f"{model_name}/{args.export}")
        if not entry or entry.get("status") != "ok":
            failures.append((model_name, "no export: " + (entry or {}).get("reason", "missing")))
            continue
        model = os.path.join(zoo, entry["file"])
        artifact = os.path.join(args.workdir, f"{model_name}.xf")
        start = time.perf_counter()
        compiled = subprocess.run([EXAFORGE, "compile", model, "-o", artifact],
                                  capture_output=True, text=True, check=False)
        compile_s = time.perf_counter() - start
        if compiled.returncode != 0:
            failures.append((model_name, "compile: " + compiled.stderr.strip()[:200]))
            continue
        print(f"[zoo] {model_name}: compiled in {compile_s:.1f} s", flush=True)
        session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        for batch in batches:
            feeds = make_feeds(session, batch, rng)
            for threads in thread_counts:
                ort_times, xf_times = [], []
                try:
                    for _ in range(max(args.rounds, 1)):
                        ort_times.append(time_onnxruntime(model, feeds, threads, args.runs))
                        xf_times.append(time_exaforge(artifact, feeds, threads, args.runs,
                                                      args.workdir))
                except RuntimeError as error:
                    failures.append((f"{model_name} batch {batch} threads {threads}",
                                     f"run: {error}"))
                    continue
                xf_ms, ort_ms = statistics.median(xf_times), statistics.median(ort_times)
                ratio = statistics.median(x / o for x, o in zip(xf_times, ort_times))
                rows.append((model_name, batch, threads, compile_s, xf_ms, ort_ms, ratio))
                print(f"[zoo] {model_name} batch {batch} threads {threads}: exaforge "
                      f"{xf_ms:.2f} ms, onnxruntime {ort_ms:.2f} ms, ratio "
                      f"{ratio:.2f}", flush=True)

    print(f"\nexport: {args.export}, runs: {args.runs} (median), rounds: "
          f"{max(args.rounds, 1)}, machine: {os.cpu_count()} cores\n")
    print("| model | batch | threads | compile (s) | exaforge (ms) | onnxruntime (ms) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for model_name, batch, threads, compile_s, xf_ms, ort_ms, ratio in rows:
        print(f"| {model_name} | {batch} | {threads} | {compile_s:.1f} | {xf_ms:.2f} "
              f"| {ort_ms:.2f} | {ratio:.2f} |")
    ratios = [row[-1] for row in rows]
    print(f"\ngeometric mean of the ratios: {geometric_mean(ratios):.2f} "
          f"({len(ratios)} rows)")
    for threads in thread_counts:
        subset = [row[-1] for row in rows if row[2] == threads]
        print(f"  {threads} thread(s): {geometric_mean(subset):.2f} ({len(subset)} rows)")
    for name, reason in failures:
        print(f"not timed: {name}: {reason}")
    return 1 if failures and not rows else 0


if __name__ == "__main__":
    sys.exit(main())
