"""Per-call overhead of exaforge's Session.run against onnxruntime's
InferenceSession.run on a tiny model (y = x + x over float32 [2, 3]), where
the call's cost is nearly all overhead: argument conversion, input checks,
output allocation and the Python/C++ crossing.

Run (after building the package):
  PYTHONPATH=build/python .venv/bin/python python/benchmarks/session_overhead.py

Prints the median over --repeats rounds of the time per call, each round
--calls calls, for both runtimes with one kernel thread.
"""

import argparse
import statistics
import time

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper

import exaforge


def tiny_model():
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "x"], ["y"], name="add")], "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def per_call_us(call, calls, repeats):
    """The median time of one call of `call`, in microseconds."""
    for _ in range(calls):  # Warm up.
        call()
    rounds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        rounds.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    model = tiny_model()
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    session = exaforge.compile(model).session(threads=1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    reference = ort.InferenceSession(model.SerializeToString(), options,
                                     providers=["CPUExecutionProvider"])
    np.testing.assert_array_equal(session.run({"x": x})["y"],
                                  reference.run(None, {"x": x})[0])

    cases = [
        ("exaforge Session.run({'x': x})", lambda: session.run({"x": x})),
        ("exaforge Session.run([x])", lambda: session.run([x])),
        ("onnxruntime InferenceSession.run(None, {'x': x})",
         lambda: reference.run(None, {"x": x})),
    ]
    for name, call in cases:
        print(f"{per_call_us(call, args.calls, args.repeats):8.2f} us/call  {name}")


if __name__ == "__main__":
    main()
