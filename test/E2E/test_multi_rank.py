"""Multi-rank tests: compile for several ranks with `exaforge compile --ranks
/--dp/--tp/--pp`, run with `exaforge-run -n N` (mpirun, oversubscribed on one
machine), and compare every output with onnxruntime and the number of
collectives with the layout's; plus the collectives on their own and the
launcher's failure handling.

Tolerances are those of test_end_to_end.py (|exaforge - ort| <= atol + rtol *
|ort| elementwise): splitting the batch changes no arithmetic, and tensor
parallelism only splits the sums of the row-parallel layers into partial
sums, well within them; pipeline stages change no arithmetic either. The collectives test is exact.

Run: EXAFORGE=build/bin/exaforge EXAFORGE_RUN=build/bin/exaforge-run \
     .venv/bin/python -m pytest -q test/E2E/test_multi_rank.py
"""

import os
import re
import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "build", "bin")
EXAFORGE = os.environ.get("EXAFORGE", os.path.join(BIN, "exaforge"))
EXAFORGE_RUN = os.environ.get("EXAFORGE_RUN", os.path.join(BIN, "exaforge-run"))
GENERATOR = os.path.join(ROOT, "utils", "gen_example_models.py")
INPUTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs")

sys.path.insert(0, os.path.join(ROOT, "utils"))
from compare_with_onnxruntime import output_file_name, random_feeds  # noqa: E402

# (rtol, atol) per example model, as in test_end_to_end.py.
TOLERANCES = {"mlp": (1e-4, 1e-5), "gpt2": (1e-3, 1e-4), "resnet": (1e-4, 1e-4)}

# (model, layout flags, ranks, collective calls per rank and run): data
# parallelism on 1, 2 and 4 ranks needs no communication; tensor parallelism
# (Megatron) has one all-reduce per column/row-parallel pair: the MLP's fc1/fc2,
# and GPT-2's attention and MLP in each of its 2 blocks. With 4 "tp" ranks
# GPT-2's 2 heads are not split, only its MLPs.
LAYOUTS = [(model, ("--ranks", str(ranks)), ranks, 0)
           for model in sorted(TOLERANCES) for ranks in (1, 2, 4)] + [
    ("mlp", ("--tp", "2"), 2, 1),
    ("mlp", ("--tp", "4"), 4, 1),
    ("mlp", ("--ranks", "4", "--tp", "2"), 4, 1),
    ("gpt2", ("--tp", "2"), 2, 4),
    ("gpt2", ("--tp", "4"), 4, 2),
    ("gpt2", ("--ranks", "4", "--tp", "2"), 4, 4),
] + [
    # Pipeline parallelism (one micro-batch per stage by default, so 2 or 4
    # per run; the batch of 5 splits unevenly into them). A stage sends each
    # value that crosses its cut twice per micro-batch (its shape, then its
    # data); receives are not counted, so the last stage shows 0. The cuts
    # are those of dist-pipeline-partition's cost model (checked in
    # test/Passes/Dist/pipeline-partition.mlir).
    ("mlp", ("--pp", "2"), 2, [4, 0]),            # 1 value x 2 micro-batches
    ("mlp", ("--pp", "4"), 4, [8, 8, 8, 0]),      # 1 value per cut x 4
    ("gpt2", ("--pp", "2"), 2, [8, 0]),           # 2 values x 2
    ("gpt2", ("--pp", "4"), 4, [16, 8, 16, 0]),   # 2, 1, 2 values x 4
    ("resnet", ("--pp", "2"), 2, [8, 0]),         # 2 values x 2
    ("resnet", ("--pp", "4"), 4, [8, 16, 8, 0]),  # 1, 2, 1 values x 4
    # 2x2 mixes: 2 replicas of 2 stages; 2 stages of 2 "tp" ranks, where
    # each rank also runs its stage's all-reduces per micro-batch.
    ("gpt2", ("--ranks", "4", "--pp", "2"), 4, [8, 0, 8, 0]),
    ("gpt2", ("--pp", "2", "--tp", "2"), 4, [16, 16, 4, 4]),
    ("mlp", ("--pp", "2", "--tp", "2"), 4, [4, 4, 2, 2]),
]

# A batch that 2 and 4 ranks split unevenly (3+2, 2+1+1+1).
BATCH = 5

# Stops a hung job long before ctest would.
TIMEOUT = "120"


def run(tool, *args, check=True):
    """Runs `tool` with `args`; returns the completed process."""
    proc = subprocess.run([tool, *map(str, args)], capture_output=True,
                          text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{os.path.basename(tool)} "
                             f"{' '.join(map(str, args))} failed "
                             f"({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def exaforge_run(*args, check=True):
    return run(EXAFORGE_RUN, "--timeout", TIMEOUT, *args, check=check)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Generates the example models."""
    out = tmp_path_factory.mktemp("models")
    subprocess.run([sys.executable, GENERATOR, "--out-dir", str(out)],
                   check=True, capture_output=True)
    return out


def save_feeds(feeds, workdir):
    """Writes the inputs as .npy; returns the --input arguments."""
    args = []
    for name, value in feeds.items():
        path = workdir / f"{name}.npy"
        np.save(path, value)
        args += ["--input", f"{name}={path}"]
    return args


def collective_calls(stdout):
    """The per-rank collective calls from the `collectives per run:` line."""
    line = next(l for l in stdout.splitlines()
                if l.startswith("collectives per run:"))
    return [int(calls) for calls in re.findall(r"rank \d+ (\d+) calls", line)]


@pytest.mark.parametrize("model,flags,ranks,calls", LAYOUTS,
                         ids=[f"{m}-{'-'.join(f)}" for m, f, _, _ in LAYOUTS])
def test_matches_onnxruntime(models, tmp_path, model, flags, ranks, calls):
    onnx_path = models / f"{model}.onnx"
    artifact = tmp_path / f"{model}.xf"
    run(EXAFORGE, "compile", onnx_path, "-o", artifact, *flags)
    session = ort.InferenceSession(str(onnx_path),
                                   providers=["CPUExecutionProvider"])
    feeds = random_feeds(session, BATCH, np.random.default_rng(ranks))
    expected = dict(zip([o.name for o in session.get_outputs()],
                        session.run(None, feeds)))
    proc = exaforge_run("-n", ranks, artifact, *save_feeds(feeds, tmp_path),
                        "--output-dir", tmp_path / "out")
    rtol, atol = TOLERANCES[model]
    for name, want in expected.items():
        got = np.load(tmp_path / "out" / output_file_name(name))
        assert got.shape == want.shape and got.dtype == want.dtype, name
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol,
                                   err_msg=name)
    if isinstance(calls, int):
        calls = [calls] * ranks
    assert collective_calls(proc.stdout) == calls, proc.stdout


@pytest.mark.parametrize("model", ["mlp", "resnet"])
def test_static_batch_splits_over_data_parallel_ranks(models, tmp_path, model):
    """A batch frozen to 4 with --input-shape, as in a model exported with a
    static batch, is split over 2 data-parallel ranks (2 samples each)."""
    onnx_path = models / f"{model}.onnx"
    session = ort.InferenceSession(str(onnx_path),
                                   providers=["CPUExecutionProvider"])
    shapes = []
    for inp in session.get_inputs():
        dims = [str(d) if isinstance(d, int) else "4" for d in inp.shape]
        shapes += ["--input-shape", f"{inp.name}={'x'.join(dims)}"]
    artifact = tmp_path / f"{model}.xf"
    run(EXAFORGE, "compile", onnx_path, "-o", artifact, "--ranks", 2, *shapes)
    feeds = random_feeds(session, 4, np.random.default_rng(4))
    expected = dict(zip([o.name for o in session.get_outputs()],
                        session.run(None, feeds)))
    proc = exaforge_run("-n", 2, artifact, *save_feeds(feeds, tmp_path),
                        "--output-dir", tmp_path / "out")
    rtol, atol = TOLERANCES[model]
    for name, want in expected.items():
        got = np.load(tmp_path / "out" / output_file_name(name))
        assert got.shape == want.shape and got.dtype == want.dtype, name
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol,
                                   err_msg=name)
    assert collective_calls(proc.stdout) == [0, 0], proc.stdout


def test_collectives_on_a_2x2_mesh(tmp_path):
    """Every collective, through the runtime and MPI, against a numpy model
    of its definition (dist dialect); exact."""
    artifact = tmp_path / "collectives.xf"
    run(EXAFORGE, "compile", os.path.join(INPUTS, "collectives.mlir"), "-o",
        artifact)
    x = (np.arange(48, dtype=np.float32).reshape(8, 6) * 0.5 - 3)
    n = np.array([5, -7, 11, 2], dtype=np.int64)
    proc = exaforge_run("-n", 4, artifact,
                        *save_feeds({"x": x, "n": n}, tmp_path),
                        "--output-dir", tmp_path / "out")
    # Rank r = 2 * dp + tp holds rows 2r, 2r+1 of x and element r of n; each
    # output stacks the ranks' results in rank order.
    local = [x[2 * r:2 * r + 2] for r in range(4)]
    rank = lambda dp, tp: 2 * dp + tp  # noqa: E731
    coords = [(r // 2, r % 2) for r in range(4)]
    gathered = np.concatenate(local, axis=1)
    expected = {
        "all_reduce_tp": [local[rank(dp, 0)] + local[rank(dp, 1)]
                          for dp, _ in coords],
        "all_gather_all_dim1": [gathered] * 4,
        "reduce_scatter_tp_dim1": [2 * gathered[:, 12 * tp:12 * tp + 12]
                                   for _, tp in coords],
        "all_to_all_tp": [np.concatenate([local[rank(dp, g)][:, 3 * tp:3 * tp + 3]
                                          for g in range(2)])
                          for dp, tp in coords],
        "broadcast_dp_root1": [local[rank(1, tp)] for _, tp in coords],
        "all_reduce_max_dp": [np.array([max(n[rank(0, tp)], n[rank(1, tp)])])
                              for _, tp in coords],
    }
    for name, parts in expected.items():
        got = np.load(tmp_path / "out" / f"{name}.npy")
        np.testing.assert_array_equal(got, np.concatenate(parts), err_msg=name)
    assert collective_calls(proc.stdout) == [6] * 4, proc.stdout


@pytest.fixture(scope="module")
def mlp2(models, tmp_path_factory):
    """The MLP compiled for 2 data-parallel ranks, and an input file."""
    out = tmp_path_factory.mktemp("mlp2")
    artifact = out / "mlp2.xf"
    run(EXAFORGE, "compile", models / "mlp.onnx", "-o", artifact, "--ranks", 2)
    np.save(out / "x.npy", np.ones((4, 784), np.float32))
    return artifact, f"input={out / 'x.npy'}"


@pytest.mark.parametrize("kind,message", [
    ("error", r"rank 1 on host \S+: injected failure"),
    ("crash", r"rank 1 on host \S+ crashed: SIGSEGV"),
    ("kill", r"rank 1 on host \S+ \(pid \d+\) died without a word: it was "
             r"killed by a signal it cannot catch \(SIGKILL"),
])
def test_a_failing_rank_stops_the_job(mlp2, kind, message):
    """The first line of stderr is Exaforge's, naming the rank and its host;
    mpirun's banner, if any, follows."""
    artifact, input_arg = mlp2
    proc = exaforge_run("-n", 2, artifact, "--input", input_arg,
                        "--inject-failure", f"1:{kind}", check=False)
    assert proc.returncode != 0
    assert re.match(f"exaforge-run: error: {message}", proc.stderr), proc.stderr


def test_a_hanging_rank_is_stopped_by_the_timeout(mlp2):
    artifact, input_arg = mlp2
    proc = run(EXAFORGE_RUN, "-n", 2, artifact, "--input", input_arg,
               "--inject-failure", "0:hang", "--timeout", 3, check=False)
    assert proc.returncode != 0
    assert "did not finish within 3 s" in proc.stderr, proc.stderr


def test_wrong_rank_count_is_an_error(mlp2):
    artifact, input_arg = mlp2
    proc = exaforge_run("-n", 3, artifact, "--input", input_arg, check=False)
    assert proc.returncode != 0
    assert "was compiled for 2 ranks, but -n asks for 3" in proc.stderr


def test_bad_inputs_name_the_problem(mlp2, tmp_path):
    artifact, _ = mlp2
    np.save(tmp_path / "narrow.npy", np.ones((4, 783), np.float32))
    np.save(tmp_path / "short.npy", np.ones((1, 784), np.float32))
    cases = [
        ([], "missing input 'input'"),
        (["--input", f"input={tmp_path / 'narrow.npy'}"],
         "input 'input' must have size 784 in dimension 1, got 783"),
        (["--input", f"input={tmp_path / 'short.npy'}"],
         "split over 2 ranks: give at least one element per rank"),
        (["--input", f"input={tmp_path / 'absent.npy'}"], "absent.npy"),
    ]
    for args, message in cases:
        proc = exaforge_run("-n", 2, artifact, *args, check=False)
        assert proc.returncode != 0, args
        assert message in proc.stderr, (args, proc.stderr)
        assert "rank 0" in proc.stderr, (args, proc.stderr)


def test_single_rank_run_refuses_a_multi_rank_artifact(mlp2):
    artifact, input_arg = mlp2
    proc = run(EXAFORGE, "run", artifact, "--input", input_arg, check=False)
    assert proc.returncode != 0
    assert "compiled for 2 ranks; run it with `exaforge-run -n 2`" in proc.stderr


def test_launch_commands(mlp2):
    """The command exaforge-run starts: mpirun on a workstation, srun inside
    a Slurm allocation."""
    artifact, input_arg = mlp2
    proc = run(EXAFORGE_RUN, "-n", 2, artifact, "--input", input_arg,
               "--dry-run")
    assert re.match(r"\S*mpirun -n 2 --oversubscribe --bind-to none", proc.stdout)
    assert f"--worker --status-dir STATUS_DIR {artifact} --input {input_arg}" \
        in proc.stdout
    env = dict(os.environ, SLURM_JOB_ID="1234")
    proc = subprocess.run([EXAFORGE_RUN, "-n", "2", str(artifact), "--dry-run",
                           "--launcher-arg=--mpi=pmix"],
                          capture_output=True, text=True, env=env, check=True)
    assert re.match(r"\S*srun --ntasks=2 --kill-on-bad-exit=1 --mpi=pmix \S*exaforge-run --worker",
                    proc.stdout), proc.stdout
