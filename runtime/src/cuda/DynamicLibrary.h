//===- DynamicLibrary.h - Functions of a library opened at run time -*- C++
//-*-//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The CUDA driver and cuBLASLt are opened with dlopen (CudaDriver.h,
// CublasLt.h); these helpers resolve their functions into a table of typed
// pointers and name the first one missing.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_DYNAMICLIBRARY_H
#define EXAFORGE_RUNTIME_CUDA_DYNAMICLIBRARY_H

#include <dlfcn.h>
#include <initializer_list>

namespace exaforge::runtime::cuda {

/// A function looked up in a library: its symbol, and whether it was found.
struct ResolvedSymbol {
  const char *symbol;
  bool resolved;
};

/// Resolves `symbol` of the dlopen handle `library` into `function`.
template <typename FunctionPointer>
ResolvedSymbol resolveSymbol(void *library, const char *symbol,
                             FunctionPointer &function) {
  function = reinterpret_cast<FunctionPointer>(dlsym(library, symbol));
  return ResolvedSymbol{symbol, function != nullptr};
}

/// The symbol of the first of `symbols` that was not found, or null.
inline const char *
findUnresolved(std::initializer_list<ResolvedSymbol> symbols) {
  for (const ResolvedSymbol &symbol : symbols)
    if (!symbol.resolved)
      return symbol.symbol;
  return nullptr;
}

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_DYNAMICLIBRARY_H
