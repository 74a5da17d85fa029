"""An artifact's weights.bin, left out of the folder and rebuilt from the
ONNX model that travels anyway.

The check carries each model's ONNX file (for onnxruntime's reference and
the PyTorch executor); most of an artifact's `weights.bin` holds the same
bytes as its initializers. The compiler does transform some weights,
though: BatchNormalization folded into a convolution's weights (named
`<weight>.bn_folded`) and constants it computed itself (`const_<n>`: masks,
folded Constant nodes). So `split` (here) compares each weight of the
manifest with the ONNX value of the same name: an identical one is taken
from the model on the device, any other travels in `weights.carried.bin`.
`rebuild` (on the device) writes weights.bin back and checks its SHA-256
against the original's: a rebuilt file is the compiled one, byte for byte,
or the check stops.
"""

import hashlib
import json
import os

import numpy as np
from onnx import numpy_helper

PLAN = "weights.rebuild.json"
CARRIED = "weights.carried.bin"


def onnx_values(model):
    """The values of `model` a weight may come from: its initializers and
    the `value` tensors of its Constant nodes, by name (TensorProtos)."""
    values = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    values[node.output[0]] = attr.t
    return values


def file_sha256(path):
    """The SHA-256 of the file `path`, in hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            h.update(chunk)
    return h.hexdigest()


def split(artifact, model):
    """Replaces `artifact`'s weights.bin by a rebuild plan (PLAN) and the
    weights the ONNX `model` does not hold as they are (CARRIED). Returns
    (bytes taken from the model, bytes carried)."""
    manifest = json.load(open(os.path.join(artifact, "manifest.json")))
    if manifest["ranks"]["world_size"] != 1:
        raise ValueError("only single-rank artifacts are rebuilt")
    path = os.path.join(artifact, manifest["weights_file"])
    data = np.memmap(path, dtype=np.uint8, mode="r") \
        if os.path.getsize(path) else np.zeros(0, np.uint8)
    values = onnx_values(model)
    entries, from_model, carried = [], 0, 0
    with open(os.path.join(artifact, CARRIED), "wb") as out:
        for weight in manifest["weights"]:
            begin, nbytes = weight["offset"], weight["nbytes"]
            stored = data[begin:begin + nbytes].tobytes()
            entry = {"name": weight["name"], "offset": begin,
                     "nbytes": nbytes}
            tensor = values.get(weight["name"])
            if tensor is not None and \
                    _tensor_bytes(tensor, weight) == stored:
                entry["from"] = "model"
                from_model += nbytes
            else:
                entry["from"] = "carried"
                entry["carried_offset"] = out.tell()
                out.write(stored)
                carried += nbytes
            entries.append(entry)
    plan = {"file": manifest["weights_file"], "size": os.path.getsize(path),
            "sha256": file_sha256(path), "weights": entries}
    with open(os.path.join(artifact, PLAN), "w") as f:
        json.dump(plan, f, indent=1)
    del data
    os.remove(path)
    return from_model, carried


def _tensor_bytes(tensor, weight):
    """The bytes of the ONNX `tensor` when its dtype and shape are the
    manifest `weight`'s, else None."""
    array = numpy_helper.to_array(tensor)
    if array.dtype.name != weight["dtype"] or \
            list(array.shape) != list(weight["shape"]):
        return None
    return np.ascontiguousarray(array).tobytes()


def rebuild(artifact, model):
    """Writes `artifact`'s weights.bin from its PLAN, the ONNX `model` and
    CARRIED; raises ValueError when the result is not the compiled file."""
    plan = json.load(open(os.path.join(artifact, PLAN)))
    values = onnx_values(model)
    path = os.path.join(artifact, plan["file"])
    with open(os.path.join(artifact, CARRIED), "rb") as carried, \
            open(path, "wb") as out:
        out.truncate(plan["size"])
        for entry in plan["weights"]:
            if entry["from"] == "model":
                if entry["name"] not in values:
                    raise ValueError(f"weight '{entry['name']}' is not in "
                                     "the model")
                data = np.ascontiguousarray(
                    numpy_helper.to_array(values[entry["name"]])).tobytes()
            else:
                carried.seek(entry["carried_offset"])
                data = carried.read(entry["nbytes"])
            if len(data) != entry["nbytes"]:
                raise ValueError(f"weight '{entry['name']}': {len(data)} "
                                 f"bytes, expected {entry['nbytes']}")
            out.seek(entry["offset"])
            out.write(data)
    if file_sha256(path) != plan["sha256"]:
        raise ValueError(f"the rebuilt {plan['file']} differs from the "
                         "compiled one (SHA-256)")
