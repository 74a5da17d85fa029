"""The CUDA libraries the runtime opens at run time, found on the device.

libexaforge_runtime.so opens the driver (libcuda.so.1, which comes with
the NVIDIA driver) and cuBLASLt (`libcublasLt.so.13`, or the file
EXAFORGE_CUBLASLT names) with dlopen. cuBLASLt is part of the CUDA toolkit,
which the device need not have and which is far too large to carry; torch's
CUDA wheels bring their own (`site-packages/nvidia/.../lib`). The check
points the runtime at that one: then Exaforge's matmuls and torch's run on
the same cuBLASLt build.
"""

import glob
import importlib.util
import os

CUBLASLT = "libcublasLt.so.13"


def torch_cublaslt():
    """The path of the cuBLASLt 13 that torch's wheels installed, or None
    (torch missing, or built for another CUDA)."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        return None
    site = os.path.dirname(os.path.dirname(spec.origin))
    found = sorted(glob.glob(os.path.join(site, "nvidia", "*", "lib",
                                          CUBLASLT)) +
                   glob.glob(os.path.join(site, "nvidia", "*", "*", "lib",
                                          CUBLASLT)))
    return found[0] if found else None


def choose_cublaslt():
    """Sets EXAFORGE_CUBLASLT to torch's cuBLASLt unless it is set; returns
    a line saying which cuBLASLt the runtime will open."""
    if os.environ.get("EXAFORGE_CUBLASLT"):
        return f"cuBLASLt: {os.environ['EXAFORGE_CUBLASLT']} " \
               "(EXAFORGE_CUBLASLT)"
    path = torch_cublaslt()
    if path is None:
        return (f"cuBLASLt: {CUBLASLT} from the library path (torch's "
                "wheels hold none)")
    os.environ["EXAFORGE_CUBLASLT"] = path
    return f"cuBLASLt: {path} (torch's)"
