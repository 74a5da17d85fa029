#!/usr/bin/env python3
"""Builds the exaforge wheel with `pip wheel ./python` against a build of the
project, installs it into an empty directory and uses it from there, away
from the build tree's package (the ctest `python-wheel`).

It checks that:
- the wheel builds (scikit-build-core, python/pyproject.toml) against the
  build in EXAFORGE_BUILD_DIR without building the compiler again;
- the installed package is self-contained: `exaforge`, its native modules
  and the runtime libraries load from the install directory, a model compiles and
  runs there and equals onnxruntime (largest difference at most 1e-5);
- its metadata registers `torch.compile`'s backend (the
  torch_dynamo_backends entry point);
- `pip wheel` against a directory that is not a build fails and says how to
  make one.

Usage: check_wheel.py BUILD_DIR WORK_DIR (WORK_DIR is emptied first).
"""

import os
import shutil
import subprocess
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_SOURCE = os.path.dirname(HERE)

#: Run by the installed package's interpreter: compile, run, compare.
USE_INSTALLED = r"""
import importlib.metadata, os, sys, tempfile
import numpy as np, onnx, onnxruntime
from onnx import TensorProto, helper, numpy_helper

site = sys.argv[1]
import exaforge
import exaforge._mpi  # multi-rank sessions: the runtime's MPI transport
assert exaforge.__file__.startswith(site), exaforge.__file__
with open("/proc/self/maps") as maps:
    runtimes = {line.split()[-1] for line in maps
                if "libexaforge_runtime" in line}
assert runtimes == {os.path.join(site, "exaforge", name) for name in
                    ("libexaforge_runtime.so", "libexaforge_runtime_mpi.so")}, runtimes

rng = np.random.default_rng(0)
weight = rng.standard_normal((8, 4)).astype(np.float32)
bias = rng.standard_normal(4).astype(np.float32)
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["xw"], name="matmul"),
     helper.make_node("Add", ["xw", "b"], ["xwb"], name="add"),
     helper.make_node("Relu", ["xwb"], ["y"], name="relu")],
    "wheel", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])],
    [numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
x = rng.standard_normal((3, 8)).astype(np.float32)
with tempfile.TemporaryDirectory() as work:
    artifact = exaforge.compile(model, output=os.path.join(work, "m.xf"))
    got = artifact.session().run({"x": x})["y"]
expected = onnxruntime.InferenceSession(
    model.SerializeToString(), providers=["CPUExecutionProvider"]).run(
        None, {"x": x})[0]
difference = float(np.max(np.abs(got - expected)))
assert difference <= 1e-5, difference

backends = importlib.metadata.entry_points(group="torch_dynamo_backends")
assert [b.value for b in backends if b.name == "exaforge"] == [
    "exaforge.torch_backend:exaforge_backend"], list(backends)
print(f"installed package OK: largest difference {difference:.2e}")
"""


def pip(*arguments, env=None):
    """Runs `python -m pip ARGUMENTS`; returns the completed process."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check",
               *arguments]
    return subprocess.run(command, env=env, capture_output=True, text=True)


def build_wheel(build_dir, wheel_dir):
    """`pip wheel ./python` against `build_dir`; returns the process."""
    env = dict(os.environ, EXAFORGE_BUILD_DIR=build_dir)
    return pip("wheel", "--no-build-isolation", "--no-deps", "-w", wheel_dir,
               PACKAGE_SOURCE, env=env)


def main():
    build_dir, work = (os.path.abspath(a) for a in sys.argv[1:3])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    failures = []

    wheel_dir = os.path.join(work, "wheel")
    built = build_wheel(build_dir, wheel_dir)
    if built.returncode != 0:
        sys.exit(f"pip wheel failed:\n{built.stdout}\n{built.stderr}")
    wheels = os.listdir(wheel_dir)
    print(f"built {wheels}")

    site = os.path.join(work, "site")
    installed = pip("install", "--no-deps", "--no-index", "--target", site,
                    os.path.join(wheel_dir, wheels[0]))
    if installed.returncode != 0:
        sys.exit(f"pip install failed:\n{installed.stdout}\n{installed.stderr}")

    # -S: no site module, so no .pth file puts the build tree's package on
    # the path; numpy, onnx and onnxruntime come from this interpreter's
    # site-packages, after the install directory.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [site, sysconfig.get_paths()["purelib"]]))
    used = subprocess.run([sys.executable, "-S", "-c", USE_INSTALLED, site],
                          env=env, capture_output=True, text=True,
                          cwd=work)
    print(used.stdout, end="")
    if used.returncode != 0:
        failures.append(f"the installed package failed:\n{used.stderr}")

    not_a_build = os.path.join(work, "not-a-build")
    os.makedirs(not_a_build)
    refused = build_wheel(not_a_build, os.path.join(work, "refused"))
    output = refused.stdout + refused.stderr
    if refused.returncode == 0 or "utils/build.sh" not in output:
        failures.append("pip wheel against a directory that is not a build "
                        f"did not fail saying how to build:\n{output}")
    else:
        print("pip wheel against a directory that is not a build: refused")

    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
