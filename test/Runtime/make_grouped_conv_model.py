"""Model of run-grouped-conv.test: grouped and depthwise convolutions as
MobileNet and EfficientNet exports have them.

make_grouped_conv_model.py DIR  writes DIR/grouped.onnx (opset 18, a symbolic
                                batch `batch`, random normal weights, seeded)

The model, on an input x [batch, 8, 10, 10]:
  d1 = Relu(Conv(x, 8 x 1 x 3 x 3, bias, group 8, pads 1))   depthwise
  d2 = Conv(d1, 16 x 1 x 5 x 5, group 8, strides 2, pads 2)  depthwise with a
                                                            channel multiplier 2
  g  = Conv(d2, 16 x 4 x 1 x 1, bias, group 4) + d2          grouped, residual
  y  = g * Sigmoid(g)                                        SiLU
  z  = HardSwish(Conv(y, 16 x 2 x 3 x 3, group 8,          grouped, asymmetric
                      pads [0, 1, 1, 0]))                   padding
and outputs y [batch, 16, 5, 5] and z [batch, 16, 4, 4].
"""
import argparse
import pathlib

import onnx
from onnx import TensorProto, helper

from random_weights import RandomWeights


def make_model():
    weight = RandomWeights(seed=0)

    nodes = [
        helper.make_node("Conv", ["x", weight("w1", [8, 1, 3, 3]),
                                  weight("b1", [8])], ["c1"],
                         name="depthwise", group=8, pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["d1"], name="relu"),
        helper.make_node("Conv", ["d1", weight("w2", [16, 1, 5, 5])], ["d2"],
                         name="multiplier", group=8, strides=[2, 2],
                         pads=[2, 2, 2, 2]),
        helper.make_node("Conv", ["d2", weight("w3", [16, 4, 1, 1]),
                                  weight("b3", [16])], ["c3"],
                         name="grouped", group=4),
        helper.make_node("Add", ["c3", "d2"], ["g"], name="residual"),
        helper.make_node("Sigmoid", ["g"], ["s"], name="sigmoid"),
        helper.make_node("Mul", ["g", "s"], ["y"], name="silu"),
        helper.make_node("Conv", ["y", weight("w4", [16, 2, 3, 3])], ["c4"],
                         name="asymmetric", group=8, pads=[0, 1, 1, 0]),
        helper.make_node("HardSwish", ["c4"], ["z"], name="hardswish"),
    ]
    graph = helper.make_graph(
        nodes, "grouped",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", 8, 10, 10])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       ["batch", 16, 5, 5]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT,
                                       ["batch", 16, 4, 4])],
        weight.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=pathlib.Path)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    onnx.save(make_model(), args.dir / "grouped.onnx")


if __name__ == "__main__":
    main()
