"""Sequence and optional inputs and outputs at the Python boundary.

A compiled model passes an ONNX sequence ``x`` as three tensors, each an
input or output of its own (runtime/include/exaforge/abi/Contract.h):
``x#data`` (the elements' values one after the other, 1-D), ``x#dims``
(their sizes one after the other, 1-D int64) and ``x#elements`` (n x 2
int64: each element's number of values and rank). An optional is a 0-d bool
``x#has_tensor`` or ``x#has_sequence`` (whether it holds a value) followed
by the three tensors of the sequence of what it holds: one element for a
held tensor, none when it is empty.

Python sees the ONNX values instead: a sequence is a list of arrays, an
optional tensor an array or None, an optional sequence a list or None.
``group_values`` finds them among the runtime's inputs or outputs,
``pack`` turns a value into its tensors, ``unpack`` does the reverse.
"""

from typing import List, NamedTuple, Optional

import numpy as np

#: The kinds of values, as ``TensorInfo.kind`` names them.
TENSOR = "tensor"
SEQUENCE = "sequence"
OPTIONAL_TENSOR = "optional_tensor"
OPTIONAL_SEQUENCE = "optional_sequence"

#: The part that starts an optional, by kind.
_FLAG_PARTS = {"has_tensor": OPTIONAL_TENSOR, "has_sequence": OPTIONAL_SEQUENCE}
_SEQUENCE_PARTS = ("data", "dims", "elements")


class PackedValue(NamedTuple):
    """One value of the model as the runtime passes it: `kind`, its ONNX
    `name`, the element type of its tensors (the dtype name of `data` for
    a sequence or optional), the names of its parts among the runtime's
    inputs or outputs (a tensor's own name for a tensor) and, for a
    tensor, its shape (None otherwise)."""

    kind: str
    name: str
    dtype: str
    parts: List[str]
    shape: Optional[tuple]


def group_values(entries):
    """The model's values among the runtime's `entries` ((name, dtype name,
    shape) in order): a plain tensor is one entry; the parts of a sequence
    or optional (``x#...``, in the order Contract.h gives) become one value.
    Raises ValueError on parts out of that order."""
    values = []
    position = 0
    while position < len(entries):
        name, dtype, shape = entries[position]
        base, separator, part = name.partition("#")
        if not separator:
            values.append(PackedValue(TENSOR, name, dtype, [name], shape))
            position += 1
            continue
        kind = _FLAG_PARTS.get(part, SEQUENCE)
        expected = ((part,) if kind != SEQUENCE else ()) + _SEQUENCE_PARTS
        names = [f"{base}#{p}" for p in expected]
        given = [entry[0] for entry in entries[position:position + len(names)]]
        if given != names:
            raise ValueError(f"the parts of '{base}' are {given}, expected "
                             f"{names}")
        data_dtype = entries[position + len(names) - 3][1]
        values.append(PackedValue(kind, base, data_dtype, names, None))
        position += len(names)
    return values


def _pack_sequence(elements, dtype, name):
    """The data, dims and elements tensors of the list of arrays
    `elements` of element type `dtype`."""
    if not isinstance(elements, (list, tuple)):
        raise TypeError(f"input '{name}' is a sequence: give a list of arrays, "
                        f"not a {type(elements).__name__}")
    arrays = []
    for index, element in enumerate(elements):
        array = np.asarray(element)
        if array.dtype != np.dtype(dtype):
            raise TypeError(f"input '{name}': element {index} has element type "
                            f"{array.dtype}; the sequence holds {dtype}")
        arrays.append(array)
    data = (np.concatenate([a.reshape(-1) for a in arrays]) if arrays
            else np.empty((0,), dtype))
    dims = np.array([d for a in arrays for d in a.shape], np.int64)
    counts = np.array([[a.size, a.ndim] for a in arrays], np.int64).reshape(-1, 2)
    return [np.ascontiguousarray(data), dims, counts]


def pack(value: PackedValue, given):
    """The runtime's tensors of input `value` given as `given` (a list of
    arrays for a sequence; an array or None for an optional tensor; a list
    or None for an optional sequence), in the order of its parts."""
    if value.kind == SEQUENCE:
        return _pack_sequence(given, value.dtype, value.name)
    present = given is not None
    if value.kind == OPTIONAL_TENSOR:
        elements = [given] if present else []
    else:
        elements = given if present else []
    return [np.array(present)] + _pack_sequence(elements, value.dtype,
                                                value.name)


def _unpack_sequence(data, dims, counts):
    """The list of arrays that the data, dims and elements tensors hold."""
    elements = []
    data_offset = dims_offset = 0
    for size, rank in counts.reshape(-1, 2):
        shape = tuple(int(d) for d in dims[dims_offset:dims_offset + rank])
        elements.append(data[data_offset:data_offset + size].reshape(shape))
        data_offset += int(size)
        dims_offset += int(rank)
    return elements


def unpack(value: PackedValue, parts) -> Optional[object]:
    """The Python value of output `value` from its tensors `parts`."""
    if value.kind == SEQUENCE:
        return _unpack_sequence(*parts)
    if not bool(parts[0]):
        return None
    elements = _unpack_sequence(*parts[1:])
    return elements[0] if value.kind == OPTIONAL_TENSOR else elements
