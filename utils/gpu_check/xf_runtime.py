"""A ctypes binding of the Exaforge runtime's C API.

libexaforge_runtime.so opens CPU and CUDA artifacts through the same calls
(`runtime/include/exaforge/runtime/api.h`); this module wraps the few a
benchmark needs: open a session, describe its inputs and outputs, run it on
numpy arrays. The Python package `exaforge` cannot be used on the device:
it links libMLIR.
"""

import ctypes
import os

import numpy as np

# xf_dtype_t (api.h) and numpy's names, which the manifest uses too.
DTYPES = {
    1: "float32", 2: "float64", 3: "float16", 4: "bfloat16", 5: "int8",
    6: "int16", 7: "int32", 8: "int64", 9: "uint8", 10: "uint16",
    11: "uint32", 12: "uint64", 13: "bool",
}
DTYPE_CODES = {name: code for code, name in DTYPES.items()}


class XfError(Exception):
    """A call of the runtime failed; the message is the runtime's."""


class _Buffer(ctypes.Structure):
    """xf_buffer_t: a dense row-major tensor the caller owns."""
    _fields_ = [("data", ctypes.c_void_p), ("nbytes", ctypes.c_size_t),
                ("dtype", ctypes.c_int), ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64))]


class _TensorInfo(ctypes.Structure):
    """xf_tensor_info_t: an input or output as the manifest declares it."""
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int),
                ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("dim_names", ctypes.POINTER(ctypes.c_char_p)),
                ("split_axes", ctypes.POINTER(ctypes.c_uint64)),
                ("produced_on", ctypes.POINTER(ctypes.c_int64))]


class _Options(ctypes.Structure):
    """xf_session_options_t."""
    _fields_ = [("num_threads", ctypes.c_int32), ("rank", ctypes.c_int32),
                ("communicator", ctypes.c_void_p)]


def _declare(lib):
    """Sets the argument and result types of the functions used."""
    p = ctypes.c_void_p
    size = ctypes.c_size_t
    signatures = {
        "xf_status_message": ([p], ctypes.c_char_p),
        "xf_status_free": ([p], None),
        "xf_session_open": ([ctypes.c_char_p, ctypes.POINTER(_Options),
                             ctypes.POINTER(p)], p),
        "xf_session_close": ([p], None),
        "xf_session_num_inputs": ([p], size),
        "xf_session_num_outputs": ([p], size),
        "xf_session_input_info": ([p, size, ctypes.POINTER(_TensorInfo)], p),
        "xf_session_output_info": ([p, size, ctypes.POINTER(_TensorInfo)],
                                   p),
        "xf_session_run": ([p, ctypes.POINTER(_Buffer), size,
                            ctypes.POINTER(p), size], p),
        "xf_session_run_into": ([p, ctypes.POINTER(_Buffer), size,
                                 ctypes.POINTER(_Buffer), size], p),
        "xf_tensor_data": ([p], p),
        "xf_tensor_nbytes": ([p], size),
        "xf_tensor_dtype": ([p], ctypes.c_int),
        "xf_tensor_rank": ([p], ctypes.c_int64),
        "xf_tensor_shape": ([p], ctypes.POINTER(ctypes.c_int64)),
        "xf_tensor_free": ([p], None),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = args
        function.restype = result


class Runtime:
    """libexaforge_runtime.so, loaded from `path`.

    The libraries it needs (oneDNN, libgomp) must be found by the dynamic
    linker: `run.sh` puts the folder's `lib/` on LD_LIBRARY_PATH.
    """

    def __init__(self, path):
        self.lib = ctypes.CDLL(os.path.abspath(path))
        _declare(self.lib)
        # Sessions opened so far (the caller counts them).
        self.opened = 0

    def check(self, status):
        """Raises XfError with the message of a non-null status."""
        if status:
            message = self.lib.xf_status_message(status).decode()
            self.lib.xf_status_free(status)
            raise XfError(message)

    def open(self, artifact, num_threads=0):
        """Opens the artifact directory `artifact` as a Session."""
        options = _Options(num_threads, 0, None)
        handle = ctypes.c_void_p()
        self.check(self.lib.xf_session_open(
            os.fsencode(artifact), ctypes.byref(options),
            ctypes.byref(handle)))
        return Session(self, handle)


class TensorInfo:
    """An input or output of a session: name, dtype (numpy's name) and
    shape (-1 for a dimension known only at run time)."""

    def __init__(self, info):
        self.name = info.name.decode()
        self.dtype = DTYPES.get(info.dtype, "unknown")
        self.shape = tuple(info.shape[i] for i in range(info.rank))

    def __repr__(self):
        return f"{self.name}: {self.dtype}{list(self.shape)}"


def _as_buffer(array, shapes):
    """An xf_buffer_t over the contiguous numpy `array`; its shape array is
    kept alive in `shapes`."""
    shape = (ctypes.c_int64 * max(array.ndim, 1))(*array.shape)
    shapes.append(shape)
    return _Buffer(array.ctypes.data, array.nbytes,
                   DTYPE_CODES[array.dtype.name], array.ndim, shape)


class Session:
    """An opened artifact (xf_session_t); close it with `close`."""

    def __init__(self, runtime, handle):
        self.runtime = runtime
        self.lib = runtime.lib
        self.handle = handle
        self.inputs = self._infos(self.lib.xf_session_num_inputs,
                                  self.lib.xf_session_input_info)
        self.outputs = self._infos(self.lib.xf_session_num_outputs,
                                   self.lib.xf_session_output_info)

    def _infos(self, count, describe):
        infos = []
        for index in range(count(self.handle)):
            info = _TensorInfo()
            self.runtime.check(describe(self.handle, index,
                                        ctypes.byref(info)))
            infos.append(TensorInfo(info))
        return infos

    def _input_buffers(self, feeds, shapes):
        """The inputs in manifest order, from the dict `feeds`."""
        arrays = []
        for info in self.inputs:
            if info.name not in feeds:
                raise XfError(f"no value for input '{info.name}'")
            arrays.append(np.ascontiguousarray(feeds[info.name]))
        buffers = (_Buffer * len(arrays))(
            *(_as_buffer(a, shapes) for a in arrays))
        return buffers, arrays

    def run(self, feeds):
        """Runs on the numpy arrays `feeds` (name → array); returns the
        outputs as a list of new numpy arrays, in manifest order."""
        shapes = []
        buffers, keep = self._input_buffers(feeds, shapes)
        results = (ctypes.c_void_p * len(self.outputs))()
        self.runtime.check(self.lib.xf_session_run(
            self.handle, buffers, len(keep), results, len(self.outputs)))
        outputs = []
        for tensor in results:
            rank = self.lib.xf_tensor_rank(tensor)
            shape_ptr = self.lib.xf_tensor_shape(tensor)
            shape = tuple(shape_ptr[i] for i in range(rank))
            dtype = DTYPES[self.lib.xf_tensor_dtype(tensor)]
            nbytes = self.lib.xf_tensor_nbytes(tensor)
            data = ctypes.string_at(self.lib.xf_tensor_data(tensor), nbytes)
            outputs.append(np.frombuffer(data, dtype=dtype).reshape(shape))
            self.lib.xf_tensor_free(tensor)
        return outputs

    def runner_into(self, feeds, outputs):
        """A function of no arguments that runs on `feeds` into the numpy
        arrays `outputs` (xf_session_run_into: no allocation per run), for
        timing. The arrays must have the outputs' dtypes and shapes."""
        shapes = []
        buffers, keep = self._input_buffers(feeds, shapes)
        out_buffers = (_Buffer * len(outputs))(
            *(_as_buffer(o, shapes) for o in outputs))
        run_into = self.lib.xf_session_run_into
        check = self.runtime.check
        handle = self.handle

        def run():
            # `keep` and `shapes` hold the memory the buffers point to.
            check(run_into(handle, buffers, len(keep), out_buffers,
                           len(outputs)))
            return shapes
        return run

    def close(self):
        """Closes the session (xf_session_close)."""
        if self.handle:
            self.lib.xf_session_close(self.handle)
            self.handle = None
