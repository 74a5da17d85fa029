"""Models of run-matmul-epilogue.test: the bias, residual and ReLU after a
matmul as exported transformers and classifiers have them.

make_matmul_epilogue_model.py DIR  writes DIR/epilogue.onnx and
                                   DIR/library.onnx (opset 18, a symbolic
                                   batch `batch`, random normal weights,
                                   seeded)

epilogue.onnx, on inputs x [batch, 8, 16] and v [batch, 16]:
  y1 = Relu(MatMul(x, w1) + b1)          a Linear layer and its ReLU
  y2 = MatMul(x, w2) + b2 + x            a projection, its bias and the
                                         residual connection
  y3 = Relu(Gemm(v, w3, b3, transB=1))   a classifier's Gemm
  y4 = (MatMul(x, w2) + b2) ^ 2          a bias, then more elementwise work
with outputs y1 [batch, 8, 12], y2 [batch, 8, 16], y3 [batch, 10] and
y4 [batch, 8, 16].
library.onnx has y1, y2 and y3 only: every op is then a library call (on
the CUDA target, cuBLASLt with its epilogue).
"""
import argparse
import pathlib

import onnx
from onnx import TensorProto, helper

from random_weights import RandomWeights


def make_model(with_square):
    weight = RandomWeights(seed=0)

    nodes = [
        helper.make_node("MatMul", ["x", weight("w1", [16, 12])], ["m1"],
                         name="fc1"),
        helper.make_node("Add", ["m1", weight("b1", [12])], ["a1"],
                         name="fc1_bias"),
        helper.make_node("Relu", ["a1"], ["y1"], name="fc1_relu"),
        helper.make_node("MatMul", ["x", weight("w2", [16, 16])], ["m2"],
                         name="proj"),
        helper.make_node("Add", ["m2", weight("b2", [16])], ["a2"],
                         name="proj_bias"),
        helper.make_node("Add", ["a2", "x"], ["y2"], name="residual"),
        helper.make_node("Gemm", ["v", weight("w3", [10, 16]),
                                  weight("b3", [10])], ["g3"],
                         name="classifier", transB=1),
        helper.make_node("Relu", ["g3"], ["y3"], name="classifier_relu"),
    ]
    outputs = [
        helper.make_tensor_value_info("y1", TensorProto.FLOAT,
                                      ["batch", 8, 12]),
        helper.make_tensor_value_info("y2", TensorProto.FLOAT,
                                      ["batch", 8, 16]),
        helper.make_tensor_value_info("y3", TensorProto.FLOAT, ["batch", 10]),
    ]
    if with_square:
        nodes.append(helper.make_node("Mul", ["a2", "a2"], ["y4"],
                                      name="square"))
        outputs.append(helper.make_tensor_value_info(
            "y4", TensorProto.FLOAT, ["batch", 8, 16]))
    inputs = [
        helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                      ["batch", 8, 16]),
        helper.make_tensor_value_info("v", TensorProto.FLOAT, ["batch", 16]),
    ]
    graph = helper.make_graph(nodes, "matmul_epilogue", inputs, outputs,
                              weight.initializers)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 18)])
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=pathlib.Path)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    onnx.save(make_model(with_square=True), args.out_dir / "epilogue.onnx")
    onnx.save(make_model(with_square=False), args.out_dir / "library.onnx")


if __name__ == "__main__":
    main()
