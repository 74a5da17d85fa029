"""Tests of utils/gen_example_models.py (ctest `example-models`).

Generates the three example models into a temporary directory through the
command line, checks them with onnx.checker (full_check) and runs them in
onnxruntime at batch sizes 1 and 3.

Run: .venv/bin/python -m pytest -q utils/test_example_models.py
"""

import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "gen_example_models.py")
sys.path.insert(0, HERE)
import gen_example_models as gen  # noqa: E402

MODELS = ("mlp", "gpt2", "resnet")
# Expected output shape for a batch size, at the generator's defaults.
OUTPUT_SHAPES = {
    "mlp": lambda b: (b, 10),
    "gpt2": lambda b: (b, 16, 256),
    "resnet": lambda b: (b, 10),
}


def generate(out_dir, *flags):
    subprocess.run([sys.executable, GENERATOR, "--out-dir", str(out_dir),
                    *flags], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    generate(out)
    return out


def load(model_dir, name, load_external_data=True):
    return onnx.load(os.path.join(model_dir, f"{name}.onnx"),
                     load_external_data=load_external_data)


def random_inputs(session, batch, rng, vocab=256):
    feeds = {}
    for inp in session.get_inputs():
        shape = [batch if not isinstance(d, int) else d for d in inp.shape]
        if inp.type == "tensor(int64)":
            feeds[inp.name] = rng.integers(0, vocab, size=shape, dtype=np.int64)
        else:
            feeds[inp.name] = rng.standard_normal(shape).astype(np.float32)
    return feeds


def run(path, batch, **kw):
    session = ort.InferenceSession(str(path),
                                   providers=["CPUExecutionProvider"])
    feeds = random_inputs(session, batch, np.random.default_rng(batch), **kw)
    return session.run(None, feeds)


@pytest.mark.parametrize("name", MODELS)
def test_checker(model_dir, name):
    model = load(model_dir, name)
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == 8
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]


@pytest.mark.parametrize("name", MODELS)
def test_ops_and_names(model_dir, name):
    model = load(model_dir, name)
    ops = {node.op_type for node in model.graph.node}
    assert ops <= gen.ALLOWED_OPS, ops - gen.ALLOWED_OPS
    names = [node.name for node in model.graph.node]
    assert all(names), "every node has a name"
    assert len(set(names)) == len(names), "node names are unique"
    batch = model.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param == "batch"


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("name", MODELS)
def test_onnxruntime(model_dir, name, batch):
    (out,) = run(os.path.join(model_dir, f"{name}.onnx"), batch)
    assert out.shape == OUTPUT_SHAPES[name](batch)
    assert out.dtype == np.float32
    assert np.isfinite(out).all()


def test_gpt2_is_causal(model_dir):
    """Changing a later token must not change the logits of earlier ones."""
    session = ort.InferenceSession(str(model_dir / "gpt2.onnx"),
                                   providers=["CPUExecutionProvider"])
    ids = np.random.default_rng(0).integers(0, 256, size=(1, 16),
                                            dtype=np.int64)
    changed = ids.copy()
    changed[0, 10] = (changed[0, 10] + 1) % 256
    (a,) = session.run(None, {"input_ids": ids})
    (b,) = session.run(None, {"input_ids": changed})
    np.testing.assert_allclose(a[:, :10], b[:, :10], rtol=1e-5, atol=1e-5)
    assert not np.allclose(a[:, 10:], b[:, 10:])


def test_deterministic(model_dir, tmp_path):
    generate(tmp_path)
    for name in MODELS:
        with open(model_dir / f"{name}.onnx", "rb") as f1, \
                open(tmp_path / f"{name}.onnx", "rb") as f2:
            assert f1.read() == f2.read(), name


def test_size_flags(tmp_path):
    generate(tmp_path, "--model", "gpt2", "--hidden", "48", "--heads", "3",
             "--layers", "1", "--seq", "8", "--vocab", "100")
    generate(tmp_path, "--model", "resnet", "--image-size", "24",
             "--width", "8")
    assert sorted(os.listdir(tmp_path)) == ["gpt2.onnx", "resnet.onnx"]
    for name in ("gpt2", "resnet"):
        onnx.checker.check_model(load(tmp_path, name), full_check=True)
    (logits,) = run(tmp_path / "gpt2.onnx", 2, vocab=100)
    assert logits.shape == (2, 8, 100)
    (logits,) = run(tmp_path / "resnet.onnx", 2)
    assert logits.shape == (2, 10)
    assert np.isfinite(logits).all()


def test_resnet50_preset(tmp_path):
    """ResNet-50's layout: 25.5 M parameters, bottleneck blocks, no
    BatchNormalization (folded into the convolutions' biases)."""
    generate(tmp_path, "--model", "resnet", "--resnet-preset", "50",
             "--image-size", "64")
    model = load(tmp_path, "resnet")
    onnx.checker.check_model(model, full_check=True)
    ops = [node.op_type for node in model.graph.node]
    assert ops.count("Conv") == 53 and "BatchNormalization" not in ops
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    assert params == 25_530_472
    (logits,) = run(tmp_path / "resnet.onnx", 2)
    assert logits.shape == (2, 1000)
    assert np.isfinite(logits).all()


def test_bad_flags(tmp_path):
    result = subprocess.run(
        [sys.executable, GENERATOR, "--out-dir", str(tmp_path), "--model",
         "gpt2", "--hidden", "64", "--heads", "3"],
        capture_output=True, text=True)
    assert result.returncode == 1
    assert "not a multiple of --heads" in result.stderr


def external_locations(model):
    """The external data locations of `model`'s initializers, by name."""
    return {t.name: {e.key: e.value for e in t.external_data}
            for t in model.graph.initializer
            if t.data_location == onnx.TensorProto.EXTERNAL}


def test_external_data_runs_like_inline(model_dir, tmp_path):
    """--external-data moves the large initializers (1024 bytes or more) to
    MODEL.FILE, aligned; the outputs do not change."""
    generate(tmp_path, "--external-data", "weights.bin", "--check")
    for name in MODELS:
        model = load(tmp_path, name, load_external_data=False)
        refs = external_locations(model)
        assert refs, name
        for tensor in model.graph.initializer:
            nbytes = int(np.prod(tensor.dims)) * 4
            assert (tensor.name in refs) == (nbytes >= 1024), tensor.name
        for ref in refs.values():
            assert ref["location"] == f"{name}.weights.bin"
            assert int(ref["offset"]) % 64 == 0
        size = os.path.getsize(tmp_path / f"{name}.weights.bin")
        assert size == max(int(r["offset"]) + int(r["length"])
                           for r in refs.values())
        (expected,) = run(model_dir / f"{name}.onnx", 2)
        (actual,) = run(tmp_path / f"{name}.onnx", 2)
        np.testing.assert_array_equal(actual, expected)


def test_no_weight_data(tmp_path):
    """--no-weight-data writes the references but not the file."""
    generate(tmp_path, "--model", "gpt2", "--external-data", "gpt2.weights",
             "--no-weight-data", "--check")
    assert os.listdir(tmp_path) == ["gpt2.onnx"]
    refs = external_locations(load(tmp_path, "gpt2",
                                   load_external_data=False))
    assert refs["wte.weight"] == {"location": "gpt2.weights", "offset": "0",
                                  "length": str(256 * 64 * 4)}


def test_gpt2_xl_preset(tmp_path):
    """The GPT-2-XL preset (shapes only): 48 layers, hidden 1600, 1.56 G
    parameters."""
    generate(tmp_path, "--model", "gpt2", "--gpt2-preset", "xl",
             "--external-data", "gpt2.weights", "--no-weight-data")
    model = load(tmp_path, "gpt2", load_external_data=False)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    assert params == 1_557_611_200
    assert sum(n.op_type == "LayerNormalization"
               for n in model.graph.node) == 2 * 48 + 1
    dims = model.graph.output[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims[1:]] == [1024, 50257]


def test_bad_external_flags(tmp_path):
    for flags, message in (
            (["--no-weight-data"], "--no-weight-data needs --external-data"),
            (["--external-data", "sub/w.bin"],
             "--external-data must be a file name")):
        result = subprocess.run(
            [sys.executable, GENERATOR, "--out-dir", str(tmp_path), *flags],
            capture_output=True, text=True)
        assert result.returncode == 2
        assert message in result.stderr
