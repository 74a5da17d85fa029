#!/usr/bin/env python3
"""Writes the binary ONNX models of the importer lit tests.

Usage: make_importer_test_models.py OUTPUT_DIR

Needs the `onnx` package (the project's .venv). The output is deterministic.
Models written (opset 13 unless named otherwise):
  dense_resource.onnx   MatMul + Add with a 128-element raw_data initializer
                        used twice and small typed-field initializers
  typed_fields.onnx     small initializers of every typed field (int32_data
                        for int8/uint8/bool/float16, int64, double, uint64)
  truncated.onnx        dense_resource.onnx cut in the middle
  garbage.onnx          bytes that are not a ModelProto
  wrong_size.onnx       an initializer whose raw_data is too short
  string_init.onnx      a STRING initializer
  no_shape.onnx         a graph input without a shape
  no_elem_type.onnx     a graph input with an undefined element type
  external_ok.onnx      + weights.bin: an initializer in external data at an
                        offset
  external_escape.onnx  external data location '../outside.bin'
  external_absolute.onnx external data location '/etc/passwd'
  external_missing.onnx external data location 'missing.bin'
  external_short.onnx   external data longer than weights.bin
  old_opset9.onnx       an IR version 3, opset 9 CNN (Conv, BatchNormalization,
                        Relu, MaxPool, Flatten, Gemm, Softmax) whose
                        initializers are also graph inputs, as old exporters
                        wrote them: the importer upgrades it to opset 11
  old_opset9_external.onnx  an opset 9 Gemm whose weight is weights.bin's W
                        (external data) and whose bias is inline
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def make_model(nodes, inputs, outputs, initializers, opset=13):
    graph = helper.make_graph(nodes, "test_graph", inputs, outputs,
                              initializer=initializers)
    model = helper.make_model(
        graph, producer_name="make_importer_test_models",
        opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def save(model, out_dir, name):
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(model.SerializeToString())


def external_tensor(name, dims, location, offset, length):
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = TensorProto.FLOAT
    tensor.dims.extend(dims)
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", str(offset)),
                       ("length", str(length))):
        entry = tensor.external_data.add()
        entry.key = key
        entry.value = value
    return tensor


def matmul_model(weight):
    """Y = X @ W with W a 16x8 initializer."""
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", 16])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["batch", 8])
    node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")
    return make_model([node], [x], [y], [weight])


def old_opset9_cnn():
    """An opset 9 CNN in the style of the ONNX model zoo's classics: IR
    version 3, every initializer also listed as a graph input."""
    rng = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(
            rng.standard_normal((4, 2, 3, 3)).astype(np.float32), "conv.w"),
        numpy_helper.from_array(
            rng.standard_normal(4).astype(np.float32), "conv.b"),
        numpy_helper.from_array(
            rng.uniform(0.5, 1.5, 4).astype(np.float32), "bn.scale"),
        numpy_helper.from_array(
            rng.standard_normal(4).astype(np.float32), "bn.bias"),
        numpy_helper.from_array(
            rng.standard_normal(4).astype(np.float32), "bn.mean"),
        numpy_helper.from_array(
            rng.uniform(0.5, 1.5, 4).astype(np.float32), "bn.var"),
        numpy_helper.from_array(
            rng.standard_normal((10, 16)).astype(np.float32), "fc.w"),
        numpy_helper.from_array(
            rng.standard_normal(10).astype(np.float32), "fc.b"),
    ]
    nodes = [
        helper.make_node("Conv", ["X", "conv.w", "conv.b"], ["c"], name="conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c", "bn.scale", "bn.bias", "bn.mean", "bn.var"],
                         ["n"], name="bn", epsilon=1e-5),
        helper.make_node("Relu", ["n"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["g"], name="fc",
                         transB=1),
        helper.make_node("Softmax", ["g"], ["Y"], name="softmax"),
    ]
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", 2, 4, 4])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["batch", 10])
    inputs = [x] + [helper.make_tensor_value_info(t.name, t.data_type,
                                                  list(t.dims)) for t in inits]
    model = make_model(nodes, inputs, [y], inits, opset=9)
    model.ir_version = 3
    return model


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    w = np.arange(128, dtype=np.float32).reshape(16, 8) / 128.0

    # dense_resource.onnx: W (128 elements, raw_data) used twice; the bias
    # uses float_data.
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", 16])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["batch", 8])
    z = helper.make_tensor_value_info("Z", TensorProto.FLOAT, ["batch", 8])
    weight = numpy_helper.from_array(w, "layer/0.weight")
    bias = helper.make_tensor("bias", TensorProto.FLOAT, [8],
                              [0.5] * 8)  # float_data
    nodes = [
        helper.make_node("MatMul", ["X", "layer/0.weight"], ["T"], name="mm0"),
        helper.make_node("Add", ["T", "bias"], ["Y"], name="add0"),
        helper.make_node("MatMul", ["X", "layer/0.weight"], ["Z"], name="mm1"),
    ]
    model = make_model(nodes, [x], [y, z], [weight, bias])
    save(model, out, "dense_resource.onnx")
    data = model.SerializeToString()
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(out, "garbage.onnx"), "wb") as f:
        f.write(b"\xff\xff\xff\xff this is not an ONNX model \x00\x01")

    # typed_fields.onnx: one output per typed field.
    inits = [
        helper.make_tensor("i8", TensorProto.INT8, [3], [-1, 0, 7]),
        helper.make_tensor("u8", TensorProto.UINT8, [2], [0, 255]),
        helper.make_tensor("b", TensorProto.BOOL, [3], [1, 0, 1]),
        helper.make_tensor("h", TensorProto.FLOAT16, [2],
                           [1.0, -2.0]),
        helper.make_tensor("i64", TensorProto.INT64, [2], [-5, 1 << 40]),
        helper.make_tensor("f64", TensorProto.DOUBLE, [2], [0.25, -1.5]),
        helper.make_tensor("u64", TensorProto.UINT64, [1], [7]),
        helper.make_tensor("i32", TensorProto.INT32, [2, 1], [3, 4]),
    ]
    outputs = [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims))
               for t in inits]
    save(make_model([], [], outputs, inits), out, "typed_fields.onnx")

    # wrong_size.onnx: 16x8 floats declared, 12 bytes given.
    bad = numpy_helper.from_array(w, "W")
    bad.raw_data = bad.raw_data[:12]
    save(matmul_model(bad), out, "wrong_size.onnx")

    # string_init.onnx
    strings = helper.make_tensor("names", TensorProto.STRING, [1], [b"a"])
    o = helper.make_tensor_value_info("names", TensorProto.STRING, [1])
    save(make_model([], [], [o], [strings]), out, "string_init.onnx")

    # Graph inputs without a shape or an element type.
    for name, elem, shape in (("no_shape.onnx", TensorProto.FLOAT, None),
                              ("no_elem_type.onnx", TensorProto.UNDEFINED,
                               [2])):
        i = helper.make_tensor_value_info("X", elem, shape)
        o = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2])
        node = helper.make_node("Identity", ["X"], ["Y"], name="id")
        save(make_model([node], [i], [o], []), out, name)

    # External data: weights.bin holds 64 bytes of padding, then W.
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(b"\x00" * 64 + w.tobytes())
    nbytes = w.nbytes
    for name, location, offset, length in (
            ("external_ok.onnx", "weights.bin", 64, nbytes),
            ("external_escape.onnx", "../outside.bin", 0, nbytes),
            ("external_absolute.onnx", "/etc/passwd", 0, nbytes),
            ("external_missing.onnx", "missing.bin", 0, nbytes),
            ("external_short.onnx", "weights.bin", 128, nbytes)):
        tensor = external_tensor("W", [16, 8], location, offset, length)
        save(matmul_model(tensor), out, name)

    save(old_opset9_cnn(), out, "old_opset9.onnx")
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", 16])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["batch", 8])
    gemm = helper.make_node("Gemm", ["X", "W", "C"], ["Y"], name="gemm")
    tensor = external_tensor("W", [16, 8], "weights.bin", 64, nbytes)
    bias = helper.make_tensor("C", TensorProto.FLOAT, [8], [0.25] * 8)
    save(make_model([gemm], [x], [y], [tensor, bias], opset=9), out,
         "old_opset9_external.onnx")


if __name__ == "__main__":
    main()
