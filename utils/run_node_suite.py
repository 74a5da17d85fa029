#!/usr/bin/env python3
"""Imports every ONNX backend node test model with `exaforge import`.

Usage:
  run_node_suite.py [--exaforge PATH] [--data-dir DIR] [--jobs N]
                    [--timeout S] [--baseline FILE] [--report FILE]
                    [--write-baseline]

Each DIR/*/model.onnx (default: the ONNX 1.12 node tests of the Debian
package libonnx-testdata) is imported and classified:
  imported     exit status 0
  unsupported  a clean error (see rejected) that says "unsupported op type"
  rejected     any other clean error: exit status 1-127 and stderr made of
               one-line diagnostics "<file>: error: ..." naming the model
               (e.g. an unsupported opset or element type)
  crashed      killed by a signal, exit status >= 128, a timeout (--timeout, 60 s), or
               stderr that is not in the diagnostic form

Prints a count per class, the unsupported op types, and the first error line
of every rejected or crashed model. Exits 1 when a model crashed or fewer
models imported than the baseline ({"imported": N}, default
test/NodeSuite/baseline.json); --write-baseline records the current count
there instead. --report writes every model's class and message as JSON.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA_DIR = "/usr/share/libonnx-testdata/data/node"
DEFAULT_BASELINE = os.path.join(ROOT, "test", "NodeSuite", "baseline.json")
DEFAULT_EXAFORGE = os.path.join(ROOT, "build", "bin", "exaforge")
TIMEOUT_S = 60
CLASSES = ("imported", "unsupported", "rejected", "crashed")

DIAGNOSTIC = re.compile(r"^(?P<loc>.+?): (?P<kind>error|warning|note|remark): "
                        r"(?P<message>.*)$")
UNSUPPORTED_OP = re.compile(r"unsupported op type '([^']*)'")


def classify(returncode, stderr, model):
    """Returns (class, message) for one import."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    detail = f": {first}" if first else ""
    if returncode < 0:
        return "crashed", f"killed by signal {-returncode}{detail}"
    if returncode >= 128:
        return "crashed", f"exit status {returncode}{detail}"
    if returncode == 0:
        return "imported", ""
    if not lines:
        return "crashed", f"exit status {returncode} without a diagnostic"
    match = DIAGNOSTIC.match(first)
    malformed = (match is None or match.group("kind") != "error" or
                 not match.group("loc").endswith(os.path.basename(model)) or
                 not all(DIAGNOSTIC.match(line) for line in lines))
    if malformed:
        return "crashed", f"exit status {returncode}, malformed diagnostic: {first}"
    message = match.group("message")
    if UNSUPPORTED_OP.search(stderr):
        return "unsupported", message
    return "rejected", message


def import_model(exaforge, model, timeout=TIMEOUT_S):
    start = time.monotonic()
    try:
        proc = subprocess.run([exaforge, "import", model],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "crashed", f"timed out after {timeout} s", timeout
    stderr = proc.stderr.decode("utf-8", errors="replace")
    cls, message = classify(proc.returncode, stderr, model)
    return cls, message, time.monotonic() - start


def read_baseline(path):
    """The baseline's imported count; None without a baseline file."""
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return int(json.load(f)["imported"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SystemExit(f"run_node_suite.py: error: bad baseline '{path}' "
                         f"(expected {{\"imported\": N}}): {err}")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Import every ONNX node test model with exaforge and "
                    "report which import, are unsupported, are rejected or "
                    "crash.")
    parser.add_argument("--exaforge", default=DEFAULT_EXAFORGE,
                        help="the exaforge binary (default: build/bin/exaforge)")
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR,
                        help="directory of <test>/model.onnx "
                             f"(default: {DEFAULT_DATA_DIR})")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help='JSON file {"imported": N}: fail when fewer '
                             'models import ("" for none; default: '
                             "%(default)s)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S,
                        help="seconds per model (default: %(default)s)")
    parser.add_argument("--report", help="write a JSON report here")
    parser.add_argument("--write-baseline", action="store_true",
                        help="write the imported count to --baseline")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    models = sorted(glob.glob(os.path.join(args.data_dir, "*", "model.onnx")))
    if not models:
        print(f"run_node_suite.py: error: no */model.onnx under "
              f"'{args.data_dir}' (install libonnx-testdata)", file=sys.stderr)
        return 2
    if not os.access(args.exaforge, os.X_OK):
        print(f"run_node_suite.py: error: '{args.exaforge}' is not an "
              f"executable (build it with utils/build.sh)", file=sys.stderr)
        return 2

    baseline = None if args.write_baseline else read_baseline(args.baseline)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda m: import_model(args.exaforge, m,
                                                      args.timeout),
                                 models))
    elapsed = time.monotonic() - start

    results = {}
    by_class = collections.defaultdict(list)
    unsupported_ops = collections.Counter()
    for model, (cls, message, seconds) in zip(models, outcomes):
        test = os.path.basename(os.path.dirname(model))
        results[test] = {"class": cls, "message": message,
                         "seconds": round(seconds, 3)}
        by_class[cls].append(test)
        if cls == "unsupported":
            op = UNSUPPORTED_OP.search(message)
            unsupported_ops[op.group(1) if op else "?"] += 1
    counts = {cls: len(by_class[cls]) for cls in CLASSES}

    print(f"ONNX node suite: {len(models)} models in {args.data_dir} "
          f"({elapsed:.1f} s, {args.jobs} jobs)")
    for cls in CLASSES:
        print(f"  {cls:<12} {counts[cls]:>5}  "
              f"{100.0 * counts[cls] / len(models):5.1f} %")
    if unsupported_ops:
        ops = ", ".join(f"{op} ({n})" if n > 1 else op
                        for op, n in sorted(unsupported_ops.items(),
                                            key=lambda kv: (-kv[1], kv[0])))
        print(f"unsupported op types ({len(unsupported_ops)}): {ops}")
    for cls in ("rejected", "crashed"):
        if by_class[cls]:
            print(f"{cls}:")
            for test in by_class[cls]:
                print(f"  {test}: {results[test]['message']}")

    if args.report:
        with open(args.report, "w") as f:
            json.dump({"data_dir": args.data_dir, "counts": counts,
                       "unsupported_ops": dict(unsupported_ops),
                       "models": results}, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"report: {args.report}")

    if args.write_baseline and args.baseline:
        with open(args.baseline, "w") as f:
            json.dump({"imported": counts["imported"]}, f)
            f.write("\n")
        print(f"baseline: wrote imported = {counts['imported']} to "
              f"{args.baseline}")
        baseline = counts["imported"]

    failed = False
    if counts["crashed"]:
        print(f"FAIL: {counts['crashed']} models crashed the importer")
        failed = True
    if baseline is not None:
        if counts["imported"] < baseline:
            print(f"FAIL: {counts['imported']} models imported, fewer than "
                  f"the baseline {baseline} ({args.baseline})")
            failed = True
        elif counts["imported"] > baseline:
            print(f"note: {counts['imported']} models imported, more than the "
                  f"baseline {baseline}; raise it with --write-baseline")
    against = "no baseline" if baseline is None else f"baseline {baseline}"
    print(f"{'FAILED' if failed else 'PASSED'}: {counts['imported']} imported, "
          f"{counts['crashed']} crashed ({against})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
