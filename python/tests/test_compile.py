"""exaforge.compile: the model as a path, bytes or ModelProto; the options;
and every error path (CompileError's fields, missing files, bad arguments)."""

import json
import os

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import exaforge
from conftest import make_model


def test_compile_from_path_writes_the_artifact(model_dir, tmp_path):
    out = tmp_path / "mlp.xf"
    artifact = exaforge.compile(model_dir / "mlp.onnx", output=out)
    assert artifact.path == out
    assert (out / "manifest.json").is_file() and (out / "model.so").is_file()
    assert [i.name for i in artifact.inputs] == ["input"]


def test_compile_from_bytes_and_model_proto(model_dir):
    proto = onnx.load(model_dir / "mlp.onnx")
    for model in (proto, proto.SerializeToString()):
        artifact = exaforge.compile(model)
        assert artifact.outputs[0].name == "logits"


def test_temporary_artifact_is_removed_with_the_artifact(add_model):
    artifact = exaforge.compile(add_model)
    directory = artifact.path.parent
    assert directory.is_dir()
    del artifact
    assert not directory.exists()


def test_input_shapes_fix_a_symbolic_dimension(model_dir):
    artifact = exaforge.compile(model_dir / "mlp.onnx",
                                input_shapes={"input": [2, 784]})
    assert artifact.inputs[0].shape == (2, 784)
    text = exaforge.compile(model_dir / "mlp.onnx",
                            input_shapes={"input": "Nx784"})
    assert text.inputs[0].shape == ("N", 784)


def test_options_are_passed(model_dir):
    artifact = exaforge.compile(model_dir / "mlp.onnx", opt_level=0,
                                runtime_checks=False)
    x = np.ones((1, 784), np.float32)
    assert artifact.session().run([x])["logits"].shape == (1, 10)


def test_multi_rank_artifact_is_written(model_dir, tmp_path):
    artifact = exaforge.compile(model_dir / "mlp.onnx", output=tmp_path / "a.xf",
                                dp=2)
    assert (tmp_path / "a.xf" / "manifest.json").is_file()
    with pytest.raises(exaforge.InvalidArgumentError, match="compiled for 2 ranks.*mpirun -n 2 python"):
        artifact.inputs


def test_bad_model_bytes_raise_compile_error_naming_the_model():
    with pytest.raises(exaforge.CompileError) as error:
        exaforge.compile(b"this is not an onnx model")
    assert error.value.file == "<bytes>"
    assert "not a valid ONNX ModelProto" in error.value.message
    assert str(error.value).startswith("<bytes>: error: ")


def bad_reshape_model():
    return make_model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="bad_reshape")],
        [("x", TensorProto.FLOAT, [2, 3])], [("y", TensorProto.FLOAT, None)],
        [helper.make_tensor("shape", TensorProto.INT64, [1], [7])])


def test_compile_error_names_the_node_and_file(tmp_path):
    path = tmp_path / "bad.onnx"
    onnx.save(bad_reshape_model(), path)
    with pytest.raises(exaforge.CompileError) as error:
        exaforge.compile(path)
    e = error.value
    assert (e.file, e.node) == (str(path), "bad_reshape")
    assert e.message == "cannot reshape 6 elements to [7]"
    assert e.diagnostics[0].severity == "error"
    # One line per diagnostic, as `exaforge compile` prints them.
    assert str(e).splitlines()[0] == (
        f"{path}: error: node 'bad_reshape': cannot reshape 6 elements to [7]")


def test_compile_error_of_a_model_proto_names_it():
    with pytest.raises(exaforge.CompileError) as error:
        exaforge.compile(bad_reshape_model())
    assert (error.value.file, error.value.node) == ("<onnx.ModelProto>", "bad_reshape")


def test_compile_error_of_an_unsupported_op_names_the_node():
    model = make_model([helper.make_node("NoSuchOp", ["x"], ["y"], name="mystery")],
                       [("x", TensorProto.FLOAT, [2])], [("y", TensorProto.FLOAT, [2])])
    with pytest.raises(exaforge.CompileError) as error:
        exaforge.compile(model)
    assert error.value.node == "mystery"
    assert "NoSuchOp" in error.value.message


def test_missing_model_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.onnx"):
        exaforge.compile(tmp_path / "missing.onnx")


def test_bad_arguments(model_dir):
    mlp = model_dir / "mlp.onnx"
    with pytest.raises(TypeError, match="unknown compile option 'optlevel'"):
        exaforge.compile(mlp, optlevel=2)
    with pytest.raises(ValueError, match="target 'tpu' is not supported"):
        exaforge.compile(mlp, target="tpu")
    with pytest.raises(ValueError, match="unknown --gpu-arch 'sm_70'"):
        exaforge.compile(mlp, target="cuda", gpu_arch="sm_70")
    with pytest.raises(ValueError, match="--precision tf32 goes with --target cuda"):
        exaforge.compile(mlp, precision="tf32")
    with pytest.raises(ValueError, match="--gpu-arch goes with --target cuda"):
        exaforge.compile(mlp, gpu_arch="sm_90")
    with pytest.raises(ValueError, match="dp 3 x tp 1 x pp 1 is 3 ranks, not the 4 of ranks"):
        exaforge.compile(mlp, ranks=4, dp=3)
    with pytest.raises(ValueError, match="tp must be a positive integer, got 0"):
        exaforge.compile(mlp, tp=0)
    with pytest.raises(ValueError, match="ranks must be a positive integer, got 1.5"):
        exaforge.compile(mlp, ranks=1.5)
    with pytest.raises(ValueError, match="opt_level 7 is out of range"):
        exaforge.compile(mlp, opt_level=7)
    with pytest.raises(ValueError, match="input shape 'input=1x-3'"):
        exaforge.compile(mlp, input_shapes={"input": "1x-3"})
    with pytest.raises(TypeError, match="a dimension is a size or a symbol"):
        exaforge.compile(mlp, input_shapes={"input": [1.5, 784]})


def test_unknown_input_shape_name_is_a_compile_error(model_dir):
    with pytest.raises(exaforge.CompileError, match="nosuch"):
        exaforge.compile(model_dir / "mlp.onnx", input_shapes={"nosuch": [1]})


def test_compiles_from_several_threads(model_dir):
    """Each compile has its own MLIR context and runs without the Python
    lock: several may run at once."""
    import threading
    names = ["mlp", "resnet", "mlp"]
    artifacts, errors = [None] * len(names), []

    def work(i):
        try:
            artifacts[i] = exaforge.compile(model_dir / f"{names[i]}.onnx")
        except Exception as e:  # Reported below, with the others.
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(names))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    x = np.ones((1, 784), np.float32)
    np.testing.assert_array_equal(artifacts[0].session().run([x])["logits"],
                                  artifacts[2].session().run([x])["logits"])
    assert artifacts[1].inputs[0].shape == ("batch", 3, 32, 32)


#: A module on which MLIR 22's expand-strided-metadata pass dereferences a
#: null attribute (a real compiler crash, as in
#: test/Driver/compile-internal-error.test).
CRASHING_MODULE = """
func.func @main(%x: tensor<?xf32>) -> tensor<f32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %m = memref.alloc(%n) : memref<?xf32>
  %e = memref.expand_shape %m [[0, 1]] output_shape [%n, %c1] : memref<?xf32> into memref<?x?xf32>
  %v = tensor.extract %x[%c0] : tensor<?xf32>
  memref.store %v, %e[%c0, %c0] : memref<?x?xf32>
  %r = memref.load %m[%c0] : memref<?xf32>
  %t = tensor.from_elements %r : tensor<f32>
  return %t : tensor<f32>
}
"""


def test_a_compiler_crash_is_an_error_and_python_goes_on(tmp_path, add_model):
    path = tmp_path / "crash.mlir"
    path.write_text(CRASHING_MODULE)
    with pytest.raises(exaforge.InternalCompilerError) as raised:
        exaforge.compile(path)
    error = raised.value
    assert isinstance(error, exaforge.CompileError)
    assert error.file == str(path)
    assert error.message == (
        "internal compiler error while compiling the model: segmentation fault "
        "(SIGSEGV) in pass 'expand-strided-metadata'; please report it with the model")
    # The process is still usable: the compiler compiles and the runtime runs.
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert np.array_equal(exaforge.compile(add_model).session().run([x])["y"], x + x)


@pytest.mark.skipif(not os.environ.get("EXAFORGE_CUDA_TOOLKIT"),
                    reason="no CUDA toolkit with ptxas was found by the build "
                           "(EXAFORGE_CUDA_TOOLKIT unset)")
def test_compile_for_cuda_without_a_gpu(model_dir, tmp_path):
    # Compiling for the GPU needs the toolkit's ptxas, not a GPU; the
    # artifact's inputs are described once a session opens, on a GPU. (The
    # ResNet, whose pooling is a generated kernel: the MLP's Gemms, bias
    # and ReLU are all cuBLASLt calls, and it has no cubin.)
    artifact = exaforge.compile(
        model_dir / "resnet.onnx", output=tmp_path / "resnet.xf",
        target="cuda", gpu_arch="sm_80", precision="tf32",
        cuda_toolkit=os.environ["EXAFORGE_CUDA_TOOLKIT"])
    assert artifact.target == "cuda"
    manifest = json.loads(
        (tmp_path / "resnet.xf" / "manifest.json").read_text())
    assert manifest["target"]["gpu_arch"] == "sm_80"
    assert manifest["target"]["precision"] == "tf32"
    assert (tmp_path / "resnet.xf" / "kernels.sm_80.cubin").exists()
    assert exaforge.load(tmp_path / "resnet.xf").target == "cuda"
    # Without a GPU (no driver here), opening it says why.
    os.environ["EXAFORGE_CUDA_DRIVER"] = str(tmp_path / "no-libcuda.so.1")
    try:
        with pytest.raises(exaforge.ArtifactError, match="needs an NVIDIA GPU"):
            artifact.session()
    finally:
        del os.environ["EXAFORGE_CUDA_DRIVER"]
