"""``exaforge.Session``: an opened artifact that runs on arrays."""

import atexit

from . import _native
from .errors import RunError


def _open_mpi_session(path, threads):
    """A `_mpi.NativeMpiSession` of the artifact at `path` on this rank of
    the MPI job; MPI is finalized at exit."""
    global _mpi_finalize_registered
    try:
        from . import _mpi
    except ImportError as error:
        raise RunError("a multi-rank session needs the runtime's MPI "
                       f"transport (Open MPI): {error}") from None
    if not _mpi_finalize_registered:
        atexit.register(_mpi.finalize)
        _mpi_finalize_registered = True
    return _mpi.NativeMpiSession(path, threads)


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
    """

    def __init__(self, artifact, threads=None):
        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise ValueError(f"threads must be a positive integer, got {threads!r}")
        self.artifact = artifact
        if artifact.world_size > 1:
            self._native = _open_mpi_session(str(artifact.path), threads or 0)
            self.rank = self._native.rank
            self.world_size = self._native.world_size
            artifact._describe(self._native)
        else:
            self._native = _native.NativeSession(str(artifact.path), threads or 0)
            self.rank = 0
            self.world_size = 1
        # The native run, bound once: run() adds only this call.
        self._run = self._native.run

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
        in the order of ``inputs``. An array is NumPy's or any CPU DLPack
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
