"""Runs an ONNX graph as PyTorch ops: the PyTorch baseline of the check.

The device has torch but neither torchvision nor transformers, so the
models cannot be rebuilt as torch modules there. `OnnxTorch` instead runs
the ONNX graph's nodes one by one as torch ops on a device ("PyTorch
eager"); `torch.compile` of its `forward` is the compiled baseline.

The executor is specialized to one set of input shapes: `OnnxTorch(model,
feeds, device)` runs the graph once, and every value that does not depend
on the inputs' data (initializers, Constant nodes, Shape of any value and
what is computed from those alone: shapes, masks, position ids) is kept as
a constant. `forward` then runs only the nodes that depend on the data, and
the ops that need integers (Reshape's shape, Slice's bounds) read them from
those constants, so that `torch.compile` sees no data-dependent Python
values.

Supported ops: the keys of OPS. Any other op fails when the executor is
built, naming the node (`UnsupportedOp`).
"""

import math

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


class UnsupportedOp(Exception):
    """A node the executor cannot run (an unknown op or attribute value)."""


# ONNX TensorProto element types → torch dtypes.
TORCH_DTYPES = {
    onnx.TensorProto.FLOAT: torch.float32,
    onnx.TensorProto.DOUBLE: torch.float64,
    onnx.TensorProto.FLOAT16: torch.float16,
    onnx.TensorProto.BFLOAT16: torch.bfloat16,
    onnx.TensorProto.INT8: torch.int8,
    onnx.TensorProto.INT16: torch.int16,
    onnx.TensorProto.INT32: torch.int32,
    onnx.TensorProto.INT64: torch.int64,
    onnx.TensorProto.UINT8: torch.uint8,
    onnx.TensorProto.BOOL: torch.bool,
}


class Node:
    """One ONNX node: op type, name, input and output names, attributes
    (decoded to Python values and numpy arrays)."""

    def __init__(self, proto):
        self.op_type = proto.op_type
        self.name = proto.name or f"{proto.op_type}:{proto.output[0]}"
        self.inputs = list(proto.input)
        self.outputs = list(proto.output)
        self.attrs = {a.name: onnx.helper.get_attribute_value(a)
                      for a in proto.attribute}
        for key, value in self.attrs.items():
            if isinstance(value, onnx.TensorProto):
                self.attrs[key] = numpy_helper.to_array(value)
            elif isinstance(value, bytes):
                self.attrs[key] = value.decode()

    def attr(self, key, default=None):
        return self.attrs.get(key, default)

    def fail(self, message):
        """An UnsupportedOp naming this node."""
        return UnsupportedOp(f"node '{self.name}' ({self.op_type}): "
                             f"{message}")


class Context:
    """What an op function sees besides its input tensors: its node, and the
    constant integers of its inputs (`ints`)."""

    def __init__(self, executor, node):
        self.node = node
        self.executor = executor

    def ints(self, index, default=None):
        """Input `index` as a list of Python ints; it must be a constant (a
        value that does not depend on the inputs' data)."""
        if index >= len(self.node.inputs) or not self.node.inputs[index]:
            return default
        name = self.node.inputs[index]
        if name not in self.executor.host_ints:
            raise self.node.fail(f"input {index} ('{name}') must be known "
                                 "before the run (it depends on the data)")
        return self.executor.host_ints[name]


def _axes(ctx, inputs_index):
    """The `axes` of Squeeze/Unsqueeze/Reduce*: the attribute (older
    opsets) or input `inputs_index` (newer ones); None when absent."""
    axes = ctx.node.attr("axes")
    if axes is None:
        axes = ctx.ints(inputs_index)
    return None if axes is None else [int(a) for a in axes]


def _pads_to_torch(pads, rank):
    """ONNX pads (begins then ends) as F.pad's list (last dim first)."""
    result = []
    for d in reversed(range(rank)):
        result += [pads[d], pads[d + rank]]
    return result


def _spatial_padding(ctx, x, spatial, value):
    """Applies the node's explicit pads to `x` when they are asymmetric and
    returns the symmetric padding the torch op takes (per spatial dim)."""
    node = ctx.node
    auto_pad = node.attr("auto_pad", "NOTSET")
    if auto_pad not in ("NOTSET", "VALID"):
        raise node.fail(f"auto_pad={auto_pad} is not supported")
    pads = list(node.attr("pads", [0] * (2 * spatial)))
    if auto_pad == "VALID":
        pads = [0] * (2 * spatial)
    begins, ends = pads[:spatial], pads[spatial:]
    if begins == ends:
        return x, begins
    return F.pad(x, _pads_to_torch(pads, spatial), value=value), [0] * spatial


def _conv(ctx, x, w, b=None):
    node = ctx.node
    spatial = x.dim() - 2
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}.get(spatial)
    if conv is None:
        raise node.fail(f"{spatial}-d convolution is not supported")
    x, padding = _spatial_padding(ctx, x, spatial, 0.0)
    return conv(x, w, b, stride=node.attr("strides", [1] * spatial),
                padding=padding,
                dilation=node.attr("dilations", [1] * spatial),
                groups=node.attr("group", 1))


def _max_pool(ctx, x):
    node = ctx.node
    spatial = x.dim() - 2
    if spatial != 2 or node.attr("storage_order", 0) != 0 or \
            len(node.outputs) > 1:
        raise node.fail("only 2-d MaxPool without indices is supported")
    kernel = node.attr("kernel_shape")
    x, padding = _spatial_padding(ctx, x, spatial, -math.inf)
    return F.max_pool2d(x, kernel, stride=node.attr("strides", [1] * 2),
                        padding=padding,
                        dilation=node.attr("dilations", [1] * 2),
                        ceil_mode=bool(node.attr("ceil_mode", 0)))


def _average_pool(ctx, x):
    node = ctx.node
    if x.dim() != 4:
        raise node.fail("only 2-d AveragePool is supported")
    x, padding = _spatial_padding(ctx, x, 2, 0.0)
    return F.avg_pool2d(x, node.attr("kernel_shape"),
                        stride=node.attr("strides", [1] * 2),
                        padding=padding,
                        ceil_mode=bool(node.attr("ceil_mode", 0)),
                        count_include_pad=bool(
                            node.attr("count_include_pad", 0)))


def _gemm(ctx, a, b, c=None):
    node = ctx.node
    if node.attr("transA", 0):
        a = a.t()
    if node.attr("transB", 0):
        b = b.t()
    y = node.attr("alpha", 1.0) * (a @ b)
    if c is not None:
        y = y + node.attr("beta", 1.0) * c
    return y


def _reshape(ctx, x, _shape):
    shape = ctx.ints(1)
    if not ctx.node.attr("allowzero", 0):
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _flatten(ctx, x):
    axis = ctx.node.attr("axis", 1)
    axis += x.dim() if axis < 0 else 0      # 0 <= axis <= rank
    return x.reshape(math.prod(x.shape[:axis]), -1)


def _split(ctx, x, *_):
    node = ctx.node
    axis = node.attr("axis", 0)
    sizes = node.attr("split") or ctx.ints(1)
    if sizes is None:
        count = len(node.outputs)
        chunk = -(-x.shape[axis] // count)
        sizes = [min(chunk, x.shape[axis] - i * chunk) for i in range(count)]
    return tuple(torch.split(x, list(sizes), dim=axis))


def _gather(ctx, data, indices):
    axis = ctx.node.attr("axis", 0) % data.dim()
    size = data.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices)
    flat = torch.index_select(data, axis, indices.reshape(-1))
    return flat.reshape((*data.shape[:axis], *indices.shape,
                         *data.shape[axis + 1:]))


def _gather_nd(ctx, data, indices):
    if ctx.node.attr("batch_dims", 0) != 0:
        raise ctx.node.fail("batch_dims != 0 is not supported")
    k = indices.shape[-1]
    return data[tuple(indices[..., i] for i in range(k))]


def _slice(ctx, x, *_):
    starts, ends = ctx.ints(1), ctx.ints(2)
    axes = ctx.ints(3, list(range(len(starts))))
    steps = ctx.ints(4, [1] * len(starts))
    for start, end, axis, step in zip(starts, ends, axes, steps):
        axis %= x.dim()
        size = x.shape[axis]
        if step > 0:
            start = min(max(start + size if start < 0 else start, 0), size)
            end = min(max(end + size if end < 0 else end, 0), size)
            x = x.narrow(axis, start, max(end - start, 0))
            if step > 1:
                x = x[(slice(None),) * axis + (slice(None, None, step),)]
        else:
            start = min(max(start + size if start < 0 else start, -1),
                        size - 1)
            end = min(max(end + size if end < 0 else end, -1), size - 1)
            index = torch.arange(start, end, step, device=x.device)
            x = torch.index_select(x, axis, index)
    return x


def _squeeze(ctx, x, *_):
    axes = _axes(ctx, 1)
    if axes is None:
        return x.squeeze()
    for axis in sorted((a % x.dim() for a in axes), reverse=True):
        x = x.squeeze(axis)
    return x


def _unsqueeze(ctx, x, *_):
    axes = _axes(ctx, 1)
    rank = x.dim() + len(axes)
    for axis in sorted(a % rank for a in axes):
        x = x.unsqueeze(axis)
    return x


def _reduce(function):
    """A Reduce* op over its axes (attribute or input 1)."""
    def reduce(ctx, x, *_):
        axes = _axes(ctx, 1)
        keep = bool(ctx.node.attr("keepdims", 1))
        if axes is None or not axes:
            if ctx.node.attr("noop_with_empty_axes", 0):
                return x
            axes = list(range(x.dim()))
        return function(x, dim=[a % x.dim() for a in axes], keepdim=keep)
    return reduce


def _layer_norm(ctx, x, scale, bias=None):
    node = ctx.node
    if len(node.outputs) > 1 and any(node.outputs[1:]):
        raise node.fail("the mean and inverse deviation outputs are not "
                        "supported")
    axis = node.attr("axis", -1) % x.dim()
    return F.layer_norm(x, x.shape[axis:], scale, bias,
                        eps=node.attr("epsilon", 1e-5))


def _batch_norm(ctx, x, scale, bias, mean, var):
    if ctx.node.attr("training_mode", 0):
        raise ctx.node.fail("training_mode is not supported")
    return F.batch_norm(x, mean, var, scale, bias, training=False,
                        eps=ctx.node.attr("epsilon", 1e-5))


def _constant(ctx):
    attrs = ctx.node.attrs
    if "value" in attrs:
        return torch.from_numpy(np.array(attrs["value"]))
    for key, dtype in (("value_float", torch.float32),
                       ("value_floats", torch.float32),
                       ("value_int", torch.int64),
                       ("value_ints", torch.int64)):
        if key in attrs:
            return torch.tensor(attrs[key], dtype=dtype)
    raise ctx.node.fail(f"attributes {sorted(attrs)} are not supported")


def _constant_of_shape(ctx, _shape):
    value = ctx.node.attr("value")
    fill = torch.zeros(()) if value is None else \
        torch.from_numpy(np.array(value)).reshape(())
    return fill.expand(ctx.ints(0)).clone()


def _cast(ctx, x):
    to = ctx.node.attr("to")
    if to not in TORCH_DTYPES:
        raise ctx.node.fail(f"Cast to element type {to} is not supported")
    return x.to(TORCH_DTYPES[to])


def _expand(ctx, x, _shape):
    return x.expand(torch.broadcast_shapes(x.shape, tuple(ctx.ints(1))))


def _range(ctx, start, limit, delta):
    return torch.arange(start.item(), limit.item(), delta.item(),
                        dtype=start.dtype, device=start.device)


def _shape(ctx, x):
    node = ctx.node
    dims = list(x.shape)[node.attr("start", 0):node.attr("end", None)]
    return torch.tensor(dims, dtype=torch.int64)


def _div(ctx, a, b):
    if a.dtype.is_floating_point:
        return a / b
    return torch.div(a, b, rounding_mode="trunc")


def _softmax(ctx, x):
    return torch.softmax(x, dim=ctx.node.attr("axis", -1))


def _concat(ctx, *xs):
    return torch.cat(xs, dim=ctx.node.attr("axis"))


def _transpose(ctx, x):
    perm = ctx.node.attr("perm", list(reversed(range(x.dim()))))
    return x.permute(perm)


def _hard_sigmoid(ctx, x):
    alpha = ctx.node.attr("alpha", 0.2)
    beta = ctx.node.attr("beta", 0.5)
    return torch.clamp(alpha * x + beta, 0.0, 1.0)


def _elementwise(function):
    """An op that ignores its node and applies `function` to its inputs."""
    return lambda ctx, *xs: function(*xs)


# ONNX op type → function(ctx, *input tensors) returning a tensor or a tuple
# (one per output). Optional inputs that are absent are passed as None.
OPS = {
    "Add": _elementwise(torch.add),
    "Sub": _elementwise(torch.sub),
    "Mul": _elementwise(torch.mul),
    "Div": _div,
    "Pow": _elementwise(torch.pow),
    "Max": _elementwise(lambda *xs: _fold(torch.maximum, xs)),
    "Min": _elementwise(lambda *xs: _fold(torch.minimum, xs)),
    "And": _elementwise(torch.logical_and),
    "Or": _elementwise(torch.logical_or),
    "Not": _elementwise(torch.logical_not),
    "Equal": _elementwise(torch.eq),
    "Less": _elementwise(torch.lt),
    "LessOrEqual": _elementwise(torch.le),
    "Greater": _elementwise(torch.gt),
    "GreaterOrEqual": _elementwise(torch.ge),
    "Where": _elementwise(torch.where),
    "Sqrt": _elementwise(torch.sqrt),
    "Reciprocal": _elementwise(torch.reciprocal),
    "Neg": _elementwise(torch.neg),
    "Exp": _elementwise(torch.exp),
    "Log": _elementwise(torch.log),
    "Cos": _elementwise(torch.cos),
    "Sin": _elementwise(torch.sin),
    "Erf": _elementwise(torch.erf),
    "Tanh": _elementwise(torch.tanh),
    "Sigmoid": _elementwise(torch.sigmoid),
    "Relu": _elementwise(torch.relu),
    "IsNaN": _elementwise(torch.isnan),
    "Identity": _elementwise(lambda x: x),
    "HardSigmoid": _hard_sigmoid,
    "HardSwish": _elementwise(F.hardswish),
    "Softmax": _softmax,
    "LayerNormalization": _layer_norm,
    "BatchNormalization": _batch_norm,
    "MatMul": _elementwise(torch.matmul),
    "Gemm": _gemm,
    "Conv": _conv,
    "MaxPool": _max_pool,
    "AveragePool": _average_pool,
    "GlobalAveragePool": _elementwise(
        lambda x: x.mean(dim=tuple(range(2, x.dim())), keepdim=True)),
    "ReduceMean": _reduce(torch.mean),
    "ReduceSum": _reduce(torch.sum),
    "ReduceMax": _reduce(torch.amax),
    "Reshape": _reshape,
    "Flatten": _flatten,
    "Transpose": _transpose,
    "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze,
    "Concat": _concat,
    "Split": _split,
    "Slice": _slice,
    "Gather": _gather,
    "GatherND": _gather_nd,
    "Expand": _expand,
    "Cast": _cast,
    "Constant": _constant,
    "ConstantOfShape": _constant_of_shape,
    "Range": _range,
    "Shape": _shape,
}


def _fold(function, xs):
    result = xs[0]
    for x in xs[1:]:
        result = function(result, x)
    return result


def unsupported_ops(model):
    """The op types of `model`'s graph that OPS lacks, sorted."""
    return sorted({n.op_type for n in model.graph.node} - set(OPS))


class OnnxTorch:
    """An ONNX model's graph as a torch function, specialized to the shapes
    of `feeds` (name → numpy array) and placed on `device`.

    `forward(*inputs)` takes the graph's inputs (torch tensors on `device`,
    in graph order) and returns its outputs as a tuple.
    """

    def __init__(self, model, feeds, device):
        self.device = torch.device(device)
        graph = model.graph
        self.nodes = [Node(n) for n in graph.node]
        for node in self.nodes:
            if node.op_type not in OPS:
                raise node.fail("op not supported by the torch executor")
        initializer_names = {t.name for t in graph.initializer}
        self.input_names = [i.name for i in graph.input
                            if i.name not in initializer_names]
        self.output_names = [o.name for o in graph.output]
        # Constants: initializers, then whatever depends on no input data.
        self.constants = {}
        self.host_ints = {}
        for tensor in graph.initializer:
            self._keep_constant(tensor.name, torch.from_numpy(
                numpy_helper.to_array(tensor).copy()).to(self.device))
        self.plan = []          # (function, context, inputs, outputs)
        values = {name: torch.from_numpy(np.ascontiguousarray(feeds[name]))
                  .to(self.device) for name in self.input_names}
        values.update(self.constants)
        for node in self.nodes:
            context = Context(self, node)
            args = [values[name] if name else None for name in node.inputs]
            with torch.no_grad():
                result = OPS[node.op_type](context, *args)
            results = result if isinstance(result, tuple) else (result,)
            results = [r.to(self.device) for r in results]
            static = node.op_type == "Shape" or all(
                not name or name in self.constants for name in node.inputs)
            for name, value in zip(node.outputs, results):
                values[name] = value
                if static:
                    self._keep_constant(name, value)
            if not static:
                self.plan.append((OPS[node.op_type], context, node.inputs,
                                  node.outputs))
        self.reference_outputs = [values[name] for name in self.output_names]

    def _keep_constant(self, name, value):
        """Records a value known before the run (and its integers, when it
        is a small integer tensor, for the ops that need them)."""
        self.constants[name] = value
        if not value.dtype.is_floating_point and value.numel() <= 64:
            self.host_ints[name] = [int(v) for v in
                                    value.reshape(-1).cpu().tolist()]

    def forward(self, *inputs):
        """Runs the data-dependent nodes on `inputs`; returns the outputs."""
        values = dict(self.constants)
        values.update(zip(self.input_names, inputs))
        for function, context, names, outputs in self.plan:
            result = function(context,
                              *(values[n] if n else None for n in names))
            if isinstance(result, tuple):
                values.update(zip(outputs, result))
            else:
                values[outputs[0]] = result
        return tuple(values[name] for name in self.output_names)
