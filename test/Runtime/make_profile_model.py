"""The model of run-profile.test and profile-two-ranks.test.

make_profile_model.py DIR   writes DIR/profile.onnx, a small CNN whose nodes
                            become a convolution kernel (with its SiLU as a
                            post-op), loops (ReduceMean, Sigmoid) and a matmul
                            kernel, with a node name that JSON must escape,
                            and DIR/x.npy, its input [2, 3, 8, 8]

The convolution is named `conv "1" \\ ノード` (quotes, a backslash and
non-ASCII letters), which the trace must carry unchanged.
"""
import argparse
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ODD_NAME = 'conv "1" \\ ノード'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=pathlib.Path)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    weights = [
        numpy_helper.from_array(rng.standard_normal((8, 3, 3, 3)).astype(np.float32), "w"),
        numpy_helper.from_array(rng.standard_normal(8).astype(np.float32), "b"),
        numpy_helper.from_array(rng.standard_normal((8, 16)).astype(np.float32), "fc_w"),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name=ODD_NAME, pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["c"], ["s"], name="silu_sigmoid"),
        helper.make_node("Mul", ["c", "s"], ["m"], name="silu"),
        helper.make_node("ReduceMean", ["m"], ["r"], name="pool", axes=[2, 3], keepdims=0),
        helper.make_node("Sigmoid", ["r"], ["g"], name="sigmoid"),
        helper.make_node("MatMul", ["g", "fc_w"], ["y"], name="fc"),
    ]
    graph = helper.make_graph(
        nodes, "profile",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 16])],
        weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    args.dir.mkdir(parents=True, exist_ok=True)
    onnx.save(model, args.dir / "profile.onnx")
    np.save(args.dir / "x.npy", rng.standard_normal((2, 3, 8, 8)).astype(np.float32))


if __name__ == "__main__":
    main()
