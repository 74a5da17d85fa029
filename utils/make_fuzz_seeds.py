#!/usr/bin/env python3
"""Writes the seed corpora of Exaforge's libFuzzer targets (test/Fuzz).

Usage:
  make_fuzz_seeds.py --build-dir build-sanitize --out-dir DIR

Writes DIR/<target>/ for each target, from inputs the repository and the
build already have, so that nothing large is checked in:
  onnx-import   every .onnxtext test model of test/ converted to a binary
                ModelProto, and one in four of the ONNX node-test models
                (package libonnx-testdata) of at most 64 KiB
  manifest      the manifest.json of the artifacts the build compiled
                (runtime/test/*.xf), and of test models compiled here for 2
                data-parallel and 2 tensor-parallel ranks (mesh, sharding,
                per-rank weight files)
  npy           small .npy files of every element type numpy writes (format
                versions 1.0 and 2.0, scalars, empty and Fortran arrays)
  tensor-proto  the input and output .pb files of the node tests above, and
                every SequenceProto / OptionalProto of the sequence tests
  machine-yaml  the machine presets (compiler/Plan/machines) and the test
                machines of test/Driver/Inputs
Runs with the project's virtual environment (onnx, numpy).
"""

import argparse
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import onnx
import onnx.parser

ROOT = pathlib.Path(__file__).resolve().parent.parent
NODE_TESTS = pathlib.Path("/usr/share/libonnx-testdata/data/node")
MAX_SEED_BYTES = 64 * 1024


def onnx_import_seeds(out: pathlib.Path) -> None:
    """Binary ModelProtos of the textual test models and node tests."""
    for text in sorted(ROOT.glob("test/**/*.onnxtext")):
        try:
            model = onnx.parser.parse_model(text.read_text())
        except Exception:  # A deliberately malformed test input.
            continue
        name = str(text.relative_to(ROOT / "test")).replace("/", "_")
        (out / (name + ".onnx")).write_bytes(model.SerializeToString())
    if NODE_TESTS.is_dir():
        for i, test in enumerate(sorted(NODE_TESTS.iterdir())):
            model = test / "model.onnx"
            if i % 4 == 0 and model.is_file() and \
                    model.stat().st_size <= MAX_SEED_BYTES:
                shutil.copy(model, out / (test.name + ".onnx"))


def manifest_seeds(out: pathlib.Path, build: pathlib.Path,
                   scratch: pathlib.Path) -> None:
    """Manifests of compiled artifacts: one rank, data and tensor parallel."""
    for manifest in sorted(build.glob("runtime/test/*.xf/manifest.json")):
        shutil.copy(manifest, out / (manifest.parent.stem + ".json"))
    exaforge = build / "bin" / "exaforge"
    models = {
        "matmul-weights": ROOT / "test/BadInputs/Inputs/matmul-weights.onnxtext",
        "relu-rows": ROOT / "test/BadInputs/Inputs/relu-rows.onnxtext",
    }
    for name, model in models.items():
        for flags in (["--dp", "2"], ["--tp", "2"]):
            artifact = scratch / (name + "".join(flags) + ".xf")
            result = subprocess.run(
                [str(exaforge), "compile", str(model), "-o", str(artifact)] +
                flags, capture_output=True, text=True)
            if result.returncode == 0:
                shutil.copy(artifact / "manifest.json",
                            out / (artifact.stem + ".json"))


def npy_seeds(out: pathlib.Path) -> None:
    """Small arrays of every element type, in the variants numpy writes."""
    types = ["float32", "float64", "float16", "int8", "int16", "int32",
             "int64", "uint8", "uint16", "uint32", "uint64", "bool"]
    for dtype in types:
        array = (np.arange(6) % 3).astype(dtype).reshape(2, 3)
        np.save(out / (dtype + ".npy"), array)
    np.save(out / "scalar.npy", np.float32(1.5))
    np.save(out / "empty.npy", np.zeros((0, 4), np.float32))
    np.save(out / "fortran.npy", np.asfortranarray(np.ones((2, 3), np.int64)))
    with open(out / "version2.npy", "wb") as file:
        np.lib.format.write_array(file, np.ones((3,), np.float32),
                                  version=(2, 0))


def tensor_proto_seeds(out: pathlib.Path) -> None:
    """TensorProto, SequenceProto and OptionalProto files of node tests."""
    if not NODE_TESTS.is_dir():
        return
    for i, test in enumerate(sorted(NODE_TESTS.iterdir())):
        packed = "sequence" in test.name or "optional" in test.name
        if i % 4 != 0 and not packed:
            continue
        for pb in sorted(test.glob("test_data_set_0/*.pb")):
            if pb.stat().st_size <= MAX_SEED_BYTES:
                shutil.copy(pb, out / (test.name + "_" + pb.name))


def machine_yaml_seeds(out: pathlib.Path) -> None:
    """The machine presets and the test machines."""
    for yaml in sorted(ROOT.glob("compiler/Plan/machines/*.yaml")) + \
            sorted(ROOT.glob("test/Driver/Inputs/**/*.yaml")):
        shutil.copy(yaml, out / yaml.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, type=pathlib.Path)
    parser.add_argument("--out-dir", required=True, type=pathlib.Path)
    args = parser.parse_args()
    build = args.build_dir.resolve()
    out = args.out_dir.resolve()
    scratch = out / "scratch"
    shutil.rmtree(out, ignore_errors=True)
    for target in ["onnx-import", "manifest", "npy", "tensor-proto",
                   "machine-yaml", "scratch"]:
        (out / target).mkdir(parents=True)
    onnx_import_seeds(out / "onnx-import")
    manifest_seeds(out / "manifest", build, scratch)
    npy_seeds(out / "npy")
    tensor_proto_seeds(out / "tensor-proto")
    machine_yaml_seeds(out / "machine-yaml")
    shutil.rmtree(scratch)
    for target in sorted(out.iterdir()):
        count = len(list(target.iterdir()))
        print(f"[fuzz] {count} seeds for {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
