"""The models' inputs, made from a description instead of carried.

An image batch of a zoo model is megabytes; the folder holds only how to
make it (`spec`): per input its name, dtype, shape and kind, and the seed.
`make` draws the same arrays here and on the device (numpy's PCG64), and
`digest` lets the device check that it did: a different numpy that draws
other values is reported instead of compared against the wrong reference.
"""

import hashlib

import numpy as np

# Kinds of inputs: "normal" (float, standard normal), "ids" (int64 in
# [0, high)), "ones" (int64 ones: an attention mask without padding).
KINDS = ("normal", "ids", "ones")


def spec(name, dtype, shape, kind, high=None):
    """The description of one input (a JSON-able dict)."""
    if kind not in KINDS:
        raise ValueError(f"input '{name}': unknown kind '{kind}'")
    entry = {"name": name, "dtype": dtype, "shape": list(shape),
             "kind": kind}
    if kind == "ids":
        entry["high"] = int(high)
    return entry


def make(specs, seed):
    """The inputs described by `specs`, as a dict name → numpy array."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for entry in specs:
        shape = tuple(entry["shape"])
        if entry["kind"] == "normal":
            array = rng.standard_normal(shape).astype(entry["dtype"])
        elif entry["kind"] == "ids":
            array = rng.integers(0, entry["high"], size=shape,
                                 dtype=np.int64).astype(entry["dtype"])
        else:
            array = np.ones(shape, dtype=entry["dtype"])
        feeds[entry["name"]] = array
    return feeds


def digest(feeds):
    """The SHA-256 of the arrays of `feeds` (names, dtypes, shapes, data),
    in name order."""
    h = hashlib.sha256()
    for name in sorted(feeds):
        array = np.ascontiguousarray(feeds[name])
        h.update(f"{name}:{array.dtype.name}:{array.shape};".encode())
        h.update(array.tobytes())
    return h.hexdigest()
