"""Fixtures of the exaforge package's tests (ctest `python-api`).

The package is imported from the build tree: ctest puts build/python on
PYTHONPATH. Run by hand:
  PYTHONPATH=build/python .venv/bin/python -m pytest -q python/tests
"""

import os
import subprocess
import sys

import numpy as np
import pytest
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = os.path.join(ROOT, "utils", "gen_example_models.py")


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """The example models of utils/gen_example_models.py (mlp, gpt2,
    resnet), generated once."""
    out = tmp_path_factory.mktemp("models")
    subprocess.run([sys.executable, GENERATOR, "--out-dir", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def mlp_artifact(model_dir):
    """The example MLP compiled once (input [batch, 784] -> logits)."""
    import exaforge
    return exaforge.compile(model_dir / "mlp.onnx")


def make_model(nodes, inputs, outputs, initializers=(), opset=17):
    """An ONNX model of `nodes` with `inputs` and `outputs` given as
    (name, element type, shape)."""
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


@pytest.fixture
def add_model():
    """y = x + x over float32 [2, 3]."""
    return make_model([helper.make_node("Add", ["x", "x"], ["y"], name="add")],
                      [("x", TensorProto.FLOAT, [2, 3])],
                      [("y", TensorProto.FLOAT, [2, 3])])


def random_input(info, batch, rng):
    """A random array for exaforge TensorInfo `info`, symbolic dimensions
    set to `batch`."""
    shape = [d if isinstance(d, int) else batch for d in info.shape]
    if np.issubdtype(info.dtype, np.integer):
        return rng.integers(0, 256, size=shape).astype(info.dtype)
    return rng.standard_normal(shape).astype(info.dtype)
