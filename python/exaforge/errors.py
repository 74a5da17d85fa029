"""The exceptions of the exaforge package.

Every exception it raises for a failure of the compiler or the runtime is an
``exaforge.Error``:

- ``CompileError``: the compiler rejected the model; carries the
  diagnostics, the first error's ``file``, ``node`` and ``message``;
- ``ArtifactError``: an artifact is missing parts, corrupt or of another
  format version;
- ``InvalidArgumentError`` (also a ``ValueError``): the runtime rejected an
  argument, such as an input of the wrong element type or shape (the message
  names the input) or values that the model checks at run time;
- ``RunError``: the compiled model failed while running (a kernel error, no
  memory).

Arguments that are wrong before anything runs raise the usual ``TypeError``,
``ValueError`` and ``FileNotFoundError``.
"""

from dataclasses import dataclass


class Error(RuntimeError):
    """A failure of the Exaforge compiler or runtime."""


class ArtifactError(Error):
    """An artifact that cannot be opened (missing, corrupt, other version)."""


class InvalidArgumentError(Error, ValueError):
    """An argument that the runtime rejects (an input's type or shape)."""


class RunError(Error):
    """A failure while the compiled model runs."""


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic of the compiler: its severity ("error", "warning",
    "note", "remark"), where it points (the model file, a line and column
    where the file has lines, the ONNX node) and its message. Parts a
    diagnostic does not name are "" or 0."""

    severity: str
    file: str
    line: int
    column: int
    node: str
    message: str

    def __str__(self):
        """The line `exaforge compile` prints for it:
        ``<file>: error: node '<node>': <message>``."""
        text = ""
        if self.file:
            text += self.file
            if self.line:
                text += f":{self.line}:{self.column}"
            text += ": "
        text += f"{self.severity}: "
        if self.node:
            text += f"node '{self.node}': "
        return text + self.message.replace("\n", " ")


class CompileError(Error):
    """The compiler rejected the model.

    ``diagnostics`` holds every diagnostic it reported (errors and their
    notes, in order); ``file``, ``node``, ``line``, ``column`` and
    ``message`` are those of the first error.
    """

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        first = next((d for d in self.diagnostics if d.severity == "error"),
                     None)
        if first is None:
            # The compiler failed without a diagnostic of its own (it then
            # printed the reason on standard error).
            first = Diagnostic("error", "", 0, 0, "",
                               "compilation failed (see standard error)")
            self.diagnostics.append(first)
        self.file = first.file
        self.node = first.node
        self.line = first.line
        self.column = first.column
        self.message = first.message
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class InternalCompilerError(CompileError):
    """The compiler crashed on the model (a bug of Exaforge, not of the
    model): its message names the crash and the pass it happened in. The
    Python process goes on, but the memory the compile held is lost; please
    report it with the model."""
