"""The device side of the check: `bash DIR/run.sh` (or `python3 -m
gpu_check.run DIR` with DIR on PYTHONPATH).

First a GEMM: Exaforge's f32 (tf32, bf16) MatMul against torch's f32 and bf16
(cuBLAS). Then, for each model of DIR/check.json: writes the generated
ones again (and checks they are the prepared files), rebuilds the weights,
draws the inputs, runs the artifact through libexaforge_runtime.so
(xf_runtime), compares its outputs with onnxruntime's (those of the first
run and of the last timed one), and times it
against the same ONNX graph run as torch ops (onnx_torch), eager and under
torch.compile, on the same device at f32 (TF32 off). Prints each line as
it comes, then one table.

Exit status: 0 when every model ran within tolerance, 1 when one did not
or failed, 3 when a CUDA folder meets no usable GPU (no /dev/nvidia*, no
CUDA in torch, or the runtime cannot open a CUDA artifact): the GPU
execution is then unverified.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np

from gpu_check import (cuda_libraries, inputs, packing, timing, weights,
                       xf_runtime)

NO_GPU = 3


def say(message):
    print(f"[gpu-check] {message}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Run the device check.")
    parser.add_argument("folder", help="the folder `--prepare` filled")
    parser.add_argument("--models", help="comma-separated names to run "
                                         "(default: all that were prepared)")
    parser.add_argument("--no-torch-compile", action="store_true",
                        help="leave out torch.compile")
    parser.add_argument("--time-budget", type=float, default=420.0,
                        help="seconds after which torch.compile is left "
                             "out of the remaining models (default 420); "
                             "30 s later, the remaining models are not run")
    return parser.parse_args(argv)


def ensure_environment(folder):
    """Re-executes this process, unless done, with FOLDER/lib on
    LD_LIBRARY_PATH (which the dynamic linker reads at start only) and
    OMP_WAIT_POLICY=PASSIVE (unless set): the process holds two OpenMP
    runtimes, the runtime's libgomp and torch's own, and threads of one
    that spin while waiting slow the other's down several times."""
    lib = os.path.join(folder, "lib")
    paths = os.environ.get("LD_LIBRARY_PATH", "").split(":")
    if lib in paths and "OMP_WAIT_POLICY" in os.environ:
        return
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = ":".join([lib] + [p for p in paths if p])
    env["PYTHONPATH"] = ":".join(
        [folder] + [p for p in env.get("PYTHONPATH", "").split(":") if p])
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.execve(sys.executable, [sys.executable, "-m", "gpu_check.run",
                               *sys.argv[1:]], env)


def choose_device(check):
    """'cuda' or 'cpu' for the torch baselines; exits with NO_GPU when a
    CUDA folder finds no GPU."""
    import torch
    if check["target"] == "cpu":
        return "cpu"
    # A driver library named by EXAFORGE_CUDA_DRIVER (the runtime tests'
    # fake one, which runs no kernel) needs no GPU: torch then runs on the
    # CPU, and only the harness is tested.
    driver = os.environ.get("EXAFORGE_CUDA_DRIVER")
    if not driver and not glob.glob("/dev/nvidia*"):
        say("no NVIDIA GPU here (no /dev/nvidia*): the CUDA artifacts "
            "cannot run; GPU execution is unverified")
        sys.exit(NO_GPU)
    if not torch.cuda.is_available():
        if driver:
            say(f"the runtime's CUDA driver is {driver} "
                "(EXAFORGE_CUDA_DRIVER); torch runs on the CPU")
            return "cpu"
        say("torch sees no CUDA device although /dev/nvidia* exists: "
            "GPU execution is unverified")
        sys.exit(NO_GPU)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    return "cuda"


class NoGpu(Exception):
    """The first CUDA artifact of the check could not be opened."""


def first_open(runtime, check, artifact):
    """Opens `artifact`; when it is the first of a CUDA folder and fails,
    raises NoGpu (the runtime cannot use a GPU here), else XfError."""
    try:
        session = runtime.open(artifact)
    except xf_runtime.XfError as error:
        if check["target"] == "cuda" and runtime.opened == 0:
            raise NoGpu(str(error)) from error
        raise
    runtime.opened += 1
    return session


class Row:
    """One model's line of the table."""

    def __init__(self, name, batch):
        self.name = name
        self.batch = batch
        self.max_diff = None
        self.within = None
        self.torch_diff = None
        self.exaforge_ms = None
        self.eager_ms = None
        self.compiled_ms = None
        self.compile_s = None
        self.note = ""

    @property
    def ok(self):
        return bool(self.within) and not self.note.startswith("FAILED")


def compare(got, want, tolerance):
    """(max |got - want|, within tolerance) for one output."""
    got = np.asarray(got, np.float64)
    want = np.asarray(want, np.float64)
    if got.shape != want.shape:
        return float("inf"), False
    diff = np.abs(got - want)
    scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1.0)
    bound = tolerance["rtol"] * np.abs(want) + \
        tolerance["atol_of_scale"] * scale
    within = bool(np.all(np.isfinite(got)) and np.all(diff <= bound))
    return (float(diff.max()) if diff.size else 0.0), within


def compare_all(outputs, reference, tolerance):
    """The largest difference over the outputs (name → array) and whether
    all are within tolerance."""
    worst, within = 0.0, True
    for name, want in reference.items():
        diff, ok = compare(outputs[name], want, tolerance)
        worst, within = max(worst, diff), within and ok
    return worst, within


def load_model(folder, record):
    """The ONNX model of `record`: written again by the generator for a
    generated model (its SHA-256 checked), else the carried file."""
    import onnx
    path = os.path.join(folder, record["onnx"])
    generate = record.get("generate")
    if generate and not os.path.exists(path):
        subprocess.run([sys.executable,
                        os.path.join(folder, "gen_example_models.py"),
                        "--out-dir", os.path.dirname(path),
                        *generate["args"]], check=True,
                       stdout=subprocess.DEVNULL)
    if generate and weights.file_sha256(path) != generate["sha256"]:
        raise ValueError("the model written here differs from the prepared "
                         "one (other numpy or onnx versions?)")
    return path, onnx.load(path)


def reference_outputs(folder, record, onnx_path, feeds):
    """onnxruntime's outputs: carried, or computed here (CPU)."""
    if record["reference"]:
        return dict(np.load(os.path.join(folder, record["reference"])))
    import onnxruntime as ort
    session = ort.InferenceSession(onnx_path,
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds)))


def torch_baselines(row, model, feeds, reference, device, tolerance,
                    with_compile):
    """Times the ONNX graph as torch ops, eager and compiled; like the C
    API's runs, each call copies the inputs to the device and the outputs
    back."""
    import torch
    from gpu_check.onnx_torch import OnnxTorch
    executor = OnnxTorch(model, feeds, device)
    names = executor.input_names
    host = [torch.from_numpy(np.ascontiguousarray(feeds[n])) for n in names]
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def call(function):
        def run():
            with torch.inference_mode():
                outputs = function(*(x.to(device) for x in host))
                return [o.cpu() for o in outputs]
        return run

    eager = call(executor.forward)
    got = dict(zip(executor.output_names, (o.numpy() for o in eager())))
    row.torch_diff, within = compare_all(got, reference, tolerance)
    if not within:
        # The baseline computes something else: its times are suspect.
        row.note = (row.note + "; " if row.note else "") + \
            "torch outside tolerance"
    row.eager_ms = timing.measure(eager, sync)
    if not with_compile:
        return
    compiled = call(torch.compile(executor.forward))
    start = time.perf_counter()
    compiled()
    sync()
    row.compile_s = time.perf_counter() - start
    row.compiled_ms = timing.measure(compiled, sync)


def check_model(folder, check, record, runtime, device, with_compile):
    """Runs one model; returns its Row (failures are in its note)."""
    row = Row(record["name"], record["batch"])
    tolerance = check["tolerance"]
    try:
        onnx_path, model = load_model(folder, record)
        artifact = os.path.join(folder, record["artifact"])
        if not os.path.exists(os.path.join(artifact, "weights.bin")):
            weights.rebuild(artifact, model)
        feeds = inputs.make(record["inputs"], record["seed"])
        if inputs.digest(feeds) != record["inputs_sha256"]:
            raise ValueError("the inputs drawn here differ from the "
                             "prepared ones (another numpy?)")
        reference = reference_outputs(folder, record, onnx_path, feeds)
    except Exception as error:  # noqa: BLE001 (any failure is reported)
        row.note = f"FAILED to prepare: {error}"
        return row
    try:
        session = first_open(runtime, check, artifact)
        try:
            outputs = session.run(feeds)
            got = {info.name: value
                   for info, value in zip(session.outputs, outputs)}
            row.max_diff, row.within = compare_all(got, reference,
                                                   tolerance)
            into = [np.empty_like(o) for o in outputs]
            row.exaforge_ms = timing.measure(session.runner_into(feeds,
                                                                 into))
            # The last timed run's outputs count too: a run after many
            # others, on the buffers they freed, must give the same values.
            again = {info.name: value
                     for info, value in zip(session.outputs, into)}
            diff, within = compare_all(again, reference, tolerance)
            row.max_diff = max(row.max_diff, diff)
            row.within = row.within and within
        finally:
            session.close()
    except xf_runtime.XfError as error:
        row.note = f"FAILED (exaforge): {error}"
    try:
        torch_baselines(row, model, feeds, reference, device, tolerance,
                        with_compile)
        if not with_compile:
            row.note = (row.note + "; " if row.note else "") + \
                "torch.compile left out"
    except Exception as error:  # noqa: BLE001 (a baseline's failure)
        row.note = (row.note + "; " if row.note else "") + \
            f"torch: {type(error).__name__}: {error}"
    if device == "cuda":
        import torch
        torch.cuda.empty_cache()
    return row


def check_gemm(folder, gemm, runtime, device):
    """Exaforge's GEMM (each precision it was compiled for: f32, and tf32
    and bf16 for a GPU) against torch's f32, tf32 and bf16: a dict with one entry
    per measurement ({"tflops", "ms", "rel_diff" or "error"}) and "size".
    Differences are against torch's f32 product, relative to its largest
    magnitude."""
    import torch
    size = gemm["size"]
    feeds = inputs.make([inputs.spec(n, "float32", [size, size], "normal")
                         for n in ("a", "b")], gemm["seed"])
    flops = 2.0 * size ** 3
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    a, b = (torch.from_numpy(feeds[n]).to(device) for n in ("a", "b"))
    want = (a @ b).cpu().numpy()
    scale = max(float(np.abs(want).max()), 1.0)
    result = {"size": size}

    def record(key, ms, got=None):
        result[key] = {"ms": ms, "tflops": flops / (ms * 1e-3) / 1e12}
        if got is not None:
            result[key]["rel_diff"] = float(np.abs(got - want).max()) / scale

    record("torch f32", timing.measure(lambda: a @ b, sync))
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        record("torch tf32", timing.measure(lambda: a @ b, sync),
               (a @ b).cpu().numpy())
        torch.backends.cuda.matmul.allow_tf32 = False
    a16, b16 = a.bfloat16(), b.bfloat16()
    record("torch bf16", timing.measure(lambda: a16 @ b16, sync),
           (a16 @ b16).float().cpu().numpy())
    for precision, artifact in gemm["artifacts"].items():
        key = f"exaforge {precision}"
        try:
            session = runtime.open(os.path.join(folder, artifact))
            try:
                got = session.run(feeds)[0]
                record(key, timing.measure(
                    session.runner_into(feeds, [np.empty_like(got)]),
                    warmup=1, min_runs=3, max_seconds=5.0), got)
            finally:
                session.close()
        except xf_runtime.XfError as error:
            result[key] = {"error": str(error)}
    return result


def _number(value, digits=3):
    return "-" if value is None else f"{value:.{digits}g}"


def _ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.2f}x"


def format_row(row):
    """A model's line of the table."""
    ok = "-" if row.within is None else ("yes" if row.within else "NO")
    return (f"{row.name:20s} {row.batch:5d} {_number(row.max_diff):>10s} "
            f"{ok:>3s} {_number(row.torch_diff):>9s} "
            f"{_number(row.exaforge_ms):>11s} {_number(row.eager_ms):>9s} "
            f"{_number(row.compiled_ms):>11s} "
            f"{_ratio(row.exaforge_ms, row.eager_ms):>8s} "
            f"{_ratio(row.exaforge_ms, row.compiled_ms):>11s}"
            + (f"  {row.note}" if row.note else ""))


def format_gemm(gemm):
    """The GEMM's line of the table: TFLOP/s, and in parentheses the
    largest difference from torch's f32 product relative to its largest
    magnitude."""
    n = gemm["size"]
    parts = []
    for key, value in gemm.items():
        if key == "size":
            continue
        if "error" in value:
            parts.append(f"{key} FAILED: {value['error']}")
            continue
        text = f"{key} {_number(value['tflops'])}"
        if "rel_diff" in value:
            text += f" (max|diff| {_number(value['rel_diff'], 2)})"
        parts.append(text)
    return f"GEMM {n}x{n}x{n} TFLOP/s: " + ", ".join(parts)


def print_table(check, device, rows, gemm):
    """Prints the one table of the check."""
    tolerance = check["tolerance"]
    print()
    print(f"Exaforge device check: target {check['target']}"
          f"{' ' + check['gpu_arch'] if check['gpu_arch'] else ''}, "
          f"torch on {device}, f32 (TF32 off)")
    header = (f"{'model':20s} {'batch':>5s} {'max|diff|':>10s} {'ok':>3s} "
              f"{'torch|d|':>9s} {'exaforge ms':>11s} {'eager ms':>9s} "
              f"{'compiled ms':>11s} {'xf/eager':>8s} {'xf/compiled':>11s}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(format_row(row))
    if gemm:
        print(format_gemm(gemm))
    compiled = [r.compile_s for r in rows if r.compile_s is not None]
    print(f"max|diff|: Exaforge against onnxruntime (CPU); ok: every "
          f"element within {tolerance['rtol']:g} * |ort| + "
          f"{tolerance['atol_of_scale']:g} * max(max |ort|, 1); torch|d|: "
          "the torch executor's own difference.")
    print("Latencies: median per run; Exaforge through the C API with host "
          "buffers, PyTorch (the ONNX graph as torch ops) with the same "
          "copies of inputs to and outputs from the device."
          + (f" torch.compile took {sum(compiled):.0f} s in all."
             if compiled else ""))


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    folder = os.path.abspath(args.folder)
    check = json.load(open(os.path.join(folder, "check.json")))
    ensure_environment(folder)
    start = time.perf_counter()
    device = choose_device(check)
    if device == "cuda":
        say(cuda_libraries.choose_cublaslt())
        say(cuda_libraries.choose_cudnn())
    say(f"unpacked {packing.unpack(folder)} files")
    try:
        runtime = xf_runtime.Runtime(os.path.join(folder,
                                                  check["libraries"][0]))
    except OSError as error:
        import platform
        needs = ", ".join(f"{k}_{v}" for k, v in
                          sorted(check["symbol_versions"].items()))
        say(f"cannot load the runtime here: {error}")
        say(f"its libraries need {needs}; this system's C library is "
            f"{' '.join(platform.libc_ver())}")
        return 1
    wanted = set(args.models.split(",")) if args.models else None
    records = [r for r in check["models"]
               if wanted is None or r["name"] in wanted]
    rows = []
    gemm = None
    try:
        if check["gemm"]:
            # The GEMM's artifact has no weights: the first open of a CUDA
            # folder tells whether the runtime can use the GPU here.
            first_open(runtime, check, os.path.join(
                folder, check["gemm"]["artifacts"]["f32"])).close()
        if check["gemm"] and (wanted is None or "gemm" in wanted):
            say("gemm")
            gemm = check_gemm(folder, check["gemm"], runtime, device)
            say(f"  {format_gemm(gemm)}")
        for record in records:
            elapsed = time.perf_counter() - start
            if elapsed > args.time_budget + 30:
                row = Row(record["name"], record["batch"])
                row.note = "FAILED: not run, the check's time is up"
                rows.append(row)
                continue
            with_compile = not args.no_torch_compile and \
                elapsed < args.time_budget
            say(f"{record['name']} (batch {record['batch']}, "
                f"{elapsed:.0f} s in)")
            rows.append(check_model(folder, check, record, runtime, device,
                                    with_compile))
            # Each line as it comes, in case the machine's time runs out.
            say(f"  {format_row(rows[-1])}")
    except NoGpu as error:
        say(f"the runtime cannot open a CUDA artifact here: {error}")
        say("GPU execution is unverified")
        return NO_GPU
    print_table(check, device, rows, gemm)
    say(f"done in {time.perf_counter() - start:.0f} s")
    failed = [r.name for r in rows if not r.ok]
    if gemm and any("error" in v for k, v in gemm.items() if k != "size"):
        failed.append("gemm")
    if failed:
        say(f"failed or outside tolerance: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
