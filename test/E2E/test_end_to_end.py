"""End-to-end tests: compile ONNX models with `exaforge compile`, run them with
`exaforge run`, and compare every output with onnxruntime.

Tolerances (stated per test): float32 results may differ from onnxruntime by
reassociation of sums and by the approximations of exp/erf/tanh, so outputs
must satisfy |exaforge - ort| <= atol + rtol * |ort| elementwise.

Run: EXAFORGE=build/bin/exaforge .venv/bin/python -m pytest -q test/E2E
"""

import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAFORGE = os.environ.get("EXAFORGE", os.path.join(ROOT, "build", "bin", "exaforge"))
GENERATOR = os.path.join(ROOT, "utils", "gen_example_models.py")

# The random inputs shared with utils/compare_with_onnxruntime.py.
sys.path.insert(0, os.path.join(ROOT, "utils"))
from compare_with_onnxruntime import random_feeds  # noqa: E402

# (rtol, atol) per example model; see the module docstring.
TOLERANCES = {"mlp": (1e-4, 1e-5), "gpt2": (1e-3, 1e-4), "resnet": (1e-4, 1e-4)}


def exaforge(*args, check=True):
    """Runs the exaforge driver and returns the completed process."""
    proc = subprocess.run([EXAFORGE, *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"exaforge {' '.join(map(str, args))} failed "
                             f"({proc.returncode}):\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """Generates the example models and compiles each into an artifact."""
    out = tmp_path_factory.mktemp("models")
    subprocess.run([sys.executable, GENERATOR, "--out-dir", str(out)], check=True,
                   capture_output=True)
    artifacts = {}
    for name in TOLERANCES:
        model = out / f"{name}.onnx"
        artifact = out / f"{name}.xf"
        exaforge("compile", model, "-o", artifact)
        artifacts[name] = (model, artifact)
    return artifacts


def run_exaforge(artifact, feeds, workdir):
    """Runs the artifact on `feeds` through `exaforge run` (.npy in and out)."""
    args = ["run", artifact, "--output-dir", workdir / "out"]
    for name, value in feeds.items():
        path = workdir / f"{name}.npy"
        np.save(path, value)
        args += ["--input", f"{name}={path}"]
    exaforge(*args)
    return {os.path.splitext(f)[0]: np.load(workdir / "out" / f)
            for f in os.listdir(workdir / "out")}


def check_against_onnxruntime(model, artifact, batch, tolerances, workdir):
    """Runs `model` in onnxruntime and `artifact` with exaforge on the same
    random inputs of `batch`; every output must match within `tolerances`
    ((rtol, atol))."""
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    feeds = random_feeds(session, batch, np.random.default_rng(batch))
    expected = dict(zip([o.name for o in session.get_outputs()],
                        session.run(None, feeds)))
    actual = run_exaforge(artifact, feeds, workdir)
    assert sorted(actual) == sorted(expected)
    rtol, atol = tolerances
    for key, want in expected.items():
        got = actual[key]
        assert got.shape == want.shape and got.dtype == want.dtype, key
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=key)


@pytest.mark.parametrize("name", sorted(TOLERANCES))
@pytest.mark.parametrize("batch", [1, 3])
def test_matches_onnxruntime(compiled, tmp_path, name, batch):
    model, artifact = compiled[name]
    check_against_onnxruntime(model, artifact, batch, TOLERANCES[name],
                              tmp_path)


def test_external_data_matches_onnxruntime(tmp_path):
    """A model whose large initializers are external data compiles (the
    importer reads them from the data file straight into the weights) and
    runs as onnxruntime does: the GPT-2 example with GPT-2's vocabulary of
    50257 tokens, so that its embedding is a 12.9 MB external tensor
    (gpt2 tolerances)."""
    subprocess.run([sys.executable, GENERATOR, "--out-dir", str(tmp_path),
                    "--model", "gpt2", "--vocab", "50257",
                    "--external-data", "gpt2.weights"], check=True,
                   capture_output=True)
    model = tmp_path / "gpt2.onnx"
    proto = onnx.load(str(model), load_external_data=False)
    external = [t for t in proto.graph.initializer
                if t.data_location == onnx.TensorProto.EXTERNAL]
    assert max(int(np.prod(t.dims)) * 4 for t in external) > 12_000_000
    assert os.path.getsize(model) < 1_000_000  # the weights are not inline
    artifact = tmp_path / "gpt2.xf"
    exaforge("compile", model, "-o", artifact)
    check_against_onnxruntime(model, artifact, 2, TOLERANCES["gpt2"],
                              tmp_path)


def test_wrong_input_shape_is_an_error(compiled, tmp_path):
    _, artifact = compiled["mlp"]
    np.save(tmp_path / "x.npy", np.zeros((2, 783), np.float32))
    proc = exaforge("run", artifact, "--input", f"input={tmp_path / 'x.npy'}",
                    check=False)
    assert proc.returncode != 0
    assert "input" in proc.stderr and "784" in proc.stderr, proc.stderr


def test_missing_input_is_an_error(compiled):
    _, artifact = compiled["mlp"]
    proc = exaforge("run", artifact, check=False)
    assert proc.returncode != 0
    assert "input" in proc.stderr, proc.stderr


def parse_mebibytes(line, label):
    """Returns the MiB figure after `label` in a `memory:` summary line."""
    value = line.split(label, 1)[1].split("MiB", 1)[0]
    return float(value)


def test_intermediate_buffers_are_reused(compiled, tmp_path):
    """Lifetime-based reuse: the GPT-2 block stack's peak of live buffers is
    well below the sum of everything it allocates in a run (without reuse the
    two are equal)."""
    _, artifact = compiled["gpt2"]
    ids = np.random.default_rng(0).integers(0, 256, size=(4, 16), dtype=np.int64)
    np.save(tmp_path / "ids.npy", ids)
    # --benchmark prints the buffer pool's statistics (the timing is ignored).
    proc = exaforge("run", artifact, "--input", f"input_ids={tmp_path / 'ids.npy'}",
                    "--benchmark", 1)
    line = next(l for l in proc.stdout.splitlines() if l.startswith("memory:"))
    peak = parse_mebibytes(line, "peak live")
    allocated = parse_mebibytes(line, "allocated per run")
    assert peak <= 0.5 * allocated, line
