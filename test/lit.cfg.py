# -*- Python -*-
"""lit configuration of the Exaforge test suite.

Substitutions available to RUN lines:
  %python   the project's virtual-environment Python (onnx, onnxruntime, numpy)
  %utils    the repository's utils/ directory (model generator scripts)
  %testdata the ONNX 1.12 backend node tests (package libonnx-testdata)
  %mlir_runner_libs  the -shared-libs list mlir-runner needs for printMemref*
  %exaforge_runtime_lib  libexaforge_runtime.so (for mlir-runner -shared-libs:
            the functions compiled code calls, e.g. xf_parallel_for)
  %cuda_toolkit  the CUDA toolkit CMake found (with the feature `ptxas`,
            which tests that assemble CUDA kernels require)
  %fake_cuda_driver  a CUDA driver that runs no kernel and logs its calls
            (runtime/test/FakeCudaDriver.cpp), for EXAFORGE_CUDA_DRIVER
  %fake_cublaslt  a cuBLASLt that computes its matmuls on the host
            (runtime/test/FakeCublasLt.cpp), for EXAFORGE_CUBLASLT
  %fake_cudnn  a cuDNN that computes its convolutions on the host
            (runtime/test/FakeCudnn.cpp), for EXAFORGE_CUDNN
  %fake_nccl  an NCCL whose ranks exchange through shared memory on one
            machine (runtime/test/FakeNccl.cpp), for EXAFORGE_NCCL
Tools: exaforge, exaforge-opt, exaforge-run, exaforge-nccl-communicator-test,
FileCheck, not, count, mlir-runner, mlir-translate.
"""

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "EXAFORGE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtext", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "Inputs",
                   "lib"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.exaforge_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%utils", os.path.join(config.exaforge_src_root, "utils")))
config.substitutions.append(("%testdata", config.onnx_testdata_dir))
_llvm_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(("%mlir_runner_libs", ",".join(
    os.path.join(_llvm_lib_dir, lib)
    for lib in ["libmlir_runner_utils.so", "libmlir_c_runner_utils.so"])))

config.substitutions.append(("%exaforge_runtime_lib", os.path.join(
    config.exaforge_obj_root, "lib", "libexaforge_runtime.so")))

config.substitutions.append(("%fake_cuda_driver", os.path.join(
    config.exaforge_obj_root, "lib", "libexaforge_fake_cuda.so")))
config.substitutions.append(("%fake_cublaslt", os.path.join(
    config.exaforge_obj_root, "lib", "libexaforge_fake_cublaslt.so")))
config.substitutions.append(("%fake_cudnn", os.path.join(
    config.exaforge_obj_root, "lib", "libexaforge_fake_cudnn.so")))
config.substitutions.append(("%fake_nccl", os.path.join(
    config.exaforge_obj_root, "lib", "libexaforge_fake_nccl.so")))

# The CUDA toolkit (bin/ptxas), when the build found one: tests that assemble
# CUDA kernels say `REQUIRES: ptxas` and are skipped without it.
if config.cuda_toolkit_dir and os.access(
        os.path.join(config.cuda_toolkit_dir, "bin", "ptxas"), os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%cuda_toolkit", config.cuda_toolkit_dir))

# In a sanitized build (docs/sanitizers-and-fuzzing.md), libexaforge_runtime.so
# needs the ASan runtime, which the uninstrumented mlir-runner lacks: preload
# it. The programs the tests JIT-compile leave their buffers allocated at
# exit (they are not Exaforge's code): no leak check for mlir-runner.
if config.exaforge_sanitize:
    # Tests that cannot run under ASan (e.g. a memory limit below the
    # shadow memory it reserves) say `UNSUPPORTED: sanitized`.
    config.available_features.add("sanitized")
    config.substitutions.insert(0, (
        r"\bmlir-runner\b",
        "env LD_PRELOAD=%s ASAN_OPTIONS=detect_leaks=0 mlir-runner"
        % config.asan_runtime))

# Tests that allocate far more than the machine has, expecting a refusal,
# need a kernel that refuses it: with vm.overcommit_memory = 1 every mapping
# is granted and the out-of-memory killer ends the process later.
def _refuses_huge_allocations():
    try:
        with open("/proc/sys/vm/overcommit_memory") as policy:
            return policy.read().strip() != "1"
    except OSError:
        return False


if _refuses_huge_allocations():
    config.available_features.add("refuses-huge-allocations")

# The host CPU's flags that change what `exaforge compile` emits for it:
# `host-avx512fp16` (Sapphire Rapids and later Xeons), on which compiled
# loops use 512-bit vectors (compiler/Compile/NativeCodegen.cpp).
def _host_cpu_flags():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()

if "avx512_fp16" in _host_cpu_flags():
    config.available_features.add("host-avx512fp16")

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["exaforge", "exaforge-opt", "exaforge-run",
     "exaforge-nccl-communicator-test"], [config.exaforge_tools_dir])
