#!/usr/bin/env python3
"""Imports, or compiles and runs, every ONNX backend node test model.

Usage:
  run_node_suite.py [--mode import|run] [--exaforge PATH]
                    [--data-dir DIR | --onnx-wheel-set NAME]
                    [--jobs N] [--timeout S] [--run-threads N]
                    [--baseline FILE] [--report FILE] [--write-baseline]
                    [--tests REGEX]

The models are DIR/*/model.onnx (default: the ONNX 1.12 node tests of the
Debian package libonnx-testdata), each test named by its directory, and
DIR/*.onnx, each named by its file (the layout of the onnx wheel's
`light` zoo classics: NAME.onnx with NAME_output_<i>.pb and no inputs; their
one data set is made as ONNX's backend test runner makes it, each float
input filled with arange(n) / n in its shape, symbolic dimensions 1).
--onnx-wheel-set NAME takes DIR from the installed onnx package:
onnx/backend/test/data/NAME (light, pytorch-converted, pytorch-operator,
simple).

--mode import (the default; ctest onnx-node-suite-import) runs
`exaforge import MODEL` and classifies each model:
  imported     exit status 0
  unsupported  a clean error (see rejected) that says "unsupported op type"
  rejected     any other clean error: exit status 1-127 and stderr made of
               one-line diagnostics "<file>: error: ..." naming the model
               (e.g. an unsupported opset or element type)
  crashed      killed by a signal, exit status >= 128, a timeout (--timeout, 60 s), or
               stderr that is not in the diagnostic form

--mode run (ctest onnx-node-suite-run) imports the model as above, then, in
a temporary directory of its own (removed afterwards),
  exaforge compile DIR/T/model.onnx -o TMP/model.xf
and for each DIR/T/test_data_set_*
  exaforge run TMP/model.xf --input NAME=input_0.pb ... --output-dir TMP/out
binding each input_<i>.pb by the name its TensorProto carries (or, without
one, to the next unbound input in order; the ONNX 1.12 data stores BFLOAT16
inputs as UINT16 bit patterns, such a file is passed as a copy typed
BFLOAT16), with `--threads 1` (--run-threads; the models already run
--jobs at a time), and compares TMP/out/<name>.npy
(<name>: the ONNX output name with every character outside [A-Za-z0-9._-]
replaced by '_') with output_<i>.pb (the i-th graph output). Element types
and shapes must match exactly; integer and bool values exactly; floating
point values within the tolerances of the ONNX backend tests,
|actual - expected| <= atol + rtol * |expected| with rtol = 1e-3 and
atol = 1e-7 (as numpy.testing.assert_allclose: NaN matches NaN, an
infinity only the same infinity). Every step (import, compile, each run)
has --timeout seconds. Classes:
  passed       every data set matches
  failed       compiled and ran, but an output has the wrong element type,
               shape or values (max abs error and first mismatch reported),
               an output file is missing, or `exaforge run` reported a clean
               error
  unsupported  import says "unsupported op type", or compile fails with a
               clean error (e.g. "failed to legalize operation 'graph.xxx'")
  rejected     any other clean import error (e.g. opset < 11)
  crashed      a signal, exit status >= 128, a timeout, an "internal
               compiler error" (exaforge's crash guard) or non-diagnostic
               stderr (even with exit status 0) at import, compile or run

Import mode prints a count per class, the unsupported op types and the
message of every rejected or crashed model. Run mode prints a count per
class, a table of the most common failure reasons (which op type is
unsupported, which graph op failed to legalize, ..., and for how many
models), the compile times, and the message of every failed or crashed
model; the report has every model's message and step times.

Baseline (default test/NodeSuite/baseline.json, {"imported": N, "passed":
M}): exits 1 when a model crashed or fewer models than the baseline of the
mode imported (import) or passed (run). --write-baseline records the current
count of its mode's key only, keeping the other. --report writes every
model's class and message as JSON.
"""

import argparse
import collections
import concurrent.futures
import glob
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
DEFAULT_DATA_DIR = "/usr/share/libonnx-testdata/data/node"
DEFAULT_BASELINE = os.path.join(ROOT, "test", "NodeSuite", "baseline.json")
DEFAULT_EXAFORGE = os.path.join(ROOT, "build", "bin", "exaforge")
TIMEOUT_S = 60
# The tolerances of the ONNX backend tests (onnx/backend/test/runner).
RTOL = 1e-3
ATOL = 1e-7

MODES = {
    # mode: (classes in print order, the class the baseline counts)
    "import": (("imported", "unsupported", "rejected", "crashed"), "imported"),
    "run": (("passed", "failed", "unsupported", "rejected", "crashed"),
            "passed"),
}

DIAGNOSTIC = re.compile(r"^(?P<loc>.+?): (?P<kind>error|warning|note|remark): "
                        r"(?P<message>.*)$")
UNSUPPORTED_OP = re.compile(r"unsupported op type '([^']*)'")
LEGALIZE = re.compile(r"failed to legalize operation '([^']*)'")
NODE_PREFIX = re.compile(r"^node '[^']*': ")
OUTPUT_NAME = re.compile(r"[^A-Za-z0-9._-]")


def first_line(stderr):
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[0] if lines else ""


def check_diagnostics(returncode, stderr, loc_suffix=None,
                      strict_success=False):
    """Returns ("crashed", message) or ("error", first error message) for a
    nonzero exit, or ("ok", "") for exit status 0 (with strict_success,
    only when stderr is empty or diagnostics)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    detail = f": {first}" if first else ""
    if returncode < 0:
        return "crashed", f"killed by signal {-returncode}{detail}"
    if returncode >= 128:
        return "crashed", f"exit status {returncode}{detail}"
    # exaforge's crash guard turns a crash into one diagnostic line.
    if "internal compiler error" in stderr:
        return "crashed", f"exit status {returncode}{detail}"
    if returncode == 0:
        if strict_success and not all(DIAGNOSTIC.match(line)
                                      for line in lines):
            return "crashed", f"exit status 0, but stderr says: {first}"
        return "ok", ""
    if not lines:
        return "crashed", f"exit status {returncode} without a diagnostic"
    match = DIAGNOSTIC.match(first)
    malformed = (match is None or match.group("kind") != "error" or
                 (loc_suffix is not None and
                  not match.group("loc").endswith(loc_suffix)) or
                 not all(DIAGNOSTIC.match(line) for line in lines))
    if malformed:
        return "crashed", (f"exit status {returncode}, malformed diagnostic: "
                           f"{first}")
    return "error", match.group("message")


def classify(returncode, stderr, model):
    """Returns (class, message) for one import."""
    kind, message = check_diagnostics(returncode, stderr,
                                      os.path.basename(model))
    if kind == "ok":
        return "imported", ""
    if kind == "crashed":
        return "crashed", message
    if UNSUPPORTED_OP.search(stderr):
        return "unsupported", message
    return "rejected", message


def execute(command, timeout, preexec_fn=None):
    """Runs command; returns (returncode or None on timeout, stderr, s).
    On a timeout the command's whole process group is killed. preexec_fn
    runs in the child before the command (e.g. to set a resource limit)."""
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=preexec_fn)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        return None, "", time.monotonic() - start
    return (proc.returncode, stderr.decode("utf-8", errors="replace"),
            time.monotonic() - start)


def import_model(exaforge, model, timeout=TIMEOUT_S):
    returncode, stderr, seconds = execute([exaforge, "import", model], timeout)
    if returncode is None:
        return "crashed", f"timed out after {timeout:g} s", seconds
    cls, message = classify(returncode, stderr, model)
    return cls, message, seconds


def reason_of(cls, message):
    """A short key grouping failures by cause: the op type or graph op."""
    match = UNSUPPORTED_OP.search(message)
    if match:
        return f"unsupported op type '{match.group(1)}'"
    match = LEGALIZE.search(message)
    if match:
        return f"failed to legalize '{match.group(1)}'"
    message = NODE_PREFIX.sub("", message)
    # "opset 7 of the default domain is not supported" for any opset.
    message = re.sub(r"^opset \d+ ", "opset N ", message)
    if cls == "failed":
        # "data set 0: output 'y': wrong values (...)" -> "wrong values"
        match = re.search(r"(wrong \w+|missing output|run error|"
                          r"cannot compare|cannot read)", message)
        return match.group(1) if match else message
    if cls == "crashed":
        stage = message.split(":", 1)[0]
        if "timed out" in message:
            return f"{stage}: timed out"
        match = re.search(r"(killed by signal \d+|exit status \d+)", message)
        return f"{stage}: {match.group(1)}" if match else stage
    # Drop node names and quoted operands so that similar errors group.
    return re.sub(r"'[^']*'", "'…'", message)[:100]


# ---------------------------------------------------------------------------
# Run mode
# ---------------------------------------------------------------------------

def output_file_name(name):
    """The file `exaforge run --output-dir` writes for an output name."""
    return OUTPUT_NAME.sub("_", name or "output") + ".npy"


def show(value):
    """One element, without numpy's type decoration."""
    value = value.item()
    return f"{value:.8g}" if isinstance(value, float) else repr(value)


def compare(name, actual, expected):
    """Returns None when actual matches expected, else why not."""
    import numpy as np
    if actual.dtype != expected.dtype:
        return (f"output '{name}': wrong dtype {actual.dtype}, expected "
                f"{expected.dtype}")
    if actual.shape != expected.shape:
        return (f"output '{name}': wrong shape {list(actual.shape)}, "
                f"expected {list(expected.shape)}")
    if expected.size == 0:
        return None
    if np.issubdtype(expected.dtype, np.floating) or \
            np.issubdtype(expected.dtype, np.complexfloating):
        a = actual.astype(np.float64)
        e = expected.astype(np.float64)
        both_nan = np.isnan(a) & np.isnan(e)
        finite = np.isfinite(a) & np.isfinite(e)
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(a - e)
            # An infinity matches only the same infinity.
            ok = (finite & (diff <= ATOL + RTOL * np.abs(e))) | both_nan | \
                (~finite & (a == e))
        bad = ~ok
        if not bad.any():
            return None
        bad_diff = diff[bad]
        max_err = (f"{np.nanmax(bad_diff):.6g}"
                   if not np.isnan(bad_diff).all() else "nan")
        tolerance = f" (rtol {RTOL:g}, atol {ATOL:g})"
    else:
        bad = actual != expected
        if not bad.any():
            return None
        with np.errstate(over="ignore"):
            diff = np.abs(actual.astype(np.float64) -
                          expected.astype(np.float64))
        max_err = f"{diff[bad].max():.6g}"
        tolerance = " (exact)"
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = list(index) if index else "[]"
    return (f"output '{name}': wrong values{tolerance}: "
            f"{int(bad.sum())} of {expected.size} differ, max abs error "
            f"{max_err}, first at {where}: {show(actual[index])} vs "
            f"expected {show(expected[index])}")


def value_info_kind(value_info):
    """'tensor', 'sequence', 'optional', ... of a graph input or output."""
    kind = value_info.type.WhichOneof("value")
    return (kind or "?").replace("_type", "")


def input_arguments(graph_inputs, data_set, work):
    """The --input arguments for the input_<i>.pb files of a data set.

    The ONNX 1.12 test data stores BFLOAT16 tensors as UINT16 (their bit
    patterns); such a file for a BFLOAT16 input is rewritten into work/ with
    its element type corrected."""
    import onnx
    files = sorted(glob.glob(os.path.join(data_set, "input_*.pb")),
                   key=lambda p: int(re.search(r"(\d+)\.pb$", p).group(1)))
    names = {vi.name for vi in graph_inputs}
    arguments = []
    for i, path in enumerate(files):
        name = ""
        if i < len(graph_inputs) and \
                value_info_kind(graph_inputs[i]) == "tensor":
            try:
                tensor = onnx.load_tensor(path)
            except Exception:  # pylint: disable=broad-except
                tensor = None
            if tensor is not None:
                name = tensor.name
                declared = graph_inputs[i].type.tensor_type.elem_type
                if declared == onnx.TensorProto.BFLOAT16 and \
                        tensor.data_type == onnx.TensorProto.UINT16:
                    tensor.data_type = onnx.TensorProto.BFLOAT16
                    path = os.path.join(
                        work, f"{os.path.basename(data_set)}-input_{i}.pb")
                    onnx.save_tensor(tensor, path)
        if name and name in names and "=" not in name:
            arguments.append(f"{name}={path}")
        else:
            arguments.append(path)
    return arguments


def load_value(path, kind):
    """A value stored as ONNX protobuf: a numpy array for a tensor, a list
    of arrays for a sequence, for an optional what it holds or None."""
    import onnx
    from onnx import numpy_helper
    if kind == "tensor":
        return numpy_helper.to_array(onnx.load_tensor(path))
    with open(path, "rb") as f:
        data = f.read()
    if kind == "sequence":
        proto = onnx.SequenceProto()
        proto.ParseFromString(data)
        return [numpy_helper.to_array(t) for t in proto.tensor_values]
    if kind == "optional":
        proto = onnx.OptionalProto()
        proto.ParseFromString(data)
        if proto.HasField("tensor_value"):
            return numpy_helper.to_array(proto.tensor_value)
        if proto.HasField("sequence_value"):
            return [numpy_helper.to_array(t)
                    for t in proto.sequence_value.tensor_values]
        return None
    raise ValueError(f"cannot read a {kind}")


def expected_outputs(data_set, graph_outputs):
    files = sorted(glob.glob(os.path.join(data_set, "output_*.pb")),
                   key=lambda p: int(re.search(r"(\d+)\.pb$", p).group(1)))
    kinds = [value_info_kind(vi) for vi in graph_outputs]
    kinds += ["tensor"] * (len(files) - len(kinds))
    return [load_value(path, kind) for path, kind in zip(files, kinds)]


def compare_value(name, got, want):
    """compare() for tensors, element by element for sequences; None when
    equal."""
    if isinstance(want, list) or isinstance(got, list):
        if not isinstance(want, list) or not isinstance(got, list):
            return f"output '{name}': a sequence and a tensor"
        if len(got) != len(want):
            return (f"output '{name}': {len(got)} tensors, expected "
                    f"{len(want)}")
        for i, (g, w) in enumerate(zip(got, want)):
            why = compare(f"{name}[{i}]", g, w)
            if why:
                return why
        return None
    if want is None or got is None:
        if want is None and got is None:
            return None
        return (f"output '{name}': "
                f"{'empty' if got is None else 'a value'}, expected "
                f"{'empty' if want is None else 'a value'}")
    return compare(name, got, want)


def check_data_set(graph_outputs, data_set, out_dir):
    """Returns None when every output in out_dir matches, else why not."""
    import numpy as np
    label = os.path.basename(data_set)
    for i, value_info in enumerate(graph_outputs):
        kind = value_info_kind(value_info)
        if kind not in ("tensor", "sequence", "optional"):
            return (f"{label}: output '{value_info.name}': cannot compare a "
                    f"{kind} output")
    try:
        expected = expected_outputs(data_set, graph_outputs)
    except Exception as err:  # pylint: disable=broad-except
        return f"{label}: cannot read the expected outputs: {err}"
    if len(expected) != len(graph_outputs):
        return (f"{label}: cannot compare: {len(expected)} output_*.pb for "
                f"{len(graph_outputs)} graph outputs")
    for value_info, want in zip(graph_outputs, expected):
        kind = value_info_kind(value_info)
        path = os.path.join(out_dir, output_file_name(value_info.name))
        if kind != "tensor":
            # `exaforge run` writes sequences and optionals as ONNX protos.
            path = path[:-len(".npy")] + ".pb"
        if not os.path.exists(path):
            return (f"{label}: missing output '{value_info.name}' "
                    f"({os.path.basename(path)})")
        try:
            got = (np.load(path, allow_pickle=False) if kind == "tensor"
                   else load_value(path, kind))
        except Exception as err:  # pylint: disable=broad-except
            return f"{label}: cannot read {os.path.basename(path)}: {err}"
        why = compare_value(value_info.name, got, want)
        if why:
            return f"{label}: {why}"
    return None


def test_name(model):
    """A test's name: its directory (DIR/T/model.onnx) or its file
    (DIR/T.onnx)."""
    if os.path.basename(model) == "model.onnx":
        return os.path.basename(os.path.dirname(model))
    return os.path.splitext(os.path.basename(model))[0]


def make_light_data_set(model, graph, work):
    """Makes the data set of a DIR/NAME.onnx model in work/ as ONNX's
    backend test runner does for its `light` models: input_<i>.pb filled
    with arange(n) / n (float32; symbolic dimensions 1), output_<i>.pb
    copied from DIR/NAME_output_<i>.pb. Returns its directory."""
    import numpy as np
    from onnx import TensorProto, numpy_helper
    data_set = os.path.join(work, "test_data_set_0")
    os.makedirs(data_set, exist_ok=True)
    initializers = {init.name for init in graph.initializer}
    inputs = [vi for vi in graph.input if vi.name not in initializers]
    for i, value_info in enumerate(inputs):
        tensor_type = value_info.type.tensor_type
        if tensor_type.elem_type != TensorProto.FLOAT:
            raise ValueError(f"input '{value_info.name}' is not float")
        shape = tuple(d.dim_value if d.HasField("dim_value") else 1
                      for d in tensor_type.shape.dim)
        n = int(np.prod(shape))
        value = (np.arange(n).reshape(shape) / n).astype(np.float32)
        tensor = numpy_helper.from_array(value, value_info.name)
        with open(os.path.join(data_set, f"input_{i}.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    prefix = os.path.splitext(model)[0]
    for i in range(len(graph.output)):
        shutil.copy(f"{prefix}_output_{i}.pb",
                    os.path.join(data_set, f"output_{i}.pb"))
    return data_set


def run_model(exaforge, model, timeout, run_threads, tmp_root):
    """Imports, compiles and runs one model; returns a result dict."""
    import onnx
    seconds = {}
    result = {"seconds": seconds}

    work = None

    def done(cls, message, stage):
        if work:  # The temporary directory is gone afterwards.
            message = message.replace(work, "TMP")
        result.update({"class": cls, "message": message, "stage": stage})
        return result

    cls, message, seconds["import"] = import_model(exaforge, model, timeout)
    if cls != "imported":
        return done(cls, message, "import")

    work = tempfile.mkdtemp(prefix="xf-node-", dir=tmp_root)
    try:
        artifact = os.path.join(work, "model.xf")
        returncode, stderr, seconds["compile"] = execute(
            [exaforge, "compile", model, "-o", artifact], timeout)
        if returncode is None:
            return done("crashed", f"compile: timed out after {timeout:g} s",
                        "compile")
        kind, message = check_diagnostics(returncode, stderr,
                                          os.path.basename(model),
                                          strict_success=True)
        if kind == "crashed":
            return done("crashed", f"compile: {message}", "compile")
        if kind == "error":
            return done("unsupported", message, "compile")

        graph = onnx.load(model, load_external_data=False).graph
        initializers = {init.name for init in graph.initializer}
        graph_inputs = [vi for vi in graph.input if vi.name not in initializers]
        if os.path.basename(model) == "model.onnx":
            data_sets = sorted(glob.glob(os.path.join(os.path.dirname(model),
                                                      "test_data_set_*")))
        else:
            data_sets = [make_light_data_set(model, graph, work)]
        if not data_sets:
            return done("failed", "no test_data_set_* directory", "run")
        seconds["run"] = 0.0
        for data_set in data_sets:
            label = os.path.basename(data_set)
            out_dir = os.path.join(work, "out-" + label)
            command = [exaforge, "run", artifact, "--output-dir", out_dir]
            if run_threads is not None:
                command += ["--threads", str(run_threads)]
            for argument in input_arguments(graph_inputs, data_set, work):
                command += ["--input", argument]
            returncode, stderr, elapsed = execute(command, timeout)
            seconds["run"] += elapsed
            if returncode is None:
                return done("crashed", f"run: {label}: timed out after "
                            f"{timeout:g} s", "run")
            kind, message = check_diagnostics(returncode, stderr,
                                              strict_success=True)
            if kind == "crashed":
                return done("crashed", f"run: {label}: {message}", "run")
            if kind == "error":
                return done("failed", f"{label}: run error: {message}", "run")
            why = check_data_set(graph.output, data_set, out_dir)
            if why:
                return done("failed", why, "run")
        return done("passed", "", "run")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------

def read_baseline(path):
    """The baseline's counts ({} without a baseline file)."""
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return {key: int(value) for key, value in data.items()}
    except (OSError, ValueError, TypeError) as err:
        raise SystemExit(f"run_node_suite.py: error: bad baseline '{path}' "
                         f"(expected {{\"imported\": N, \"passed\": M}}): "
                         f"{err}")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Import (or compile and run) every ONNX node test model "
                    "with exaforge and classify the outcomes.")
    parser.add_argument("--mode", choices=sorted(MODES), default="import",
                        help="import: `exaforge import` only; run: import, "
                             "compile, run every test data set and compare "
                             "(default: %(default)s)")
    parser.add_argument("--exaforge", default=DEFAULT_EXAFORGE,
                        help="the exaforge binary (default: build/bin/exaforge)")
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR,
                        help="directory of <test>/model.onnx "
                             f"(default: {DEFAULT_DATA_DIR})")
    parser.add_argument("--onnx-wheel-set", metavar="NAME",
                        help="use the installed onnx package's test set "
                             "onnx/backend/test/data/NAME as --data-dir")
    parser.add_argument("--tests", metavar="REGEX",
                        help="only the tests whose name matches REGEX "
                             "(re.search; for debugging, the baseline check "
                             "is skipped)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="models in parallel (default: the number of "
                             "CPUs, %(default)s)")
    parser.add_argument("--run-threads", type=int, default=1,
                        help="`exaforge run --threads` (default: %(default)s, "
                             "since --jobs runs models in parallel; 0: all "
                             "cores)")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help='JSON file {"imported": N, "passed": M}: fail '
                             "when fewer models import (import mode) or pass "
                             '(run mode) ("" for none; default: '
                             "%(default)s)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S,
                        help="seconds per step: import, compile, each run "
                             "(default: %(default)s)")
    parser.add_argument("--tmp-dir", default=None,
                        help="where the per-model temporary directories go "
                             "(default: $TMPDIR or /tmp)")
    parser.add_argument("--report", help="write a JSON report here")
    parser.add_argument("--write-baseline", action="store_true",
                        help="write this mode's count (imported or passed) "
                             "to --baseline, keeping the other")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be positive")
    if args.run_threads < 0:
        parser.error("--run-threads must be 0 (all cores) or positive")
    if args.write_baseline and args.tests:
        parser.error("--write-baseline needs the whole suite, not --tests")
    return args


def main(argv=None):
    args = parse_args(argv)
    classes, counted = MODES[args.mode]
    if args.onnx_wheel_set:
        try:
            import onnx  # pylint: disable=import-outside-toplevel
        except ImportError as err:
            print(f"run_node_suite.py: error: --onnx-wheel-set needs the "
                  f"onnx package ({err}); use .venv/bin/python",
                  file=sys.stderr)
            return 2
        args.data_dir = os.path.join(os.path.dirname(onnx.__file__),
                                     "backend", "test", "data",
                                     args.onnx_wheel_set)
    models = sorted(glob.glob(os.path.join(args.data_dir, "*", "model.onnx")) +
                    glob.glob(os.path.join(args.data_dir, "*.onnx")))
    if not models:
        print(f"run_node_suite.py: error: no */model.onnx under "
              f"'{args.data_dir}' (install libonnx-testdata)", file=sys.stderr)
        return 2
    if args.tests:
        pattern = re.compile(args.tests)
        models = [m for m in models if pattern.search(test_name(m))]
        if not models:
            print(f"run_node_suite.py: error: no test matches "
                  f"'{args.tests}'", file=sys.stderr)
            return 2
    if not os.access(args.exaforge, os.X_OK):
        print(f"run_node_suite.py: error: '{args.exaforge}' is not an "
              f"executable (build it with utils/build.sh)", file=sys.stderr)
        return 2
    if args.mode == "run":
        try:
            import numpy  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
            import onnx  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
        except ImportError as err:
            print(f"run_node_suite.py: error: --mode run needs numpy and "
                  f"onnx ({err}); use .venv/bin/python", file=sys.stderr)
            return 2

    baselines = read_baseline(args.baseline)
    baseline = None if args.write_baseline or args.tests else \
        baselines.get(counted)

    def one(model):
        if args.mode == "import":
            cls, message, seconds = import_model(args.exaforge, model,
                                                 args.timeout)
            return {"class": cls, "message": message,
                    "seconds": round(seconds, 3)}
        threads = None if args.run_threads == 0 else args.run_threads
        try:
            result = run_model(args.exaforge, model, args.timeout, threads,
                               args.tmp_dir)
        except Exception as err:  # pylint: disable=broad-except
            # A bug of this script, or an unreadable test: report, go on.
            result = {"class": "crashed", "stage": "script", "seconds": {},
                      "message": f"run_node_suite.py: {type(err).__name__}: "
                                 f"{err}"}
        result["seconds"] = {k: round(v, 3)
                             for k, v in result["seconds"].items()}
        return result

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(one, models))
    elapsed = time.monotonic() - start

    results = {}
    by_class = collections.defaultdict(list)
    unsupported_ops = collections.Counter()
    reasons = collections.Counter()
    reason_models = collections.defaultdict(list)
    for model, result in zip(models, outcomes):
        test = test_name(model)
        cls, message = result["class"], result["message"]
        results[test] = result
        by_class[cls].append(test)
        if cls == "unsupported":
            op = UNSUPPORTED_OP.search(message)
            if op or args.mode == "import":
                unsupported_ops[op.group(1) if op else "?"] += 1
        if cls not in ("imported", "passed"):
            reason = f"{cls}: {reason_of(cls, message)}"
            result["reason"] = reason
            reasons[reason] += 1
            reason_models[reason].append(test)
    counts = {cls: len(by_class[cls]) for cls in classes}

    print(f"ONNX node suite ({args.mode}): {len(models)} models in "
          f"{args.data_dir} ({elapsed:.1f} s, {args.jobs} jobs)")
    for cls in classes:
        print(f"  {cls:<12} {counts[cls]:>5}  "
              f"{100.0 * counts[cls] / len(models):5.1f} %")
    if unsupported_ops:
        ops = ", ".join(f"{op} ({n})" if n > 1 else op
                        for op, n in sorted(unsupported_ops.items(),
                                            key=lambda kv: (-kv[1], kv[0])))
        print(f"unsupported op types ({len(unsupported_ops)}): {ops}")
    if args.mode == "run":
        top = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        print(f"most common failure reasons ({len(reasons)} distinct):")
        print(f"  {'models':>6}  reason (e.g.)")
        for reason, n in top[:25]:
            print(f"  {n:>6}  {reason} ({reason_models[reason][0]})")
        if len(top) > 25:
            rest = sum(n for _, n in top[25:])
            print(f"  {rest:>6}  ({len(top) - 25} other reasons)")
        by_stage = collections.Counter(
            r["reason"] for r in results.values()
            if r.get("stage") == "compile" and "reason" in r)
        if by_stage:
            print(f"compile failures ({sum(by_stage.values())} models, "
                  f"{len(by_stage)} reasons):")
            for reason, n in sorted(by_stage.items(),
                                    key=lambda kv: (-kv[1], kv[0])):
                example = next(t for t in reason_models[reason]
                               if results[t].get("stage") == "compile")
                print(f"  {n:>6}  {reason} ({example})")
        compile_times = sorted(
            ((r["seconds"]["compile"], t) for t, r in results.items()
             if "compile" in r["seconds"]), reverse=True)
        if compile_times:
            total = sum(s for s, _ in compile_times)
            slowest = ", ".join(f"{t} {s:.1f} s" for s, t in compile_times[:5])
            print(f"compile: {len(compile_times)} models, {total:.1f} s in "
                  f"all, mean {total / len(compile_times):.2f} s; slowest: "
                  f"{slowest}")
    # Run mode leaves the rejected models to the table (and the import
    # mode's list).
    listed = ("rejected", "crashed") if args.mode == "import" else \
        ("failed", "crashed")
    for cls in listed:
        if by_class[cls]:
            print(f"{cls}:")
            for test in by_class[cls]:
                print(f"  {test}: {results[test]['message']}")

    if args.report:
        report = {"mode": args.mode, "data_dir": args.data_dir,
                  "counts": counts, "seconds": round(elapsed, 1),
                  "jobs": args.jobs, "unsupported_ops": dict(unsupported_ops),
                  "models": results}
        if args.mode == "run":
            report["tolerance"] = {"rtol": RTOL, "atol": ATOL}
            report["reasons"] = dict(reasons)
        with open(args.report, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"report: {args.report}")

    if args.write_baseline and args.baseline:
        baselines = read_baseline(args.baseline)
        baselines[counted] = counts[counted]
        with open(args.baseline, "w") as f:
            json.dump(baselines, f)
            f.write("\n")
        print(f"baseline: wrote {counted} = {counts[counted]} to "
              f"{args.baseline}")
        baseline = counts[counted]

    failed = False
    tool = "the importer" if args.mode == "import" else "exaforge"
    if counts["crashed"]:
        print(f"FAIL: {counts['crashed']} models crashed {tool}")
        failed = True
    if baseline is not None:
        if counts[counted] < baseline:
            print(f"FAIL: {counts[counted]} models {counted}, fewer than "
                  f"the baseline {baseline} ({args.baseline})")
            failed = True
        elif counts[counted] > baseline:
            print(f"note: {counts[counted]} models {counted}, more than the "
                  f"baseline {baseline}; raise it with --write-baseline "
                  f"--mode {args.mode}")
    if args.tests:
        against = "--tests, no baseline"
    elif baseline is None:
        against = f"no '{counted}' baseline"
    else:
        against = f"baseline {baseline}"
    print(f"{'FAILED' if failed else 'PASSED'}: {counts[counted]} {counted}, "
          f"{counts['crashed']} crashed ({against})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
