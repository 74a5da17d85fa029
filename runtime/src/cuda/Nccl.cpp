//===- Nccl.cpp - NCCL, loaded at run time --------------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Nccl.h"
#include "DynamicLibrary.h"

#include <cstdlib>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

namespace {
/// Loads NCCL into `functions`: the body of Nccl::get.
Error loadNccl(NcclFunctions &functions, int &version) {
  const char *override = std::getenv("EXAFORGE_NCCL");
  std::string libraryName = override && *override ? override : "libnccl.so.2";
  // Loaded for the life of the process, like the driver.
  void *library = dlopen(libraryName.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return makeError(
        "cannot load NCCL (", libraryName,
        "), which runs the collectives of CUDA artifacts: ", dlerror());
  const char *missing = findUnresolved({
      resolveSymbol(library, "ncclGetVersion", functions.getVersion),
      resolveSymbol(library, "ncclGetUniqueId", functions.getUniqueId),
      resolveSymbol(library, "ncclCommInitRank", functions.commInitRank),
      resolveSymbol(library, "ncclCommDestroy", functions.commDestroy),
      resolveSymbol(library, "ncclGetErrorString", functions.getErrorString),
      resolveSymbol(library, "ncclGetLastError", functions.getLastError),
      resolveSymbol(library, "ncclAllReduce", functions.allReduce),
      resolveSymbol(library, "ncclAllGather", functions.allGather),
      resolveSymbol(library, "ncclReduceScatter", functions.reduceScatter),
      resolveSymbol(library, "ncclBroadcast", functions.broadcast),
      resolveSymbol(library, "ncclSend", functions.send),
      resolveSymbol(library, "ncclRecv", functions.recv),
      resolveSymbol(library, "ncclGroupStart", functions.groupStart),
      resolveSymbol(library, "ncclGroupEnd", functions.groupEnd),
  });
  if (missing)
    return makeError("NCCL (", libraryName, ") has no function ", missing,
                     " (Exaforge needs NCCL 2.12 or newer)");
  if (NcclResult result = functions.getVersion(&version))
    return makeError("NCCL (", libraryName, ") does not tell its version: ",
                     functions.getErrorString(result));
  return Error::success();
}
} // namespace

Expected<const Nccl *> Nccl::get() {
  static Nccl nccl;
  // Initialized once, by the first caller (the other threads wait).
  static const Expected<const Nccl *> loaded = [&]() -> Expected<const Nccl *> {
    if (Error error = loadNccl(nccl.functions, nccl.version))
      return error;
    return &nccl;
  }();
  return loaded;
}

std::string Nccl::getVersionText() const {
  // NCCL 2.9 and later: major * 10000 + minor * 100 + patch.
  return concat(version / 10000, ".", version / 100 % 100, ".", version % 100);
}

std::string Nccl::describe(NcclResult result, NcclComm comm) const {
  const char *text = functions.getErrorString(result);
  std::string message = text ? text : concat("NCCL result ", result);
  const char *last = functions.getLastError(comm);
  if (last && *last)
    message += concat(" (", last, ")");
  return message;
}

} // namespace exaforge::runtime::cuda
