//===- MpiCommunicator.cpp - The runtime's transport on MPI ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements xf_communicator_t (communicator.h) with MPI: groups are
// communicators made with MPI_Comm_create_group (collective over their
// members only, so the ranks of one pipeline stage can make theirs without
// the others), and errors are returned (MPI_ERRORS_RETURN) so the runtime
// can fail the run with a message naming the rank.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/mpi.h"

#include <climits>
#include <memory>
#include <string>

namespace {
/// The state behind one xf_communicator_t.
struct MpiContext {
  MPI_Comm comm = MPI_COMM_NULL;
  std::string lastError;
};

MpiContext &getContext(void *context) {
  return *static_cast<MpiContext *>(context);
}

/// Records the message of MPI error `code` and returns it (0 on success).
int report(void *context, int code) {
  if (code == MPI_SUCCESS)
    return 0;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  getContext(context).lastError.assign(text, length);
  return code;
}

/// Records `message` as the failure and returns a non-zero code.
int refuse(void *context, const std::string &message) {
  getContext(context).lastError = message;
  return -1;
}

/// MPI counts are ints: refuses larger transfers.
bool fitsCount(void *context, size_t count) {
  if (count <= static_cast<size_t>(INT_MAX))
    return true;
  refuse(context, "a transfer of " + std::to_string(count) +
                      " elements exceeds MPI's count limit");
  return false;
}

/// The MPI type of `dtype`, or MPI_DATATYPE_NULL when MPI has none.
MPI_Datatype getMpiType(xf_dtype_t dtype) {
  switch (dtype) {
  case XF_DTYPE_FLOAT32:
    return MPI_FLOAT;
  case XF_DTYPE_FLOAT64:
    return MPI_DOUBLE;
  case XF_DTYPE_INT8:
    return MPI_INT8_T;
  case XF_DTYPE_INT16:
    return MPI_INT16_T;
  case XF_DTYPE_INT32:
    return MPI_INT32_T;
  case XF_DTYPE_INT64:
    return MPI_INT64_T;
  case XF_DTYPE_UINT8:
    return MPI_UINT8_T;
  case XF_DTYPE_UINT16:
    return MPI_UINT16_T;
  case XF_DTYPE_UINT32:
    return MPI_UINT32_T;
  case XF_DTYPE_UINT64:
    return MPI_UINT64_T;
  case XF_DTYPE_BOOL:
    return MPI_C_BOOL;
  case XF_DTYPE_FLOAT16:
  case XF_DTYPE_BFLOAT16:
    break;
  }
  return MPI_DATATYPE_NULL;
}

MPI_Op getMpiOp(xf_reduction_t reduction) {
  switch (reduction) {
  case XF_REDUCTION_SUM:
    return MPI_SUM;
  case XF_REDUCTION_PRODUCT:
    return MPI_PROD;
  case XF_REDUCTION_MAX:
    return MPI_MAX;
  case XF_REDUCTION_MIN:
    return MPI_MIN;
  }
  return MPI_OP_NULL;
}

/// The MPI type and op of a reduction, or false after recording why not.
bool getReduction(void *context, xf_dtype_t dtype, xf_reduction_t reduction,
                  MPI_Datatype &type, MPI_Op &op) {
  type = getMpiType(dtype);
  op = getMpiOp(reduction);
  if (type == MPI_DATATYPE_NULL || op == MPI_OP_NULL) {
    refuse(context, std::string("MPI cannot reduce ") + xf_dtype_name(dtype) +
                        " values");
    return false;
  }
  return true;
}

MPI_Comm groupComm(void *group) { return static_cast<MPI_Comm>(group); }

int createGroup(void *context, const int32_t *members, int32_t count,
                void **group) {
  MPI_Comm comm = getContext(context).comm;
  MPI_Group all, subset;
  if (int code = MPI_Comm_group(comm, &all))
    return report(context, code);
  int code = MPI_Group_incl(all, count, members, &subset);
  MPI_Group_free(&all);
  if (code)
    return report(context, code);
  MPI_Comm created = MPI_COMM_NULL;
  code = MPI_Comm_create_group(comm, subset, /*tag=*/0, &created);
  MPI_Group_free(&subset);
  if (code)
    return report(context, code);
  MPI_Comm_set_errhandler(created, MPI_ERRORS_RETURN);
  *group = created;
  return 0;
}

void freeGroup(void *, void *group) {
  MPI_Comm comm = groupComm(group);
  MPI_Comm_free(&comm);
}

int allReduce(void *context, void *group, void *data, size_t count,
              xf_dtype_t dtype, xf_reduction_t reduction) {
  MPI_Datatype type;
  MPI_Op op;
  if (!fitsCount(context, count) ||
      !getReduction(context, dtype, reduction, type, op))
    return -1;
  return report(context, MPI_Allreduce(MPI_IN_PLACE, data, int(count), type, op,
                                       groupComm(group)));
}

int allGather(void *context, void *group, const void *data, size_t bytes,
              void *received) {
  if (!fitsCount(context, bytes))
    return -1;
  return report(context, MPI_Allgather(data, int(bytes), MPI_BYTE, received,
                                       int(bytes), MPI_BYTE, groupComm(group)));
}

int reduceScatter(void *context, void *group, const void *data, void *received,
                  size_t count, xf_dtype_t dtype, xf_reduction_t reduction) {
  MPI_Datatype type;
  MPI_Op op;
  if (!fitsCount(context, count) ||
      !getReduction(context, dtype, reduction, type, op))
    return -1;
  return report(context, MPI_Reduce_scatter_block(data, received, int(count),
                                                  type, op, groupComm(group)));
}

int allToAll(void *context, void *group, const void *data, size_t bytes,
             void *received) {
  if (!fitsCount(context, bytes))
    return -1;
  return report(context, MPI_Alltoall(data, int(bytes), MPI_BYTE, received,
                                      int(bytes), MPI_BYTE, groupComm(group)));
}

int broadcast(void *context, void *group, void *data, size_t bytes,
              int32_t root) {
  if (!fitsCount(context, bytes))
    return -1;
  return report(context,
                MPI_Bcast(data, int(bytes), MPI_BYTE, root, groupComm(group)));
}

int send(void *context, const void *data, size_t bytes, int32_t peer) {
  if (!fitsCount(context, bytes))
    return -1;
  return report(context, MPI_Send(data, int(bytes), MPI_BYTE, peer, /*tag=*/0,
                                  getContext(context).comm));
}

int recv(void *context, void *data, size_t bytes, int32_t peer) {
  if (!fitsCount(context, bytes))
    return -1;
  MPI_Status status;
  int code = MPI_Recv(data, int(bytes), MPI_BYTE, peer, /*tag=*/0,
                      getContext(context).comm, &status);
  if (code)
    return report(context, code);
  int received = 0;
  MPI_Get_count(&status, MPI_BYTE, &received);
  if (static_cast<size_t>(received) != bytes)
    return refuse(context, "received " + std::to_string(received) +
                               " bytes from rank " + std::to_string(peer) +
                               ", expected " + std::to_string(bytes));
  return 0;
}

const char *errorMessage(void *context) {
  return getContext(context).lastError.c_str();
}
} // namespace

extern "C" xf_status_t *
xf_mpi_communicator_create(MPI_Comm comm, xf_communicator_t **communicator) {
  if (!communicator)
    return xf_status_create(XF_STATUS_INVALID_ARGUMENT,
                            "xf_mpi_communicator_create: null result pointer");
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized)
    return xf_status_create(
        XF_STATUS_INVALID_ARGUMENT,
        "xf_mpi_communicator_create: MPI is not initialized");
  auto context = std::make_unique<MpiContext>();
  if (MPI_Comm_dup(comm, &context->comm) != MPI_SUCCESS)
    return xf_status_create(XF_STATUS_RUN_FAILED,
                            "xf_mpi_communicator_create: MPI_Comm_dup failed");
  MPI_Comm_set_errhandler(context->comm, MPI_ERRORS_RETURN);
  auto created = std::make_unique<xf_communicator_t>();
  MPI_Comm_rank(context->comm, &created->rank);
  MPI_Comm_size(context->comm, &created->size);
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

extern "C" void xf_mpi_communicator_free(xf_communicator_t *communicator) {
  if (!communicator)
    return;
  auto *context = static_cast<MpiContext *>(communicator->context);
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized)
    MPI_Comm_free(&context->comm);
  delete context;
  delete communicator;
}
