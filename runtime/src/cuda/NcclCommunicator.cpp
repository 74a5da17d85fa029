//===- NcclCommunicator.cpp - The runtime's transport on NCCL -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements xf_nccl_communicator_create (nccl.h): xf_communicator_t
// (communicator.h) on NCCL, for the ranks of CUDA artifacts.
//
// - A group is an NCCL communicator of its members. Its first member makes
//   the unique id and broadcasts it over the same group of the bootstrap
//   communicator, which is collective over the members only, as
//   create_group is.
// - Sends and receives go over an NCCL communicator of the two ranks, made
//   at their first transfer (both ranks reach it there: transfers between
//   two ranks are matched in order).
// - Each call is enqueued on the stream of the calling thread's run
//   (CudaLaunch.h; the default stream outside a run) and waited for, since
//   the runtime reads the results on the host (Collectives.cpp reorders
//   blocks). The work enqueued before the collective was waited for when it
//   began (Collectives.cpp).
// - An all-to-all is a group of one send and one receive per member, which
//   every NCCL release since 2.7 has (ncclAlltoAll came with 2.28).
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/nccl.h"

#include "CudaDevice.h"
#include "CudaLaunch.h"
#include "Nccl.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace exaforge::runtime::cuda;
using exaforge::support::concat;

namespace {
/// One NCCL communicator: a group of the mesh, or a pair of ranks.
struct NcclGroup {
  NcclComm comm = nullptr;
  int32_t size = 0;
  /// The caller's position among the members.
  int32_t position = 0;
};

/// The state behind one xf_communicator_t.
struct NcclContext {
  const Nccl *nccl = nullptr;
  const CudaDevice *device = nullptr;
  const xf_communicator_t *bootstrap = nullptr;
  int32_t rank = 0;
  /// The communicators of the pairs this rank sent to or received from,
  /// by the other rank.
  std::map<int32_t, std::unique_ptr<NcclGroup>> pairs;
  std::string lastError;
};

NcclContext &getContext(void *context) {
  return *static_cast<NcclContext *>(context);
}

NcclGroup &getGroup(void *group) { return *static_cast<NcclGroup *>(group); }

/// Records `message` as the failure and returns a non-zero code.
int refuse(void *context, std::string message) {
  getContext(context).lastError = std::move(message);
  return -1;
}

/// Records the failure of NCCL's `function` on `comm` (0 on success).
int report(void *context, const char *function, NcclResult result,
           NcclComm comm) {
  if (result == kNcclSuccess)
    return 0;
  const NcclContext &nccl = getContext(context);
  return refuse(context, concat(function, " failed: ",
                                nccl.nccl->describe(result, comm)));
}

/// Waits for the calling run's stream, where the last call was enqueued.
int waitForStream(void *context, const char *function) {
  const NcclContext &nccl = getContext(context);
  if (Result result =
          nccl.device->getDriver()->streamSynchronize(getRunStream()))
    return refuse(context, concat(function, " failed on the GPU: ",
                                  nccl.device->getDriver().describe(result)));
  return 0;
}

/// Checks `result`, what an NCCL call on `comm` returned, then waits for
/// the stream the call was enqueued on; 0 when both succeeded.
int finish(void *context, const char *function, NcclResult result,
           NcclComm comm) {
  if (int code = report(context, function, result, comm))
    return code;
  return waitForStream(context, function);
}

/// The NCCL type of `dtype` in a reduction, or -1 after recording that NCCL
/// cannot reduce it.
int getReductionType(void *context, xf_dtype_t dtype,
                     xf_reduction_t reduction) {
  switch (dtype) {
  case XF_DTYPE_FLOAT32:
    return kNcclFloat32;
  case XF_DTYPE_FLOAT64:
    return kNcclFloat64;
  case XF_DTYPE_FLOAT16:
    return kNcclFloat16;
  case XF_DTYPE_BFLOAT16:
    return kNcclBfloat16;
  case XF_DTYPE_INT8:
    return kNcclInt8;
  case XF_DTYPE_INT32:
    return kNcclInt32;
  case XF_DTYPE_INT64:
    return kNcclInt64;
  case XF_DTYPE_UINT8:
    return kNcclUint8;
  case XF_DTYPE_UINT32:
    return kNcclUint32;
  case XF_DTYPE_UINT64:
    return kNcclUint64;
  case XF_DTYPE_BOOL:
    // 0 and 1 in a byte: their max and min are the logical or and and.
    if (reduction == XF_REDUCTION_MAX || reduction == XF_REDUCTION_MIN)
      return kNcclUint8;
    break;
  case XF_DTYPE_INT16:
  case XF_DTYPE_UINT16:
    break;
  }
  refuse(context, concat("NCCL cannot reduce ", xf_dtype_name(dtype),
                         " values with this reduction"));
  return -1;
}

/// The NCCL operation of `reduction`.
int getReductionOp(xf_reduction_t reduction) {
  switch (reduction) {
  case XF_REDUCTION_SUM:
    return kNcclSum;
  case XF_REDUCTION_PRODUCT:
    return kNcclProd;
  case XF_REDUCTION_MAX:
    return kNcclMax;
  case XF_REDUCTION_MIN:
    return kNcclMin;
  }
  return kNcclSum;
}

/// Makes the NCCL communicator of `members` (in group order, the caller
/// among them) into `group`: the first member's unique id goes to the
/// others over the bootstrap's group of the same members.
int initGroup(void *context, const int32_t *members, int32_t count,
              NcclGroup &group) {
  NcclContext &nccl = getContext(context);
  const int32_t *self = std::find(members, members + count, nccl.rank);
  if (self == members + count)
    return refuse(context, concat("rank ", nccl.rank,
                                  " makes a group it is not a member of"));
  group.size = count;
  group.position = static_cast<int32_t>(self - members);

  const xf_communicator_t &bootstrap = *nccl.bootstrap;
  void *bootstrapGroup = nullptr;
  if (bootstrap.create_group(bootstrap.context, members, count,
                             &bootstrapGroup))
    return refuse(context, concat("cannot make the group that carries NCCL's "
                                  "unique id: ",
                                  bootstrap.error_message(bootstrap.context)));
  // The id, and whether the first member could make it: the others must
  // not start NCCL with an id that was never made.
  struct {
    NcclUniqueId id;
    int32_t made;
  } message{};
  NcclResult made = kNcclSuccess;
  if (group.position == 0) {
    made = (*nccl.nccl)->getUniqueId(&message.id);
    message.made = made == kNcclSuccess;
  }
  // Every member takes part in the broadcast, even when the first one
  // could not make an id, so that none waits for it; then all fail.
  int sent = bootstrap.broadcast(bootstrap.context, bootstrapGroup, &message,
                                 sizeof(message), /*root=*/0);
  std::string bootstrapError =
      sent ? bootstrap.error_message(bootstrap.context) : "";
  bootstrap.free_group(bootstrap.context, bootstrapGroup);
  if (int code = report(context, "ncclGetUniqueId", made, nullptr))
    return code;
  if (sent)
    return refuse(context,
                  concat("cannot send NCCL's unique id: ", bootstrapError));
  if (!message.made)
    return refuse(context, concat("rank ", members[0],
                                  ", the first of the group, could not make "
                                  "NCCL's unique id"));
  // NCCL works on the GPU of the current context.
  if (exaforge::support::Error error = nccl.device->makeCurrent())
    return refuse(context, error.getMessage());
  return report(
      context, "ncclCommInitRank",
      (*nccl.nccl)
          ->commInitRank(&group.comm, count, message.id, group.position),
      nullptr);
}

int createGroup(void *context, const int32_t *members, int32_t count,
                void **group) {
  auto created = std::make_unique<NcclGroup>();
  if (int code = initGroup(context, members, count, *created))
    return code;
  *group = created.release();
  return 0;
}

void destroyGroup(const NcclContext &nccl, NcclGroup *group) {
  if (group->comm)
    (*nccl.nccl)->commDestroy(group->comm);
  delete group;
}

void freeGroup(void *context, void *group) {
  destroyGroup(getContext(context), &getGroup(group));
}

/// The communicator of this rank and `peer`, made on first use; null after
/// recording why it cannot be made.
NcclGroup *getPair(void *context, int32_t peer) {
  NcclContext &nccl = getContext(context);
  std::unique_ptr<NcclGroup> &pair = nccl.pairs[peer];
  if (pair)
    return pair.get();
  if (peer == nccl.rank || peer < 0 || peer >= nccl.bootstrap->size) {
    refuse(context,
           concat("rank ", nccl.rank, " cannot transfer to rank ", peer));
    return nullptr;
  }
  int32_t members[2] = {std::min(nccl.rank, peer), std::max(nccl.rank, peer)};
  auto created = std::make_unique<NcclGroup>();
  if (initGroup(context, members, 2, *created))
    return nullptr;
  pair = std::move(created);
  return pair.get();
}

int allReduce(void *context, void *group, void *data, size_t count,
              xf_dtype_t dtype, xf_reduction_t reduction) {
  int type = getReductionType(context, dtype, reduction);
  if (type < 0)
    return -1;
  NcclComm comm = getGroup(group).comm;
  return finish(context, "ncclAllReduce",
                (*getContext(context).nccl)
                    ->allReduce(data, data, count, type,
                                getReductionOp(reduction), comm,
                                getRunStream()),
                comm);
}

int allGather(void *context, void *group, const void *data, size_t bytes,
              void *received) {
  NcclComm comm = getGroup(group).comm;
  return finish(
      context, "ncclAllGather",
      (*getContext(context).nccl)
          ->allGather(data, received, bytes, kNcclUint8, comm, getRunStream()),
      comm);
}

int reduceScatter(void *context, void *group, const void *data, void *received,
                  size_t count, xf_dtype_t dtype, xf_reduction_t reduction) {
  int type = getReductionType(context, dtype, reduction);
  if (type < 0)
    return -1;
  NcclComm comm = getGroup(group).comm;
  return finish(context, "ncclReduceScatter",
                (*getContext(context).nccl)
                    ->reduceScatter(data, received, count, type,
                                    getReductionOp(reduction), comm,
                                    getRunStream()),
                comm);
}

int allToAll(void *context, void *group, const void *data, size_t bytes,
             void *received) {
  const NcclFunctions &nccl = **getContext(context).nccl;
  const NcclGroup &members = getGroup(group);
  Stream stream = getRunStream();
  NcclResult result = nccl.groupStart();
  for (int32_t peer = 0; peer < members.size && !result; ++peer) {
    result = nccl.send(static_cast<const char *>(data) + peer * bytes, bytes,
                       kNcclUint8, peer, members.comm, stream);
    if (!result)
      result = nccl.recv(static_cast<char *>(received) + peer * bytes, bytes,
                         kNcclUint8, peer, members.comm, stream);
  }
  // The group is closed even after a failed call, so NCCL's state is sane.
  NcclResult ended = nccl.groupEnd();
  return finish(context, "all-to-all (ncclSend/ncclRecv)",
                result ? result : ended, members.comm);
}

int broadcast(void *context, void *group, void *data, size_t bytes,
              int32_t root) {
  NcclComm comm = getGroup(group).comm;
  return finish(context, "ncclBroadcast",
                (*getContext(context).nccl)
                    ->broadcast(data, data, bytes, kNcclUint8, root, comm,
                                getRunStream()),
                comm);
}

/// The position of `peer` in its pair with this rank.
int getPairPosition(void *context, int32_t peer) {
  return peer > getContext(context).rank ? 1 : 0;
}

int send(void *context, const void *data, size_t bytes, int32_t peer) {
  NcclGroup *pair = getPair(context, peer);
  if (!pair)
    return -1;
  return finish(context, "ncclSend",
                (*getContext(context).nccl)
                    ->send(data, bytes, kNcclUint8,
                           getPairPosition(context, peer), pair->comm,
                           getRunStream()),
                pair->comm);
}

int recv(void *context, void *data, size_t bytes, int32_t peer) {
  NcclGroup *pair = getPair(context, peer);
  if (!pair)
    return -1;
  return finish(context, "ncclRecv",
                (*getContext(context).nccl)
                    ->recv(data, bytes, kNcclUint8,
                           getPairPosition(context, peer), pair->comm,
                           getRunStream()),
                pair->comm);
}

const char *errorMessage(void *context) {
  return getContext(context).lastError.c_str();
}

xf_status_t *makeError(const std::string &message) {
  return xf_status_create(XF_STATUS_INVALID_ARGUMENT,
                          ("xf_nccl_communicator_create: " + message).c_str());
}
} // namespace

extern "C" xf_status_t *
xf_nccl_communicator_create(const xf_communicator_t *bootstrap,
                            xf_communicator_t **communicator) {
  if (!communicator || !bootstrap)
    return makeError("null argument");
  exaforge::support::Expected<const Nccl *> nccl = Nccl::get();
  if (!nccl)
    return makeError(nccl.getError().getMessage());
  exaforge::support::Expected<const CudaDevice *> device =
      CudaDevice::acquire();
  if (!device)
    return makeError(device.getError().getMessage());
  auto context = std::make_unique<NcclContext>();
  context->nccl = *nccl;
  context->device = *device;
  context->bootstrap = bootstrap;
  context->rank = bootstrap->rank;
  auto created = std::make_unique<xf_communicator_t>();
  created->rank = bootstrap->rank;
  created->size = bootstrap->size;
  created->context = context.release();
  created->create_group = createGroup;
  created->free_group = freeGroup;
  created->all_reduce = allReduce;
  created->all_gather = allGather;
  created->reduce_scatter = reduceScatter;
  created->all_to_all = allToAll;
  created->broadcast = broadcast;
  created->send = send;
  created->recv = recv;
  created->error_message = errorMessage;
  *communicator = created.release();
  return nullptr;
}

extern "C" void xf_nccl_communicator_free(xf_communicator_t *communicator) {
  if (!communicator)
    return;
  auto *context = static_cast<NcclContext *>(communicator->context);
  for (auto &[peer, pair] : context->pairs)
    if (pair)
      destroyGroup(*context, pair.release());
  delete context;
  delete communicator;
}
