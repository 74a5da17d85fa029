"""Exaforge as a ``torch.compile`` backend:

    import torch
    compiled = torch.compile(model, backend="exaforge")
    y = compiled(x)

``torch.compile`` finds the backend by name through the
``torch_dynamo_backends`` entry point (``exaforge = exaforge.torch_backend:
exaforge_backend``, in the dist-info the build writes next to the package);
importing this module registers it too (``torch._dynamo.register_backend``).

Each FX graph TorchDynamo captures becomes an ``ExaforgeGraph``: on a call,
its inputs' signature (every tensor's shape and dtype, the value of every
integer) picks a compiled artifact from a cache, or exports the graph to
ONNX (``torch.onnx.export``, the TorchScript exporter at opset
``EXPORT_OPSET``; integers are fixed to their values) and compiles it
(``exaforge.compile``). The tensors go to ``Session.run`` without a copy
(DLPack) when they are contiguous CPU tensors; the outputs come back as
tensors sharing the runtime's NumPy arrays (``torch.from_numpy``).

A graph that cannot be exported or that the compiler rejects runs in eager
PyTorch (the FX graph itself), with one warning (``ExaforgeFallbackWarning``)
per process and rejected node, naming the ONNX node and its op type, as the onnxrt
backend does. Only the CPU and inference: a graph with tensors on another
device, or one called while gradients are recorded for an input that needs
them, runs in eager PyTorch too.

``export_onnx(module, example_inputs)`` is the export alone;
``exaforge.compile(module, example_inputs)`` exports and compiles.
"""

import io
import warnings

import numpy as np
import onnx
import torch

from .compiler import compile as compile_model
from .errors import CompileError

#: The ONNX opset the graphs are exported at (exaforge's importer reads up
#: to 21; the TorchScript exporter writes up to 20).
EXPORT_OPSET = 18

#: The fallback warnings given so far: each is given once per process (a
#: graph TorchDynamo recaptures with dynamic shapes is rejected the same).
_warned = set()

#: How many graphs this process has exported and compiled (one per new
#: input signature of a graph); tests read it to see the cache work.
compile_count = 0


class ExaforgeFallbackWarning(UserWarning):
    """A graph runs in eager PyTorch: the exporter or the compiler rejected
    it (the message names the node and op)."""


class _FixedScalars(torch.nn.Module):
    """`graph` with its non-tensor arguments fixed to the values in
    `arguments`: its forward takes only the tensors, in order, and returns
    the graph's outputs as a tuple."""

    def __init__(self, graph, arguments):
        super().__init__()
        self.graph = graph
        self.arguments = list(arguments)
        self.tensor_positions = [i for i, a in enumerate(arguments)
                                 if isinstance(a, torch.Tensor)]

    def forward(self, *tensors):
        arguments = list(self.arguments)
        for position, tensor in zip(self.tensor_positions, tensors):
            arguments[position] = tensor
        outputs = self.graph(*arguments)
        if isinstance(outputs, torch.Tensor):
            return (outputs,)
        return tuple(outputs)


def export_onnx(module, example_inputs):
    """Exports `module` (an ``nn.Module`` or FX ``GraphModule``) called on
    `example_inputs` (a tuple; tensors and Python numbers) to an
    ``onnx.ModelProto`` whose inputs are the tensors, named ``input0``,
    ``input1``, ... in order, with the shapes of the examples (inputs the
    graph does not use may be left out), and whose outputs are ``output0``,
    ``output1``, ... Raises the exporter's exception when it fails."""
    arguments = tuple(example_inputs)
    wrapper = _FixedScalars(module, arguments)
    tensors = tuple(a for a in arguments if isinstance(a, torch.Tensor))
    with torch.no_grad():
        probe = wrapper(*tensors)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # The TorchScript exporter's deprecation and tracer warnings.
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(
                wrapper, tensors, buffer, dynamo=False,
                opset_version=EXPORT_OPSET,
                input_names=[f"input{i}" for i in range(len(tensors))],
                output_names=[f"output{i}" for i in range(len(probe))],
                do_constant_folding=True)
    return onnx.load_model_from_string(buffer.getvalue())


def _signature(arguments):
    """The cache key of a call: each tensor's shape and dtype, each other
    argument's value."""
    return tuple((tuple(a.shape), a.dtype) if isinstance(a, torch.Tensor)
                 else ("value", a) for a in arguments)


def _rejected_node(model, error):
    """The text naming the ONNX node (and its op type) in CompileError
    `error` on `model`."""
    node = error.node
    if not node:
        return error.message
    op_types = {n.name: n.op_type for n in model.graph.node}
    op = op_types.get(node)
    kind = f"op {op}, " if op else ""
    return f"node '{node}' ({kind}{error.message})"


class _Compiled:
    """One artifact of a graph, for one input signature: its session and
    which tensors (by position) its inputs are."""

    def __init__(self, artifact):
        self.artifact = artifact
        self.session = artifact.session()
        # input<i> is the i-th tensor argument; unused ones were dropped.
        self.tensor_indices = [int(i.name[len("input"):])
                               for i in artifact.inputs]

    def __call__(self, tensors):
        feeds = [tensors[i].detach() for i in self.tensor_indices]
        results = self.session.run(feeds)
        return [torch.from_numpy(np.asarray(v)) if isinstance(v, np.ndarray)
                else torch.as_tensor(v) for v in results.values()]


class ExaforgeGraph:
    """An FX graph captured by TorchDynamo, run by Exaforge: a callable
    taking the graph's arguments and returning its outputs (a list), with
    one compiled artifact per input signature."""

    def __init__(self, graph_module, options=None):
        self.graph_module = graph_module
        #: Keywords for ``exaforge.compile`` (compile options).
        self.options = dict(options or {})
        #: Signature -> _Compiled, or None where the graph runs in eager
        #: PyTorch.
        self.cache = {}

    def _fall_back(self, reason):
        """Warns that the graph runs in eager PyTorch (once per process and
        `reason`)."""
        if reason not in _warned:
            _warned.add(reason)
            warnings.warn(
                f"exaforge: {reason}; this graph runs in eager PyTorch",
                ExaforgeFallbackWarning, stacklevel=3)
        return None

    def _compile(self, arguments):
        """The _Compiled of `arguments`' signature, or None (with the
        warning) when the graph cannot be exported or compiled."""
        global compile_count
        tensors = [a for a in arguments if isinstance(a, torch.Tensor)]
        if any(t.device.type != "cpu" for t in tensors):
            return self._fall_back("exaforge runs on the CPU, an input is on "
                                   f"'{next(t.device for t in tensors if t.device.type != 'cpu')}'")
        try:
            model = export_onnx(self.graph_module, arguments)
        except Exception as error:  # the exporter's errors have no common type
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            return self._fall_back(f"torch.onnx.export failed: {type(error).__name__}: "
                                   f"{first_line}")
        compile_count += 1
        try:
            artifact = compile_model(model, **self.options)
        except CompileError as error:
            return self._fall_back("the compiler rejected "
                                   + _rejected_node(model, error))
        return _Compiled(artifact)

    def __call__(self, *arguments):
        if torch.is_grad_enabled() and any(
                isinstance(a, torch.Tensor) and a.requires_grad
                and not isinstance(a, torch.nn.Parameter) for a in arguments):
            # Training: the artifact has no backward.
            return self.graph_module(*arguments)
        key = _signature(arguments)
        if key not in self.cache:
            self.cache[key] = self._compile(arguments)
        compiled = self.cache[key]
        if compiled is None:
            return self.graph_module(*arguments)
        tensors = [a for a in arguments if isinstance(a, torch.Tensor)]
        return tuple(compiled(tensors))


def exaforge_backend(graph_module, example_inputs, options=None, **_):
    """The ``torch.compile`` backend: returns the callable that runs
    `graph_module` (``example_inputs`` are not needed: each signature is
    compiled on its first call). `options` (``torch.compile(...,
    options={...})``) are ``exaforge.compile``'s keywords, e.g.
    ``{"opt_level": 2}``; torch.compile's other keywords (``mode``) are
    ignored."""
    return ExaforgeGraph(graph_module, options)


def _register():
    """Registers the backend under the name "exaforge" unless the entry
    point did already."""
    from torch._dynamo import list_backends, register_backend
    if "exaforge" not in list_backends(exclude_tags=()):
        register_backend(compiler_fn=exaforge_backend, name="exaforge")


_register()
