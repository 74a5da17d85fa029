"""exaforge.plan: the planner's answer equals what ``exaforge plan`` prints
for the same arguments (every number of ``--json``, the chosen layout of the
table), and every error path (an unknown preset, bad nodes and batch, a node
count the machine lacks, a bad model, a model that fits nowhere)."""

import dataclasses
import json
import os
import subprocess
import sys

import pytest

import exaforge
from conftest import GENERATOR, ROOT

#: The machine descriptions of the lit tests of `exaforge plan`.
MACHINES = os.path.join(ROOT, "test", "Driver", "Inputs", "machines")


def exaforge_command():
    """The `exaforge` executable next to the package in the build tree
    (build/python/exaforge -> build/bin/exaforge)."""
    path = os.path.join(os.path.dirname(exaforge.__file__), os.pardir,
                        os.pardir, "bin", "exaforge")
    assert os.access(path, os.X_OK), f"no exaforge executable at {path}"
    return os.path.normpath(path)


def run_plan_command(*args):
    """The standard output of `exaforge plan ARGS`."""
    return subprocess.run([exaforge_command(), "plan", *map(str, args)],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def wide_gpt2(tmp_path_factory):
    """A GPT-2-style model whose weights do not fit one device of
    test-gpu4-6mib (as in test/Driver/plan-errors.test)."""
    out = tmp_path_factory.mktemp("wide")
    subprocess.run([sys.executable, GENERATOR, "--out-dir", str(out),
                    "--model", "gpt2", "--hidden", "512", "--heads", "4",
                    "--layers", "2", "--seq", "8", "--vocab", "256"],
                   check=True, capture_output=True)
    return out / "gpt2.onnx"


@pytest.mark.parametrize("machine,nodes,batch", [
    ("lumi-g", 2, None),
    ("jupiter-booster", 1, 16),
])
def test_plan_equals_the_command(model_dir, machine, nodes, batch):
    model = model_dir / "gpt2.onnx"
    plan = exaforge.plan(model, machine=machine, nodes=nodes, batch=batch)
    batch_args = ["--batch", batch] if batch else []
    document = json.loads(run_plan_command(
        model, "--machine", machine, "--nodes", nodes, "--json", "--top",
        "1000", *batch_args))

    assert plan.machine == exaforge.PlanMachine(
        document["machine"], document["devices_per_node"],
        document["device_memory_bytes"])
    assert (plan.nodes, plan.ranks, plan.batch, plan.symbolic_batch) == (
        document["nodes"], document["ranks"], document["batch"],
        document["symbolic_batch"])
    assert list(plan.notes) == document["notes"]
    assert len(plan.layouts) == document["layouts_that_fit"] > 1
    for layout, expected in zip(plan.layouts, document["layouts"]):
        expected = {k: v for k, v in expected.items() if k != "rank"}
        expected["stage_first_ops"] = tuple(expected["stage_first_ops"])
        # JSON prints doubles to the last digit: the numbers are equal.
        assert dataclasses.asdict(layout) == expected

    # The table's best row is the chosen layout.
    table = run_plan_command(model, "--machine", machine, "--nodes", nodes,
                             *batch_args).splitlines()
    best_row = next(line.split() for line in table
                    if line.split()[:1] == ["1"])
    assert best_row[-1] == "best"
    assert [int(x) for x in best_row[1:5]] == [
        plan.best.dp, plan.best.tp, plan.best.pp, plan.best.microbatches]
    assert plan.best.why_not_best == ""
    assert plan.best.dp * plan.best.tp * plan.best.pp == plan.ranks


def test_plan_from_bytes_equals_plan_from_path(model_dir):
    model = model_dir / "gpt2.onnx"
    from_path = exaforge.plan(model, machine="lumi-g", nodes=1)
    from_bytes = exaforge.plan(model.read_bytes(), machine="lumi-g", nodes=1)
    assert from_bytes == from_path


def test_plan_with_a_machine_file(model_dir):
    plan = exaforge.plan(model_dir / "gpt2.onnx",
                         machine=os.path.join(MACHINES, "test-gpu4.yaml"),
                         nodes=2)
    assert plan.machine.name == "test-gpu4"
    assert plan.ranks == 8


def test_unknown_preset_names_it_and_the_presets(model_dir):
    with pytest.raises(exaforge.PlanError,
                       match="no-such-machine.*nor is it a preset: "
                             "jupiter-booster") as error:
        exaforge.plan(model_dir / "gpt2.onnx", machine="no-such-machine",
                      nodes=1)
    assert "cannot read the machine description" in error.value.message


@pytest.mark.parametrize("nodes", [0, -1, 1.5, True])
def test_bad_nodes(model_dir, nodes):
    with pytest.raises(exaforge.InvalidArgumentError,
                       match=f"nodes must be a positive integer, got {nodes!r}"):
        exaforge.plan(model_dir / "gpt2.onnx", machine="lumi-g", nodes=nodes)


def test_bad_batch_and_option(model_dir):
    with pytest.raises(exaforge.InvalidArgumentError,
                       match="batch must be a positive integer, got -4"):
        exaforge.plan(model_dir / "gpt2.onnx", machine="lumi-g", nodes=1,
                      batch=-4)
    with pytest.raises(TypeError, match="unknown plan option 'top'"):
        exaforge.plan(model_dir / "gpt2.onnx", machine="lumi-g", nodes=1,
                      top=3)


def test_more_nodes_than_the_machine_has(model_dir):
    with pytest.raises(exaforge.PlanError,
                       match="machine 'test-gpu4' has 64 nodes, not 65"):
        exaforge.plan(model_dir / "gpt2.onnx",
                      machine=os.path.join(MACHINES, "test-gpu4.yaml"),
                      nodes=65)


def test_bad_model():
    with pytest.raises(exaforge.PlanError) as error:
        exaforge.plan(b"not an onnx model", machine="lumi-g", nodes=1)
    assert error.value.diagnostics
    assert "<bytes>" in str(error.value)
    with pytest.raises(FileNotFoundError, match="no such model file"):
        exaforge.plan("no-such-model.onnx", machine="lumi-g", nodes=1)


def test_model_that_fits_nowhere(wide_gpt2):
    machine = os.path.join(MACHINES, "test-gpu4-6mib.yaml")
    with pytest.raises(exaforge.PlanError,
                       match=r"gpt2.onnx does not fit on 1 node of "
                             r"test-gpu4-6mib \(4 ranks\): the layout needing "
                             r"the least memory, dp 1 x tp \d x pp \d, needs "
                             r".* a device has 6.0 MiB"):
        exaforge.plan(wide_gpt2, machine=machine, nodes=1)
    # Two nodes hold it.
    assert exaforge.plan(wide_gpt2, machine=machine, nodes=2).layouts
