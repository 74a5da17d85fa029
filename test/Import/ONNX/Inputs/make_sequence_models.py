"""Writes the binary ONNX models of the sequence and optional importer tests
into the directory given as the only argument (libonnx 1.12's text parser
does not read sequence or optional types)."""
import os
import sys

import onnx
from onnx import TensorProto, helper

FLOAT, INT32, INT64, BOOL = (TensorProto.FLOAT, TensorProto.INT32,
                             TensorProto.INT64, TensorProto.BOOL)


def tensor(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def seq(name, elem, shape=None):
    return helper.make_value_info(name, helper.make_sequence_type_proto(
        helper.make_tensor_type_proto(elem, shape)))


def opt(name, inner):
    return helper.make_value_info(name,
                                  helper.make_optional_type_proto(inner))


def zero():
    return helper.make_node("Constant", [], ["zero"], value=helper.make_tensor(
        "zero", INT64, [], [0]))


def save(directory, name, nodes, inputs, outputs, opset=16):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(directory, name + ".onnx"))


def main(directory):
    os.makedirs(directory, exist_ok=True)
    save(directory, "sequence_ops", [
        helper.make_node("SequenceInsert", ["s", "x", "p"], ["inserted"]),
        helper.make_node("SequenceErase", ["inserted"], ["erased"]),
        helper.make_node("Identity", ["erased"], ["y"]),
        helper.make_node("SequenceLength", ["y"], ["n"]),
        helper.make_node("SequenceConstruct", ["x", "x"], ["c"]),
        zero(),
        helper.make_node("SequenceAt", ["c", "zero"], ["a"]),
        helper.make_node("SequenceAt", ["r", "zero"], ["b"]),
        helper.make_node("SequenceEmpty", [], ["e"], dtype=INT32),
        helper.make_node("OptionalHasElement", ["o"], ["h"]),
        helper.make_node("OptionalGetElement", ["o"], ["v"]),
        helper.make_node("Optional", [], ["none"],
                         type=helper.make_tensor_type_proto(FLOAT, [2])),
    ], [seq("s", INT64), tensor("x", INT64, [3]), tensor("p", INT64, [1]),
        opt("o", helper.make_tensor_type_proto(FLOAT, [4])),
        seq("r", FLOAT, [2, 3])],
        [seq("y", INT64), tensor("n", INT64, []), tensor("a", INT64, [3]),
         tensor("b", FLOAT, [2, 3]), seq("e", INT32), tensor("h", BOOL, []),
         tensor("v", FLOAT, [4]),
         opt("none", helper.make_tensor_type_proto(FLOAT, [2]))])
    save(directory, "at_unranked", [
        zero(), helper.make_node("SequenceAt", ["s", "zero"], ["y"])],
        [seq("s", FLOAT)], [tensor("y", FLOAT, [2])])
    save(directory, "tensor_op", [helper.make_node("Relu", ["s"], ["y"])],
         [seq("s", FLOAT, [2])], [tensor("y", FLOAT, [2])])
    save(directory, "insert_rank", [
        helper.make_node("SequenceInsert", ["s", "x"], ["y"])],
        [seq("s", FLOAT, [2]), tensor("x", FLOAT, [2, 2])],
        [seq("y", FLOAT, [2])])
    branch = lambda name, inputs: helper.make_graph(
        [helper.make_node("SequenceConstruct", inputs, [name])], name + "_g",
        [], [seq(name, FLOAT)])
    save(directory, "if_seq", [
        helper.make_node("If", ["c"], ["y"],
                         then_branch=branch("t", ["x"]),
                         else_branch=branch("e", ["x", "x"]))],
        [tensor("c", BOOL, []), tensor("x", FLOAT, [2])], [seq("y", FLOAT)])
    body = helper.make_graph([
        helper.make_node("Identity", ["ci"], ["co"]),
        helper.make_node("Identity", ["si"], ["so"])], "body",
        [tensor("i", INT64, []), tensor("ci", BOOL, []), seq("si", FLOAT)],
        [tensor("co", BOOL, []), seq("so", FLOAT)])
    save(directory, "loop_seq", [
        helper.make_node("Loop", ["n", "c", "s"], ["y"], body=body)],
        [tensor("n", INT64, []), tensor("c", BOOL, []), seq("s", FLOAT)],
        [seq("y", FLOAT)])
    save(directory, "identity", [helper.make_node("Identity", ["x"], ["y"])],
         [seq("x", FLOAT)], [seq("y", FLOAT)])


if __name__ == "__main__":
    main(sys.argv[1])
