#!/usr/bin/env python3
"""Compiles and runs the model zoo (utils/gen_model_zoo.py) with exaforge and
compares every output with onnxruntime's.

Usage:
  run_model_zoo.py [--full | --models REGEX] [--exaforge PATH]
                   [--exaforge-run PATH] [--cache-dir DIR]
                   [--expectations FILE] [--report FILE] [--timeout S]
                   [--write-expectations]

For each export of each selected model (generated, or taken from the cache):
  compile  `exaforge compile MODEL.onnx -o TMP/model.xf` (its seconds and the
           peak resident memory of the compiler, from wait4's rusage)
  b1, b3   `exaforge run` at batch 1 and batch 3 (the symbolic batch)
  dp2      `exaforge compile --dp 2`, `exaforge-run -n 2` (mpirun,
           oversubscribed) at batch 3 (split 2 + 1)
  tp2, pp2 (transformers only) `--tp 2` and `--pp 2` on 2 ranks, batch 3
Each layout's outputs are compared with the reference outputs of
onnxruntime that the generator stored for the same inputs. An output
matches when |exaforge - ort| <= RTOL * |ort| + ATOL * scale elementwise,
with scale = max |ort| over that output (at least 1), RTOL = 1e-3 and
ATOL = 1e-4: the models run in float32 and the kernels (oneDNN, exaforge's
loops) sum in another order than onnxruntime's (MLAS); through a dozen
layers with LayerNorm or BatchNorm that moves an element by up to about
1e-5 of the output's scale. The absolute term is relative to the scale
because outputs range from softmax-sized values to logits in the tens; it
still catches any wrong element that is not tiny next to the output.

Expectations (test/ModelZoo/expectations.json): {"MODEL/EXPORT/LAYOUT":
"pass" or "fail: REASON"} for every layout. A layout that fails where the
expectation says "pass" is a regression and fails the run; one that passes
where it says "fail: ..." is reported as newly passing (update the file with
--write-expectations); a crash of the compiler (a signal, LLVM's crash
banner) fails the run unless expected as "fail: crash ...". Expected
failures are listed with their reason, never hidden.

By default only the CI subset (CI_MODELS, about 10 minutes on 2 cores with
generation) runs; --full runs all nine models (27 exports; about an hour on
2 cores, most of it exporting and compiling BERT, GPT-2, ViT and ResNet-50).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
DEFAULT_EXPECTATIONS = os.path.join(ROOT, "test", "ModelZoo",
                                    "expectations.json")
GENERATOR = os.path.join(ROOT, "utils", "gen_model_zoo.py")
RTOL = 1e-3
ATOL = 1e-4
TIMEOUT_S = 600
# A run of a zoo model takes seconds; a hang (or a corrupted run) is cut off
# sooner than a compile.
RUN_TIMEOUT_S = 120
# The models the ctest checks (cheap to export and compile); --full adds
# the others.
CI_MODELS = ("mobilenet_v3_small", "llama")
TRANSFORMERS = ("bert", "gpt2", "llama")
CRASH = re.compile(r"PLEASE submit a bug report|Stack dump:|"
                   r"internal compiler error|rank \d+ crashed")
DIAGNOSTIC = re.compile(r"^(?P<loc>.+?): (?:error|warning|note|remark): ")


def execute(command, timeout):
    """Runs command; returns (returncode or None on timeout, stderr text,
    seconds, peak resident memory in MiB of the process)."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)
        rusage = None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, rusage = os.wait4(proc.pid, 0)
                status = None
                break
            time.sleep(0.05)
        proc.returncode = 0  # reaped by wait4; keeps Popen's destructor quiet
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    seconds = time.monotonic() - start
    rss_mib = rusage.ru_maxrss / 1024.0 if rusage else 0.0
    if status is None:
        return None, stderr, seconds, rss_mib
    code = (-os.WTERMSIG(status) if os.WIFSIGNALED(status)
            else os.WEXITSTATUS(status))
    return code, stderr, seconds, rss_mib


def failure(step, returncode, stderr, timeout):
    """A one-line reason for a failed step; crashes say "crash"."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    first = next((l for l in lines if DIAGNOSTIC.match(l)),
                 lines[0] if lines else "")
    # Drop the model path and node name so that equal causes compare equal.
    first = re.sub(r"^.*?: error: ", "", first)
    first = re.sub(r"^node '[^']*': ", "", first)
    if returncode is None:
        return f"{step}: timed out after {timeout:g} s"
    if returncode < 0 or returncode >= 128 or CRASH.search(stderr):
        signal_name = (signal.Signals(-returncode).name if returncode < 0
                       else f"exit status {returncode}")
        return f"crash: {step}: {signal_name}: {first[:200]}"
    return f"{step}: {first[:300]}"


def compare(outputs, out_dir, reference, batch_slice=None):
    """Returns (max abs difference, max difference / scale, why not or
    None)."""
    import numpy as np
    max_abs = 0.0
    max_rel = 0.0
    for name in outputs:
        want = reference[f"output:{name}"]
        path = os.path.join(out_dir, safe_name(name) + ".npy")
        if not os.path.exists(path):
            return max_abs, max_rel, f"missing output '{name}'"
        got = np.load(path)
        if got.shape != want.shape:
            return max_abs, max_rel, (f"output '{name}': shape "
                                      f"{list(got.shape)}, expected "
                                      f"{list(want.shape)}")
        got = got.astype(np.float64)
        want = want.astype(np.float64)
        if want.size > 1 and np.all(want == want.flat[0]):
            return max_abs, max_rel, (
                f"output '{name}': the reference is the constant "
                f"{want.flat[0]:.6g}, so the comparison would prove nothing")
        scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1.0)
        diff = np.abs(got - want)
        if not np.all(np.isfinite(got)):
            return max_abs, max_rel, f"output '{name}': not finite"
        max_abs = max(max_abs, float(diff.max()) if diff.size else 0.0)
        max_rel = max(max_rel, max_abs / scale)
        bad = diff > RTOL * np.abs(want) + ATOL * scale
        if bad.any():
            return max_abs, max_rel, (
                f"output '{name}': {int(bad.sum())} of {want.size} values "
                f"differ, max abs difference {float(diff.max()):.3g} "
                f"(scale {scale:.3g})")
    return max_abs, max_rel, None


def safe_name(name):
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name) \
        or "output"


class Zoo:
    """Runs the layouts of one export."""

    def __init__(self, args, zoo_dir):
        self.args = args
        self.zoo_dir = zoo_dir

    def compile(self, model, artifact, flags):
        code, stderr, seconds, rss = execute(
            [self.args.exaforge, "compile", model, "-o", artifact, *flags],
            self.args.timeout)
        if code != 0 or CRASH.search(stderr):
            return None, seconds, rss, failure(
                "compile" + (" " + " ".join(flags) if flags else ""), code,
                stderr, self.args.timeout)
        return artifact, seconds, rss, None

    def run(self, artifact, entry, reference, ranks, work, label):
        import numpy as np
        args = []
        for name in entry["inputs"]:
            path = os.path.join(work, f"{label}-{safe_name(name)}.npy")
            np.save(path, reference[f"input:{name}"])
            args += ["--input", f"{name}={path}"]
        out = os.path.join(work, f"out-{label}")
        if ranks == 1:
            command = [self.args.exaforge, "run", artifact, *args,
                       "--output-dir", out]
        else:
            command = [self.args.exaforge_run, "-n", str(ranks), "--timeout",
                       str(RUN_TIMEOUT_S), artifact, *args,
                       "--output-dir", out]
        timeout = min(self.args.timeout, RUN_TIMEOUT_S)
        code, stderr, seconds, _ = execute(command, timeout)
        if code != 0:
            return None, failure(f"run {label}", code, stderr, timeout)
        max_abs, max_rel, why = compare(entry["outputs"], out, reference)
        if why:
            return max_abs, f"{label}: wrong result: {why}"
        return max_abs, None

    def check(self, key, entry, layouts):
        """Returns a dict of the export's results (per layout: "pass" or
        "fail: ...")."""
        import numpy as np
        result = {"opset": entry.get("opset"), "layouts": {},
                  "max_diff": None}
        if entry["status"] != "ok":
            reason = f"fail: export: {entry.get('reason', '')[:200]}"
            result["layouts"] = {layout: reason for layout in layouts}
            return result
        model = os.path.join(self.zoo_dir, entry["file"])
        refs = {b: dict(np.load(model[:-len(".onnx")] + f".ref-b{b}.npz"))
                for b in (1, 3)}
        work = tempfile.mkdtemp(prefix="xf-zoo-")
        try:
            artifact, seconds, rss, why = self.compile(
                model, os.path.join(work, "model.xf"), [])
            result["compile_s"] = round(seconds, 1)
            result["compile_rss_mib"] = round(rss)
            diffs = []
            for layout in layouts:
                if layout in ("b1", "b3"):
                    if why:
                        result["layouts"][layout] = f"fail: {why}"
                        continue
                    batch = int(layout[1:])
                    diff, fail = self.run(artifact, entry, refs[batch], 1,
                                          work, layout)
                else:
                    flag = {"dp2": "--dp", "tp2": "--tp", "pp2": "--pp"}[layout]
                    ranked, _, _, fail = self.compile(
                        model, os.path.join(work, f"{layout}.xf"), [flag, "2"])
                    diff = None
                    if ranked:
                        diff, fail = self.run(ranked, entry, refs[3], 2, work,
                                              layout)
                if diff is not None:
                    diffs.append(diff)
                result["layouts"][layout] = f"fail: {fail}" if fail else "pass"
            result["max_diff"] = max(diffs) if diffs else None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return result


def layouts_of(model):
    layouts = ["b1", "b3", "dp2"]
    if model in TRANSFORMERS:
        layouts += ["tp2", "pp2"]
    return layouts


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exaforge", default=os.path.join(BIN, "exaforge"))
    parser.add_argument("--exaforge-run",
                        default=os.path.join(BIN, "exaforge-run"))
    parser.add_argument("--cache-dir",
                        default=os.path.join(ROOT, "build", "model-zoo"),
                        help="the generator's cache (default: build/model-zoo)")
    parser.add_argument("--full", action="store_true",
                        help="all models, not only the CI subset "
                             f"({', '.join(CI_MODELS)})")
    parser.add_argument("--models", metavar="REGEX",
                        help="only the models whose name matches REGEX")
    parser.add_argument("--expectations", default=DEFAULT_EXPECTATIONS)
    parser.add_argument("--write-expectations", action="store_true",
                        help="record this run's results in --expectations "
                             "(the other entries are kept)")
    parser.add_argument("--report", help="write a JSON report here")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S,
                        help="seconds per compile (default: %(default)s); "
                             f"a run gets at most {RUN_TIMEOUT_S}")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from gen_model_zoo import MODELS  # pylint: disable=import-outside-toplevel
    if args.models:
        models = [m for m in MODELS if re.search(args.models, m)]
    elif args.full:
        models = list(MODELS)
    else:
        models = [m for m in MODELS if m in CI_MODELS]
    if not models:
        print("run_model_zoo.py: error: no model selected", file=sys.stderr)
        return 2
    pattern = "^(" + "|".join(map(re.escape, models)) + ")$"
    start = time.monotonic()
    gen = subprocess.run([sys.executable, GENERATOR, "--cache-dir",
                          args.cache_dir, "--models", pattern],
                         stdout=subprocess.PIPE, text=True, check=False)
    if gen.returncode != 0:
        print(gen.stdout)
        print("run_model_zoo.py: error: the generator failed",
              file=sys.stderr)
        return 2
    print("\n".join(l for l in gen.stdout.splitlines()
                    if l.startswith("[zoo]")))
    zoo_dir = gen.stdout.strip().splitlines()[-1]
    generate_s = time.monotonic() - start
    with open(os.path.join(zoo_dir, "manifest.json")) as f:
        manifest = json.load(f)
    expectations = {}
    if os.path.exists(args.expectations):
        with open(args.expectations) as f:
            expectations = json.load(f)

    zoo = Zoo(args, zoo_dir)
    results = {}
    for key in sorted(manifest["exports"], key=lambda k: (
            models.index(k.split("/")[0]) if k.split("/")[0] in models
            else len(models), k)):
        entry = manifest["exports"][key]
        if entry["model"] not in models:
            continue
        print(f"[zoo] checking {key}", flush=True)
        results[key] = zoo.check(key, entry, layouts_of(entry["model"]))
        results[key]["exporter"] = entry["exporter"]

    regressions, newly_passing, expected_failures, crashes = [], [], [], []
    print(f"\n{'model/export':<40} {'opset':>5} {'compile s':>9} "
          f"{'RSS MiB':>7} {'max diff':>9}  layouts")
    for key, result in results.items():
        cells = []
        for layout, outcome in result["layouts"].items():
            name = f"{key}/{layout}"
            expected = expectations.get(name)
            cells.append(f"{layout}:{'ok' if outcome == 'pass' else 'FAIL'}")
            if outcome.startswith("fail: crash"):
                crashes.append((name, outcome))
            if outcome == "pass":
                if expected is not None and expected != "pass":
                    newly_passing.append(name)
            elif expected is None or expected == "pass":
                regressions.append((name, outcome))
            else:
                expected_failures.append((name, outcome))
        diff = result["max_diff"]
        print(f"{key:<40} {result['opset'] or '-':>5} "
              f"{result.get('compile_s', '-'):>9} "
              f"{result.get('compile_rss_mib', '-'):>7} "
              f"{'-' if diff is None else f'{diff:.2e}':>9}  {' '.join(cells)}")

    if expected_failures:
        print(f"\nexpected failures ({len(expected_failures)}):")
        for name, outcome in expected_failures:
            print(f"  {name}: {outcome[6:]}")
    if newly_passing:
        print(f"\nnewly passing ({len(newly_passing)}; update "
              f"{os.path.relpath(args.expectations, ROOT)} with "
              f"--write-expectations):")
        for name in newly_passing:
            print(f"  {name}")
    if regressions:
        print(f"\nREGRESSIONS ({len(regressions)}):")
        for name, outcome in regressions:
            print(f"  {name}: {outcome}")

    if args.report:
        with open(args.report, "w") as f:
            json.dump({"zoo": zoo_dir, "tolerance": {"rtol": RTOL,
                                                     "atol_of_scale": ATOL},
                       "results": results}, f, indent=1, sort_keys=True)
            f.write("\n")
    if args.write_expectations:
        for key, result in results.items():
            for layout, outcome in result["layouts"].items():
                expectations[f"{key}/{layout}"] = outcome
        with open(args.expectations, "w") as f:
            json.dump(expectations, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"expectations: wrote {args.expectations}")
        regressions = []
    unexpected_crashes = [(n, o) for n, o in crashes
                          if not expectations.get(n, "").startswith(
                              "fail: crash")]

    total = sum(len(r["layouts"]) for r in results.values())
    passed = sum(o == "pass" for r in results.values()
                 for o in r["layouts"].values())
    print(f"\nmodel zoo: {len(results)} exports of {len(models)} models, "
          f"{passed} of {total} layouts pass, {len(expected_failures)} "
          f"expected failures, {len(crashes)} crashes, "
          f"{len(regressions)} regressions ({time.monotonic() - start:.0f} s, "
          f"{generate_s:.0f} s generating)")
    failed = bool(regressions) or bool(unexpected_crashes)
    print(f"{'FAILED' if failed else 'PASSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
