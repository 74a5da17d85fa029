"""``exaforge.Artifact``: a compiled model on disk, and ``exaforge.load``."""

import json
import os
import shutil
import weakref
from pathlib import Path
from typing import NamedTuple, Optional, Tuple, Union

import numpy as np

from . import _native, packed
from .errors import ArtifactError, InvalidArgumentError
from .session import Session


class TensorInfo(NamedTuple):
    """An input or output of a model.

    ``dtype`` is a NumPy dtype (``ml_dtypes.bfloat16`` for bfloat16 when
    ml_dtypes is installed, else the string "bfloat16"); each entry of
    ``shape`` is a size, the name of a symbolic dimension ("batch"), or None
    for a dimension known only at run time that has no name.

    ``kind`` is "tensor", or for an ONNX sequence or optional "sequence",
    "optional_tensor" or "optional_sequence" (``Session.run`` takes and
    gives them as a list of arrays, an array or None, a list or None); its
    ``dtype`` is then its tensors' and its ``shape`` None.
    """

    name: str
    dtype: object
    shape: Optional[Tuple[Union[int, str, None], ...]]
    kind: str = packed.TENSOR


def _numpy_dtype(name):
    """The NumPy dtype of the runtime's element type `name`."""
    if name == "bfloat16":
        try:
            import ml_dtypes
        except ImportError:
            return name
        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(name)


def _describe_values(entries):
    """The `TensorInfo`s of the runtime's inputs or outputs `entries`
    ((name, dtype name, shape)), the parts of a sequence or optional as one
    value."""
    return tuple(TensorInfo(v.name, _numpy_dtype(v.dtype), v.shape, v.kind)
                 for v in packed.group_values(entries))


class Artifact:
    """A compiled model: the artifact directory ``path`` that ``compile``
    wrote or ``load`` opened.

    An artifact compiled into a temporary directory (``compile`` without
    ``output``) removes it when the Artifact object and its sessions are
    gone.
    """

    def __init__(self, path, *, temporary_dir=None):
        self.path = Path(path)
        self._description = None
        self._world_size = None
        if temporary_dir is not None:
            self._cleanup = weakref.finalize(
                self, shutil.rmtree, temporary_dir, ignore_errors=True)

    @property
    def world_size(self):
        """How many ranks the artifact was compiled for (the manifest's
        ``ranks.world_size``; 1 for an artifact of one rank)."""
        if self._world_size is None:
            manifest = self.path / "manifest.json"
            try:
                with open(manifest) as f:
                    ranks = json.load(f).get("ranks", {})
                self._world_size = int(ranks.get("world_size", 1))
            except (OSError, ValueError, AttributeError, TypeError) as error:
                raise ArtifactError(f"'{manifest}': cannot read the ranks "
                                    f"of the artifact: {error}") from None
        return self._world_size

    @property
    def target(self):
        """What the artifact was compiled for: "cpu" or "cuda" (the
        manifest's ``target.name``). A CUDA artifact runs on the GPU of the
        process's local rank; opening its session (and describing its
        inputs and outputs) needs that GPU."""
        manifest = self.path / "manifest.json"
        try:
            with open(manifest) as f:
                target = json.load(f).get("target", {})
            return str(target.get("name", "cpu"))
        except (OSError, ValueError, AttributeError, TypeError) as error:
            raise ArtifactError(f"'{manifest}': cannot read the target of "
                                f"the artifact: {error}") from None

    def _describe(self, native=None):
        """Reads the inputs and outputs from the runtime (once): from
        `native`, a session just opened, or else from a session of one rank
        opened and closed again (the runtime is what reads and checks the
        manifest)."""
        if self._description is None:
            if native is None:
                if self.world_size > 1:
                    raise InvalidArgumentError(
                        f"'{self.path}' was compiled for {self.world_size} "
                        "ranks: its inputs and outputs are described once a "
                        "session is open, which takes the processes of an MPI "
                        f"job (`mpirun -n {self.world_size} python "
                        "script.py` or srun, Artifact.session() in each); "
                        f"or run it with `exaforge-run -n {self.world_size}`")
                native = _native.NativeSession(str(self.path), 1)
            self._description = (_describe_values(native.inputs),
                                 _describe_values(native.outputs))
        return self._description

    @property
    def inputs(self):
        """The model's inputs (``TensorInfo``), in order."""
        return self._describe()[0]

    @property
    def outputs(self):
        """The model's outputs (``TensorInfo``), in order."""
        return self._describe()[1]

    def session(self, threads: Optional[int] = None,
                communicator: str = "auto") -> Session:
        """Opens the artifact for running, with ``threads`` kernel threads
        per run (default: all cores).

        An artifact compiled for several ranks opens in every process of an
        MPI job of that many processes (``mpirun -n N python script.py``,
        ``srun``), as a collective call, its collectives on ``communicator``
        ("auto": NCCL for a CUDA artifact, else MPI; "mpi"; "nccl"): see
        ``Session``."""
        return Session(self, threads, communicator)

    def __repr__(self):
        return f"exaforge.Artifact({str(self.path)!r})"


def load(path) -> Artifact:
    """Opens the artifact directory ``path`` (as ``exaforge compile`` or
    ``exaforge.compile`` wrote it).

    Raises FileNotFoundError when ``path`` does not exist, and
    ``ArtifactError`` when it is not a readable artifact. An artifact
    compiled for several ranks is checked when its session opens, on every
    rank of an MPI job (``Artifact.session()``), and so is a CUDA artifact
    (its session needs the GPU).
    """
    path = Path(os.fspath(path))
    if not path.exists():
        raise FileNotFoundError(f"no such artifact: '{path}'")
    if not path.is_dir():
        raise ArtifactError(f"'{path}' is not an artifact directory")
    artifact = Artifact(path)
    if artifact.world_size == 1 and artifact.target == "cpu":
        artifact._describe()
    return artifact
