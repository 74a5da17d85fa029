"""Inputs and checks of run-cli.test.

make_run_inputs.py DIR             writes x.npy, x.pb (the same tensor), x5.npy
                                   and files with a wrong shape, dtype or format
make_run_inputs.py DIR --check OUT compares OUT/y.npy and OUT/z.npy with numpy
                                   (float32 vs float64 reference, atol 1e-5)
"""
import argparse
import pathlib

import numpy as np
import onnx.numpy_helper

IN, OUT = 9, 8


def weight():
    i, j = np.meshgrid(np.arange(IN), np.arange(OUT), indexing="ij")
    return ((i * OUT + j) % 7) * 0.25 - 0.75


def x_of(batch):
    return np.sin(np.arange(batch * IN) * 0.37).reshape(batch, IN).astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--check", type=pathlib.Path)
    args = parser.parse_args()
    if args.check:
        p = x_of(2).astype(np.float64) @ weight()
        e = np.exp(p - p.max(-1, keepdims=True))
        expected = {"y": np.maximum(p, 0), "z": e / e.sum(-1, keepdims=True)}
        for name, value in expected.items():
            got = np.load(args.check / f"{name}.npy")
            assert got.dtype == np.float32 and got.shape == value.shape, got.shape
            np.testing.assert_allclose(got, value, atol=1e-5, rtol=0)
        return
    np.save(args.dir / "x.npy", x_of(2))
    np.save(args.dir / "x5.npy", x_of(5))
    (args.dir / "x.pb").write_bytes(
        onnx.numpy_helper.from_array(x_of(2), "x").SerializeToString())
    np.save(args.dir / "wrong-shape.npy", np.zeros((2, 7), np.float32))
    np.save(args.dir / "wrong-type.npy", np.zeros((2, IN), np.float64))
    (args.dir / "garbage.npy").write_bytes(b"definitely not numpy")


if __name__ == "__main__":
    main()
