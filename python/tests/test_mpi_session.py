"""Multi-rank artifacts in Python: `exaforge.load(path).session()` in each
process of `mpirun -n N python mpi_rank.py` (oversubscribed on this
machine). Rank 0's outputs equal onnxruntime's on the original model, with
the end-to-end tests' tolerances (|exaforge - ort| <= atol + rtol * |ort|:
mlp 1e-4 and 1e-5, gpt2 1e-3 and 1e-4); the other ranks get none; a job of
the wrong size, and inputs rank 0 rejects, fail every rank without
hanging."""

import os
import shutil
import subprocess
import sys

import numpy as np
import onnxruntime
import pytest

import exaforge
from conftest import random_input

HERE = os.path.dirname(os.path.abspath(__file__))
RANK_SCRIPT = os.path.join(HERE, "mpi_rank.py")
TOLERANCES = {"mlp": (1e-4, 1e-5), "gpt2": (1e-3, 1e-4)}

pytestmark = pytest.mark.skipif(shutil.which("mpirun") is None,
                                reason="no mpirun (Open MPI) on PATH")


def reports(directory):
    """The reports of mpi_rank.py's ranks in `directory`, in rank order."""
    return [path.read_text().strip()
            for path in sorted(directory.glob("report-*.txt"))]


def mpirun(ranks, *args, env_extra=None):
    """Runs mpi_rank.py on `ranks` processes (with `env_extra` added to the
    environment); returns the completed process."""
    env = dict(os.environ, **(env_extra or {}))
    if os.geteuid() == 0:  # containers; Open MPI refuses root otherwise
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    command = ["mpirun", "-n", str(ranks), "--oversubscribe", "--bind-to", "none",
               sys.executable, RANK_SCRIPT, *map(str, args)]
    return subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("model, layout", [("mlp", {"dp": 2}), ("mlp", {"tp": 2}),
                                           ("gpt2", {"tp": 2})])
def test_rank_zero_gets_onnxruntimes_outputs(model_dir, tmp_path, model, layout):
    model_path = model_dir / f"{model}.onnx"
    single = exaforge.compile(model_path)
    rng = np.random.default_rng(0)
    feeds = {i.name: random_input(i, 4, rng) for i in single.inputs}
    np.savez(tmp_path / "inputs.npz", **feeds)
    exaforge.compile(model_path, output=tmp_path / "model.xf", **layout)

    job = mpirun(2, tmp_path / "model.xf", tmp_path / "inputs.npz",
                 tmp_path / "outputs.npz")
    assert job.returncode == 0, job.stdout + job.stderr
    lines = reports(tmp_path)
    names = [i.name for i in single.inputs]
    outputs = sorted(o.name for o in single.outputs)
    assert lines == [
        f"rank 0 of 2: inputs {names}, outputs {outputs}, described before open: False",
        f"rank 1 of 2: inputs {names}, outputs [], described before open: False"]

    got = np.load(tmp_path / "outputs.npz")
    reference = onnxruntime.InferenceSession(str(model_path),
                                             providers=["CPUExecutionProvider"])
    want = dict(zip([o.name for o in reference.get_outputs()],
                    reference.run(None, feeds)))
    rtol, atol = TOLERANCES[model]
    for name in outputs:
        np.testing.assert_allclose(got[name], want[name], rtol=rtol, atol=atol,
                                   err_msg=f"{model} {layout} output {name}")


def test_a_job_of_the_wrong_size_is_refused_on_every_rank(model_dir, tmp_path):
    exaforge.compile(model_dir / "mlp.onnx", output=tmp_path / "model.xf", dp=2)
    np.savez(tmp_path / "inputs.npz", input=np.zeros((2, 784), np.float32))
    job = mpirun(3, tmp_path / "model.xf", tmp_path / "inputs.npz",
                 tmp_path / "outputs.npz")
    assert job.returncode != 0
    errors = reports(tmp_path)
    assert len(errors) == 3, job.stdout + job.stderr
    for line in errors:
        assert line.startswith("rank error InvalidArgumentError: "), line
        assert "2 ranks" in line and "3" in line, line


def test_rank_zeros_bad_inputs_fail_every_rank(model_dir, tmp_path):
    # Rank 0 finds its inputs misnamed before the run; the other rank is
    # already in it and must not wait for rank 0 forever.
    exaforge.compile(model_dir / "mlp.onnx", output=tmp_path / "model.xf", dp=2)
    np.savez(tmp_path / "inputs.npz", input=np.zeros((2, 784), np.float32))
    job = mpirun(2, tmp_path / "model.xf", tmp_path / "inputs.npz",
                 tmp_path / "outputs.npz", "--misnamed-inputs")
    assert job.returncode != 0
    errors = reports(tmp_path)
    assert len(errors) == 2, job.stdout + job.stderr
    assert errors[0].startswith("rank error ValueError: missing input 'input'"), errors
    assert errors[1].startswith("rank error InvalidArgumentError: rank 0: "), errors


TP_MATMULS = os.path.join(HERE, "..", "..", "test", "Runtime", "Inputs",
                          "tp-matmuls.onnxtext")
CUDA_FAKES = os.environ.get("EXAFORGE_TEST_LIBRARY_DIR")


@pytest.mark.skipif(not os.environ.get("EXAFORGE_CUDA_TOOLKIT") or not CUDA_FAKES,
                    reason="no CUDA toolkit for the compile, or no fake CUDA "
                           "libraries (EXAFORGE_CUDA_TOOLKIT, "
                           "EXAFORGE_TEST_LIBRARY_DIR unset)")
@pytest.mark.parametrize("communicator, nccl_calls", [("auto", 2), ("mpi", 0)])
def test_cuda_ranks_reduce_over_nccl(tmp_path, communicator, nccl_calls):
    # Two tensor-parallel ranks of a CUDA artifact whose values all come from
    # cuBLASLt calls and one all-reduce, on the fake CUDA driver, cuBLASLt
    # and NCCL (no GPU): "auto" reduces over NCCL (one call per rank, in the
    # fake NCCL's log), "mpi" over MPI; both give onnxruntime's outputs
    # within 1e-5 + 1e-5 * |ort|.
    import onnx
    import onnx.parser
    with open(TP_MATMULS) as f:
        model = onnx.parser.parse_model(f.read())
    onnx.save(model, tmp_path / "tp.onnx")
    exaforge.compile(tmp_path / "tp.onnx", output=tmp_path / "model.xf",
                     target="cuda", tp=2,
                     cuda_toolkit=os.environ["EXAFORGE_CUDA_TOOLKIT"])
    feeds = {"x": np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)}
    np.savez(tmp_path / "inputs.npz", **feeds)
    log = tmp_path / "nccl.log"
    job = mpirun(2, tmp_path / "model.xf", tmp_path / "inputs.npz",
                 tmp_path / "outputs.npz", "--communicator", communicator,
                 env_extra={
                     "EXAFORGE_CUDA_DRIVER": os.path.join(CUDA_FAKES, "libexaforge_fake_cuda.so"),
                     "EXAFORGE_CUBLASLT": os.path.join(CUDA_FAKES, "libexaforge_fake_cublaslt.so"),
                     "EXAFORGE_NCCL": os.path.join(CUDA_FAKES, "libexaforge_fake_nccl.so"),
                     "FAKE_CUDA_DEVICES": "2", "FAKE_NCCL_LOG": str(log)})
    assert job.returncode == 0, job.stdout + job.stderr
    calls = log.read_text().count("ncclAllReduce") if log.exists() else 0
    # Two runs (mpi_rank.py runs twice) on each of the 2 ranks.
    assert calls == 2 * nccl_calls, log.read_text() if log.exists() else ""
    reference = onnxruntime.InferenceSession(str(tmp_path / "tp.onnx"),
                                             providers=["CPUExecutionProvider"])
    want = reference.run(None, feeds)[0]
    np.testing.assert_allclose(np.load(tmp_path / "outputs.npz")["y"], want,
                               rtol=1e-5, atol=1e-5)


def test_nccl_for_a_cpu_artifact_is_refused(model_dir):
    artifact = exaforge.compile(model_dir / "mlp.onnx")
    with pytest.raises(ValueError, match="communicator 'nccl' needs a CUDA artifact"):
        artifact.session(communicator="nccl")
    with pytest.raises(ValueError, match="communicator must be 'auto', 'mpi' or 'nccl'"):
        artifact.session(communicator="gloo")
