#!/usr/bin/env python3
"""Runs a compiled artifact and onnxruntime on the same random inputs and
prints their outputs side by side with the largest difference.

Usage:
  compare_with_onnxruntime.py MODEL.onnx ARTIFACT.xf [--batch B] [--seed S]
                              [--rtol R] [--atol A] [--exaforge PATH]
                              [--ranks N] [--exaforge-run PATH]
  compare_with_onnxruntime.py MODEL.onnx --save-inputs DIR [--batch B] [--seed S]
  compare_with_onnxruntime.py MODEL.onnx --outputs DIR [--batch B] [--seed S]
                              [--rtol R] [--atol A]

Symbolic dimensions get the size --batch (default 2). Float inputs are
standard normal, int64 inputs uniform in [0, 256) (token ids). The artifact
runs through `exaforge run`, or with --ranks N through `exaforge-run -n N`
(inputs and outputs as .npy). Exits 1 when any
output differs by more than atol + rtol * |onnxruntime| (defaults 1e-4, 1e-5,
the end-to-end tests' float32 tolerances) or has another shape or dtype.

For a run started elsewhere (a batch job: test/Slurm), --save-inputs DIR
writes the inputs as DIR/NAME.npy and prints one `NAME=FILE` per line (the
--input arguments of exaforge-run), and --outputs DIR compares the outputs a
run wrote there (exaforge-run --output-dir DIR) with onnxruntime's on the same
inputs (the same --seed and --batch) without running the artifact.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def random_feeds(session, batch, rng):
    """Returns random inputs for the onnxruntime `session`: symbolic
    dimensions get the size `batch`, int64 inputs are uniform in [0, 256)
    (token ids), the others standard normal float32."""
    feeds = {}
    for inp in session.get_inputs():
        shape = [d if isinstance(d, int) else batch for d in inp.shape]
        if inp.type == "tensor(int64)":
            feeds[inp.name] = rng.integers(0, 256, size=shape, dtype=np.int64)
        else:
            feeds[inp.name] = rng.standard_normal(shape).astype(np.float32)
    return feeds


def output_file_name(name):
    """The file `exaforge run --output-dir` writes output `name` to."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    return (safe or "output") + ".npy"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("artifact", nargs="?")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--exaforge",
                        default=os.path.join(ROOT, "build", "bin", "exaforge"))
    parser.add_argument("--ranks", type=int, default=0,
                        help="run on this many ranks with exaforge-run -n "
                             "(0: one process with exaforge run)")
    parser.add_argument("--exaforge-run",
                        default=os.path.join(ROOT, "build", "bin", "exaforge-run"))
    parser.add_argument("--save-inputs", metavar="DIR",
                        help="write the inputs to DIR, print NAME=FILE lines, "
                             "run nothing")
    parser.add_argument("--outputs", metavar="DIR",
                        help="compare the outputs in DIR (NAME.npy) instead "
                             "of running the artifact")
    args = parser.parse_args()
    if args.save_inputs and args.outputs:
        parser.error("--save-inputs and --outputs exclude each other")
    if not (args.artifact or args.save_inputs or args.outputs):
        parser.error("give ARTIFACT.xf, --save-inputs DIR or --outputs DIR")

    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    feeds = random_feeds(session, args.batch, np.random.default_rng(args.seed))
    if args.save_inputs:
        os.makedirs(args.save_inputs, exist_ok=True)
        for name, value in feeds.items():
            path = os.path.abspath(os.path.join(args.save_inputs,
                                                output_file_name(name)))
            np.save(path, value)
            print(f"{name}={path}")
        return 0
    names = [o.name for o in session.get_outputs()]
    expected = dict(zip(names, session.run(None, feeds)))

    if args.outputs:
        actual = {}
        for name in names:
            path = os.path.join(args.outputs, output_file_name(name))
            if not os.path.exists(path):
                print(f"output '{name}': MISSING ({path} does not exist)")
                return 1
            actual[name] = np.load(path)
        return 0 if compare(names, expected, actual, args.rtol, args.atol) else 1

    with tempfile.TemporaryDirectory() as work:
        if args.ranks > 0:
            command = [args.exaforge_run, "-n", str(args.ranks), args.artifact,
                       "--output-dir", os.path.join(work, "out")]
        else:
            command = [args.exaforge, "run", args.artifact,
                       "--output-dir", os.path.join(work, "out")]
        for name, value in feeds.items():
            path = os.path.join(work, output_file_name(name))
            np.save(path, value)
            command += ["--input", f"{name}={path}"]
        proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return 1
        if args.ranks > 0:
            for line in proc.stdout.splitlines():
                if line.startswith(("ranks:", "collectives per run:")):
                    print(line)
        actual = {name: np.load(os.path.join(work, "out", output_file_name(name)))
                  for name in names}
    return 0 if compare(names, expected, actual, args.rtol, args.atol) else 1


def compare(names, expected, actual, rtol, atol):
    """Prints each output `name` of `actual` next to `expected` with the
    largest difference; returns whether every output has the expected shape
    and dtype and is within atol + rtol * |expected|."""
    ok = True
    for name in names:
        want, got = expected[name], actual[name]
        print(f"output '{name}': {got.dtype} {list(got.shape)}")
        if got.shape != want.shape or got.dtype != want.dtype:
            print(f"  MISMATCH: onnxruntime gives {want.dtype} {list(want.shape)}")
            ok = False
            continue
        flat_got, flat_want = got.reshape(-1), want.reshape(-1)
        shown = min(6, flat_got.size)
        print("  exaforge:    " + " ".join(f"{v:+.6f}" for v in flat_got[:shown]))
        print("  onnxruntime: " + " ".join(f"{v:+.6f}" for v in flat_want[:shown]))
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        bound = atol + rtol * np.abs(want.astype(np.float64))
        within = bool(np.all(diff <= bound))
        ok &= within
        print(f"  max |difference|: {diff.max() if diff.size else 0.0:.3g} "
              f"({'within' if within else 'OUTSIDE'} atol {atol:g} + "
              f"rtol {rtol:g} * |onnxruntime|)")
    return ok


if __name__ == "__main__":
    sys.exit(main())
