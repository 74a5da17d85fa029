//===- CublasLt.cpp - cuBLASLt, loaded at run time ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CublasLt.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <optional>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

namespace {
/// Resolves `symbol` of `library` into `function`; false when missing.
template <typename FunctionPointer>
bool resolve(void *library, const char *symbol, FunctionPointer &function) {
  function = reinterpret_cast<FunctionPointer>(dlsym(library, symbol));
  return function != nullptr;
}

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
  struct Entry {
    const char *symbol;
    bool resolved;
  };
  Entry entries[] = {
      {"cublasLtCreate", resolve(library, "cublasLtCreate", functions.create)},
      {"cublasLtMatmulDescCreate", resolve(library, "cublasLtMatmulDescCreate",
                                           functions.matmulDescCreate)},
      {"cublasLtMatmulDescDestroy",
       resolve(library, "cublasLtMatmulDescDestroy",
               functions.matmulDescDestroy)},
      {"cublasLtMatmulDescSetAttribute",
       resolve(library, "cublasLtMatmulDescSetAttribute",
               functions.matmulDescSetAttribute)},
      {"cublasLtMatrixLayoutCreate",
       resolve(library, "cublasLtMatrixLayoutCreate",
               functions.matrixLayoutCreate)},
      {"cublasLtMatrixLayoutDestroy",
       resolve(library, "cublasLtMatrixLayoutDestroy",
               functions.matrixLayoutDestroy)},
      {"cublasLtMatrixLayoutSetAttribute",
       resolve(library, "cublasLtMatrixLayoutSetAttribute",
               functions.matrixLayoutSetAttribute)},
      {"cublasLtMatmulPreferenceCreate",
       resolve(library, "cublasLtMatmulPreferenceCreate",
               functions.matmulPreferenceCreate)},
      {"cublasLtMatmulPreferenceDestroy",
       resolve(library, "cublasLtMatmulPreferenceDestroy",
               functions.matmulPreferenceDestroy)},
      {"cublasLtMatmulPreferenceSetAttribute",
       resolve(library, "cublasLtMatmulPreferenceSetAttribute",
               functions.matmulPreferenceSetAttribute)},
      {"cublasLtMatmulAlgoGetHeuristic",
       resolve(library, "cublasLtMatmulAlgoGetHeuristic",
               functions.matmulAlgoGetHeuristic)},
      {"cublasLtMatmul", resolve(library, "cublasLtMatmul", functions.matmul)},
      {"cublasLtGetStatusName",
       resolve(library, "cublasLtGetStatusName", functions.getStatusName)},
  };
  for (const Entry &entry : entries)
    if (!entry.resolved)
      return makeError("cuBLASLt (", libraryName, ") has no function ",
                       entry.symbol);
  if (BlasStatus status = functions.create(&handle))
    return makeError("cannot create a cuBLASLt handle: ",
                     functions.getStatusName(status));
  return Error::success();
}
} // namespace

Expected<const CublasLt *> CublasLt::get() {
  static CublasLt cublasLt;
  static std::once_flag once;
  static std::optional<Expected<const CublasLt *>> loaded;
  std::call_once(once, [] {
    if (Error error = loadCublasLt(cublasLt.functions, cublasLt.handle))
      loaded.emplace(std::move(error));
    else
      loaded.emplace(static_cast<const CublasLt *>(&cublasLt));
  });
  return *loaded;
}

std::string CublasLt::describe(BlasStatus status) const {
  const char *name = functions.getStatusName(status);
  return name ? name : concat("cuBLAS status ", status);
}

} // namespace exaforge::runtime::cuda
