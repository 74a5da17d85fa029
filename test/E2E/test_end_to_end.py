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


def test_sigmoid_and_silu_are_accurate_over_their_whole_range(tmp_path):
    """Sigmoid and SiLU (x * Sigmoid(x), the form whose exponential
    convert-math-to-polynomials shortens) on 2^20 values over [-100, 100],
    the ends of f32 and the special values. Against onnxruntime: within
    3e-7 absolute plus 1e-6 relative (onnxruntime's logistic is a rational
    approximation accurate to 1.7e-7 absolute, not relative; SiLU's bound
    is scaled by |x|). Against the sigmoid computed in f64: within 4 ulp
    wherever it is a normal f32 (the exact f32 exponential followed by
    1 / (1 + e) is off by 3.5 ulp), and NaN, +-inf and +-0 as the
    definition gives them."""
    from onnx import TensorProto, helper

    count = 1 << 20
    special = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 88.0, -88.0,
                        -88.5, 88.72, -88.72, -89.0, 1e-40, -1e-40, 3.4e38,
                        -3.4e38, 17.0], np.float32)
    x = np.concatenate([np.linspace(-100, 100, count - special.size,
                                    dtype=np.float32), special])
    vector = [count]
    graph = helper.make_graph(
        [helper.make_node("Sigmoid", ["x"], ["sigmoid"], name="sigmoid"),
         helper.make_node("Sigmoid", ["x"], ["gate"], name="gate"),
         helper.make_node("Mul", ["x", "gate"], ["silu"], name="silu")],
        "sigmoids",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, vector)],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, vector)
         for name in ("sigmoid", "silu")])
    model = tmp_path / "sigmoids.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]),
              str(model))
    artifact = tmp_path / "sigmoids.xf"
    exaforge("compile", model, "-o", artifact)
    actual = run_exaforge(artifact, {"x": x}, tmp_path)
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    expected = dict(zip(["sigmoid", "silu"], session.run(None, {"x": x})))
    np.testing.assert_allclose(actual["sigmoid"], expected["sigmoid"],
                               rtol=1e-6, atol=3e-7)
    # SiLU's absolute error is the sigmoid's times |x|.
    got, want = actual["silu"], expected["silu"]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    finite = np.isfinite(want)
    np.testing.assert_array_equal(got[~finite & ~np.isnan(want)],
                                  want[~finite & ~np.isnan(want)])
    bound = 3e-7 * np.maximum(1, np.abs(x[finite])) + 1e-6 * np.abs(want[finite])
    worst = np.max(np.abs(got[finite] - want[finite]) / bound)
    assert worst <= 1, f"silu off by {worst:.2f} times the bound"

    with np.errstate(over="ignore"):
        exact = 1 / (1 + np.exp(-x.astype(np.float64)))
    sigmoid = actual["sigmoid"]
    normal = exact >= np.finfo(np.float32).tiny
    ulps = (np.abs(sigmoid[normal] - exact[normal])
            / np.spacing(exact[normal].astype(np.float32)))
    assert ulps.max() <= 4, f"sigmoid off by {ulps.max():.2f} ulp"
    numbers = sigmoid[~np.isnan(x)]
    assert np.all(numbers >= 0) and np.all(numbers <= 1)
    np.testing.assert_array_equal(sigmoid[-special.size:][:5],
                                  [np.nan, 1.0, 0.0, 0.5, 0.5])
