"""``exaforge.Session``: an opened artifact that runs on arrays."""

from . import _native


class Session:
    """An artifact opened for running (``Artifact.session()``).

    ``run`` may be called from several threads at once; the Python lock is
    released while the model runs.
    """

    def __init__(self, artifact, threads=None):
        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise ValueError(f"threads must be a positive integer, got {threads!r}")
        self.artifact = artifact
        self._native = _native.NativeSession(str(artifact.path), threads or 0)
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
