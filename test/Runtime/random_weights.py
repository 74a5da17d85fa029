"""Seeded random initializers for the test models of this directory."""
import numpy as np
from onnx import numpy_helper


class RandomWeights:
    """Makes initializers of normal values (mean 0, deviation 0.5), the
    same on every run: `weights(name, shape)` adds one and returns its name;
    `weights.initializers` lists them for the graph."""

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.initializers = []

    def __call__(self, name, shape):
        self.initializers.append(numpy_helper.from_array(
            self.rng.normal(0, 0.5, shape).astype(np.float32), name))
        return name
