"""Compares the outputs `exaforge run --output-dir DIR` wrote with
onnxruntime's on the same inputs, for tests whose inputs are chosen by hand
(utils/compare_with_onnxruntime.py draws random ones, all symbols the same
size).

Usage: compare_with_ort.py MODEL.onnxtext DIR NAME=FILE.npy [...]

Prints `OUTPUT: equal to onnxruntime (shape S, max diff D)` per output, or
`OUTPUT: differs ...` and exits 1 when a shape, dtype or value (beyond
atol 1e-5 + rtol 1e-5 * |onnxruntime|, float32 tolerances) differs. A NaN
where onnxruntime has NaN, and an infinity of onnxruntime's sign, are equal;
the max diff is over the other elements.
"""

import os
import sys

import numpy as np
import onnx.parser
import onnxruntime as ort


def main():
    model_path, output_dir = sys.argv[1], sys.argv[2]
    feeds = {}
    for arg in sys.argv[3:]:
        name, path = arg.split("=", 1)
        feeds[name] = np.load(path)
    with open(model_path) as f:
        model = onnx.parser.parse_model(f.read())
    session = ort.InferenceSession(model.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    status = 0
    for name, expected in zip(names, session.run(None, feeds)):
        actual = np.load(os.path.join(output_dir, name + ".npy"))
        if actual.shape != expected.shape or actual.dtype != expected.dtype:
            print(f"{name}: differs: {actual.dtype}{list(actual.shape)}, "
                  f"onnxruntime {expected.dtype}{list(expected.shape)}")
            status = 1
            continue
        same = actual == expected
        if actual.dtype.kind in "fc":
            same |= np.isnan(actual) & np.isnan(expected)
        diff = float(np.max(np.abs(actual[~same] - expected[~same]),
                            initial=0.0))
        if not np.allclose(actual, expected, rtol=1e-5, atol=1e-5,
                           equal_nan=True):
            print(f"{name}: differs from onnxruntime (max diff {diff:g})")
            status = 1
            continue
        print(f"{name}: equal to onnxruntime (shape {list(actual.shape)}, "
              f"max diff {diff:g})")
    return status


if __name__ == "__main__":
    sys.exit(main())
