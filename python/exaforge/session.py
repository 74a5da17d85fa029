"""``exaforge.Session``: an opened artifact that runs on arrays."""

import atexit

from . import _native, packed
from .errors import RunError


def _open_mpi_session(path, threads, nccl):
    """A `_mpi.NativeMpiSession` of the artifact at `path` on this rank of
    the MPI job, its collectives on NCCL when `nccl`; MPI is finalized at
    exit."""
    global _mpi_finalize_registered
    try:
        from . import _mpi
    except ImportError as error:
        raise RunError("a multi-rank session needs the runtime's MPI "
                       f"transport (Open MPI): {error}") from None
    if not _mpi_finalize_registered:
        atexit.register(_mpi.finalize)
        _mpi_finalize_registered = True
    return _mpi.NativeMpiSession(path, threads, nccl)


class _PackedRun:
    """Runs a model with sequence or optional inputs or outputs
    (exaforge/packed.py): packs those inputs into the runtime's tensors and
    unpacks those outputs."""

    def __init__(self, native, inputs, outputs):
        self._native = native
        self._inputs = inputs
        self._outputs = outputs

    def __call__(self, given):
        if given is None:  # a rank other than 0 of a multi-rank session
            results = self._native.run(None)
            return self._unpack(results) if results else results
        try:
            feeds = self._pack(given)
        except Exception:
            if getattr(self._native, "world_size", 1) > 1:
                # The other ranks are entering the run: a run without inputs
                # fails on every rank, so that none waits for this one.
                try:
                    self._native.run(None)
                except Exception:
                    pass
            raise
        return self._unpack(self._native.run(feeds))

    def _pack(self, given):
        """The runtime's inputs (by name) for the model's inputs `given`."""
        names = " (the model's inputs: " + ", ".join(
            v.name for v in self._inputs) + ")"
        if isinstance(given, dict):
            for name in given:
                if not any(v.name == name for v in self._inputs):
                    raise ValueError(f"unknown input '{name}'{names}")
            values = []
            for value in self._inputs:
                if value.name not in given:
                    raise ValueError(f"missing input '{value.name}'{names}")
                values.append(given[value.name])
            feeds = {}
        elif isinstance(given, (list, tuple)):
            if len(given) != len(self._inputs):
                raise ValueError(f"the model takes {len(self._inputs)} inputs, "
                                 f"got {len(given)}{names}")
            feeds, values = {}, list(given)
        else:
            raise TypeError("run() takes a dict of arrays by input name or a "
                            "list of arrays in input order")
        for value, argument in zip(self._inputs, values):
            if value.kind == packed.TENSOR:
                feeds[value.name] = argument
            else:
                feeds.update(zip(value.parts, packed.pack(value, argument)))
        return feeds

    def _unpack(self, results):
        """The outputs `results` (by part name) as the model's values."""
        outputs = {}
        for value in self._outputs:
            if value.kind == packed.TENSOR:
                outputs[value.name] = results[value.name]
            else:
                outputs[value.name] = packed.unpack(
                    value, [results[name] for name in value.parts])
        return outputs


#: Whether `_mpi.finalize` is registered to run at exit.
_mpi_finalize_registered = False


class Session:
    """An artifact opened for running (``Artifact.session()``).

    ``run`` may be called from several threads at once; the Python lock is
    released while the model runs.

    An artifact compiled for several ranks opens in every process of an MPI
    job of that many processes, each process one rank (``rank``,
    ``world_size``). Opening and running are then collective: every process
    makes the same calls in the same order. Rank 0 gives the inputs of a run
    and receives the whole outputs; the other ranks' inputs are not read
    (pass None) and they receive an empty dict. MPI is initialized on the
    first such session unless the program did it (mpi4py), and finalized at
    exit if Exaforge initialized it. A rank that fails inside a run where
    the others may wait for it ends the job (MPI_Abort), after printing why.
    The compiled code's collectives run on `communicator`: "auto" (NCCL for
    an artifact compiled with ``target="cuda"``, MPI for a CPU one), "mpi",
    or "nccl" (CUDA artifacts only), as ``exaforge-run --communicator``.
    """

    def __init__(self, artifact, threads=None, communicator="auto"):
        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise ValueError(f"threads must be a positive integer, got {threads!r}")
        if communicator not in ("auto", "mpi", "nccl"):
            raise ValueError("communicator must be 'auto', 'mpi' or 'nccl', "
                             f"got {communicator!r}")
        if communicator == "nccl" and artifact.target != "cuda":
            raise ValueError("communicator 'nccl' needs a CUDA artifact "
                             "(compiled with target='cuda'); "
                             f"{artifact.path} was compiled for {artifact.target!r}")
        self.artifact = artifact
        if artifact.world_size > 1:
            nccl = communicator == "nccl" or (communicator == "auto" and
                                               artifact.target == "cuda")
            self._native = _open_mpi_session(str(artifact.path), threads or 0,
                                             nccl)
            self.rank = self._native.rank
            self.world_size = self._native.world_size
            artifact._describe(self._native)
        else:
            self._native = _native.NativeSession(str(artifact.path), threads or 0)
            self.rank = 0
            self.world_size = 1
        inputs = packed.group_values(self._native.inputs)
        outputs = packed.group_values(self._native.outputs)
        if all(v.kind == packed.TENSOR for v in inputs + outputs):
            # The native run, bound once: run() adds only this call.
            self._run = self._native.run
        else:
            self._run = _PackedRun(self._native, inputs, outputs)

    @property
    def inputs(self):
        """The model's inputs (``TensorInfo``), in order."""
        return self.artifact.inputs

    @property
    def outputs(self):
        """The model's outputs (``TensorInfo``), in order."""
        return self.artifact.outputs

    def run(self, inputs):
        """Runs the model and returns a dict from output names to NumPy arrays.

        ``inputs`` is a dict from input names to arrays, or a list of arrays
        in the order of ``inputs``. A sequence input is a list of arrays, an
        optional one an array (or list) or None; such outputs come back the
        same way. An array is NumPy's or any CPU DLPack
        producer's (a PyTorch CPU tensor); it is used without a copy when it
        is C-contiguous, and copied into a contiguous array otherwise. Its
        element type must be the input's: a wrong one, or a shape the model
        does not take, raises ``InvalidArgumentError`` naming the input
        (bfloat16 inputs may be given as uint16 bit patterns). Lists and
        numbers are converted to arrays of the input's element type.
        """
        return self._run(inputs)

    @property
    def last_run_copied_inputs(self):
        """How many inputs the last run had to copy or convert (0 when every
        input was used in place)."""
        return self._native.last_run_copied_inputs
