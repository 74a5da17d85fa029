"""``exaforge.Artifact``: a compiled model on disk, and ``exaforge.load``."""

import os
import shutil
import weakref
from pathlib import Path
from typing import NamedTuple, Optional, Tuple, Union

import numpy as np

from . import _native
from .errors import ArtifactError
from .session import Session


class TensorInfo(NamedTuple):
    """An input or output of a model.

    ``dtype`` is a NumPy dtype (``ml_dtypes.bfloat16`` for bfloat16 when
    ml_dtypes is installed, else the string "bfloat16"); each entry of
    ``shape`` is a size, the name of a symbolic dimension ("batch"), or None
    for a dimension known only at run time that has no name.
    """

    name: str
    dtype: object
    shape: Tuple[Union[int, str, None], ...]


def _numpy_dtype(name):
    """The NumPy dtype of the runtime's element type `name`."""
    if name == "bfloat16":
        try:
            import ml_dtypes
        except ImportError:
            return name
        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(name)


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
        if temporary_dir is not None:
            self._cleanup = weakref.finalize(
                self, shutil.rmtree, temporary_dir, ignore_errors=True)

    def _describe(self):
        """Reads the inputs and outputs from the runtime (once)."""
        if self._description is None:
            # One session, closed again: the runtime is what reads and checks
            # the manifest.
            native = _native.NativeSession(str(self.path), 1)
            self._description = (
                tuple(TensorInfo(n, _numpy_dtype(d), s) for n, d, s in native.inputs),
                tuple(TensorInfo(n, _numpy_dtype(d), s) for n, d, s in native.outputs),
            )
        return self._description

    @property
    def inputs(self):
        """The model's inputs (``TensorInfo``), in order."""
        return self._describe()[0]

    @property
    def outputs(self):
        """The model's outputs (``TensorInfo``), in order."""
        return self._describe()[1]

    def session(self, threads: Optional[int] = None) -> Session:
        """Opens the artifact for running, with ``threads`` kernel threads
        per run (default: all cores)."""
        return Session(self, threads)

    def __repr__(self):
        return f"exaforge.Artifact({str(self.path)!r})"


def load(path) -> Artifact:
    """Opens the artifact directory ``path`` (as ``exaforge compile`` or
    ``exaforge.compile`` wrote it).

    Raises FileNotFoundError when ``path`` does not exist, and
    ``ArtifactError`` when it is not a readable artifact. An artifact
    compiled for several ranks runs under ``exaforge-run``: loading it
    raises ``InvalidArgumentError`` saying so.
    """
    path = Path(os.fspath(path))
    if not path.exists():
        raise FileNotFoundError(f"no such artifact: '{path}'")
    if not path.is_dir():
        raise ArtifactError(f"'{path}' is not an artifact directory")
    artifact = Artifact(path)
    artifact._describe()
    return artifact
