#!/usr/bin/env python3
"""Differential fuzzer: mutated ONNX models, Exaforge against onnxruntime.

Usage:
  diff_fuzz.py [--seed N] [--time S] [--count N] [--exaforge PATH]
               [--seeds-dir DIR ...] [--node-dir DIR] [--findings DIR]
               [--log FILE] [--quiet]

Seed models: the ONNX node tests (--node-dir, default the Debian package
libonnx-testdata's; a test's model.onnx with its test_data_set_0 inputs),
the textual models of test/ (test/**/*.onnxtext that onnx's parser reads,
with random inputs) and the *.onnx files of each --seeds-dir (random
inputs; symbolic dimensions get 2). A seed is used only when its unmutated
model runs the same in both (else it says nothing about mutations).

Each mutant applies one or two random mutations to a seed: an attribute
(integers moved by one, to 0, negative or large; floats to 0, negated,
scaled, NaN or infinite; list entries changed; an attribute removed), an
op type swapped within its family (unary and binary elementwise ops,
reductions, poolings, comparisons), a constant's values (NaN, infinities,
extremes, integers moved), an input's values (the same, on random
elements), an input's symbolic size (0, 1 or larger), or a static input
dimension made symbolic (the same data through the dynamic-shape code).
In models with an op whose onnxruntime result is no reference for NaN,
infinities or huge values (SPECIALS_UNRELIABLE_OPS: GridSample, ArgMax,
ArgMin, Hardmax, TopK, ConvTranspose, RNN, GRU, LSTM, LayerNormalization,
LRN), values
mutations use finite values only; models with an integer Pow are no seeds
(overflow and negative exponents are undefined).
Mutants that onnxruntime refuses are discarded. Each other mutant is
compiled with `exaforge compile` and run with `exaforge run --threads 1`;
the outputs are compared with onnxruntime's (graph optimizations off):
element types and shapes exactly, integers and booleans exactly, floating
point values within |x - ref| <= atol + rtol * |ref|, rtol = 1e-3,
atol = 1e-5 * (1 + the largest finite |ref|); NaN matches NaN only, an
infinity the same infinity only.

Outcomes:
  finding      a crash (signal, exit status >= 128, non-diagnostic
               stderr, "internal compiler error"), a hang (--step-timeout)
               at compile or run, or a wrong value with exit status 0
  unsupported  a clean compile or run error (one-line diagnostics) where
               onnxruntime computed a value; counted by first message
  nan-unreliable
               a wrong value in a model where an op of NAN_UNRELIABLE_OPS
               (ReduceMax, ReduceMin, MaxPool, Unique, Resize, DFT,
               STFT, DynamicQuantizeLinear) gets a NaN or an infinity it
               mishandles in onnxruntime (its inputs, computed by
               onnxruntime, say so): onnxruntime is no reference there,
               so this is not a finding; counted apart
Each finding is written to FINDINGS/<n>-<kind>/: model.onnx, the inputs
(<name>.npy), onnxruntime's outputs (expected/<name>.npy) and finding.json
(kind, seed, mutations, message, commands to reproduce).

The same --seed gives the same mutants in the same order; --time (seconds)
and --count bound the run. The exit status is 1 when there was a finding.

  diff_fuzz.py --replay MODEL [--input NAME=FILE.npy ...]
compares one model (.onnx, or .onnxtext that onnx's parser reads) the same
way, on the given inputs (the rest random), prints its outcome and exits 1
unless it is "ok" or "nan-unreliable" (test/BadInputs/diff-fuzz-findings.test
replays the fixed findings).
onnxruntime runs in a separate process, under a 4 GiB address-space limit
and the step timeout; Exaforge's processes under an 8 GiB limit (none for a
build with AddressSanitizer, whose shadow memory needs more address space).
"""

import argparse
import copy
import functools
import glob
import json
import mmap
import multiprocessing
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_node_suite as suite  # noqa: E402  (check_diagnostics, execute)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_EXAFORGE = os.path.join(ROOT, "build", "bin", "exaforge")
DEFAULT_NODE_DIR = "/usr/share/libonnx-testdata/data/node"
RTOL = 1e-3
ATOL_SCALE = 1e-5
ORT_MEMORY = 4 << 30
EXAFORGE_MEMORY = 8 << 30

# Ops whose result is random or whose reference is not onnxruntime's.
SKIPPED_SEED_OPS = {
    "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike",
    "Multinomial", "Bernoulli", "Dropout",
}
# Families of ops with the same inputs, outputs and attributes.
OP_FAMILIES = [
    ["Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp", "Log", "Sqrt", "Floor",
     "Ceil", "Reciprocal", "Softplus", "Softsign", "Sin", "Cos", "Erf",
     "Round", "Sign", "Identity"],
    ["Add", "Sub", "Mul", "Div", "Max", "Min", "Pow"],
    ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
     "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare"],
    ["MaxPool", "AveragePool", "LpPool"],
    ["GlobalMaxPool", "GlobalAveragePool"],
    ["Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual"],
    ["And", "Or", "Xor"],
    ["ArgMax", "ArgMin"],
    ["Softmax", "LogSoftmax", "Hardmax"],
]
FLOAT_SPECIALS = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0,
                  1e30, -1e30, 1e-40, 65504.0, -1.0]
# Ops whose onnxruntime result is no reference for NaN, infinities or huge
# values (each seen as a mismatch where Exaforge's value is the IEEE one):
# in a model that has one, values mutations use FINITE_SPECIALS only.
SPECIALS_UNRELIABLE_OPS = {
    # Out-of-range coordinates are converted to integers (undefined).
    "GridSample",
    # The position of a maximum among NaN is unspecified.
    "ArgMax", "ArgMin", "Hardmax", "TopK",
    # 0 * inf gives 0, not NaN (the recurrent ops skip the product with a
    # zero initial state).
    "ConvTranspose", "RNN", "GRU", "LSTM",
    # The Mean output of a row holding -inf is NaN, not -inf.
    "LayerNormalization",
    # x^2 overflows: NaN where Exaforge gives 0.
    "LRN",
}
FINITE_SPECIALS = [0.0, -0.0, -1.0, 1e3, -1e3, 0.5]
# Ops whose onnxruntime result is no reference when one of their inputs
# holds a NaN ("nan") or an infinity ("inf"): each was a mismatch where
# Exaforge's value follows IEEE or the ONNX reference implementation
# (onnx.reference), and onnxruntime 1.32 gives the value after '->'.
# Models with them keep every special value (unlike SPECIALS_UNRELIABLE_OPS:
# the other ops around them are still checked), but a wrong value while
# such an op gets such an input is counted as "nan-unreliable", not as a
# finding (classify_special_values).
NAN_UNRELIABLE_OPS = {
    # Eigen's maxCoeff keeps a NaN only in the first position:
    # ReduceMax([nan, 1, 2]) -> nan, ReduceMax([1, nan, 2]) -> 2.
    "ReduceMax": ("nan",),
    "ReduceMin": ("nan",),
    # A NaN is kept only as the last element of a 2-D window: a 2 x 2
    # MaxPool of [[0, 1], [2, nan]] -> nan, of [[nan, 1], [2, 3]] -> 3.
    # onnx.reference, like Exaforge, drops it.
    "MaxPool": ("nan",),
    # Its ordered map gets a comparison that is no strict weak order with
    # NaN: Unique([nan, nan]) -> one NaN counted twice, Unique([2, nan, 1,
    # nan, 2, -inf]) -> [-inf, 1, 2] with counts [1, 2, 3]. Exaforge keeps
    # each NaN distinct (numpy's equal_nan=False).
    "Unique": ("nan",),
    # A zero interpolation weight times an infinite neighbour is NaN:
    # linear Resize of [1, inf, 2, 3] to 8 -> [nan, inf, ...].
    "Resize": ("inf",),
    # The naive sum multiplies infinities by sin(0) = 0: the DFT of
    # [1, inf, 2, 3] -> bin 0 = inf + nan i (numpy: inf + 0i).
    "DFT": ("inf",),
    # The same sum, per frame (seed 4: STFT of test_stft_with_window with
    # 30 of its 128 samples set to inf -> NaN in 17 bins where Exaforge
    # gives inf).
    "STFT": ("inf",),
    # The range of [1, inf, 2, 3] gives a scale of inf and all zeros; a NaN
    # is dropped from the range (-> [85, 0, 170, 255]).
    "DynamicQuantizeLinear": ("nan", "inf"),
}


# ----------------------------------------------------------------------------
# onnxruntime in a process of its own
# ----------------------------------------------------------------------------

def _ort_worker(connection):
    """Runs models sent through `connection`: (bytes, feeds) -> outputs."""
    resource.setrlimit(resource.RLIMIT_AS, (ORT_MEMORY, ORT_MEMORY))
    import onnxruntime as ort
    ort.set_default_logger_severity(4)
    while True:
        request = connection.recv()
        if request is None:
            return
        model_bytes, feeds = request
        try:
            options = ort.SessionOptions()
            options.graph_optimization_level = \
                ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            options.intra_op_num_threads = 1
            session = ort.InferenceSession(
                model_bytes, options, providers=["CPUExecutionProvider"])
            outputs = session.run(None, feeds)
            connection.send(("ok", outputs))
        except Exception as err:  # pylint: disable=broad-except
            connection.send(("error", str(err)[:500]))


class OrtRunner:
    """onnxruntime in a child process, restarted after a crash or hang."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.process = None
        self.connection = None

    def _start(self):
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_ort_worker, args=(child,),
                                       daemon=True)
        self.process.start()

    def run(self, model_bytes, feeds):
        """Returns ("ok", outputs), ("error", message) or ("died", why)."""
        if self.process is None or not self.process.is_alive():
            self._start()
        try:
            self.connection.send((model_bytes, feeds))
            if self.connection.poll(self.timeout):
                return self.connection.recv()
            why = f"timed out after {self.timeout:g} s"
        except (EOFError, BrokenPipeError, OSError) as err:
            why = f"died: {err}"
        self.close(kill=True)
        return "died", why

    def close(self, kill=False):
        if self.process is None:
            return
        if not kill:
            try:
                self.connection.send(None)
                self.process.join(5)
            except (BrokenPipeError, OSError):
                pass
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None


# ----------------------------------------------------------------------------
# Seeds
# ----------------------------------------------------------------------------

def tensor_inputs(model):
    """The graph inputs that are not initializers."""
    initializers = {t.name for t in model.graph.initializer}
    return [vi for vi in model.graph.input if vi.name not in initializers]


def usable(model):
    """Whether a model is a seed: tensors in and out, default domain, no
    random ops, no subgraphs."""
    import onnx
    graph = model.graph
    for value in list(graph.input) + list(graph.output):
        if value.type.WhichOneof("value") != "tensor_type":
            return False
        if value.type.tensor_type.elem_type in (
                onnx.TensorProto.STRING, onnx.TensorProto.BFLOAT16,
                onnx.TensorProto.FLOAT16, onnx.TensorProto.COMPLEX64,
                onnx.TensorProto.COMPLEX128, onnx.TensorProto.UNDEFINED):
            return False
    for node in graph.node:
        if node.domain not in ("", "ai.onnx") or \
                node.op_type in SKIPPED_SEED_OPS:
            return False
        if any(a.type in (onnx.AttributeProto.GRAPH,
                          onnx.AttributeProto.GRAPHS) for a in node.attribute):
            return False
    return bool(graph.node)


def has_integer_pow(model):
    """Whether a Pow of `model` has an integer base. Its result is undefined
    for most mutated values (overflow, negative exponents: onnxruntime
    computes in double and converts back, 0^-1 = inf giving INT64_MIN), so
    such a model is no seed (found with seed 5: a mutated exponent of -1 in
    test/Runtime/Inputs/unsigned-max-pow.onnxtext)."""
    import onnx
    pows = [n for n in model.graph.node if n.op_type == "Pow"]
    if not pows:
        return False
    try:
        inferred = onnx.shape_inference.infer_shapes(model)
    except Exception:  # pylint: disable=broad-except
        return True
    types = {}
    for value in (list(inferred.graph.input) + list(inferred.graph.value_info)
                  + list(inferred.graph.output)):
        types[value.name] = value.type.tensor_type.elem_type
    for tensor in inferred.graph.initializer:
        types[tensor.name] = tensor.data_type
    floats = (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE,
              onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16)
    return any(types.get(n.input[0]) not in floats for n in pows)


def random_inputs(model, rng):
    """Inputs for a model from its declared shapes (symbols: 2)."""
    import numpy as np
    from onnx import helper
    feeds = {}
    for vi in tensor_inputs(model):
        tensor_type = vi.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else 2
                 for d in tensor_type.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(tensor_type.elem_type)
        generator = np.random.default_rng(rng.randrange(1 << 30))
        if np.issubdtype(dtype, np.floating):
            feeds[vi.name] = generator.standard_normal(shape).astype(dtype)
        elif dtype == np.bool_:
            feeds[vi.name] = generator.integers(0, 2, shape).astype(dtype)
        else:
            feeds[vi.name] = generator.integers(0, 3, shape).astype(dtype)
    return feeds


def node_test_inputs(model, test_dir):
    """The inputs of a node test's first data set, by input name."""
    import onnx
    from onnx import numpy_helper
    files = sorted(glob.glob(os.path.join(test_dir, "test_data_set_0",
                                          "input_*.pb")),
                   key=lambda p: int(re.search(r"(\d+)\.pb$", p).group(1)))
    inputs = tensor_inputs(model)
    if len(files) != len(inputs):
        return None
    return {vi.name: numpy_helper.to_array(onnx.load_tensor(path))
            for vi, path in zip(inputs, files)}


def collect_seeds(args):
    """(name, model path or text, kind) of every seed candidate, sorted."""
    seeds = []
    if os.path.isdir(args.node_dir):
        for path in sorted(glob.glob(os.path.join(args.node_dir, "*",
                                                  "model.onnx"))):
            seeds.append((os.path.basename(os.path.dirname(path)), path,
                          "node"))
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**",
                                              "*.onnxtext"), recursive=True)):
        seeds.append((os.path.relpath(path, ROOT), path, "text"))
    for directory in args.seeds_dir:
        for path in sorted(glob.glob(os.path.join(directory, "**", "*.onnx"),
                                     recursive=True)):
            seeds.append((path, path, "file"))
    return seeds


def load_seed(seed, rng):
    """(model, feeds) of a seed, or None when it is not usable."""
    import onnx
    import onnx.parser
    name, path, kind = seed
    try:
        if kind == "text":
            with open(path, encoding="utf-8") as f:
                text = f.read()
            # Lit tests put their models after `//--- name` markers.
            if "//---" in text or "RUN:" in text:
                return None
            model = onnx.parser.parse_model(text)
        else:
            if os.path.getsize(path) > 64 << 20:
                return None
            model = onnx.load(path)
    except Exception:  # pylint: disable=broad-except
        return None
    if not usable(model) or has_integer_pow(model):
        return None
    if kind == "node":
        feeds = node_test_inputs(model, os.path.dirname(path))
    else:
        feeds = random_inputs(model, rng)
    if feeds is None:
        return None
    return model, feeds


# ----------------------------------------------------------------------------
# Mutations
# ----------------------------------------------------------------------------

def mutate_int(value, rng):
    return rng.choice([value - 1, value + 1, 0, -1, -value, 2 * value + 1,
                       value + 7, 1 << 20, 1 << 40, -(1 << 31)])


def mutate_float(value, rng):
    return rng.choice([0.0, -value, value * 10, value / 10, float("nan"),
                       float("inf"), 1e30, 1e-30])


def mutate_attribute(model, feeds, rng):
    import onnx
    nodes = [n for n in model.graph.node if n.attribute]
    if not nodes:
        return None
    node = rng.choice(nodes)
    attribute = rng.choice(list(node.attribute))
    kind = attribute.type
    if rng.random() < 0.1:
        node.attribute.remove(attribute)
        return f"{node.op_type} '{node.name}': removed '{attribute.name}'"
    if kind == onnx.AttributeProto.INT:
        attribute.i = mutate_int(attribute.i, rng)
        new = attribute.i
    elif kind == onnx.AttributeProto.FLOAT:
        attribute.f = mutate_float(attribute.f, rng)
        new = attribute.f
    elif kind == onnx.AttributeProto.INTS and attribute.ints:
        values = list(attribute.ints)
        choice = rng.random()
        if choice < 0.7:
            i = rng.randrange(len(values))
            values[i] = mutate_int(values[i], rng)
        elif choice < 0.85:
            values.pop(rng.randrange(len(values)))
        else:
            values.append(rng.choice(values))
        del attribute.ints[:]
        attribute.ints.extend(values)
        new = values
    elif kind == onnx.AttributeProto.FLOATS and attribute.floats:
        values = list(attribute.floats)
        i = rng.randrange(len(values))
        values[i] = mutate_float(values[i], rng)
        del attribute.floats[:]
        attribute.floats.extend(values)
        new = values
    elif kind == onnx.AttributeProto.TENSOR:
        return mutate_tensor(attribute.t, rng,
                             f"{node.op_type} '{node.name}' '{attribute.name}'",
                             value_specials(model))
    else:
        return None
    return f"{node.op_type} '{node.name}': '{attribute.name}' = {new}"


def mutate_op_type(model, feeds, rng):
    swappable = [(n, family) for n in model.graph.node
                 for family in OP_FAMILIES if n.op_type in family]
    if not swappable:
        return None
    node, family = rng.choice(swappable)
    old = node.op_type
    node.op_type = rng.choice([op for op in family if op != old])
    return f"'{node.name}': {old} -> {node.op_type}"


def mutate_values(array, rng, specials=FLOAT_SPECIALS):
    """A copy of `array` with some elements changed, floating-point ones to
    one of `specials` (None if empty)."""
    import numpy as np
    if array.size == 0:
        return None
    array = array.copy()
    flat = array.reshape(-1)
    count = rng.choice([1, 1, 2, max(1, flat.size // 4), flat.size])
    positions = [rng.randrange(flat.size) for _ in range(count)]
    if np.issubdtype(array.dtype, np.floating):
        special = rng.choice(specials)
        with np.errstate(over="ignore"):
            for p in positions:
                flat[p] = special
    elif array.dtype == np.bool_:
        for p in positions:
            flat[p] = not flat[p]
    else:
        info = np.iinfo(array.dtype)
        for p in positions:
            value = mutate_int(int(flat[p]), rng)
            flat[p] = min(max(value, info.min), info.max)
    return array


def value_specials(model):
    """The special values a values mutation of `model` may use."""
    if any(n.op_type in SPECIALS_UNRELIABLE_OPS for n in model.graph.node):
        return FINITE_SPECIALS
    return FLOAT_SPECIALS


def mutate_tensor(tensor, rng, label, specials=FLOAT_SPECIALS):
    from onnx import numpy_helper
    try:
        array = numpy_helper.to_array(tensor)
    except Exception:  # pylint: disable=broad-except
        return None
    mutated = mutate_values(array, rng, specials)
    if mutated is None:
        return None
    tensor.CopyFrom(numpy_helper.from_array(mutated, tensor.name))
    return f"constant {label}: values changed"


def mutate_constant(model, feeds, rng):
    candidates = [(t, f"'{t.name}'") for t in model.graph.initializer]
    for node in model.graph.node:
        for attribute in node.attribute:
            if node.op_type == "Constant" and attribute.name == "value":
                candidates.append((attribute.t, f"of '{node.name}'"))
    if not candidates:
        return None
    tensor, label = rng.choice(candidates)
    return mutate_tensor(tensor, rng, label, value_specials(model))


def mutate_input_values(model, feeds, rng):
    if not feeds:
        return None
    name = rng.choice(sorted(feeds))
    mutated = mutate_values(feeds[name], rng, value_specials(model))
    if mutated is None:
        return None
    feeds[name] = mutated
    return f"input '{name}': values changed"


def symbolic_dims(model):
    """(input name, axis) of every symbolic input dimension."""
    return [(vi.name, axis) for vi in tensor_inputs(model)
            for axis, d in enumerate(vi.type.tensor_type.shape.dim)
            if not d.HasField("dim_value")]


def mutate_input_size(model, feeds, rng):
    """Resizes a symbolic dimension in every input that has it (by symbol),
    or in one input."""
    import numpy as np
    dims = [(n, a) for n, a in symbolic_dims(model) if n in feeds]
    if not dims:
        return None
    name, axis = rng.choice(dims)
    params = {vi.name: vi.type.tensor_type.shape.dim
              for vi in tensor_inputs(model)}
    symbol = params[name][axis].dim_param
    old = feeds[name].shape[axis]
    size = rng.choice([0, 1, old + 1, 2 * old + 1, max(old - 1, 0)])
    targets = [(name, axis)]
    if symbol:
        targets = [(n, a) for n, a in dims if params[n][a].dim_param == symbol]
    for input_name, input_axis in targets:
        array = feeds[input_name]
        shape = list(array.shape)
        if input_axis >= len(shape):
            continue
        shape[input_axis] = size
        reps = [1] * len(shape)
        if array.shape[input_axis] > 0:
            reps[input_axis] = size // array.shape[input_axis] + 1
            array = np.tile(array, reps)
        else:
            array = np.zeros(shape, array.dtype)
        feeds[input_name] = np.ascontiguousarray(
            np.take(array, range(size), axis=input_axis))
    return f"input '{name}' dimension {axis} ('{symbol}'): {old} -> {size}"


def mutate_make_symbolic(model, feeds, rng):
    dims = [(vi, axis) for vi in tensor_inputs(model)
            for axis, d in enumerate(vi.type.tensor_type.shape.dim)
            if d.HasField("dim_value")]
    if not dims:
        return None
    vi, axis = rng.choice(dims)
    dim = vi.type.tensor_type.shape.dim[axis]
    symbol = rng.choice(["fz_a", "fz_b", f"fz_{vi.name}_{axis}"])
    dim.Clear()
    dim.dim_param = symbol
    return f"input '{vi.name}' dimension {axis} made symbolic ('{symbol}')"


MUTATIONS = [
    (mutate_attribute, 3),
    (mutate_op_type, 1),
    (mutate_constant, 2),
    (mutate_input_values, 3),
    (mutate_input_size, 2),
    (mutate_make_symbolic, 2),
]


def make_mutant(model, feeds, rng):
    """A mutated copy of (model, feeds) and the mutations' descriptions."""
    model = copy.deepcopy(model)
    feeds = {k: v.copy() for k, v in feeds.items()}
    done = []
    functions = [f for f, w in MUTATIONS for _ in range(w)]
    for _ in range(rng.choice([1, 1, 2])):
        for _attempt in range(4):
            what = rng.choice(functions)(model, feeds, rng)
            if what:
                done.append(what)
                break
    if not done:
        return None
    # Declared shapes of values and outputs may no longer hold.
    del model.graph.value_info[:]
    for output in model.graph.output:
        output.type.tensor_type.ClearField("shape")
    return model, feeds, done


# ----------------------------------------------------------------------------
# Exaforge and the comparison
# ----------------------------------------------------------------------------

def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (EXAFORGE_MEMORY, EXAFORGE_MEMORY))


@functools.lru_cache(maxsize=None)
def built_with_address_sanitizer(binary):
    """True when `binary` (a path or a name on PATH) holds AddressSanitizer's
    runtime hook. ASan reserves terabytes of shadow address space at start-up,
    so such a binary cannot start under EXAFORGE_MEMORY's address-space limit;
    ASan bounds its own heap instead."""
    path = shutil.which(binary) or binary
    try:
        with open(path, "rb") as file, \
                mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b"__asan_init") >= 0
    except (OSError, ValueError):
        return False


def execute(command, timeout):
    """suite.execute under the memory limit (none for a sanitized build):
    (status or None, stderr)."""
    sanitized = built_with_address_sanitizer(command[0])
    status, stderr, _ = suite.execute(
        command, timeout, preexec_fn=None if sanitized else limit_memory)
    return status, stderr


def compare(name, got, want):
    """None when `got` matches onnxruntime's `want`, else why not."""
    import numpy as np
    if got.dtype != want.dtype:
        return f"output '{name}': dtype {got.dtype}, onnxruntime {want.dtype}"
    if got.shape != want.shape:
        return (f"output '{name}': shape {list(got.shape)}, onnxruntime "
                f"{list(want.shape)}")
    if want.size == 0:
        return None
    if np.issubdtype(want.dtype, np.floating):
        g = got.astype(np.float64)
        w = want.astype(np.float64)
        finite = np.isfinite(w)
        scale = np.abs(w[finite]).max() if finite.any() else 0.0
        atol = ATOL_SCALE * (1.0 + scale)
        with np.errstate(invalid="ignore", over="ignore"):
            ok = np.where(np.isfinite(g) & finite,
                          np.abs(g - w) <= atol + RTOL * np.abs(w),
                          (g == w) | (np.isnan(g) & np.isnan(w)))
    else:
        ok = got == want
    if ok.all():
        return None
    index = tuple(int(i) for i in np.argwhere(~ok)[0])
    return (f"output '{name}': {int((~ok).sum())} of {want.size} differ, "
            f"first at {list(index)}: {got[index]!r} vs onnxruntime "
            f"{want[index]!r}")


def classify_special_values(ort_runner, model, feeds):
    """When an op of NAN_UNRELIABLE_OPS in `model` gets, run on `feeds`, a
    special value onnxruntime mishandles there, why (else None). The
    inputs of those ops come from onnxruntime: the model is run again with
    them as extra outputs."""
    import numpy as np
    from onnx import numpy_helper
    nodes = [n for n in model.graph.node if n.op_type in NAN_UNRELIABLE_OPS]
    if not nodes:
        return None
    known = dict(feeds)
    for tensor in model.graph.initializer:
        known.setdefault(tensor.name, numpy_helper.to_array(tensor))
    probe = copy.deepcopy(model)
    extra = []
    for node in nodes:
        for name in node.input:
            if name and name not in known and name not in extra:
                extra.append(name)
    for name in extra:
        probe.graph.output.add().name = name
    values = dict(known)
    if extra:
        status, result = ort_runner.run(probe.SerializeToString(), feeds)
        if status != "ok":
            return None
        values.update(zip(extra, result[len(model.graph.output):]))
    for node in nodes:
        kinds = NAN_UNRELIABLE_OPS[node.op_type]
        label = node.op_type + (f" '{node.name}'" if node.name else "")
        for name in node.input:
            array = values.get(name)
            if array is None or not np.issubdtype(np.asarray(array).dtype,
                                                  np.floating):
                continue
            if "nan" in kinds and np.isnan(array).any():
                return f"{label} gets a NaN"
            if "inf" in kinds and np.isinf(array).any():
                return f"{label} gets an infinity"
    return None


def run_exaforge(exaforge, model, feeds, work, timeout):
    """("ok", outputs by name) or (outcome, message) for one model."""
    import numpy as np
    import onnx
    model_path = os.path.join(work, "model.onnx")
    onnx.save(model, model_path)
    artifact = os.path.join(work, "model.xf")
    status, stderr = execute([exaforge, "compile", model_path, "-o",
                              artifact], timeout)
    if status is None:
        return "compile-hang", f"compile timed out after {timeout:g} s"
    kind, message = suite.check_diagnostics(status, stderr)
    if kind == "crashed":
        return "compile-crash", message
    if kind == "error":
        return "unsupported", f"compile: {message}"
    command = [exaforge, "run", artifact, "--threads", "1", "--output-dir",
               os.path.join(work, "out")]
    for name, array in feeds.items():
        path = os.path.join(work, f"input-{len(command)}.npy")
        np.save(path, array)
        command += ["--input", f"{name}={path}"]
    status, stderr = execute(command, timeout)
    if status is None:
        return "run-hang", f"run timed out after {timeout:g} s"
    kind, message = suite.check_diagnostics(status, stderr,
                                            strict_success=True)
    if kind == "crashed":
        return "run-crash", message
    if kind == "error":
        return "unsupported", f"run: {message}"
    outputs = {}
    for output in model.graph.output:
        path = os.path.join(work, "out", suite.output_file_name(output.name))
        if not os.path.exists(path):
            return "wrong-value", f"output '{output.name}' was not written"
        outputs[output.name] = np.load(path)
    return "ok", outputs


def check(exaforge, ort_runner, model, feeds, work, timeout):
    """The outcome of one model: ("ort-refused", msg), ("unsupported",
    msg), ("ok", ""), ("nan-unreliable", msg), or a finding's kind and
    message, and onnxruntime's outputs."""
    status, result = ort_runner.run(model.SerializeToString(), feeds)
    if status != "ok":
        return "ort-refused", result, None
    expected = dict(zip([o.name for o in model.graph.output], result))
    outcome, got = run_exaforge(exaforge, model, feeds, work, timeout)
    if outcome != "ok":
        return outcome, got, expected
    for name, want in expected.items():
        why = compare(name, got[name], want)
        if why:
            special = classify_special_values(ort_runner, model, feeds)
            if special:
                return "nan-unreliable", f"{special}: {why}", expected
            return "wrong-value", why, expected
    return "ok", "", expected


def save_finding(directory, number, kind, seed_name, mutations, message,
                 model, feeds, expected):
    import numpy as np
    import onnx
    path = os.path.join(directory, f"{number:04d}-{kind}")
    os.makedirs(os.path.join(path, "expected"), exist_ok=True)
    onnx.save(model, os.path.join(path, "model.onnx"))
    inputs = []
    for name, array in feeds.items():
        file_name = suite.output_file_name(name)
        np.save(os.path.join(path, file_name), array)
        inputs.append(f"--input '{name}={file_name}'")
    for name, array in (expected or {}).items():
        np.save(os.path.join(path, "expected", suite.output_file_name(name)),
                array)
    with open(os.path.join(path, "finding.json"), "w",
              encoding="utf-8") as f:
        json.dump({"kind": kind, "seed": seed_name, "mutations": mutations,
                   "message": message,
                   "reproduce": ["exaforge compile model.onnx -o model.xf",
                                 "exaforge run model.xf --threads 1 " +
                                 " ".join(inputs) + " -o out"],
                   "compare": "utils/diff_fuzz.py --replay model.onnx " +
                              " ".join(inputs)},
                  f, indent=2)
    return path


# ----------------------------------------------------------------------------
# The loop
# ----------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1,
                        help="the random seed (default 1)")
    parser.add_argument("--time", type=float, default=120,
                        help="stop after this many seconds (default 120)")
    parser.add_argument("--count", type=int, default=0,
                        help="stop after this many mutants (0: no limit)")
    parser.add_argument("--exaforge", default=DEFAULT_EXAFORGE)
    parser.add_argument("--node-dir", default=DEFAULT_NODE_DIR,
                        help="ONNX node tests used as seeds")
    parser.add_argument("--seeds-dir", action="append", default=[],
                        help="more seed models (*.onnx, recursively)")
    parser.add_argument("--seeds", default="",
                        help="a regular expression the seeds' names must "
                             "match")
    parser.add_argument("--findings", default=os.path.join(
        ROOT, "build", "diff-fuzz-findings"),
        help="where findings are written")
    parser.add_argument("--step-timeout", type=float, default=60,
                        help="seconds for each compile and run (default 60)")
    parser.add_argument("--log", help="append one JSON line per mutant here")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--replay", metavar="MODEL",
                        help="compare this one model (.onnx or .onnxtext) "
                             "instead of fuzzing")
    parser.add_argument("--input", action="append", default=[],
                        metavar="NAME=FILE",
                        help="with --replay: an input's values (.npy)")
    return parser.parse_args(argv)


def replay(args):
    """Compares one model on the given inputs (the others random, as for a
    seed) and prints its outcome; 0 when it is "ok" or "nan-unreliable"."""
    import numpy as np
    import onnx
    import onnx.parser
    if args.replay.endswith(".onnxtext"):
        with open(args.replay, encoding="utf-8") as f:
            model = onnx.parser.parse_model(f.read())
    else:
        model = onnx.load(args.replay)
    feeds = random_inputs(model, random.Random(args.seed))
    for item in args.input:
        name, _, path = item.partition("=")
        if name not in feeds:
            print(f"diff_fuzz: the model has no input '{name}'",
                  file=sys.stderr)
            return 2
        feeds[name] = np.load(path)
    ort_runner = OrtRunner(args.step_timeout)
    work = tempfile.mkdtemp(prefix="diff-fuzz-")
    try:
        outcome, message, _ = check(args.exaforge, ort_runner, model, feeds,
                                    work, args.step_timeout)
    finally:
        ort_runner.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{outcome}" + (f": {message}" if message else ""))
    return 0 if outcome in ("ok", "nan-unreliable") else 1


def main(argv=None):
    args = parse_args(argv)
    if not os.path.exists(args.exaforge):
        print(f"diff_fuzz: no exaforge at {args.exaforge}", file=sys.stderr)
        return 2
    if args.replay:
        return replay(args)
    rng = random.Random(args.seed)
    seeds = [s for s in collect_seeds(args) if re.search(args.seeds, s[0])]
    if not seeds:
        print("diff_fuzz: no seed models", file=sys.stderr)
        return 2
    # Findings of an earlier run in the same directory would be mistaken
    # for this run's.
    for old in glob.glob(os.path.join(args.findings, "[0-9][0-9][0-9][0-9]-*")):
        shutil.rmtree(old, ignore_errors=True)
    ort_runner = OrtRunner(args.step_timeout)
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    work_root = tempfile.mkdtemp(prefix="diff-fuzz-")
    seed_state = {}  # name -> (model, feeds) or None when unusable
    counts = {"mutants": 0, "ort-refused": 0, "compiled": 0, "compared": 0,
              "unsupported": 0, "nan-unreliable": 0, "findings": 0,
              "seeds-used": 0, "seeds-unusable": 0}
    unsupported = {}
    findings = []
    start = time.monotonic()
    try:
        while time.monotonic() - start < args.time and \
                (not args.count or counts["mutants"] < args.count):
            seed = seeds[rng.randrange(len(seeds))]
            seed_rng = random.Random(f"{args.seed}/{seed[0]}")
            if seed[0] not in seed_state:
                loaded = load_seed(seed, seed_rng)
                if loaded is not None:
                    work = tempfile.mkdtemp(dir=work_root)
                    outcome, _, _ = check(args.exaforge, ort_runner, *loaded,
                                          work, args.step_timeout)
                    shutil.rmtree(work, ignore_errors=True)
                    if outcome != "ok":
                        loaded = None
                seed_state[seed[0]] = loaded
                counts["seeds-used" if loaded else "seeds-unusable"] += 1
            if seed_state[seed[0]] is None:
                continue
            mutant = make_mutant(*seed_state[seed[0]], rng)
            if mutant is None:
                continue
            model, feeds, mutations = mutant
            counts["mutants"] += 1
            work = tempfile.mkdtemp(dir=work_root)
            outcome, message, expected = check(
                args.exaforge, ort_runner, model, feeds, work,
                args.step_timeout)
            shutil.rmtree(work, ignore_errors=True)
            if outcome == "ort-refused":
                counts["ort-refused"] += 1
            elif outcome == "unsupported":
                counts["unsupported"] += 1
                key = re.sub(r"node '[^']*': ", "", message)
                key = re.sub(r"\d+", "N", key)[:120]
                unsupported[key] = unsupported.get(key, 0) + 1
            elif outcome == "nan-unreliable":
                counts["nan-unreliable"] += 1
            if outcome in ("ok", "wrong-value", "nan-unreliable",
                           "run-crash", "run-hang") or \
                    message.startswith("run:"):
                counts["compiled"] += 1
            if outcome in ("ok", "wrong-value", "nan-unreliable"):
                counts["compared"] += 1
            if outcome not in ("ok", "ort-refused", "unsupported",
                               "nan-unreliable"):
                counts["findings"] += 1
                path = save_finding(args.findings, len(findings) + 1,
                                    outcome, seed[0], mutations, message,
                                    model, feeds, expected)
                findings.append(path)
                print(f"FINDING {outcome}: {seed[0]}: {'; '.join(mutations)}"
                      f": {message} -> {path}", flush=True)
            elif not args.quiet:
                print(f"{outcome}: {seed[0]}: {'; '.join(mutations)}"
                      + (f": {message}" if message else ""), flush=True)
            if log:
                log.write(json.dumps({"seed": seed[0], "mutations": mutations,
                                      "outcome": outcome,
                                      "message": message}) + "\n")
    finally:
        ort_runner.close()
        shutil.rmtree(work_root, ignore_errors=True)
        if log:
            log.close()
    elapsed = time.monotonic() - start
    print(f"diff_fuzz: seed {args.seed}, {elapsed:.0f} s: "
          f"{counts['mutants']} mutants, {counts['ort-refused']} refused by "
          f"onnxruntime, {counts['compiled']} compiled, {counts['compared']} "
          f"compared, {counts['unsupported']} unsupported, "
          f"{counts['nan-unreliable']} nan-unreliable, "
          f"{counts['findings']} findings ({counts['seeds-used']} seeds "
          f"used, {counts['seeds-unusable']} unusable)")
    for key, number in sorted(unsupported.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  unsupported x{number}: {key}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
