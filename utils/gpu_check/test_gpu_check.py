"""Unit tests of the device check's parts (ctest `gpu-check-units`).

The ONNX-to-torch executor against onnxruntime on the CPU (the example
models; the zoo models when EXAFORGE_MODEL_ZOO names utils/gen_model_zoo.py's
folder), its refusals, the xz packing, the inputs' digest and the weights'
rebuild (with EXAFORGE names the `exaforge` binary).

Run: .venv/bin/python -m pytest -q utils/gpu_check/test_gpu_check.py
"""

import glob
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
UTILS = os.path.dirname(HERE)
sys.path.insert(0, UTILS)

from gpu_check import inputs, packing, weights  # noqa: E402
from gpu_check.onnx_torch import OnnxTorch, UnsupportedOp  # noqa: E402
from gpu_check.prepare import input_specs  # noqa: E402
from gpu_check import catalog  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4
ZOO = os.environ.get("EXAFORGE_MODEL_ZOO", "")
ZOO_MODELS = [m.name for m in catalog.MODELS if m.is_zoo]


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    subprocess.run([sys.executable, os.path.join(UTILS,
                                                 "gen_example_models.py"),
                    "--out-dir", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return out


def check_against_ort(path, entry, batch=3):
    """Runs `path` in the executor and in onnxruntime; asserts they agree
    within the check's tolerance."""
    model = onnx.load(path)
    feeds = inputs.make(input_specs(model, entry, batch), seed=1)
    want = ort.InferenceSession(
        path, providers=["CPUExecutionProvider"]).run(None, feeds)
    executor = OnnxTorch(model, feeds, "cpu")
    with torch.inference_mode():
        got = executor.forward(*(torch.from_numpy(feeds[n])
                                 for n in executor.input_names))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        scale = max(float(np.abs(w).max()), 1.0)
        np.testing.assert_allclose(g.numpy(), w, rtol=RTOL,
                                   atol=ATOL * scale)


@pytest.mark.parametrize("name", ["mlp", "gpt2", "resnet"])
def test_example_model_matches_onnxruntime(examples, name):
    check_against_ort(str(examples / f"{name}.onnx"), catalog.BY_NAME[name])


@pytest.mark.parametrize("name", ZOO_MODELS)
@pytest.mark.parametrize("export", ["dynamo-op18", "torchscript-op13"])
def test_zoo_model_matches_onnxruntime(name, export):
    found = sorted(glob.glob(os.path.join(ZOO, "zoo-*", name,
                                          f"{export}.onnx")))
    if not ZOO or not found:
        pytest.skip("no model zoo (EXAFORGE_MODEL_ZOO)")
    check_against_ort(found[-1], catalog.BY_NAME[name], batch=2)


def single_node_model(node, inputs_, outputs, initializers=()):
    graph = helper.make_graph([node], "g", inputs_, outputs,
                              list(initializers))
    return helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17)])


def test_unknown_op_is_named():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 2])
    model = single_node_model(
        helper.make_node("Einsum", ["x", "x"], ["y"], name="mix",
                         equation="ij,jk->ik"), [x], [y])
    with pytest.raises(UnsupportedOp, match="node 'mix' .Einsum.: op not "
                                            "supported"):
        OnnxTorch(model, {"x": np.ones((2, 2), np.float32)}, "cpu")


def test_data_dependent_shape_is_refused():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])
    s = helper.make_tensor_value_info("s", TensorProto.INT64, [2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    model = single_node_model(
        helper.make_node("Reshape", ["x", "s"], ["y"], name="view"),
        [x, s], [y])
    feeds = {"x": np.ones(4, np.float32), "s": np.array([2, 2], np.int64)}
    with pytest.raises(UnsupportedOp, match="node 'view' .Reshape.: input 1 "
                                            ".'s'. must be known"):
        OnnxTorch(model, feeds, "cpu")


def test_packing_round_trip(tmp_path):
    text = (b"exaforge " * 20000)
    (tmp_path / "big.so").write_bytes(text)
    (tmp_path / "small.txt").write_bytes(b"x")
    noise = np.random.default_rng(0).bytes(100000)
    (tmp_path / "noise.so").write_bytes(noise)
    packing.pack(str(tmp_path), preset=0)
    assert sorted(os.listdir(tmp_path)) == ["big.so.xz", "noise.so",
                                            "small.txt"]
    assert packing.unpack(str(tmp_path)) == 1
    assert (tmp_path / "big.so").read_bytes() == text


def test_inputs_are_reproducible():
    specs = [inputs.spec("image", "float32", [2, 3], "normal"),
             inputs.spec("ids", "int64", [2, 4], "ids", 7),
             inputs.spec("attention_mask", "int64", [2, 4], "ones")]
    first, second = inputs.make(specs, 0), inputs.make(specs, 0)
    assert inputs.digest(first) == inputs.digest(second)
    assert inputs.digest(first) != inputs.digest(inputs.make(specs, 1))
    assert first["ids"].max() < 7 and first["attention_mask"].all()


@pytest.fixture
def artifact(examples, tmp_path):
    exaforge = os.environ.get("EXAFORGE")
    if not exaforge:
        pytest.skip("EXAFORGE (the compiler) not given")
    out = tmp_path / "resnet.xf"
    subprocess.run([exaforge, "compile", str(examples / "resnet.onnx"),
                    "-o", str(out)], check=True)
    return out


def test_weights_rebuild_is_the_compiled_file(examples, artifact):
    model = onnx.load(str(examples / "resnet.onnx"))
    original = (artifact / "weights.bin").read_bytes()
    from_model, carried = weights.split(str(artifact), model)
    # The folded BatchNorm weights travel; the classifier's come from the
    # model.
    assert from_model > 0 and carried > 0
    assert from_model + carried <= len(original)
    assert not (artifact / "weights.bin").exists()
    weights.rebuild(str(artifact), model)
    assert (artifact / "weights.bin").read_bytes() == original


def test_weights_rebuild_refuses_another_model(examples, artifact):
    model = onnx.load(str(examples / "resnet.onnx"))
    weights.split(str(artifact), model)
    changed = next(t for t in model.graph.initializer
                   if t.name == "fc.weight")
    changed.CopyFrom(onnx.numpy_helper.from_array(
        onnx.numpy_helper.to_array(changed) + 1, changed.name))
    with pytest.raises(ValueError, match="differs from the compiled one"):
        weights.rebuild(str(artifact), model)


def test_cuda_libraries_are_torch_wheels(tmp_path, monkeypatch):
    """cuBLASLt and cuDNN are taken from torch's wheels, unless the
    environment names them; without them, from the library path."""
    from types import SimpleNamespace
    from gpu_check import cuda_libraries
    site = tmp_path / "site-packages"
    (site / "torch").mkdir(parents=True)
    for package, name in (("cublas", cuda_libraries.CUBLASLT),
                          ("cudnn", cuda_libraries.CUDNN)):
        (site / "nvidia" / package / "lib").mkdir(parents=True)
        (site / "nvidia" / package / "lib" / name).write_bytes(b"")
    torch_spec = SimpleNamespace(origin=str(site / "torch" / "__init__.py"))
    monkeypatch.setattr(cuda_libraries.importlib.util, "find_spec",
                        lambda name: torch_spec)
    monkeypatch.delenv("EXAFORGE_CUBLASLT", raising=False)
    monkeypatch.setenv("EXAFORGE_CUDNN", "/opt/cudnn/libcudnn.so.9")
    assert cuda_libraries.choose_cublaslt().endswith("(torch's)")
    assert os.environ["EXAFORGE_CUBLASLT"] == str(
        site / "nvidia" / "cublas" / "lib" / cuda_libraries.CUBLASLT)
    assert cuda_libraries.choose_cudnn() == \
        "cuDNN: /opt/cudnn/libcudnn.so.9 (EXAFORGE_CUDNN)"
    monkeypatch.delenv("EXAFORGE_CUDNN")
    assert cuda_libraries.choose_cudnn().endswith("(torch's)")
    assert os.environ["EXAFORGE_CUDNN"] == str(
        site / "nvidia" / "cudnn" / "lib" / cuda_libraries.CUDNN)
    monkeypatch.delenv("EXAFORGE_CUDNN")
    (site / "nvidia" / "cudnn" / "lib" / cuda_libraries.CUDNN).unlink()
    assert "from the library path" in cuda_libraries.choose_cudnn()
    assert "EXAFORGE_CUDNN" not in os.environ
