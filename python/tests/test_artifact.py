"""exaforge.load and Artifact: the description of inputs and outputs, and
the errors of a missing or broken artifact."""

import numpy as np
import pytest
from onnx import TensorProto, helper

import exaforge
from conftest import make_model


def test_load_describes_the_model(mlp_artifact):
    artifact = exaforge.load(mlp_artifact.path)
    assert artifact.inputs == (exaforge.TensorInfo("input", np.dtype("float32"), ("batch", 784)),)
    assert artifact.outputs == (exaforge.TensorInfo("logits", np.dtype("float32"), ("batch", 10)),)


def test_output_dimension_names_are_the_declared_ones():
    # An output's dimension known only at run time is described by the name
    # the model declares for it, even a name no input has; a dimension the
    # compiler computed a size for is that size, whatever the declaration.
    nodes = [helper.make_node("Add", ["x", "x"], ["y"], name="add"),
             helper.make_node("Relu", ["s"], ["z"], name="relu")]
    model = make_model(nodes,
                       [("x", TensorProto.FLOAT, ["n", 3]), ("s", TensorProto.FLOAT, [2, 3])],
                       [("y", TensorProto.FLOAT, ["rows", 3]), ("z", TensorProto.FLOAT, ["m", 3])])
    artifact = exaforge.compile(model)
    assert [o.shape for o in artifact.outputs] == [("rows", 3), (2, 3)]


def test_load_then_run(mlp_artifact):
    session = exaforge.load(str(mlp_artifact.path)).session(threads=1)
    assert session.run([np.zeros((3, 784), np.float32)])["logits"].shape == (3, 10)


def test_load_missing_artifact(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.xf"):
        exaforge.load(tmp_path / "nothing.xf")


def test_load_directory_without_manifest(tmp_path):
    with pytest.raises(exaforge.ArtifactError, match="manifest.json"):
        exaforge.load(tmp_path)


def test_load_file_is_not_an_artifact(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"x")
    with pytest.raises(exaforge.ArtifactError, match="not an artifact directory"):
        exaforge.load(path)


def test_load_corrupt_manifest(mlp_artifact, tmp_path):
    import shutil
    copy = tmp_path / "copy.xf"
    shutil.copytree(mlp_artifact.path, copy)
    (copy / "manifest.json").write_text("{ not json")
    with pytest.raises(exaforge.ArtifactError, match="manifest.json"):
        exaforge.load(copy)


def test_session_threads_must_be_positive(mlp_artifact):
    with pytest.raises(ValueError, match="threads must be a positive integer"):
        mlp_artifact.session(threads=0)
