#!/usr/bin/env python3
"""Generates Exaforge's example ONNX models with random weights.

Usage:
  gen_example_models.py --out-dir DIR [--model mlp|gpt2|resnet|all] [flags]
  gen_example_models.py --out-dir DIR --model gpt2 --gpt2-preset xl \
      --external-data gpt2.weights --no-weight-data

Models (opset 17, IR version 8, symbolic batch dimension "batch"):
  mlp.onnx     input [batch, 784] -> Gemm+Relu x2 -> Gemm -> logits [batch, 10]
  gpt2.onnx    input_ids int64 [batch, seq] -> token + position embeddings ->
               N GPT-2 blocks (pre-LayerNorm causal self-attention and a GELU
               MLP, both residual) -> LayerNorm -> logits [batch, seq, vocab]
               (output projection tied to the token embedding)
  resnet.onnx  input [batch, 3, S, S] -> Conv+BN+Relu stem -> MaxPool -> two
               residual basic blocks (the second with stride 2 and a 1x1
               projection) -> GlobalAveragePool -> Flatten -> Gemm ->
               logits [batch, 10]; with --resnet-preset 50, ResNet-50's
               layout (224x224, bottleneck blocks 3-4-6-3, 1000 classes,
               25.5 M parameters) with its BatchNorms folded into the
               convolutions' biases

Only a small set of ONNX ops is used (ALLOWED_OPS). Every node has a readable
unique name such as "block0/attn/qkv". The output is deterministic: the
weights come from numpy's PCG64 generator seeded with --seed (default 0).
Defaults are small; GPT-2 small is
  --hidden 768 --heads 12 --layers 12 --seq 128 --vocab 50257.
--gpt2-preset small|medium|large|xl sets these five flags to the sizes of
the published GPT-2 models (sequence 1024); explicit flags still win.

External data: --external-data FILE stores every initializer of at least
1024 bytes (onnx.save's default threshold) in FILE next to the model, each
at a 64-byte aligned offset, with `location`, `offset` and `length` entries.
--no-weight-data (with --external-data) writes those references but neither
FILE nor the weights: their values are never generated. That is how the
GPT-2-XL-sized stack (1.56 G parameters, 6.2 GB of f32) is written in a
second for planning, which reads shapes only (`exaforge import
--shapes-only`); a normal import of such a model fails naming the missing
FILE.
Needs numpy and onnx (the project's .venv).
"""

import argparse
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8
PRODUCER = "exaforge-gen_example_models"
MODELS = ("mlp", "gpt2", "resnet")
# Initializers of at least this many bytes go to --external-data (the
# default `size_threshold` of onnx.save's external data).
EXTERNAL_THRESHOLD_BYTES = 1024
# Each external tensor starts at a multiple of this many bytes.
EXTERNAL_ALIGNMENT = 64
# --gpt2-preset: (hidden, heads, layers, seq, vocab) of the GPT-2 releases.
GPT2_PRESETS = {
    "small": (768, 12, 12, 1024, 50257),
    "medium": (1024, 16, 24, 1024, 50257),
    "large": (1280, 20, 36, 1024, 50257),
    "xl": (1600, 25, 48, 1024, 50257),
}

# The ops the example models may use (the importer's initial op set).
ALLOWED_OPS = frozenset("""
Constant MatMul Gemm Add Sub Mul Div Pow Sqrt Erf Relu Sigmoid Tanh Softmax
LayerNormalization BatchNormalization Conv MaxPool AveragePool
GlobalAveragePool Reshape Transpose Flatten Concat Split Slice Gather Squeeze
Unsqueeze ReduceSum ReduceMean Cast Identity Where Equal Expand Shape
""".split())


class ExternalData:
    """Places large initializers in one external data file.

    Tensors are laid out in order at EXTERNAL_ALIGNMENT-aligned offsets of
    `location` (relative to the model). With `write_data` false only the
    references are made: the tensors' values are neither needed nor kept.
    """

    def __init__(self, location, write_data):
        self.location = location
        self.write_data = write_data
        self.size = 0
        self.chunks = []         # (offset, bytes) to write

    def add(self, name, dims, array=None):
        """Returns an external TensorProto of f32 `dims` (data: `array`)."""
        offset = -(-self.size // EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT
        length = int(np.prod(dims, dtype=np.int64)) * 4
        tensor = onnx.TensorProto()
        tensor.name = name
        tensor.data_type = TensorProto.FLOAT
        tensor.dims.extend(dims)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (("location", self.location),
                           ("offset", str(offset)), ("length", str(length))):
            entry = tensor.external_data.add()
            entry.key = key
            entry.value = value
        if self.write_data:
            self.chunks.append((offset, array.tobytes()))
        self.size = offset + length
        return tensor

    def write(self, out_dir):
        """Writes the data file (when `write_data`)."""
        if not self.write_data:
            return
        with open(os.path.join(out_dir, self.location), "wb") as f:
            for offset, data in self.chunks:
                f.seek(offset)
                f.write(data)
            f.truncate(self.size)


class GraphBuilder:
    """Collects nodes and initializers; node names double as tensor names.

    With `external` (an ExternalData), initializers of at least
    EXTERNAL_THRESHOLD_BYTES bytes are stored there; when it does not write
    data, their values are not even generated.
    """

    def __init__(self, name, seed, external=None):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.external = external
        self.nodes = []
        self.initializers = []
        self.names = set()       # tensor names
        self.node_names = set()

    def _claim(self, name):
        if name in self.names:
            raise ValueError(f"duplicate name '{name}'")
        self.names.add(name)
        return name

    def op(self, op_type, name, inputs, num_outputs=1, output_names=None,
           **attrs):
        """Adds a node; returns its output (or list of outputs)."""
        assert op_type in ALLOWED_OPS, op_type
        if name in self.node_names:
            raise ValueError(f"duplicate node name '{name}'")
        self.node_names.add(name)
        if output_names is None:
            output_names = ([name] if num_outputs == 1 else
                            [f"{name}:{i}" for i in range(num_outputs)])
        outputs = [self._claim(o) for o in output_names]
        self.nodes.append(helper.make_node(op_type, list(inputs), outputs,
                                           name=name, **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def const(self, name, value, dtype=np.float32):
        """A Constant node holding `value` (for shapes, scalars and masks)."""
        array = np.asarray(value, dtype=dtype)
        return self.op("Constant", name, [],
                       value=numpy_helper.from_array(array, name=name))

    def _is_external(self, shape):
        return (self.external is not None and
                int(np.prod(shape, dtype=np.int64)) * 4 >=
                EXTERNAL_THRESHOLD_BYTES)

    def _skips_values(self, shape):
        """True when the values of an f32 `shape` weight are not needed."""
        return self._is_external(shape) and not self.external.write_data

    def weight(self, name, array, shape=None):
        """Adds an f32 initializer: `array`, or (when its values are not
        needed) only `shape`."""
        if array is not None:
            array = np.ascontiguousarray(array, dtype=np.float32)
            shape = array.shape
        self._claim(name)
        if self._is_external(shape):
            self.initializers.append(
                self.external.add(name, list(shape), array))
        else:
            self.initializers.append(numpy_helper.from_array(array, name=name))
        return name

    def normal(self, name, shape, std):
        if self._skips_values(shape):
            return self.weight(name, None, shape)
        return self.weight(name, self.rng.standard_normal(shape) * std)

    def zeros(self, name, shape):
        if self._skips_values(shape):
            return self.weight(name, None, shape)
        return self.weight(name, np.zeros(shape))

    def ones(self, name, shape):
        if self._skips_values(shape):
            return self.weight(name, None, shape)
        return self.weight(name, np.ones(shape))

    def model(self, inputs, outputs, doc):
        graph = helper.make_graph(self.nodes, self.name, inputs, outputs,
                                  initializer=self.initializers)
        model = helper.make_model(
            graph, producer_name=PRODUCER, producer_version="1",
            doc_string=doc,
            opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = IR_VERSION
        return model


def make_mlp(seed=0, in_features=784, hidden=(256, 128), classes=10,
             external=None):
    g = GraphBuilder("mlp", seed, external)
    x = "input"
    g._claim(x)
    sizes = [in_features, *hidden, classes]
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = f"fc{i + 1}"
        w = g.normal(f"{layer}.weight", (fan_out, fan_in), math.sqrt(2 / fan_in))
        b = g.normal(f"{layer}.bias", (fan_out,), 0.01)
        last = i == len(sizes) - 2
        x = g.op("Gemm", f"{layer}/gemm", [x, w, b], transB=1,
                 output_names=["logits"] if last else None)
        if not last:
            x = g.op("Relu", f"{layer}/relu", [x])
    return g.model(
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       ["batch", in_features])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["batch", classes])],
        f"MLP {'-'.join(map(str, sizes))} with ReLU (random weights).")


def make_gpt2(seed=0, hidden=64, heads=2, layers=2, seq=16, vocab=256,
              external=None):
    if hidden % heads:
        raise ValueError(f"--hidden {hidden} is not a multiple of --heads {heads}")
    head_dim = hidden // heads
    ffn = 4 * hidden
    std = 0.02
    # GPT-2 scales the residual projections by 1/sqrt(2 * layers).
    proj_std = std / math.sqrt(2 * layers)
    g = GraphBuilder("gpt2", seed, external)
    ids = "input_ids"
    g._claim(ids)

    def layer_norm(name, prefix, x):
        gamma = g.ones(f"{prefix}.weight", (hidden,))
        beta = g.zeros(f"{prefix}.bias", (hidden,))
        return g.op("LayerNormalization", name, [x, gamma, beta], axis=-1,
                    epsilon=1e-5)

    def linear(name, prefix, x, fan_in, fan_out, w_std):
        w = g.normal(f"{prefix}.weight", (fan_in, fan_out), w_std)
        b = g.zeros(f"{prefix}.bias", (fan_out,))
        y = g.op("MatMul", f"{name}/matmul", [x, w])
        return g.op("Add", f"{name}/bias", [y, b])

    # Embeddings.
    wte = g.normal("wte.weight", (vocab, hidden), std)
    wpe = g.normal("wpe.weight", (seq, hidden), 0.01)
    tok = g.op("Gather", "embed/token", [wte, ids], axis=0)
    positions = g.const("embed/positions", np.arange(seq), np.int64)
    pos = g.op("Gather", "embed/position", [wpe, positions], axis=0)
    x = g.op("Add", "embed/add", [tok, pos])

    # Constants shared by all blocks.
    split_sizes = g.const("const/qkv_split", [hidden] * 3, np.int64)
    heads_shape = g.const("const/heads_shape", [0, 0, heads, head_dim],
                          np.int64)
    merged_shape = g.const("const/merged_shape", [0, 0, hidden], np.int64)
    scale = g.const("const/attn_scale", 1.0 / math.sqrt(head_dim))
    causal = g.const("const/causal_mask",
                     np.tril(np.ones((seq, seq), dtype=bool)), np.bool_)
    masked = g.const("const/mask_value", -1e9)
    sqrt2 = g.const("const/sqrt2", math.sqrt(2.0))
    one = g.const("const/one", 1.0)
    half = g.const("const/half", 0.5)

    for i in range(layers):
        b = f"block{i}"
        p = f"h.{i}"
        # Causal self-attention.
        h = layer_norm(f"{b}/ln1", f"{p}.ln_1", x)
        qkv = linear(f"{b}/attn/qkv", f"{p}.attn.c_attn", h, hidden,
                     3 * hidden, std)
        q, k, v = g.op("Split", f"{b}/attn/split", [qkv, split_sizes],
                       output_names=[f"{b}/attn/q", f"{b}/attn/k",
                                     f"{b}/attn/v"], axis=-1)
        q = g.op("Reshape", f"{b}/attn/q_heads", [q, heads_shape])
        k = g.op("Reshape", f"{b}/attn/k_heads", [k, heads_shape])
        v = g.op("Reshape", f"{b}/attn/v_heads", [v, heads_shape])
        q = g.op("Transpose", f"{b}/attn/q_transpose", [q], perm=[0, 2, 1, 3])
        kt = g.op("Transpose", f"{b}/attn/k_transpose", [k], perm=[0, 2, 3, 1])
        v = g.op("Transpose", f"{b}/attn/v_transpose", [v], perm=[0, 2, 1, 3])
        scores = g.op("MatMul", f"{b}/attn/scores", [q, kt])
        scores = g.op("Mul", f"{b}/attn/scale", [scores, scale])
        scores = g.op("Where", f"{b}/attn/causal_mask",
                      [causal, scores, masked])
        probs = g.op("Softmax", f"{b}/attn/softmax", [scores], axis=-1)
        ctx = g.op("MatMul", f"{b}/attn/context", [probs, v])
        ctx = g.op("Transpose", f"{b}/attn/merge_transpose", [ctx],
                   perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", f"{b}/attn/merge_heads", [ctx, merged_shape])
        attn = linear(f"{b}/attn/proj", f"{p}.attn.c_proj", ctx, hidden,
                      hidden, proj_std)
        x = g.op("Add", f"{b}/attn/residual", [x, attn])
        # MLP with GELU(x) = 0.5 * x * (1 + erf(x / sqrt(2))).
        h = layer_norm(f"{b}/ln2", f"{p}.ln_2", x)
        h = linear(f"{b}/mlp/fc", f"{p}.mlp.c_fc", h, hidden, ffn, std)
        t = g.op("Div", f"{b}/mlp/gelu/div", [h, sqrt2])
        t = g.op("Erf", f"{b}/mlp/gelu/erf", [t])
        t = g.op("Add", f"{b}/mlp/gelu/add", [t, one])
        t = g.op("Mul", f"{b}/mlp/gelu/mul", [h, t])
        h = g.op("Mul", f"{b}/mlp/gelu/half", [t, half])
        h = linear(f"{b}/mlp/proj", f"{p}.mlp.c_proj", h, ffn, hidden,
                   proj_std)
        x = g.op("Add", f"{b}/mlp/residual", [x, h])

    x = layer_norm("ln_f", "ln_f", x)
    # The output projection is tied to the token embedding.
    wte_t = g.op("Transpose", "lm_head/wte_transpose", [wte], perm=[1, 0])
    g.op("MatMul", "lm_head/matmul", [x, wte_t], output_names=["logits"])
    return g.model(
        [helper.make_tensor_value_info(ids, TensorProto.INT64,
                                       ["batch", seq])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["batch", seq, vocab])],
        f"GPT-2-style decoder: {layers} layers, hidden {hidden}, {heads} "
        f"heads, sequence {seq}, vocabulary {vocab} (random weights).")


def finish_classifier(g, x, channels, classes, image_size, description):
    """Ends a CNN of `channels` feature maps with global average pooling and
    a fully connected layer into `classes` logits, and returns the model of
    images [batch, 3, image_size, image_size] described by `description`."""
    x = g.op("GlobalAveragePool", "head/avgpool", [x])
    x = g.op("Flatten", "head/flatten", [x], axis=1)
    w = g.normal("fc.weight", (classes, channels), math.sqrt(1 / channels))
    b = g.zeros("fc.bias", (classes,))
    g.op("Gemm", "head/fc", [x, w, b], transB=1, output_names=["logits"])
    return g.model(
        [helper.make_tensor_value_info(
            "input", TensorProto.FLOAT, ["batch", 3, image_size, image_size])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["batch", classes])],
        description)


def make_resnet(seed=0, image_size=32, width=16, classes=10,
                external=None):
    if image_size < 8 or image_size % 4:
        raise ValueError(f"--image-size {image_size} must be a multiple of 4 "
                         "and at least 8")
    g = GraphBuilder("resnet", seed, external)
    x = "input"
    g._claim(x)

    def conv_bn(name, prefix, x, cin, cout, kernel, stride):
        w = g.normal(f"{prefix}.conv.weight", (cout, cin, kernel, kernel),
                     math.sqrt(2 / (cin * kernel * kernel)))
        pad = kernel // 2
        y = g.op("Conv", f"{name}/conv", [x, w], kernel_shape=[kernel, kernel],
                 strides=[stride, stride], pads=[pad] * 4)
        gamma = g.weight(f"{prefix}.bn.weight",
                         1 + 0.1 * g.rng.standard_normal(cout))
        beta = g.weight(f"{prefix}.bn.bias", 0.1 * g.rng.standard_normal(cout))
        mean = g.weight(f"{prefix}.bn.running_mean",
                        0.1 * g.rng.standard_normal(cout))
        var = g.weight(f"{prefix}.bn.running_var",
                       g.rng.uniform(0.5, 1.5, cout))
        return g.op("BatchNormalization", f"{name}/bn",
                    [y, gamma, beta, mean, var], epsilon=1e-5)

    def basic_block(name, x, cin, cout, stride):
        h = conv_bn(f"{name}/conv1", f"{name}.conv1", x, cin, cout, 3, stride)
        h = g.op("Relu", f"{name}/conv1/relu", [h])
        h = conv_bn(f"{name}/conv2", f"{name}.conv2", h, cout, cout, 3, 1)
        skip = x
        if stride != 1 or cin != cout:
            skip = conv_bn(f"{name}/downsample", f"{name}.downsample", x, cin,
                           cout, 1, stride)
        y = g.op("Add", f"{name}/residual", [h, skip])
        return g.op("Relu", f"{name}/relu", [y])

    x = conv_bn("stem", "stem", x, 3, width, 3, 1)
    x = g.op("Relu", "stem/relu", [x])
    x = g.op("MaxPool", "stem/maxpool", [x], kernel_shape=[3, 3],
             strides=[2, 2], pads=[1, 1, 1, 1])
    x = basic_block("layer1", x, width, width, 1)
    x = basic_block("layer2", x, width, 2 * width, 2)
    return finish_classifier(
        g, x, 2 * width, classes, image_size,
        f"ResNet-style CNN: {image_size}x{image_size} images, width {width}, "
        f"two basic blocks (random weights).")


def make_resnet50(seed=0, image_size=224, classes=1000, external=None):
    """ResNet-50's layout (a 7x7 stem, bottleneck blocks 3-4-6-3 of widths
    64-512 and expansion 4, 25.5 M parameters) with its BatchNorms folded
    into the convolutions' biases, as inference runs it: every weight is an
    initializer that compiles unchanged. The third convolution of each
    block starts small, so that activations stay in range without
    normalization."""
    if image_size < 32 or image_size % 32:
        raise ValueError(f"--image-size {image_size} must be a multiple of "
                         "32 for the ResNet-50 preset")
    g = GraphBuilder("resnet50", seed, external)
    x = "input"
    g._claim(x)

    def conv(name, x, cin, cout, kernel, stride, scale=1.0):
        w = g.normal(f"{name}.weight", (cout, cin, kernel, kernel),
                     scale * math.sqrt(2 / (cin * kernel * kernel)))
        b = g.normal(f"{name}.bias", (cout,), 0.01)
        pad = kernel // 2
        return g.op("Conv", f"{name}/conv", [x, w, b],
                    kernel_shape=[kernel, kernel], strides=[stride, stride],
                    pads=[pad] * 4)

    def bottleneck(name, x, cin, width, stride):
        cout = 4 * width
        h = g.op("Relu", f"{name}/relu1", [conv(f"{name}.conv1", x, cin,
                                                width, 1, 1)])
        h = g.op("Relu", f"{name}/relu2", [conv(f"{name}.conv2", h, width,
                                                width, 3, stride)])
        h = conv(f"{name}.conv3", h, width, cout, 1, 1, scale=0.2)
        skip = x
        if stride != 1 or cin != cout:
            skip = conv(f"{name}.downsample", x, cin, cout, 1, stride)
        return g.op("Relu", f"{name}/relu", [g.op("Add", f"{name}/residual",
                                                  [h, skip])])

    x = g.op("Relu", "stem/relu", [conv("stem", x, 3, 64, 7, 2)])
    x = g.op("MaxPool", "stem/maxpool", [x], kernel_shape=[3, 3],
             strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for stage, (width, blocks) in enumerate(((64, 3), (128, 4), (256, 6),
                                             (512, 3))):
        for block in range(blocks):
            stride = 2 if block == 0 and stage > 0 else 1
            x = bottleneck(f"layer{stage + 1}.{block}", x, cin, width, stride)
            cin = 4 * width
    return finish_classifier(
        g, x, cin, classes, image_size,
        f"ResNet-50 layout, BatchNorm folded: {image_size}x{image_size} "
        f"images, {classes} classes (random weights).")


def build(name, args, external=None):
    if name == "mlp":
        return make_mlp(seed=args.seed, external=external)
    if name == "gpt2":
        return make_gpt2(seed=args.seed, hidden=args.hidden, heads=args.heads,
                         layers=args.layers, seq=args.seq, vocab=args.vocab,
                         external=external)
    if name == "resnet" and args.resnet_preset == "50":
        return make_resnet50(seed=args.seed, image_size=args.image_size,
                             external=external)
    if name == "resnet":
        return make_resnet(seed=args.seed, image_size=args.image_size,
                           width=args.width, external=external)
    raise ValueError(name)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Generate Exaforge's example ONNX models "
                    "(mlp.onnx, gpt2.onnx, resnet.onnx).")
    parser.add_argument("--out-dir", required=True,
                        help="directory to write MODEL.onnx into")
    parser.add_argument("--model", choices=(*MODELS, "all"), default="all")
    parser.add_argument("--seed", type=int, default=0,
                        help="weight seed (default 0)")
    parser.add_argument("--check", action="store_true",
                        help="run onnx.checker (full_check) on each model")
    parser.add_argument("--external-data", metavar="FILE",
                        help="store initializers of 1024 bytes or more in "
                             "FILE (relative to --out-dir; with --model all, "
                             "MODEL.FILE)")
    parser.add_argument("--no-weight-data", action="store_true",
                        help="with --external-data: write the references "
                             "only, not the file (shapes-only planning)")
    gpt2 = parser.add_argument_group("gpt2")
    gpt2.add_argument("--gpt2-preset", choices=sorted(GPT2_PRESETS),
                      help="sizes of a published GPT-2 (hidden, heads, "
                           "layers, seq 1024, vocab 50257)")
    gpt2.add_argument("--hidden", type=int)
    gpt2.add_argument("--heads", type=int)
    gpt2.add_argument("--layers", type=int)
    gpt2.add_argument("--seq", type=int, help="static sequence length")
    gpt2.add_argument("--vocab", type=int)
    resnet = parser.add_argument_group("resnet")
    resnet.add_argument("--resnet-preset", choices=("50",),
                        help="ResNet-50's layout at 224x224 and 1000 classes, "
                             "its BatchNorms folded into the convolutions "
                             "(--width does not apply)")
    resnet.add_argument("--image-size", type=int)
    resnet.add_argument("--width", type=int, default=16,
                        help="channels of the stem and first block")
    args = parser.parse_args(argv)
    sizes = GPT2_PRESETS.get(args.gpt2_preset, (64, 2, 2, 16, 256))
    for flag, size in zip(("hidden", "heads", "layers", "seq", "vocab"),
                          sizes):
        if getattr(args, flag) is None:
            setattr(args, flag, size)
    if args.image_size is None:
        args.image_size = 224 if args.resnet_preset == "50" else 32
    if args.no_weight_data and not args.external_data:
        parser.error("--no-weight-data needs --external-data")
    if args.external_data and (os.path.isabs(args.external_data) or
                               os.sep in args.external_data):
        parser.error("--external-data must be a file name in --out-dir")
    for flag in ("hidden", "heads", "layers", "seq", "vocab", "image_size",
                 "width"):
        if getattr(args, flag) < 1:
            parser.error(f"--{flag.replace('_', '-')} must be positive")
    return args


def without_external_initializers(model):
    """A copy of `model` whose external initializers are graph inputs of the
    same type and shape: what onnx.checker can check without their data."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    inline = [t for t in copy.graph.initializer
              if t.data_location != TensorProto.EXTERNAL]
    external = [t for t in copy.graph.initializer
                if t.data_location == TensorProto.EXTERNAL]
    del copy.graph.initializer[:]
    copy.graph.initializer.extend(inline)
    copy.graph.input.extend(
        helper.make_tensor_value_info(t.name, t.data_type, list(t.dims))
        for t in external)
    return copy


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    names = MODELS if args.model == "all" else (args.model,)
    for name in names:
        external = None
        if args.external_data:
            location = (args.external_data if len(names) == 1 else
                        f"{name}.{args.external_data}")
            external = ExternalData(location, not args.no_weight_data)
        try:
            model = build(name, args, external)
        except ValueError as err:
            print(f"gen_example_models.py: error: {err}", file=sys.stderr)
            return 1
        path = os.path.join(args.out_dir, f"{name}.onnx")
        data = model.SerializeToString()
        with open(path, "wb") as f:
            f.write(data)
        if external:
            external.write(args.out_dir)
        if args.check:
            # By path, so that the checker finds the external data file.
            onnx.checker.check_model(
                without_external_initializers(model) if args.no_weight_data
                else path, full_check=True)
        params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
        line = (f"wrote {path}: {len(model.graph.node)} nodes, "
                f"{params:,} parameters, {len(data) / 2**20:.1f} MiB")
        if external:
            line += (f", {external.size / 2**20:.1f} MiB of external data in "
                     f"{external.location}")
            if not external.write_data:
                line += " (not written)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
