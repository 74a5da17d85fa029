//===- CudaDriver.cpp - The CUDA driver API, loaded at run time -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <optional>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

std::string getResultName(Result result) {
  switch (result) {
  case kSuccess:
    return "CUDA_SUCCESS";
  case kErrorOutOfMemory:
    return "CUDA_ERROR_OUT_OF_MEMORY";
  case kErrorStubLibrary:
    return "CUDA_ERROR_STUB_LIBRARY";
  case kErrorNoDevice:
    return "CUDA_ERROR_NO_DEVICE";
  case kErrorNoBinaryForGpu:
    return "CUDA_ERROR_NO_BINARY_FOR_GPU";
  case kErrorUnsupportedPtxVersion:
    return "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
  default:
    return concat("CUDA error ", result);
  }
}

namespace {
/// Resolves `symbol` of `library` into `function`; false when missing.
template <typename FunctionPointer>
bool resolve(void *library, const char *symbol, FunctionPointer &function) {
  function = reinterpret_cast<FunctionPointer>(dlsym(library, symbol));
  return function != nullptr;
}

/// Loads the driver: the body of Driver::get.
Expected<const Driver *> loadDriver(Driver &driver, DriverFunctions &functions,
                                    int &version) {
  const char *override = std::getenv("EXAFORGE_CUDA_DRIVER");
  std::string libraryName = override && *override ? override : "libcuda.so.1";
  // The driver stays loaded for the life of the process: modules and
  // memory of it may be in use until exit.
  void *library = dlopen(libraryName.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return makeError("cannot load the CUDA driver ", libraryName,
                     " (is the NVIDIA driver installed?): ", dlerror());
  struct Entry {
    const char *symbol;
    bool resolved;
  };
  Entry entries[] = {
      {"cuInit", resolve(library, "cuInit", functions.init)},
      {"cuDriverGetVersion",
       resolve(library, "cuDriverGetVersion", functions.driverGetVersion)},
      {"cuGetErrorName",
       resolve(library, "cuGetErrorName", functions.getErrorName)},
      {"cuGetErrorString",
       resolve(library, "cuGetErrorString", functions.getErrorString)},
      {"cuDeviceGetCount",
       resolve(library, "cuDeviceGetCount", functions.deviceGetCount)},
      {"cuDeviceGet", resolve(library, "cuDeviceGet", functions.deviceGet)},
      {"cuDeviceGetName",
       resolve(library, "cuDeviceGetName", functions.deviceGetName)},
      {"cuDeviceGetAttribute",
       resolve(library, "cuDeviceGetAttribute", functions.deviceGetAttribute)},
      {"cuDevicePrimaryCtxRetain", resolve(library, "cuDevicePrimaryCtxRetain",
                                           functions.devicePrimaryCtxRetain)},
      {"cuCtxSetCurrent",
       resolve(library, "cuCtxSetCurrent", functions.ctxSetCurrent)},
      {"cuModuleLoadData",
       resolve(library, "cuModuleLoadData", functions.moduleLoadData)},
      {"cuModuleUnload",
       resolve(library, "cuModuleUnload", functions.moduleUnload)},
      {"cuModuleGetFunction",
       resolve(library, "cuModuleGetFunction", functions.moduleGetFunction)},
      {"cuLaunchKernel",
       resolve(library, "cuLaunchKernel", functions.launchKernel)},
      {"cuStreamCreate",
       resolve(library, "cuStreamCreate", functions.streamCreate)},
      {"cuStreamSynchronize",
       resolve(library, "cuStreamSynchronize", functions.streamSynchronize)},
      {"cuStreamDestroy_v2",
       resolve(library, "cuStreamDestroy_v2", functions.streamDestroy)},
      {"cuMemAllocManaged",
       resolve(library, "cuMemAllocManaged", functions.memAllocManaged)},
      {"cuMemFree_v2", resolve(library, "cuMemFree_v2", functions.memFree)},
  };
  for (const Entry &entry : entries)
    if (!entry.resolved)
      return makeError("the CUDA driver ", libraryName, " has no function ",
                       entry.symbol,
                       " (not an NVIDIA driver, or one older than CUDA 11)");
  if (Result result = functions.init(0))
    return makeError("the CUDA driver ", libraryName,
                     " failed to start (cuInit): ", driver.describe(result),
                     result == kErrorStubLibrary
                         ? "; this is the toolkit's stub library, which "
                           "machines without a GPU have"
                         : "");
  if (functions.driverGetVersion(&version))
    version = 0;
  return static_cast<const Driver *>(&driver);
}
} // namespace

Expected<const Driver *> Driver::get() {
  static Driver driver;
  static std::once_flag once;
  static std::optional<Expected<const Driver *>> loaded;
  std::call_once(once, [] {
    loaded.emplace(loadDriver(driver, driver.functions, driver.version));
  });
  return *loaded;
}

std::string Driver::describe(Result result) const {
  const char *name = nullptr, *text = nullptr;
  if (!functions.getErrorName || functions.getErrorName(result, &name) || !name)
    return getResultName(result);
  if (!functions.getErrorString || functions.getErrorString(result, &text) ||
      !text)
    return name;
  return concat(name, " (", text, ")");
}

std::string Driver::getVersionText() const {
  return concat(version / 1000, ".", version % 1000 / 10);
}

} // namespace exaforge::runtime::cuda
