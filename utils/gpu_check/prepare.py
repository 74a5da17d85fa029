"""Fills the device check's folder (`utils/gpu-check.sh --prepare DIR`).

Runs where Exaforge is built: compiles each model of the catalog for the
target (`exaforge compile --target cuda --gpu-arch sm_90`, or the CPU for
the dry run), computes the references with onnxruntime, and copies what
the device lacks: the runtime library and the shared libraries it needs
(not the C and C++ libraries, whose symbol versions it reports instead),
this package and the model generator. Large files travel compressed
(packing.py), weights that the ONNX model holds are rebuilt on the device
(weights.py), and inputs are drawn there from a seed (inputs.py). The
folder must stay within LIMIT_BYTES, the transfer's limit.

Layout of DIR:
  run.sh                  the device side: `bash DIR/run.sh`
  check.json              what run.py reads (models, tolerance, libraries)
  gpu_check/              this package
  gen_example_models.py   the generator of the generated models
  lib/                    libexaforge_runtime.so and its libraries
  models/NAME/            model.onnx (zoo models), artifact/, reference.npz
  gemm/artifact-f32/      the GEMM (MatMul of two N x N inputs); also
  gemm/artifact-tf32/     compiled with --precision tf32 for the GPU
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
UTILS = os.path.dirname(HERE)
ROOT = os.path.dirname(UTILS)
sys.path.insert(0, UTILS)

from gpu_check import catalog, inputs, packing, weights  # noqa: E402

# The transfer to the device carries at most this much.
LIMIT_BYTES = 64 << 20
# The tolerance of every comparison with onnxruntime (f32), as in the
# model zoo: |exaforge - ort| <= RTOL * |ort| + ATOL * scale, scale being
# max(max |ort|, 1) per output.
RTOL = 1e-3
ATOL = 1e-4
SEED = 0
# Libraries every Linux with Python has; they are not carried (their
# symbol versions are reported instead).
SYSTEM_LIBRARIES = {
    "linux-vdso.so.1", "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6",
    "libstdc++.so.6", "libgcc_s.so.1", "libpthread.so.0", "libdl.so.2",
    "librt.so.1",
}
# The module files of this package that run on the device.
DEVICE_MODULES = ("__init__.py", "catalog.py", "cuda_libraries.py",
                  "inputs.py", "onnx_torch.py", "packing.py", "run.py",
                  "timing.py", "weights.py", "xf_runtime.py")


def say(message):
    print(f"[gpu-check] {message}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Prepare the folder of the device check.")
    parser.add_argument("--out", required=True, help="the folder to fill")
    parser.add_argument("--target", choices=("cuda", "cpu"), default="cuda")
    parser.add_argument("--gpu-arch", default="sm_90")
    parser.add_argument("--cuda-toolkit", default="/usr/local/cuda")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    parser.add_argument("--zoo-dir", help="utils/gen_model_zoo.py's output "
                        "(default: the newest BUILD/model-zoo/zoo-*)")
    parser.add_argument("--models", help="comma-separated names of "
                        f"{[m.name for m in catalog.MODELS]} and "
                        f"'{catalog.GEMM}' (default: all)")
    parser.add_argument("--gemm-size", type=int, default=8192)
    parser.add_argument("--reference-limit-mib", type=float, default=4.0,
                        help="larger references are computed on the "
                             "device (onnxruntime there)")
    parser.add_argument("--xz-preset", type=int, default=6)
    args = parser.parse_args(argv)
    names = [m.name for m in catalog.MODELS] + [catalog.GEMM]
    args.models = args.models.split(",") if args.models else names
    for name in args.models:
        if name not in names:
            parser.error(f"unknown model '{name}' (known: "
                         f"{', '.join(names)})")
    return args


def find_zoo(args):
    """The model-zoo folder, or None (with the reason said)."""
    if args.zoo_dir:
        return args.zoo_dir
    found = sorted(glob.glob(os.path.join(args.build_dir, "model-zoo",
                                          "zoo-*", "manifest.json")),
                   key=os.path.getmtime)
    if not found:
        say("no model zoo in BUILD/model-zoo (utils/run_model_zoo.py "
            "makes it): zoo models left out")
        return None
    return os.path.dirname(found[-1])


def compile_model(args, onnx_path, artifact, flags=()):
    """Runs `exaforge compile` for the target (with `flags`); returns the
    seconds taken."""
    command = [os.path.join(args.build_dir, "bin", "exaforge"), "compile",
               onnx_path, "-o", artifact, "--target", args.target, *flags]
    if args.target == "cuda":
        command += ["--gpu-arch", args.gpu_arch,
                    "--cuda-toolkit", args.cuda_toolkit]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def input_specs(model, entry, batch):
    """The input descriptions of the ONNX `model` at `batch` (symbolic
    dimensions are the batch): floats normal, `attention_mask` ones,
    other int64 inputs token ids below the catalog entry's `ids_high`."""
    initializers = {t.name for t in model.graph.initializer}
    specs = []
    for value in model.graph.input:
        if value.name in initializers:
            continue
        tensor = value.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else batch
                 for d in tensor.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(tensor.elem_type).name
        if dtype.startswith("float"):
            specs.append(inputs.spec(value.name, dtype, shape, "normal"))
        elif value.name == "attention_mask":
            specs.append(inputs.spec(value.name, dtype, shape, "ones"))
        elif entry is not None and entry.ids_high:
            specs.append(inputs.spec(value.name, dtype, shape, "ids",
                                     entry.ids_high))
        else:
            raise ValueError(f"input '{value.name}': no way to make it")
    return specs


def reference(onnx_path, feeds):
    """onnxruntime's outputs (CPU) for `feeds`, by output name."""
    import onnxruntime as ort
    session = ort.InferenceSession(onnx_path,
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds)))


def prepare_model(args, out, entry, zoo):
    """Adds one catalog model to `out`; returns its check.json entry, or
    None when its source is missing."""
    folder = os.path.join(out, "models", entry.name)
    os.makedirs(folder)
    record = {"name": entry.name, "batch": entry.batch, "seed": SEED}
    if entry.is_zoo:
        source = os.path.join(zoo or "", entry.name, catalog.ZOO_EXPORT)
        if zoo is None or not os.path.exists(source):
            say(f"  left out: no {entry.name}/{catalog.ZOO_EXPORT} in the "
                "model zoo")
            shutil.rmtree(folder)
            return None
        onnx_path = os.path.join(folder, "model.onnx")
        shutil.copyfile(source, onnx_path)
        record["onnx"] = os.path.relpath(onnx_path, out)
    else:
        generated = os.path.join(args.work, entry.name)
        subprocess.run([sys.executable,
                        os.path.join(UTILS, "gen_example_models.py"),
                        "--out-dir", generated, *entry.generate],
                       check=True, stdout=subprocess.DEVNULL)
        model_name = entry.generate[entry.generate.index("--model") + 1]
        onnx_path = os.path.join(generated, f"{model_name}.onnx")
        record["onnx"] = os.path.relpath(
            os.path.join(folder, f"{model_name}.onnx"), out)
        record["generate"] = {"args": entry.generate,
                              "sha256": weights.file_sha256(onnx_path)}
    artifact = os.path.join(folder, "artifact")
    record["compile_s"] = round(compile_model(args, onnx_path, artifact), 1)
    record["artifact"] = os.path.relpath(artifact, out)
    model = onnx.load(onnx_path)
    from_model, carried = weights.split(artifact, model)
    record["weights_bytes"] = {"from_model": from_model, "carried": carried}
    specs = input_specs(model, entry, entry.batch)
    feeds = inputs.make(specs, SEED)
    record["inputs"] = specs
    record["inputs_sha256"] = inputs.digest(feeds)
    record["outputs"] = [o.name for o in model.graph.output]
    output_bytes = sum(
        int(np.prod(o.shape)) * o.dtype.itemsize
        for o in _output_shapes(onnx_path, feeds))
    if output_bytes <= args.reference_limit_mib * (1 << 20):
        path = os.path.join(folder, "reference.npz")
        np.savez(path, **reference(onnx_path, feeds))
        record["reference"] = os.path.relpath(path, out)
    else:
        record["reference"] = None      # computed on the device
    return record


def _output_shapes(onnx_path, feeds):
    """The outputs' shapes and dtypes at `feeds`, from onnx's shape
    inference (symbolic batch set), without running the model: a list of
    numpy arrays of zero strides standing for them."""
    model = onnx.load(onnx_path, load_external_data=False)
    for value in model.graph.input:
        if value.name in feeds:
            for dim, size in zip(value.type.tensor_type.shape.dim,
                                 feeds[value.name].shape):
                dim.dim_value = size
    inferred = onnx.shape_inference.infer_shapes(model)
    result = []
    for output in inferred.graph.output:
        tensor = output.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else 1
                 for d in tensor.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(tensor.elem_type)
        result.append(np.broadcast_to(np.zeros((), dtype), shape))
    return result


def prepare_gemm(args, out):
    """The GEMM: an ONNX MatMul of two N x N f32 inputs, compiled."""
    size = args.gemm_size
    folder = os.path.join(out, "gemm")
    os.makedirs(folder)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["c"], name="gemm")],
        "gemm",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, [size, size])
         for n in ("a", "b")],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT,
                                       [size, size])])
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx_path = os.path.join(args.work, "gemm.onnx")
    onnx.save(model, onnx_path)
    # f32; on the GPU also tf32 (cuBLASLt's TF32 tensor cores) and bf16
    # (the operands converted to bf16 by a generated kernel each, then a
    # bf16 cuBLASLt matmul with f32 accumulation): issue 16's bf16 GEMM.
    precisions = ["f32"] + (["tf32", "bf16"] if args.target == "cuda" else [])
    artifacts, compile_s = {}, 0.0
    for precision in precisions:
        artifact = os.path.join(folder, f"artifact-{precision}")
        compile_s += compile_model(args, onnx_path, artifact,
                                   ["--precision", precision])
        artifacts[precision] = os.path.relpath(artifact, out)
    return {"size": size, "artifacts": artifacts,
            "compile_s": round(compile_s, 1), "seed": SEED}


def shared_libraries(path):
    """The libraries `path` needs that SYSTEM_LIBRARIES lacks: (name the
    dynamic linker looks for, file), from ldd."""
    text = subprocess.run(["ldd", path], check=True, capture_output=True,
                          text=True).stdout
    found = []
    for line in text.splitlines():
        match = re.match(r"\s*(\S+) => (\S+)", line)
        if match and match.group(1) not in SYSTEM_LIBRARIES:
            if match.group(2) == "not":
                raise ValueError(f"{path}: {match.group(1)} not found")
            found.append((match.group(1), match.group(2)))
    return found


def required_versions(paths):
    """The newest GLIBC_, GLIBCXX_ and CXXABI_ symbol versions the files
    `paths` need (undefined symbols, objdump -T): {prefix: (version, file)}.
    """
    newest = {}
    for path in paths:
        text = subprocess.run(["objdump", "-T", path], check=True,
                              capture_output=True, text=True).stdout
        for line in text.splitlines():
            if "*UND*" not in line:
                continue
            match = re.search(r"\b(GLIBC|GLIBCXX|CXXABI)_([0-9.]+)\b", line)
            if not match:
                continue
            prefix, version = match.groups()
            key = tuple(int(v) for v in version.split("."))
            if prefix not in newest or key > newest[prefix][0]:
                newest[prefix] = (key, os.path.basename(path))
    return {prefix: (".".join(map(str, key)), where)
            for prefix, (key, where) in newest.items()}


def copy_libraries(args, out):
    """Copies the runtime library and what it needs into out/lib; returns
    the paths, relative to `out`, the runtime first."""
    lib = os.path.join(out, "lib")
    os.makedirs(lib)
    runtime = os.path.join(args.build_dir, "lib", "libexaforge_runtime.so")
    copied = [os.path.join(lib, os.path.basename(runtime))]
    shutil.copyfile(runtime, copied[0])
    for name, path in shared_libraries(runtime):
        copied.append(os.path.join(lib, name))
        shutil.copyfile(path, copied[-1])
    return copied


def folder_size(path):
    return sum(os.path.getsize(os.path.join(root, name))
               for root, _, names in os.walk(path) for name in names)


def report_sizes(out):
    """Prints the size of each part of `out`; returns the total."""
    parts = [os.path.join(out, n) for n in sorted(os.listdir(out))]
    parts = [p for p in parts if os.path.basename(p) != "models"] + sorted(
        glob.glob(os.path.join(out, "models", "*")))
    total = folder_size(out)
    for part in parts:
        size = folder_size(part) if os.path.isdir(part) else \
            os.path.getsize(part)
        say(f"  {os.path.relpath(part, out):28s} {size / 2**20:7.2f} MiB")
    say(f"  {'total':28s} {total / 2**20:7.2f} MiB "
        f"(limit {LIMIT_BYTES / 2**20:.0f} MiB)")
    return total


def main(argv=None):
    args = parse_args(argv)
    start = time.perf_counter()
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        if os.listdir(out) and not os.path.exists(
                os.path.join(out, "check.json")):
            say(f"{args.out} exists and is not a check folder: not touched")
            return 1
        shutil.rmtree(out)
    os.makedirs(out)
    args.work = os.path.join(out, ".work")
    os.makedirs(args.work)
    zoo = find_zoo(args) if any(
        catalog.BY_NAME[n].is_zoo for n in args.models
        if n in catalog.BY_NAME) else None

    check = {"format": 1, "target": args.target,
             "gpu_arch": args.gpu_arch if args.target == "cuda" else None,
             "tolerance": {"rtol": RTOL, "atol_of_scale": ATOL},
             "models": [], "gemm": None}
    for name in args.models:
        if name == catalog.GEMM:
            say(f"gemm {args.gemm_size}^3")
            check["gemm"] = prepare_gemm(args, out)
            continue
        say(f"model {name}")
        record = prepare_model(args, out, catalog.BY_NAME[name], zoo)
        if record:
            check["models"].append(record)

    libraries = copy_libraries(args, out)
    check["libraries"] = [os.path.relpath(p, out) for p in libraries]
    code = glob.glob(os.path.join(out, "models", "*", "artifact",
                                  "model.so")) + \
        glob.glob(os.path.join(out, "gemm", "artifact-*", "model.so"))
    versions = required_versions(libraries + code)
    check["symbol_versions"] = {k: v[0] for k, v in versions.items()}
    for prefix, (version, where) in sorted(versions.items()):
        say(f"needs {prefix}_{version} (newest, from {where})")

    shutil.copytree(HERE, os.path.join(out, "gpu_check"),
                    ignore=lambda d, names: [
                        n for n in names if n not in DEVICE_MODULES])
    shutil.copyfile(os.path.join(UTILS, "gen_example_models.py"),
                    os.path.join(out, "gen_example_models.py"))
    shutil.copyfile(os.path.join(HERE, "run.sh"),
                    os.path.join(out, "run.sh"))
    shutil.rmtree(args.work)
    with open(os.path.join(out, "check.json"), "w") as f:
        json.dump(check, f, indent=1)
    packing.pack(out, preset=args.xz_preset)

    say(f"prepared {out} in {time.perf_counter() - start:.1f} s:")
    total = report_sizes(out)
    if total > LIMIT_BYTES:
        say(f"the folder holds {total / 2**20:.1f} MiB, more than the "
            f"{LIMIT_BYTES / 2**20:.0f} MiB the transfer carries")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
