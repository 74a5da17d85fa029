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
other argument and of the 0-d tensors the graph reads as numbers) picks a compiled artifact from a cache, or exports the graph
to ONNX (``torch.onnx.export``, the TorchScript exporter at opset
``EXPORT_OPSET``; integers are fixed to their values) and compiles it
(``exaforge.compile``). The tensors go to ``Session.run`` without a copy
(DLPack) when they are contiguous CPU tensors; the outputs come back as
tensors sharing the runtime's NumPy arrays (``torch.from_numpy``).

TorchDynamo passes the modules' parameters and buffers to the graph as
arguments; they are constants of the artifact (initializers of the
exported model, which the compiler folds and pre-packs), so its inputs are
only the user's tensors. An artifact whose weights changed since it was
compiled (replaced, or updated in place: ``optimizer.step()``,
``load_state_dict``) is compiled again on the next call.

The dimensions TorchDynamo treats as dynamic (``torch.compile(...,
dynamic=True)``, or its automatic dynamic shapes once a second size was
seen) are symbolic in the exported model, and the integers that are their
sizes are computed from the tensors, so one artifact serves every size;
their sizes are not in the signature. When the exporter or the compiler
fails with them symbolic (exaforge compiles convolutions and pools only
with static spatial sizes), only the inputs' first dimensions are symbolic,
and when that fails too, each size has its own artifact.

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
import weakref

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

#: How many graphs this process has exported and compiled, rejected ones
#: included (one per new input signature of a graph, or new weights); tests
#: read it to see the cache work.
compile_count = 0

#: The most bytes of parameters and buffers a graph's artifact holds as
#: constants: an ONNX model is one protobuf message, which cannot exceed
#: 2 GiB; a graph with more weights takes them as inputs.
MAX_CONSTANT_BYTES = 1 << 30

#: A cache entry not made yet.
_MISSING = object()


class ExaforgeFallbackWarning(UserWarning):
    """A graph runs in eager PyTorch: the exporter or the compiler rejected
    it (the message names the node and op)."""


class _FixedArguments(torch.nn.Module):
    """`graph` with all but its input tensors fixed: its forward takes only
    the tensors at `arguments`' positions other than `constants`, in order,
    and returns the graph's outputs as a tuple.

    The tensors at positions `constants` become buffers of this module (no
    copy), so that the exporter writes them as initializers; the numbers in
    `arguments` stay at their values, except those `sizes` maps (position ->
    (tensor position, dimension)), which are read from that tensor's size on
    each call so that the exporter traces them as ``Shape`` computations of
    a symbolic dimension instead of fixing them."""

    def __init__(self, graph, arguments, constants=(), sizes=None):
        super().__init__()
        self.graph = graph
        self.arguments = list(arguments)
        self.sizes = dict(sizes or {})
        self.constant_names = {}
        for position in sorted(constants):
            name = f"constant{position}"
            self.register_buffer(name, arguments[position].detach())
            self.constant_names[position] = name
        self.tensor_positions = [i for i, a in enumerate(arguments)
                                 if isinstance(a, torch.Tensor)
                                 and i not in self.constant_names]

    def forward(self, *tensors):
        arguments = list(self.arguments)
        for position, name in self.constant_names.items():
            arguments[position] = getattr(self, name)
        for position, tensor in zip(self.tensor_positions, tensors):
            arguments[position] = tensor
        for position, (tensor_position, dim) in self.sizes.items():
            arguments[position] = arguments[tensor_position].size(dim)
        outputs = self.graph(*arguments)
        if isinstance(outputs, torch.Tensor):
            return (outputs,)
        return tuple(outputs)


def export_onnx(module, example_inputs, *, constants=(), sizes=None,
                symbols=None):
    """Exports `module` (an ``nn.Module`` or FX ``GraphModule``) called on
    `example_inputs` (a tuple; tensors and Python numbers) to an
    ``onnx.ModelProto`` whose inputs are the tensors, named ``input0``,
    ``input1``, ... in order, with the shapes of the examples (inputs the
    graph does not use may be left out), and whose outputs are ``output0``,
    ``output1``, ... Raises the exporter's exception when it fails.

    For TorchDynamo's graphs (``ExaforgeGraph``): the tensors at the
    positions `constants` are initializers of the model instead of inputs
    (they are not counted in the ``input<i>`` names); `sizes` maps positions
    of integers to the (tensor position, dimension) they are the size of;
    `symbols` maps tensor positions to {dimension: symbol name}: those
    dimensions are symbolic in the model (``dim_param``), the same name
    in several inputs being the same size."""
    arguments = tuple(example_inputs)
    wrapper = _FixedArguments(module, arguments, constants, sizes)
    tensors = tuple(arguments[i] for i in wrapper.tensor_positions)
    with torch.no_grad():
        probe = wrapper(*tensors)
    input_names = [f"input{i}" for i in range(len(tensors))]
    input_of = dict(zip(wrapper.tensor_positions, input_names))
    dynamic_axes = {input_of[position]: dict(dims)
                    for position, dims in (symbols or {}).items() if dims}
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # The TorchScript exporter's deprecation and tracer warnings.
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(
                wrapper, tensors, buffer, dynamo=False,
                opset_version=EXPORT_OPSET,
                input_names=input_names,
                output_names=[f"output{i}" for i in range(len(probe))],
                dynamic_axes=dynamic_axes or None,
                do_constant_folding=True)
    return onnx.load_model_from_string(buffer.getvalue())


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


def _is_lifted_weight(node, example):
    """Whether placeholder `node` of a TorchDynamo graph, whose run-time
    value is like `example`, is a parameter or buffer of an ``nn.Module``
    that TorchDynamo lifted into a graph input.

    TorchDynamo inlines the modules' code (``inline_inbuilt_nn_modules``,
    the only mode in torch 2.15) and reads each parameter and buffer through
    the module's ``_parameters`` or ``_buffers`` dict; the placeholder's
    ``GraphArg`` keeps that source (``node.meta["grapharg"].source``: a
    chain of sources through an ``UnspecializedParamBufferSource``). That
    names exactly the parameters and buffers, wherever the module comes
    from (the compiled module, a global, a closure). A ``torch.nn.Parameter``
    passed some other way (a function's argument) is one too.

    Not used: the ``_dynamo_static_input_type`` mark TorchDynamo puts on the
    same tensors, because ``torch._dynamo.mark_static_address`` puts it on
    user tensors as well (e.g. the static key-value caches of text
    generation, updated in place on every call, which would be recompiled
    on every call as constants)."""
    if isinstance(example, torch.nn.Parameter):
        return True
    graph_arg = node.meta.get("grapharg")
    source = getattr(graph_arg, "source", None)
    try:
        from torch._dynamo.source import UnspecializedParamBufferSource
    except ImportError:  # a torch without it: only Parameters are found
        return False
    while source is not None:
        if isinstance(source, UnspecializedParamBufferSource):
            return True
        source = getattr(source, "base", None)
    return False


def _symbol(size):
    """The name of the symbol of a placeholder's size `size` when
    TorchDynamo traced it as dynamic (a ``SymInt`` whose expression is a
    free symbol, e.g. ``s77``; sizes TorchDynamo found equal share theirs),
    else None: a static size, or a SymInt that TorchDynamo's guards
    specialized to a number."""
    if isinstance(size, torch.SymInt):
        expression = size.node.expr
        if getattr(expression, "is_Symbol", False):
            return str(expression)
    return None


class _GraphInputs:
    """What each argument of a TorchDynamo graph is, read once from its
    placeholders (``node.meta["example_value"]``: fake tensors whose
    dynamic sizes are SymInts, and SymInts) and the backend's example
    inputs."""

    def __init__(self, graph_module, example_inputs):
        placeholders = [n for n in graph_module.graph.nodes
                        if n.op == "placeholder"]
        examples = list(example_inputs)
        #: Positions of the parameters and buffers TorchDynamo lifted into
        #: graph inputs.
        self.weights = []
        #: Tensor position -> {dimension: symbol name} of the dimensions
        #: TorchDynamo treats as dynamic.
        self.symbols = {}
        #: Integer position -> (symbol name, tensor position, dimension)
        #: that integer is the size of (a SymInt argument of a dynamic
        #: dimension).
        self.sizes = {}
        #: Positions of the tensors (not weights) the graph reads as Python
        #: numbers (``.item()``): the Python floats TorchDynamo passes as
        #: 0-d tensors (``specialize_float`` off), e.g. a slope or a module's
        #: ``eps``. The exporter fixes the number it reads, so their values
        #: are in the cache key.
        self.read_as_numbers = []
        first_use = {}  # symbol -> (tensor position, dimension)
        for position, node in enumerate(placeholders):
            example = examples[position] if position < len(examples) else None
            if isinstance(example, torch.Tensor) and _is_lifted_weight(node, example):
                self.weights.append(position)
                continue
            value = node.meta.get("example_value", example)
            if not isinstance(value, torch.Tensor):
                continue
            if any(user.op == "call_method" and user.target == "item"
                   for user in node.users):
                self.read_as_numbers.append(position)
            dims = {dim: name for dim, name in
                    ((d, _symbol(s)) for d, s in enumerate(value.shape)) if name}
            if dims:
                self.symbols[position] = dims
            for dim, name in dims.items():
                first_use.setdefault(name, (position, dim))
        for position, node in enumerate(placeholders):
            name = _symbol(node.meta.get("example_value"))
            if name in first_use:
                self.sizes[position] = (name, *first_use[name])

    def symbolic_choices(self):
        """The sets of symbols to export symbolic, tried in this order
        until the export and the compile succeed: all of them; those of the
        inputs' first dimension (the batch: exaforge compiles convolutions
        and pools only with static spatial sizes, which ``dynamic=True``
        makes dynamic too); none (one artifact per size)."""
        every = {n for dims in self.symbols.values() for n in dims.values()}
        first = {dims[0] for dims in self.symbols.values() if 0 in dims}
        choices = []
        for names in (frozenset(every), frozenset(first)):
            if names and names not in choices:
                choices.append(names)
        return choices + [frozenset()]

    def dims_of(self, names):
        """`symbols` restricted to the symbols in `names`."""
        restricted = {position: {d: n for d, n in dims.items() if n in names}
                      for position, dims in self.symbols.items()}
        return {position: dims for position, dims in restricted.items() if dims}

    def sizes_of(self, names):
        """`sizes` restricted to the symbols in `names`, as export_onnx's
        `sizes` (position -> (tensor position, dimension))."""
        return {position: (tensor_position, dim)
                for position, (name, tensor_position, dim) in self.sizes.items()
                if name in names}


class _WeightStamp:
    """Which tensors, in which state, an artifact's constants were exported
    from: a weight replaced by another tensor (`module.weight = ...`), its
    data replaced (`weight.data = ...`) or changed in place (version
    counter: ``optimizer.step()``, ``load_state_dict``, ``copy_``) no longer
    matches."""

    def __init__(self, weights):
        self.references = [weakref.ref(w) for w in weights]
        self.states = [(w._version, w.data_ptr()) for w in weights]

    def matches(self, weights):
        """Whether `weights` are the same tensors in the same state."""
        return (all(r() is w for r, w in zip(self.references, weights))
                and self.states == [(w._version, w.data_ptr()) for w in weights])


class _Compiled:
    """One artifact of a graph: its session, which of the graph's input
    tensors (by position among the tensors that are not constants) its
    inputs are, and the stamp of the weights it holds as constants."""

    def __init__(self, artifact, stamp):
        self.artifact = artifact
        self.session = artifact.session()
        self.stamp = stamp
        # input<i> is the i-th input tensor; unused ones were dropped.
        self.tensor_indices = [int(i.name[len("input"):])
                               for i in artifact.inputs]

    def __call__(self, tensors):
        feeds = [tensors[i].detach() for i in self.tensor_indices]
        results = self.session.run(feeds)
        return [torch.from_numpy(np.asarray(v)) if isinstance(v, np.ndarray)
                else torch.as_tensor(v) for v in results.values()]


class ExaforgeGraph:
    """An FX graph captured by TorchDynamo, run by Exaforge: a callable
    taking the graph's arguments and returning its outputs (a tuple).

    The parameters and buffers TorchDynamo passes as arguments are
    constants of the artifact (initializers of the exported model), unless
    they are more than MAX_CONSTANT_BYTES together; an artifact is compiled
    again when they change. The dimensions TorchDynamo treats as dynamic
    are symbolic in the artifact, so one artifact serves all their sizes;
    when exporting or compiling with all of them symbolic fails, only the
    inputs' first dimensions are, and when that fails too, every size has
    its own artifact (``symbolic_failures`` say why)."""

    def __init__(self, graph_module, example_inputs=(), options=None):
        self.graph_module = graph_module
        #: Keywords for ``exaforge.compile`` (compile options).
        self.options = dict(options or {})
        self.inputs = _GraphInputs(graph_module, example_inputs)
        examples = list(example_inputs)
        weight_bytes = sum(examples[i].nbytes for i in self.inputs.weights)
        #: Positions of the arguments exported as constants.
        self.constants = (self.inputs.weights
                          if weight_bytes <= MAX_CONSTANT_BYTES else [])
        self._constant_set = frozenset(self.constants)
        self._read_as_numbers = frozenset(self.inputs.read_as_numbers)
        #: The sets of symbols still to try, the current one first.
        self._choices = self.inputs.symbolic_choices()
        #: Why the sets of symbols tried before failed (the exporter's or
        #: compiler's error, one per set).
        self.symbolic_failures = []
        self._use_symbols()
        #: Signature (see _key) -> _Compiled, or None where the graph runs
        #: in eager PyTorch.
        self.cache = {}

    @property
    def symbolic_names(self):
        """The symbols of the dynamic dimensions exported as symbolic (a
        frozenset; empty: one artifact per size)."""
        return self._choices[0]

    def _use_symbols(self):
        """Reads the dimensions and sizes of `symbolic_names` (for _key and
        _build)."""
        self._symbolic_dims = self.inputs.dims_of(self.symbolic_names)
        self._symbolic_sizes = self.inputs.sizes_of(self.symbolic_names)

    def _key(self, arguments):
        """The cache key of a call: each tensor's dtype and shape (with the
        symbol names for symbolic dimensions) and the value of those read as
        numbers, each other argument's value (but not the sizes of symbolic
        dimensions). Not the constants: their _WeightStamp is checked."""
        symbols = self._symbolic_dims
        sizes = self._symbolic_sizes
        numbers = self._read_as_numbers
        constants = self._constant_set
        key = []
        for position, a in enumerate(arguments):
            if position in constants:
                continue
            if isinstance(a, torch.Tensor):
                dims = symbols.get(position, {})
                key.append((tuple(dims.get(d, s) for d, s in enumerate(a.shape)),
                            a.dtype, a.item() if position in numbers else None))
            elif position in sizes:
                key.append("size")
            else:
                key.append(("value", a))
        return tuple(key)

    def _fall_back(self, reason):
        """Warns that the graph runs in eager PyTorch (once per process and
        `reason`)."""
        if reason not in _warned:
            _warned.add(reason)
            warnings.warn(
                f"exaforge: {reason}; this graph runs in eager PyTorch",
                ExaforgeFallbackWarning, stacklevel=3)
        return None

    def _build(self, arguments):
        """Exports the graph for `arguments`, the dimensions of
        `symbolic_names` symbolic, and compiles it: the _Compiled, or the
        reason (a str) it could not be."""
        global compile_count
        try:
            model = export_onnx(
                self.graph_module, arguments, constants=self.constants,
                sizes=self._symbolic_sizes, symbols=self._symbolic_dims)
        except Exception as error:  # the exporter's errors have no common type
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            return (f"torch.onnx.export failed: {type(error).__name__}: "
                    f"{first_line}")
        compile_count += 1
        try:
            artifact = compile_model(model, **self.options)
        except CompileError as error:
            return "the compiler rejected " + _rejected_node(model, error)
        return _Compiled(artifact, _WeightStamp(
            [arguments[i] for i in self.constants]))

    def _compile(self, arguments):
        """The _Compiled of `arguments`, or None (with the warning) when the
        graph cannot be exported or compiled. A failure with symbolic
        dimensions turns them static for good (the next set of symbols)."""
        tensors = [a for a in arguments if isinstance(a, torch.Tensor)]
        if any(t.device.type != "cpu" for t in tensors):
            return self._fall_back("exaforge runs on the CPU, an input is on "
                                   f"'{next(t.device for t in tensors if t.device.type != 'cpu')}'")
        while True:
            compiled = self._build(arguments)
            if not isinstance(compiled, str):
                return compiled
            if not self.symbolic_names:
                return self._fall_back(compiled)
            self.symbolic_failures.append(compiled)
            self._choices.pop(0)
            self._use_symbols()
            self.cache.clear()  # keyed without the sizes now static

    def __call__(self, *arguments):
        constants = self._constant_set
        if torch.is_grad_enabled() and any(
                isinstance(a, torch.Tensor) and a.requires_grad
                and i not in constants and not isinstance(a, torch.nn.Parameter)
                for i, a in enumerate(arguments)):
            # Training: the artifact has no backward.
            return self.graph_module(*arguments)
        key = self._key(arguments)
        compiled = self.cache.get(key, _MISSING)
        if compiled is _MISSING or (compiled is not None and not compiled.stamp.matches(
                [arguments[i] for i in self.constants])):
            compiled = self._compile(arguments)
            self.cache[self._key(arguments)] = compiled
        if compiled is None:
            return self.graph_module(*arguments)
        tensors = [a for i, a in enumerate(arguments)
                   if isinstance(a, torch.Tensor) and i not in constants]
        return tuple(compiled(tensors))


def exaforge_backend(graph_module, example_inputs, options=None, **_):
    """The ``torch.compile`` backend: returns the callable that runs
    `graph_module` (each signature is compiled on its first call;
    `example_inputs` tell which arguments are weights and which dimensions
    are dynamic). `options` (``torch.compile(..., options={...})``) are
    ``exaforge.compile``'s keywords, e.g. ``{"opt_level": 2}``;
    torch.compile's other keywords (``mode``) are ignored."""
    return ExaforgeGraph(graph_module, example_inputs, options)


def _register():
    """Registers the backend under the name "exaforge" unless the entry
    point did already."""
    from torch._dynamo import list_backends, register_backend
    if "exaforge" not in list_backends(exclude_tags=()):
        register_backend(compiler_fn=exaforge_backend, name="exaforge")


_register()
