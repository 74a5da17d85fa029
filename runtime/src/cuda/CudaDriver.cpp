//===- CudaDriver.cpp - The CUDA driver API, loaded at run time -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"
#include "DynamicLibrary.h"

#include <cstdlib>

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
  const char *missing = findUnresolved({
      resolveSymbol(library, "cuInit", functions.init),
      resolveSymbol(library, "cuDriverGetVersion", functions.driverGetVersion),
      resolveSymbol(library, "cuGetErrorName", functions.getErrorName),
      resolveSymbol(library, "cuGetErrorString", functions.getErrorString),
      resolveSymbol(library, "cuDeviceGetCount", functions.deviceGetCount),
      resolveSymbol(library, "cuDeviceGet", functions.deviceGet),
      resolveSymbol(library, "cuDeviceGetName", functions.deviceGetName),
      resolveSymbol(library, "cuDeviceGetAttribute",
                    functions.deviceGetAttribute),
      resolveSymbol(library, "cuDevicePrimaryCtxRetain",
                    functions.devicePrimaryCtxRetain),
      resolveSymbol(library, "cuCtxSetCurrent", functions.ctxSetCurrent),
      resolveSymbol(library, "cuModuleLoadData", functions.moduleLoadData),
      resolveSymbol(library, "cuModuleUnload", functions.moduleUnload),
      resolveSymbol(library, "cuModuleGetFunction",
                    functions.moduleGetFunction),
      resolveSymbol(library, "cuLaunchKernel", functions.launchKernel),
      resolveSymbol(library, "cuStreamCreate", functions.streamCreate),
      resolveSymbol(library, "cuStreamSynchronize",
                    functions.streamSynchronize),
      resolveSymbol(library, "cuStreamDestroy_v2", functions.streamDestroy),
      resolveSymbol(library, "cuMemAllocManaged", functions.memAllocManaged),
      resolveSymbol(library, "cuMemFree_v2", functions.memFree),
      resolveSymbol(library, "cuMemcpy", functions.memcpy),
      resolveSymbol(library, "cuMemcpyAsync", functions.memcpyAsync),
  });
  if (missing)
    return makeError("the CUDA driver ", libraryName, " has no function ",
                     missing,
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
  // Initialized once, by the first caller (the other threads wait).
  static const Expected<const Driver *> loaded =
      loadDriver(driver, driver.functions, driver.version);
  return loaded;
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
