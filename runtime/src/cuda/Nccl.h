//===- Nccl.h - NCCL, loaded at run time ------------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The collectives of CUDA artifacts run on NCCL (libnccl.so.2, from the CUDA
// toolkit or the machine's NCCL module), through the communicator of
// NcclCommunicator.cpp. Like the driver (CudaDriver.h) and cuBLASLt
// (CublasLt.h), it is opened with dlopen on first use and declared here with
// its C ABI, so that the runtime neither links nor needs it for CPU
// artifacts; CudaDriverAbiTest checks these declarations against nccl.h
// where a toolkit is found.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_NCCL_H
#define EXAFORGE_RUNTIME_CUDA_NCCL_H

#include "CudaDriver.h"

#include "runtime/support/Error.h"

#include <cstddef>
#include <string>

namespace exaforge::runtime::cuda {

/// NCCL's result (`ncclResult_t`); 0 is success.
using NcclResult = int;
/// A communicator (`ncclComm_t`).
using NcclComm = struct NcclCommObject *;

/// `ncclUniqueId`: what the first member of a communicator makes and sends
/// to the others (NCCL_UNIQUE_ID_BYTES).
struct NcclUniqueId {
  char internal[128];
};

inline constexpr NcclResult kNcclSuccess = 0;
/// `ncclDataType_t` values the runtime uses.
inline constexpr int kNcclInt8 = 0, kNcclUint8 = 1, kNcclInt32 = 2,
                     kNcclUint32 = 3, kNcclInt64 = 4, kNcclUint64 = 5,
                     kNcclFloat16 = 6, kNcclFloat32 = 7, kNcclFloat64 = 8,
                     kNcclBfloat16 = 9;
/// `ncclRedOp_t` values the runtime uses.
inline constexpr int kNcclSum = 0, kNcclProd = 1, kNcclMax = 2, kNcclMin = 3;

/// The NCCL functions the runtime calls, with NCCL's signatures (the enums
/// `ncclDataType_t` and `ncclRedOp_t` as int).
struct NcclFunctions {
  NcclResult (*getVersion)(int *version);
  NcclResult (*getUniqueId)(NcclUniqueId *id);
  NcclResult (*commInitRank)(NcclComm *comm, int numRanks, NcclUniqueId id,
                             int rank);
  NcclResult (*commDestroy)(NcclComm comm);
  const char *(*getErrorString)(NcclResult result);
  const char *(*getLastError)(NcclComm comm);
  NcclResult (*allReduce)(const void *send, void *receive, size_t count,
                          int type, int op, NcclComm comm, Stream stream);
  NcclResult (*allGather)(const void *send, void *receive, size_t sendCount,
                          int type, NcclComm comm, Stream stream);
  NcclResult (*reduceScatter)(const void *send, void *receive,
                              size_t receiveCount, int type, int op,
                              NcclComm comm, Stream stream);
  NcclResult (*broadcast)(const void *send, void *receive, size_t count,
                          int type, int root, NcclComm comm, Stream stream);
  NcclResult (*send)(const void *data, size_t count, int type, int peer,
                     NcclComm comm, Stream stream);
  NcclResult (*recv)(void *data, size_t count, int type, int peer,
                     NcclComm comm, Stream stream);
  NcclResult (*groupStart)();
  NcclResult (*groupEnd)();
};

/// NCCL of this process, loaded once.
class Nccl {
public:
  /// Opens `libnccl.so.2` (or the file EXAFORGE_NCCL names) and resolves
  /// NcclFunctions. The first call does the work, later calls return its
  /// result.
  static support::Expected<const Nccl *> get();

  const NcclFunctions &operator*() const { return functions; }
  const NcclFunctions *operator->() const { return &functions; }

  /// The library's version as "2.28.9".
  std::string getVersionText() const;

  /// "NCCL's text for result (its last error on `comm`)".
  std::string describe(NcclResult result, NcclComm comm) const;

private:
  Nccl() = default;
  NcclFunctions functions{};
  int version = 0;
};

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_NCCL_H
