"""The CUDA libraries the runtime opens at run time, found on the device.

libexaforge_runtime.so opens the driver (libcuda.so.1, which comes with
the NVIDIA driver), cuBLASLt (`libcublasLt.so.13`, or the file
EXAFORGE_CUBLASLT names) and cuDNN (`libcudnn.so.9`, or the file
EXAFORGE_CUDNN names) with dlopen. cuBLASLt is part of the CUDA toolkit and
cuDNN is installed apart from it; the device need not have either, and both
are far too large to carry. torch's CUDA wheels bring their own
(`site-packages/nvidia/.../lib`). The check points the runtime at those:
then Exaforge's matmuls and convolutions and torch's run on the same
builds of the libraries.
"""

import glob
import importlib.util
import os

CUBLASLT = "libcublasLt.so.13"
CUDNN = "libcudnn.so.9"


def torch_library(file_name):
    """The path of the library `file_name` that torch's wheels installed,
    or None (torch missing, or built without it)."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        return None
    site = os.path.dirname(os.path.dirname(spec.origin))
    found = sorted(glob.glob(os.path.join(site, "nvidia", "*", "lib",
                                          file_name)) +
                   glob.glob(os.path.join(site, "nvidia", "*", "*", "lib",
                                          file_name)))
    return found[0] if found else None


def torch_cublaslt():
    """The path of the cuBLASLt 13 that torch's wheels installed, or None
    (torch missing, or built for another CUDA)."""
    return torch_library(CUBLASLT)


def choose_library(title, file_name, variable):
    """Sets `variable` to torch's `file_name` unless it is set; returns a
    line saying which library the runtime will open."""
    if os.environ.get(variable):
        return f"{title}: {os.environ[variable]} ({variable})"
    path = torch_library(file_name)
    if path is None:
        return (f"{title}: {file_name} from the library path (torch's "
                "wheels hold none)")
    os.environ[variable] = path
    return f"{title}: {path} (torch's)"


def choose_cublaslt():
    """Sets EXAFORGE_CUBLASLT to torch's cuBLASLt unless it is set; returns
    a line saying which cuBLASLt the runtime will open."""
    return choose_library("cuBLASLt", CUBLASLT, "EXAFORGE_CUBLASLT")


def choose_cudnn():
    """Sets EXAFORGE_CUDNN to torch's cuDNN 9 unless it is set; returns a
    line saying which cuDNN the runtime will open."""
    return choose_library("cuDNN", CUDNN, "EXAFORGE_CUDNN")
