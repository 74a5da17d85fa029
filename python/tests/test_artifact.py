"""exaforge.load and Artifact: the description of inputs and outputs, and
the errors of a missing or broken artifact."""

import numpy as np
import pytest

import exaforge


def test_load_describes_the_model(mlp_artifact):
    artifact = exaforge.load(mlp_artifact.path)
    assert artifact.inputs == (exaforge.TensorInfo("input", np.dtype("float32"), ("batch", 784)),)
    (logits,) = artifact.outputs
    assert logits.name == "logits" and logits.dtype == np.float32
    assert logits.shape[1] == 10 and logits.shape[0] in ("batch", None)


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
