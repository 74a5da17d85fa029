"""The example models (utils/gen_example_models.py) through exaforge.compile
and Session.run equal onnxruntime: |exaforge - ort| <= atol + rtol * |ort|
elementwise, with the end-to-end tests' float32 tolerances (test/E2E:
reassociated sums, approximated exp/erf/tanh)."""

import numpy as np
import onnxruntime as ort
import pytest

import exaforge
from conftest import random_input

# (rtol, atol) per model, as test/E2E/test_end_to_end.py states them.
TOLERANCES = {"mlp": (1e-4, 1e-5), "gpt2": (1e-3, 1e-4), "resnet": (1e-4, 1e-4)}


@pytest.fixture(scope="module")
def compiled(model_dir):
    """Each example model compiled once (GPT-2 takes some seconds)."""
    artifacts = {}

    def get(name):
        if name not in artifacts:
            artifacts[name] = exaforge.compile(model_dir / f"{name}.onnx")
        return artifacts[name]

    return get


@pytest.mark.parametrize("name", sorted(TOLERANCES))
@pytest.mark.parametrize("batch", [1, 3])
def test_example_model_equals_onnxruntime(model_dir, compiled, name, batch):
    path = model_dir / f"{name}.onnx"
    artifact = compiled(name)
    rng = np.random.default_rng(batch)
    feeds = {info.name: random_input(info, batch, rng) for info in artifact.inputs}
    got = artifact.session().run(feeds)
    reference = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in reference.get_outputs()]
    want = dict(zip(names, reference.run(names, feeds)))
    assert list(got) == names
    rtol, atol = TOLERANCES[name]
    for key in names:
        assert got[key].dtype == want[key].dtype
        np.testing.assert_allclose(got[key], want[key], rtol=rtol, atol=atol, err_msg=key)
