"""``exaforge.plan``: the layouts dp x tp x pp of a model on a machine.

The planner of ``exaforge plan`` (compiler/Plan/PlanModelFile.h) runs in
this process; its answer comes back as the dataclasses ``Plan``,
``PlanLayout`` and ``PlanMachine``, with the numbers ``exaforge plan
--json`` prints.
"""

import os
import tempfile
from dataclasses import dataclass

from . import _native
from .compiler import _diagnostics, _model_file
from .errors import Error, InvalidArgumentError

#: The planner options ``plan`` takes as keywords, with their defaults:
#: micro-batches of every pipeline layout (``exaforge plan --microbatches``;
#: 0: the best count of each).
OPTIONS = {
    "microbatches": 0,
}


class PlanError(Error):
    """The planner could not plan the model: an unknown machine preset, a
    bad machine description, a model it cannot import or analyse, or a
    model that fits on no layout.

    ``diagnostics`` holds the compiler's errors and notes (empty for a model
    that fits nowhere); ``message`` is the first error's message, or the
    sentence ``exaforge plan`` prints for a model that fits nowhere.
    """

    def __init__(self, message, diagnostics=()):
        self.diagnostics = list(diagnostics)
        self.message = message
        lines = [str(d) for d in self.diagnostics] or [message]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class PlanMachine:
    """The machine planned for: its name (the preset's or the description
    file's), the devices of one node and the memory of one device."""

    name: str
    devices_per_node: int
    device_memory_bytes: float


@dataclass(frozen=True)
class PlanLayout:
    """One layout that fits, as a row of ``exaforge plan --json``: dp data
    replicas x tp tensor-parallel ranks x pp pipeline stages, the
    micro-batches, the predicted seconds of one step and their parts, the
    bytes one device needs and their parts, the bytes communicated per step,
    and why it loses to the best (empty for the best)."""

    dp: int
    tp: int
    pp: int
    microbatches: int
    microbatch_size: int
    stage_first_ops: tuple
    predicted_step_seconds: float
    compute_seconds: float
    collective_seconds: float
    send_recv_seconds: float
    bubble_seconds: float
    memory_per_device_bytes: float
    weight_bytes_per_device: float
    activation_bytes_per_device: float
    buffer_bytes_per_device: float
    comm_bytes_per_step: float
    tp_comm_bytes_per_step: float
    pp_comm_bytes_per_step: float
    tp_collectives_per_step: int
    tp_all_reduces_per_step: int
    tp_nodes_spanned: int
    why_not_best: str


@dataclass(frozen=True)
class Plan:
    """The planner's answer: the machine, the nodes and ranks, the global
    batch (``symbolic_batch`` False when the model's batch is static), every
    layout that fits, best first (``best`` is the first), and the planner's
    notes on layouts it could not price."""

    machine: PlanMachine
    nodes: int
    ranks: int
    batch: int
    symbolic_batch: bool
    layouts: tuple
    notes: tuple

    @property
    def best(self) -> PlanLayout:
        """The layout with the least predicted step time."""
        return self.layouts[0]


def _positive(name, value, allow_zero):
    """Raises InvalidArgumentError unless `value` is a positive integer (or
    0 when `allow_zero`)."""
    if (isinstance(value, bool) or not isinstance(value, int)
            or value < (0 if allow_zero else 1)):
        raise InvalidArgumentError(
            f"{name} must be a positive integer, got {value!r}")


def plan(model, *, machine, nodes, batch=None, **options) -> Plan:
    """Plans `model` on `nodes` nodes of `machine`, as ``exaforge plan MODEL
    --machine MACHINE --nodes NODES [--batch BATCH]``.

    model: a path (``.onnx`` or ``.onnxtext``), the bytes of an ONNX model,
      or an ``onnx.ModelProto``; only shapes are read, never weights.
    machine: a preset name (``exaforge machines`` lists them) or the path of
      a machine description file (docs/design/machine-descriptions.md).
    nodes: the nodes the job uses (ranks = nodes x devices per node).
    batch: the global batch of one step (default: one sample per rank).
    options: the keywords of ``OPTIONS``.

    Raises ``InvalidArgumentError`` for nodes, batch or an option that is not
    a positive integer, TypeError for an unknown option, FileNotFoundError
    for a missing model file, and ``PlanError`` (naming the problem) for an
    unknown preset, a bad description, a model the planner cannot read, or a
    model that fits on no layout.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unknown plan option '{unknown[0]}' (the options: "
                        + ", ".join(OPTIONS) + ")")
    settings = {**OPTIONS, **options}
    _positive("nodes", nodes, allow_zero=False)
    if batch is not None:
        _positive("batch", batch, allow_zero=False)
    _positive("microbatches", settings["microbatches"], allow_zero=True)
    machine = os.fspath(machine)

    with tempfile.TemporaryDirectory(prefix="exaforge-") as scratch:
        model_path, shown_name = _model_file(model, scratch)
        answer, diagnostics = _native.plan_model(
            model_path, machine, nodes, batch or 0, settings["microbatches"])

    if answer is None:
        found = _diagnostics(diagnostics, model_path, shown_name)
        first = found[0].message if found else "planning failed"
        raise PlanError(first, found)
    if answer["no_fit"]:
        no_fit = answer["no_fit"]
        raise PlanError(no_fit.replace(model_path, shown_name)
                        if shown_name else no_fit)
    layouts = tuple(
        PlanLayout(**{**layout,
                      "stage_first_ops": tuple(layout["stage_first_ops"])})
        for layout in answer["layouts"])
    return Plan(
        machine=PlanMachine(answer["machine"], answer["devices_per_node"],
                            answer["device_memory_bytes"]),
        nodes=nodes, ranks=answer["ranks"], batch=answer["batch"],
        symbolic_batch=answer["symbolic_batch"], layouts=layouts,
        notes=tuple(answer["notes"]))
