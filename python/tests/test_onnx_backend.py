"""exaforge.onnx_backend: the onnx.backend.base.Backend interface
(supports_device, prepare, run_model, run_node) on small models; ONNX's
whole backend test runner is python/tests/backend_suite.py."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from onnx.backend.base import Backend, BackendRep

import exaforge
import exaforge.onnx_backend as backend
from conftest import make_model


def test_is_an_onnx_backend():
    assert issubclass(backend.ExaforgeBackend, Backend)
    assert issubclass(backend.ExaforgeRep, BackendRep)


def test_supports_only_the_cpu():
    assert backend.supports_device("CPU")
    assert not backend.supports_device("CUDA")
    with pytest.raises(RuntimeError, match="not on 'CUDA'"):
        backend.prepare(make_model([], [], []), "CUDA")


def weighted_model():
    """y = x * w + b, with w an initializer that is also a graph input (as
    older exporters write them) and b a plain initializer."""
    model = make_model(
        [helper.make_node("Mul", ["x", "w"], ["xw"], name="mul"),
         helper.make_node("Add", ["xw", "b"], ["y"], name="add")],
        [("x", TensorProto.FLOAT, [2]), ("w", TensorProto.FLOAT, [2])],
        [("y", TensorProto.FLOAT, [2])],
        [helper.make_tensor("w", TensorProto.FLOAT, [2], [2.0, 3.0]),
         helper.make_tensor("b", TensorProto.FLOAT, [2], [1.0, 1.0])])
    return model


def test_prepare_and_run_by_position_and_name():
    rep = backend.prepare(weighted_model())
    assert rep.input_names == ["x"]
    x = np.array([1.0, 2.0], np.float32)
    (y,) = rep.run([x])
    np.testing.assert_array_equal(y, [3.0, 7.0])
    outputs = rep.run({"x": x})
    np.testing.assert_array_equal(outputs.y, [3.0, 7.0])
    np.testing.assert_array_equal(outputs["y"], [3.0, 7.0])
    np.testing.assert_array_equal(rep.run(x)[0], [3.0, 7.0])


def test_run_model_from_bytes():
    x = np.array([0.5, -1.0], np.float32)
    (y,) = backend.run_model(weighted_model().SerializeToString(), [x])
    np.testing.assert_array_equal(y, [2.0, -2.0])


def test_prepare_passes_compile_options(model_dir):
    rep = backend.prepare(onnx.load(model_dir / "mlp.onnx"),
                          input_shapes={"input": [2, 784]}, opt_level=1)
    assert rep.artifact.inputs[0].shape == (2, 784)
    assert rep.run([np.zeros((2, 784), np.float32)])[0].shape == (2, 10)


def test_run_node_infers_output_types():
    node = helper.make_node("Relu", ["x"], ["y"])
    (y,) = backend.run_node(node, [np.array([-1.0, 2.0], np.float32)])
    np.testing.assert_array_equal(y, [0.0, 2.0])


def test_run_node_with_outputs_info_and_optional_inputs():
    # Clip with its 'min' left out (an empty name) and 'max' given.
    node = helper.make_node("Clip", ["x", "", "hi"], ["y"])
    x = np.array([-5.0, 0.5, 5.0], np.float32)
    (y,) = backend.run_node(node, {"x": x, "hi": np.array(1.0, np.float32)},
                            outputs_info=[(np.float32, (3,))])
    np.testing.assert_array_equal(y, [-5.0, 0.5, 1.0])


def test_run_node_takes_the_opset():
    node = helper.make_node("Add", ["a", "b"], ["c"])
    a = np.ones((2, 3), np.int64)
    (c,) = backend.run_node(node, [a, a], opset_version=13)
    assert c.dtype == np.int64
    np.testing.assert_array_equal(c, a + a)


def test_run_node_of_an_unsupported_opset_is_a_compile_error():
    node = helper.make_node("Relu", ["x"], ["y"])
    with pytest.raises(exaforge.CompileError, match="opset 99"):
        backend.run_node(node, [np.ones(2, np.float32)], opset_version=99)
