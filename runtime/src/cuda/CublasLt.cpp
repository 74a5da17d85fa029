//===- CublasLt.cpp - cuBLASLt, loaded at run time ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CublasLt.h"
#include "DynamicLibrary.h"

#include <cstdlib>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

namespace {
/// Loads cuBLASLt and creates the handle: the body of CublasLt::get.
Error loadCublasLt(BlasFunctions &functions, BlasHandle &handle) {
  const char *override = std::getenv("EXAFORGE_CUBLASLT");
  std::string libraryName =
      override && *override ? override : "libcublasLt.so.13";
  // Loaded for the life of the process, like the driver.
  void *library = dlopen(libraryName.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return makeError(
        "cannot load cuBLASLt (", libraryName,
        "), which runs the matmuls of CUDA artifacts: ", dlerror());
  const char *missing = findUnresolved({
      resolveSymbol(library, "cublasLtCreate", functions.create),
      resolveSymbol(library, "cublasLtMatmulDescCreate",
                    functions.matmulDescCreate),
      resolveSymbol(library, "cublasLtMatmulDescDestroy",
                    functions.matmulDescDestroy),
      resolveSymbol(library, "cublasLtMatmulDescSetAttribute",
                    functions.matmulDescSetAttribute),
      resolveSymbol(library, "cublasLtMatrixLayoutCreate",
                    functions.matrixLayoutCreate),
      resolveSymbol(library, "cublasLtMatrixLayoutDestroy",
                    functions.matrixLayoutDestroy),
      resolveSymbol(library, "cublasLtMatrixLayoutSetAttribute",
                    functions.matrixLayoutSetAttribute),
      resolveSymbol(library, "cublasLtMatmulPreferenceCreate",
                    functions.matmulPreferenceCreate),
      resolveSymbol(library, "cublasLtMatmulPreferenceDestroy",
                    functions.matmulPreferenceDestroy),
      resolveSymbol(library, "cublasLtMatmulPreferenceSetAttribute",
                    functions.matmulPreferenceSetAttribute),
      resolveSymbol(library, "cublasLtMatmulAlgoGetHeuristic",
                    functions.matmulAlgoGetHeuristic),
      resolveSymbol(library, "cublasLtMatmul", functions.matmul),
      resolveSymbol(library, "cublasLtGetStatusName", functions.getStatusName),
  });
  if (missing)
    return makeError("cuBLASLt (", libraryName, ") has no function ", missing);
  if (BlasStatus status = functions.create(&handle))
    return makeError("cannot create a cuBLASLt handle: ",
                     functions.getStatusName(status));
  return Error::success();
}
} // namespace

Expected<const CublasLt *> CublasLt::get() {
  static CublasLt cublasLt;
  // Initialized once, by the first caller (the other threads wait).
  static const Expected<const CublasLt *> loaded =
      [&]() -> Expected<const CublasLt *> {
    if (Error error = loadCublasLt(cublasLt.functions, cublasLt.handle))
      return error;
    return &cublasLt;
  }();
  return loaded;
}

std::string CublasLt::describe(BlasStatus status) const {
  const char *name = functions.getStatusName(status);
  return name ? name : concat("cuBLAS status ", status);
}

} // namespace exaforge::runtime::cuda
