"""``exaforge.compile``: an ONNX model to an artifact, in this process."""

import os
import shutil
import sys
import tempfile

from . import _native
from .artifact import Artifact
from .errors import CompileError, Diagnostic, InternalCompilerError

#: The compile options ``compile`` takes as keywords, with their defaults:
#: the LLVM optimization level (``exaforge compile -O``), micro-batches per
#: pipelined run (0: one per stage), the largest constant and the largest
#: static tensor of one rank in bytes (0: from this machine's memory), and
#: whether the run-time checks of the inputs stay.
OPTIONS = {
    "opt_level": 3,
    "microbatches": 0,
    "max_constant_bytes": 0,
    "max_tensor_bytes": 0,
    "runtime_checks": True,
}

#: The targets ``compile`` generates code for: this machine's CPU, or
#: NVIDIA GPUs (cross-compiled; docs/design/cuda-target.md).
TARGETS = ("cpu", "cuda")


def _shape_text(name, dims):
    """The ``--input-shape`` text of input `name` of shape `dims`."""
    if isinstance(dims, str):
        return f"{name}={dims}"
    parts = []
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, (int, str)):
            raise TypeError(f"input_shapes['{name}']: a dimension is a size or "
                            f"a symbol name, got {dim!r}")
        parts.append(str(dim))
    return f"{name}=" + ",".join(parts)


def _model_bytes(model):
    """The serialized model of `model` and how errors should name it, or
    None when `model` is a path."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        return bytes(model), "<bytes>"
    if hasattr(model, "SerializeToString"):  # onnx.ModelProto
        return model.SerializeToString(), "<onnx.ModelProto>"
    return None


def _model_file(model, scratch):
    """`(path, shown_name)` of `model` on disk: a path as given (it must
    exist), or bytes and a ModelProto written into the directory `scratch`,
    with the name that messages show instead of that file's path."""
    serialized = _model_bytes(model)
    if serialized is None:
        path = os.fspath(model)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such model file: '{path}'")
        return path, None
    path = os.path.join(scratch, "model.onnx")
    with open(path, "wb") as f:
        f.write(serialized[0])
    return path, serialized[1]


def _diagnostics(entries, model_path, shown_name):
    """The native module's diagnostic dicts as `Diagnostic`s, the path of a
    model written by `_model_file` replaced by its shown name."""
    def shown(text):
        return text.replace(model_path, shown_name) if shown_name else text

    return [Diagnostic(d["severity"], shown(d["file"]), d["line"],
                       d["column"], d["node"], shown(d["message"]))
            for d in entries]


def _is_torch_module(model):
    """Whether `model` is a ``torch.nn.Module`` (without importing torch
    when the caller has not)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(model, torch.nn.Module)


def compile(model, example_inputs=None, *, output=None, ranks=None, dp=None, tp=None, pp=None,
            target="cpu", gpu_arch=None, precision="f32", cuda_toolkit=None,
            input_shapes=None, **options) -> Artifact:
    """Compiles an ONNX model into an artifact and returns it.

    model: a path (``.onnx``, ``.onnxtext``, or an ``.mlir`` module of the
      graph dialect), the bytes of an ONNX model, an ``onnx.ModelProto``, or
      a ``torch.nn.Module``, which is exported to ONNX first
      (``exaforge.torch_backend.export_onnx``: the inputs are named
      ``input0``, ``input1``, ... after the tensors of `example_inputs`,
      with their shapes; the outputs ``output0``, ...).
    example_inputs: for a ``torch.nn.Module`` only, the arguments (a tuple,
      or one tensor) the module is exported with.
      Bytes and ModelProtos are compiled from a temporary file, so their
      external data, if any, must be loaded into the model first
      (``onnx.load`` does).
    output: the artifact directory to write (default: a temporary directory
      removed with the returned Artifact).
    ranks, dp, tp, pp: the ranks and the mesh, as ``exaforge compile
      --ranks --dp --tp --pp``: dp x tp x pp must be ranks; dp defaults to
      ranks / (tp x pp), ranks to dp x tp x pp (1 when none is given). An
      artifact for several ranks runs in an MPI job of that many processes
      (``Artifact.session()`` in each process) or under ``exaforge-run``.
    target: the code generator's target: "cpu" (this machine's CPU) or
      "cuda" (NVIDIA GPUs, as ``exaforge compile --target cuda``: it needs
      the CUDA toolkit's ptxas, found through `cuda_toolkit`, CUDA_PATH,
      CUDA_HOME or PATH, but no GPU; the artifact runs where there is one).
    gpu_arch, precision, cuda_toolkit: with target "cuda", as ``--gpu-arch``
      ("sm_80", "sm_86", "sm_89" or "sm_90", the default), ``--precision``
      ("f32", "tf32", "bf16" or "f16") and ``--cuda-toolkit``.
    input_shapes: a dict from input names to shapes given before shape
      inference, as ``--input-shape``: a list of sizes and symbol names
      (``[1, 3, 224, 224]``, ``["batch", 128]``) or the text
      (``"1x3x224x224"``); a size fixes a dimension, a symbol frees one.
    options: the keywords of ``OPTIONS``.

    Raises ``CompileError`` (with the file, node and message of the first
    error) when the compiler rejects the model, ``InternalCompilerError``
    (a ``CompileError``) when it crashes on it, FileNotFoundError for a
    missing model file, TypeError and ValueError for wrong arguments.
    """
    if _is_torch_module(model):
        if example_inputs is None:
            raise TypeError("compiling a torch.nn.Module needs example_inputs "
                            "(the arguments it is exported with)")
        from .torch_backend import export_onnx
        import torch
        if isinstance(example_inputs, torch.Tensor):
            example_inputs = (example_inputs,)
        model = export_onnx(model, tuple(example_inputs))
    elif example_inputs is not None:
        raise TypeError("example_inputs is for a torch.nn.Module; an ONNX "
                        "model's input shapes are given with input_shapes")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unknown compile option '{unknown[0]}' (the options: "
                        + ", ".join(OPTIONS) + ")")
    settings = {**OPTIONS, **options}
    if target not in TARGETS:
        raise ValueError(f"target '{target}' is not supported (the targets: "
                         + ", ".join(TARGETS) + ")")
    for name, value in (("ranks", ranks), ("dp", dp), ("tp", tp), ("pp", pp)):
        if value is not None and (isinstance(value, bool)
                                  or not isinstance(value, int) or value < 1):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    shape_texts = [_shape_text(name, dims)
                   for name, dims in (input_shapes or {}).items()]

    scratch = tempfile.TemporaryDirectory(prefix="exaforge-")
    try:
        model_path, shown_name = _model_file(model, scratch.name)

        temporary_dir = None
        if output is None:
            temporary_dir = tempfile.mkdtemp(prefix="exaforge-artifact-")
            output = os.path.join(temporary_dir, "model.xf")
        try:
            succeeded, diagnostics, crashed = _native.compile_model(
                model_path, os.fspath(output), ranks or 0, dp or 0, tp or 1,
                pp or 1, settings["microbatches"], shape_texts,
                settings["opt_level"], settings["max_constant_bytes"],
                settings["max_tensor_bytes"], bool(settings["runtime_checks"]),
                target, gpu_arch or "", precision,
                os.fspath(cuda_toolkit) if cuda_toolkit else "")
        except BaseException:
            if temporary_dir:
                shutil.rmtree(temporary_dir, ignore_errors=True)
            raise
        if not succeeded:
            if temporary_dir:
                shutil.rmtree(temporary_dir, ignore_errors=True)
            error = InternalCompilerError if crashed else CompileError
            raise error(_diagnostics(diagnostics, model_path, shown_name))
    finally:
        scratch.cleanup()

    artifact = Artifact(output, temporary_dir=temporary_dir)
    if artifact.world_size == 1 and artifact.target == "cpu":
        # A multi-rank artifact is described by its session, which opens on
        # the ranks of an MPI job; a CUDA artifact by its session too, which
        # needs a GPU, and compiling needs none.
        artifact._describe()
    return artifact
