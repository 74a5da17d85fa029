//===- CudaDriver.h - The CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The runtime runs CUDA artifacts through the CUDA driver API (libcuda.so.1,
// installed with the NVIDIA driver). It does not link it: the library is
// opened with dlopen when the first CUDA artifact is opened, so that the
// runtime loads and runs CPU artifacts on machines without a driver, and a
// CUDA artifact there fails with a message instead of a loader error.
//
// The few driver types and functions the runtime uses are declared here
// with the driver's C ABI (they are stable across driver releases). The
// test CudaDriverAbiTest checks them against the toolkit's cuda.h wherever
// a toolkit is found.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_CUDADRIVER_H
#define EXAFORGE_RUNTIME_CUDA_CUDADRIVER_H

#include "runtime/support/Error.h"

#include <cstddef>
#include <string>

namespace exaforge::runtime::cuda {

/// The driver's result code (`CUresult`); 0 is success.
using Result = int;
/// A device ordinal handle (`CUdevice`).
using Device = int;
/// A device address (`CUdeviceptr`).
using DevicePointer = unsigned long long;
/// Opaque driver objects (`CUcontext`, `CUmodule`, `CUfunction`,
/// `CUstream`).
using Context = struct ContextObject *;
using Module = struct ModuleObject *;
using Function = struct FunctionObject *;
using Stream = struct StreamObject *;

/// Result codes the runtime tells apart.
inline constexpr Result kSuccess = 0;
inline constexpr Result kErrorOutOfMemory = 2;
inline constexpr Result kErrorStubLibrary = 34;
inline constexpr Result kErrorNoDevice = 100;
inline constexpr Result kErrorNoBinaryForGpu = 209;
inline constexpr Result kErrorUnsupportedPtxVersion = 222;

/// Device attributes the runtime reads (`CUdevice_attribute`).
inline constexpr int kAttributeComputeCapabilityMajor = 75;
inline constexpr int kAttributeComputeCapabilityMinor = 76;
inline constexpr int kAttributeManagedMemory = 83;

/// `CU_MEM_ATTACH_GLOBAL`: managed memory any stream may access.
inline constexpr unsigned kMemAttachGlobal = 1;
/// `CU_STREAM_NON_BLOCKING`: a stream that does not wait for stream 0.
inline constexpr unsigned kStreamNonBlocking = 1;

/// The driver functions the runtime calls, with the driver's signatures
/// (parameter types mapped to the aliases above). The name in the
/// comment is the exported symbol, where cuda.h renames the function.
struct DriverFunctions {
  Result (*init)(unsigned flags);
  Result (*driverGetVersion)(int *version);
  Result (*getErrorName)(Result error, const char **name);
  Result (*getErrorString)(Result error, const char **text);
  Result (*deviceGetCount)(int *count);
  Result (*deviceGet)(Device *device, int ordinal);
  Result (*deviceGetName)(char *name, int length, Device device);
  Result (*deviceGetAttribute)(int *value, int attribute, Device device);
  Result (*devicePrimaryCtxRetain)(Context *context, Device device);
  Result (*ctxSetCurrent)(Context context);
  Result (*moduleLoadData)(Module *module, const void *image);
  Result (*moduleUnload)(Module module);
  Result (*moduleGetFunction)(Function *function, Module module,
                              const char *name);
  Result (*launchKernel)(Function function, unsigned gridX, unsigned gridY,
                         unsigned gridZ, unsigned blockX, unsigned blockY,
                         unsigned blockZ, unsigned sharedBytes, Stream stream,
                         void **parameters, void **extra);
  Result (*streamCreate)(Stream *stream, unsigned flags);
  Result (*streamSynchronize)(Stream stream);
  /// cuStreamDestroy_v2.
  Result (*streamDestroy)(Stream stream);
  Result (*memAllocManaged)(DevicePointer *pointer, size_t bytes,
                            unsigned flags);
  /// cuMemFree_v2.
  Result (*memFree)(DevicePointer pointer);
  /// cuMemcpy: copies between any two addresses of the unified address
  /// space (host, device or managed memory).
  Result (*memcpy)(DevicePointer target, DevicePointer source, size_t bytes);
  /// cuMemcpyAsync: the same, enqueued on `stream`.
  Result (*memcpyAsync)(DevicePointer target, DevicePointer source,
                        size_t bytes, Stream stream);
};

/// The CUDA driver of this process, loaded once.
class Driver {
public:
  /// Opens the driver library and resolves every function of
  /// DriverFunctions, then initializes the driver (cuInit). The library is
  /// `libcuda.so.1`, or the file that the environment variable
  /// EXAFORGE_CUDA_DRIVER names. The first call does the work, later calls
  /// return its result. Fails, saying why, when the library is missing,
  /// lacks a function, or cuInit fails (no device, the toolkit's stub).
  static support::Expected<const Driver *> get();

  /// The functions, all resolved.
  const DriverFunctions &operator*() const { return functions; }
  const DriverFunctions *operator->() const { return &functions; }

  /// "CUDA_ERROR_NAME (what the driver says)" for `result`. Knows the
  /// names of the codes above even where the driver cannot tell (the stub
  /// library answers every call with CUDA_ERROR_STUB_LIBRARY).
  std::string describe(Result result) const;

  /// The driver's version as "13.0".
  std::string getVersionText() const;

private:
  Driver() = default;
  DriverFunctions functions{};
  int version = 0;
};

/// "CUDA_ERROR_..." for the codes this file names, else "CUDA error N".
std::string getResultName(Result result);

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_CUDADRIVER_H
