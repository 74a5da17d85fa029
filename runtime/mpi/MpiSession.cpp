//===- MpiSession.cpp - Opening and running an artifact on all ranks ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements xf_mpi_session_open and xf_mpi_session_run (mpi.h). A run:
//   1. rank 0 checks the inputs and broadcasts their shapes (or its refusal);
//   2. each input is broadcast, or scattered as its sharding says;
//   3. every rank runs its session on its part;
//   4. the ranks agree whether all runs succeeded (a run stopped inside the
//      compiled code, out of memory or by a failed collective, returns on
//      its rank alone: the others may wait in a collective it never
//      reached, and the caller ends the job);
//   5. the split outputs, and those only some ranks produce (the last stage
//      of a pipeline), are gathered at rank 0 from one rank per part.
// Before each transfer the ranks agree on every failure that would keep one
// of them out of it (a refusal, a failed allocation: agreeOnFailure), so no
// rank waits in a transfer that another gave up.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/mpi.h"

#include "exaforge/abi/Contract.h"

#include "TensorBlocks.h"

#include "runtime/src/Status.h"

#include <algorithm>
#include <climits>
#include <memory>
#include <new>
#include <string>
#include <vector>

using namespace exaforge::runtime::mpi;

namespace {
constexpr int kRoot = 0;

/// A status owned by a unique_ptr.
struct StatusDeleter {
  void operator()(xf_status_t *status) const { xf_status_free(status); }
};
using StatusPtr = std::unique_ptr<xf_status_t, StatusDeleter>;

/// A tensor owned by a unique_ptr.
struct TensorDeleter {
  void operator()(xf_tensor_t *tensor) const { xf_tensor_free(tensor); }
};
using TensorPtr = std::unique_ptr<xf_tensor_t, TensorDeleter>;

xf_status_t *makeError(xf_status_code_t code, const std::string &message) {
  return xf_status_create(code, message.c_str());
}

int getRank(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

int getSize(MPI_Comm comm) {
  int size = 0;
  MPI_Comm_size(comm, &size);
  return size;
}

/// Agrees on failure: when some ranks failed, every rank returns the status
/// of the lowest of them, its message prefixed with "rank R: "; else null.
StatusPtr agreeOnFailure(StatusPtr local, MPI_Comm comm) {
  int rank = getRank(comm);
  int mine = local ? rank : INT_MAX;
  int failed = INT_MAX;
  MPI_Allreduce(&mine, &failed, 1, MPI_INT, MPI_MIN, comm);
  if (failed == INT_MAX)
    return nullptr;
  std::string message;
  int64_t header[2] = {0, 0};
  if (rank == failed) {
    message = xf_status_message(local.get());
    header[0] = xf_status_code(local.get());
    header[1] = static_cast<int64_t>(message.size());
  }
  MPI_Bcast(header, 2, MPI_INT64_T, failed, comm);
  message.resize(header[1]);
  MPI_Bcast(message.data(), static_cast<int>(header[1]), MPI_CHAR, failed,
            comm);
  StatusPtr agreed(
      makeError(static_cast<xf_status_code_t>(header[0]),
                "rank " + std::to_string(failed) + ": " + message));
  agreed->agreed = true;
  return agreed;
}

/// Whether a failed local run of status `code` stopped inside the compiled
/// code (out of memory, a failed collective), where the other ranks may be
/// waiting for this one in a collective.
bool stopsTheJob(xf_status_code_t code) {
  return code == XF_STATUS_OUT_OF_MEMORY || code == XF_STATUS_COLLECTIVE_FAILED;
}

/// Broadcasts `bytes` at `data` from the root, in pieces MPI can count.
void broadcastBytes(void *data, size_t bytes, MPI_Comm comm) {
  constexpr size_t kPiece = size_t(1) << 30;
  char *at = static_cast<char *>(data);
  for (size_t done = 0; done < bytes; done += kPiece)
    MPI_Bcast(at + done, static_cast<int>(std::min(kPiece, bytes - done)),
              MPI_BYTE, kRoot, comm);
}

/// What a session says about its inputs, outputs and mesh.
struct Signature {
  std::vector<xf_tensor_info_t> inputs, outputs;
  std::vector<int64_t> meshShape;
};

Signature describe(const xf_session_t *session) {
  Signature signature;
  for (size_t i = 0; i < xf_session_num_inputs(session); ++i) {
    signature.inputs.emplace_back();
    xf_session_input_info(session, i, &signature.inputs.back());
  }
  for (size_t i = 0; i < xf_session_num_outputs(session); ++i) {
    signature.outputs.emplace_back();
    xf_session_output_info(session, i, &signature.outputs.back());
  }
  xf_mesh_info_t mesh;
  xf_session_mesh_info(session, &mesh);
  signature.meshShape.assign(mesh.shape, mesh.shape + mesh.num_axes);
  return signature;
}

std::vector<uint64_t> getSplitAxes(const xf_tensor_info_t &info) {
  if (!info.split_axes)
    return {};
  return std::vector<uint64_t>(info.split_axes, info.split_axes + info.rank);
}

/// The coordinates of `rank` on `meshShape`.
std::vector<int64_t> getCoordinates(int64_t rank,
                                    const std::vector<int64_t> &meshShape) {
  std::vector<int64_t> coordinates(meshShape.size());
  exaforge::abi::getMeshCoordinates(meshShape.data(), meshShape.size(), rank,
                                    coordinates.data());
  return coordinates;
}

/// Checks the inputs at the root: count, element types, ranks, byte sizes,
/// and that each split dimension has at least one element per part.
std::string checkInputsAtRoot(const Signature &signature,
                              const xf_buffer_t *inputs, size_t numInputs) {
  if (numInputs != signature.inputs.size())
    return "the model takes " + std::to_string(signature.inputs.size()) +
           " inputs, got " + std::to_string(numInputs);
  for (size_t i = 0; i < numInputs; ++i) {
    const xf_tensor_info_t &info = signature.inputs[i];
    const xf_buffer_t &input = inputs[i];
    std::string what = std::string("input '") + info.name + "'";
    if (input.dtype != info.dtype || input.rank != info.rank)
      return what + " must be " + xf_dtype_name(info.dtype) + " of rank " +
             std::to_string(info.rank) + ", got " + xf_dtype_name(input.dtype) +
             " of rank " + std::to_string(input.rank);
    uint64_t elements = 1;
    for (int64_t d = 0; d < input.rank; ++d) {
      if (input.shape[d] < 0 ||
          (info.shape[d] >= 0 && input.shape[d] != info.shape[d]))
        return what + " must have size " +
               (info.shape[d] >= 0 ? std::to_string(info.shape[d])
                                   : std::string("0 or more")) +
               " in dimension " + std::to_string(d) + ", got " +
               std::to_string(input.shape[d]);
      elements *= input.shape[d];
    }
    if (input.nbytes != elements * xf_dtype_size(input.dtype) ||
        (elements && !input.data))
      return what + ": the buffer does not hold its shape's bytes";
    std::vector<uint64_t> splitAxes = getSplitAxes(info);
    for (int64_t d = 0; d < input.rank && !splitAxes.empty(); ++d) {
      int64_t parts = getNumParts(splitAxes[d], signature.meshShape);
      if (input.shape[d] < parts)
        return what + " has size " + std::to_string(input.shape[d]) +
               " in dimension " + std::to_string(d) + ", which is split over " +
               std::to_string(parts) +
               " ranks: give at least one element per rank";
    }
  }
  return "";
}

/// Broadcasts the root's verdict on the inputs and their shapes; returns
/// the shapes, or the error (on every rank).
StatusPtr shareInputShapes(const Signature &signature,
                           const xf_buffer_t *inputs, size_t numInputs,
                           MPI_Comm comm,
                           std::vector<std::vector<int64_t>> &shapes) {
  bool isRoot = getRank(comm) == kRoot;
  std::string refusal =
      isRoot ? checkInputsAtRoot(signature, inputs, numInputs) : "";
  if (StatusPtr status = agreeOnFailure(
          StatusPtr(refusal.empty()
                        ? nullptr
                        : makeError(XF_STATUS_INVALID_ARGUMENT, refusal)),
          comm))
    return status;
  std::vector<int64_t> words{0};
  for (size_t i = 0; i < signature.inputs.size(); ++i)
    for (int64_t d = 0; d < signature.inputs[i].rank; ++d)
      words.push_back(isRoot ? inputs[i].shape[d] : 0);
  MPI_Bcast(words.data(), static_cast<int>(words.size()), MPI_INT64_T, kRoot,
            comm);
  size_t next = 1;
  for (const xf_tensor_info_t &info : signature.inputs) {
    shapes.emplace_back(words.begin() + next, words.begin() + next + info.rank);
    next += info.rank;
  }
  return nullptr;
}

/// Allocates `bytes` for packed blocks, or returns null when out of memory
/// (the failure is then agreed on, not a crash).
std::unique_ptr<char[]> allocatePacked(size_t bytes) {
  return std::unique_ptr<char[]>(
      new (std::nothrow) char[std::max<size_t>(bytes, 1)]);
}

/// A new tensor of `shape` for `what` ("input 'x'") in `tensor`, or the
/// error, naming `what`.
StatusPtr createTensor(const std::string &what, const xf_tensor_info_t &info,
                       const int64_t *shape, TensorPtr &tensor) {
  xf_tensor_t *created = nullptr;
  StatusPtr status(xf_tensor_create(info.dtype, info.rank, shape, &created));
  tensor.reset(created);
  if (!status)
    return nullptr;
  return StatusPtr(makeError(xf_status_code(status.get()),
                             what + ": " + xf_status_message(status.get())));
}

/// The error of a failed allocation of a buffer of `bytes` for `what`.
xf_status_t *outOfMemory(const std::string &what, size_t bytes) {
  return makeError(XF_STATUS_OUT_OF_MEMORY, "out of memory for " +
                                                std::to_string(bytes) +
                                                " bytes of " + what);
}

/// Gives every rank its part of one input: the root's whole tensor when it
/// is not split, else the rank's block (scattered from the root). Every
/// rank allocates what it receives before any byte moves, and the ranks
/// agree on the allocations, so a rank short of memory stops them all.
StatusPtr distributeInput(const Signature &signature,
                          const xf_tensor_info_t &info,
                          const std::vector<int64_t> &shape,
                          const xf_buffer_t *rootInput, MPI_Comm comm,
                          TensorPtr &local) {
  int rank = getRank(comm), size = getSize(comm);
  size_t elementSize = xf_dtype_size(info.dtype);
  std::vector<uint64_t> splitAxes = getSplitAxes(info);
  std::string what = std::string("input '") + info.name + "'";
  if (splitAxes.empty()) {
    StatusPtr status;
    if (rank != kRoot)
      status = createTensor(what, info, shape.data(), local);
    if (StatusPtr agreed = agreeOnFailure(std::move(status), comm))
      return agreed;
    if (rank != kRoot)
      broadcastBytes(xf_tensor_data(local.get()), xf_tensor_nbytes(local.get()),
                     comm);
    else
      broadcastBytes(rootInput->data, rootInput->nbytes, comm);
    return nullptr;
  }
  // Every rank knows every block; the root packs them in rank order.
  std::vector<Block> blocks;
  std::vector<int> counts, displacements;
  size_t total = 0;
  StatusPtr status;
  for (int r = 0; r < size && !status; ++r) {
    blocks.push_back(getBlock(shape, splitAxes, signature.meshShape,
                              getCoordinates(r, signature.meshShape)));
    size_t bytes = elementSize;
    for (int64_t extent : blocks.back().sizes)
      bytes *= extent;
    if (bytes > INT_MAX || total > INT_MAX)
      status.reset(makeError(
          XF_STATUS_INVALID_ARGUMENT,
          what + " is too large to scatter (2 GiB per rank at most)"));
    counts.push_back(static_cast<int>(bytes));
    displacements.push_back(static_cast<int>(total));
    total += bytes;
  }
  std::unique_ptr<char[]> packed;
  if (!status)
    status = createTensor(what, info, blocks[rank].sizes.data(), local);
  if (!status && rank == kRoot && !(packed = allocatePacked(total)))
    status.reset(outOfMemory(what, total));
  if (StatusPtr agreed = agreeOnFailure(std::move(status), comm))
    return agreed;
  if (rank == kRoot) {
    std::vector<int64_t> origin(info.rank, 0);
    for (int r = 0; r < size; ++r)
      copyBox(rootInput->data, shape, blocks[r].offsets,
              packed.get() + displacements[r], blocks[r].sizes, origin,
              blocks[r].sizes, elementSize);
  }
  MPI_Scatterv(packed.get(), counts.data(), displacements.data(), MPI_BYTE,
               xf_tensor_data(local.get()), counts[rank], MPI_BYTE, kRoot,
               comm);
  return nullptr;
}

/// Gathers one split output at the root from one rank per part. Every rank
/// learns every rank's local shape first, so all detect a mismatch alike.
StatusPtr gatherOutput(const Signature &signature, const xf_tensor_info_t &info,
                       xf_tensor_t *local, MPI_Comm comm, TensorPtr &whole) {
  int rank = getRank(comm), size = getSize(comm);
  std::string what = std::string("output '") + info.name + "'";
  size_t elementSize = xf_dtype_size(info.dtype);
  std::vector<uint64_t> splitAxes = getSplitAxes(info);
  if (splitAxes.empty())
    splitAxes.assign(info.rank, 0);
  std::vector<int64_t> localShapes(size * info.rank);
  MPI_Allgather(xf_tensor_shape(local), static_cast<int>(info.rank),
                MPI_INT64_T, localShapes.data(), static_cast<int>(info.rank),
                MPI_INT64_T, comm);
  auto localSize = [&](int r, int64_t d) {
    return localShapes[r * info.rank + d];
  };
  // A rank holds a distinct part when its coordinates on the axes no
  // dimension is split over are 0 (the others hold copies), or those of the
  // ranks that produce the output (`produced_on`).
  uint64_t splitMask = 0;
  for (uint64_t mask : splitAxes)
    splitMask |= mask;
  std::vector<bool> holdsPart(size);
  for (int r = 0; r < size; ++r) {
    std::vector<int64_t> coordinates = getCoordinates(r, signature.meshShape);
    holdsPart[r] = true;
    for (size_t axis = 0; axis < coordinates.size(); ++axis) {
      int64_t holder = info.produced_on && info.produced_on[axis] >= 0
                           ? info.produced_on[axis]
                           : 0;
      if (!((splitMask >> axis) & 1) && coordinates[axis] != holder)
        holdsPart[r] = false;
    }
  }
  // The whole shape: per split dimension, the sum of its parts' sizes.
  // Every rank finds the same errors here; the root alone can then run out
  // of memory. Both are agreed on before the transfer.
  StatusPtr status;
  std::vector<int64_t> shape(info.rank);
  std::vector<std::vector<int64_t>> partSizes(info.rank);
  for (int64_t d = 0; d < info.rank && !status; ++d) {
    int64_t parts = getNumParts(splitAxes[d], signature.meshShape);
    partSizes[d].assign(parts, -1);
    for (int r = 0; r < size && !status; ++r) {
      if (!holdsPart[r])
        continue;
      int64_t index = getPartIndex(splitAxes[d], signature.meshShape,
                                   getCoordinates(r, signature.meshShape));
      int64_t &known = partSizes[d][index];
      if (known >= 0 && known != localSize(r, d))
        status.reset(
            makeError(XF_STATUS_RUN_FAILED,
                      what + ": rank " + std::to_string(r) + " returned size " +
                          std::to_string(localSize(r, d)) + " in dimension " +
                          std::to_string(d) + ", another rank of its part " +
                          std::to_string(known)));
      known = localSize(r, d);
    }
    for (int64_t partSize : partSizes[d])
      shape[d] += partSize;
  }
  std::vector<int> counts(size, 0), displacements(size, 0);
  size_t total = 0;
  for (int r = 0; r < size && !status; ++r) {
    size_t bytes = elementSize;
    for (int64_t d = 0; d < info.rank; ++d)
      bytes *= localSize(r, d);
    if (bytes > INT_MAX || total > INT_MAX)
      status.reset(
          makeError(XF_STATUS_RUN_FAILED, what + " is too large to gather"));
    displacements[r] = static_cast<int>(total);
    if (holdsPart[r]) {
      counts[r] = static_cast<int>(bytes);
      total += bytes;
    }
  }
  std::unique_ptr<char[]> packed;
  if (!status && rank == kRoot) {
    status = createTensor(what, info, shape.data(), whole);
    if (!status && !(packed = allocatePacked(total)))
      status.reset(outOfMemory(what, total));
  }
  if (StatusPtr agreed = agreeOnFailure(std::move(status), comm)) {
    whole.reset();
    return agreed;
  }
  MPI_Gatherv(xf_tensor_data(local), counts[rank], MPI_BYTE, packed.get(),
              counts.data(), displacements.data(), MPI_BYTE, kRoot, comm);
  if (rank != kRoot)
    return nullptr;
  std::vector<int64_t> origin(info.rank, 0);
  for (int r = 0; r < size; ++r) {
    if (!holdsPart[r])
      continue;
    std::vector<int64_t> coordinates = getCoordinates(r, signature.meshShape);
    std::vector<int64_t> offsets(info.rank), sizes(info.rank);
    for (int64_t d = 0; d < info.rank; ++d) {
      int64_t index =
          getPartIndex(splitAxes[d], signature.meshShape, coordinates);
      for (int64_t j = 0; j < index; ++j)
        offsets[d] += partSizes[d][j];
      sizes[d] = localSize(r, d);
    }
    copyBox(packed.get() + displacements[r], sizes, origin,
            xf_tensor_data(whole.get()), shape, offsets, sizes, elementSize);
  }
  return nullptr;
}
} // namespace

extern "C" xf_status_t *xf_mpi_session_open(const char *path,
                                            const xf_session_options_t *options,
                                            MPI_Comm comm,
                                            xf_session_t **session) {
  if (!session)
    return makeError(XF_STATUS_INVALID_ARGUMENT,
                     "xf_mpi_session_open: null session pointer");
  xf_session_t *opened = nullptr;
  StatusPtr status =
      agreeOnFailure(StatusPtr(xf_session_open(path, options, &opened)), comm);
  if (status) {
    xf_session_close(opened);
    return status.release();
  }
  *session = opened;
  return nullptr;
}

extern "C" xf_status_t *xf_mpi_session_run(xf_session_t *session, MPI_Comm comm,
                                           const xf_buffer_t *inputs,
                                           size_t numInputs,
                                           xf_tensor_t **outputs,
                                           size_t numOutputs) {
  if (!session)
    return makeError(XF_STATUS_INVALID_ARGUMENT,
                     "xf_mpi_session_run: null session");
  int rank = getRank(comm);
  Signature signature = describe(session);
  if (rank == kRoot && (numOutputs != signature.outputs.size() || !outputs))
    return makeError(
        XF_STATUS_INVALID_ARGUMENT,
        "the model has " + std::to_string(signature.outputs.size()) +
            " outputs, got room for " + std::to_string(numOutputs));

  // 1-2. Shapes, then each rank's part of every input.
  std::vector<std::vector<int64_t>> shapes;
  if (StatusPtr status =
          shareInputShapes(signature, inputs, numInputs, comm, shapes))
    return status.release();
  std::vector<TensorPtr> localInputs(signature.inputs.size());
  std::vector<xf_buffer_t> buffers;
  for (size_t i = 0; i < signature.inputs.size(); ++i) {
    const xf_tensor_info_t &info = signature.inputs[i];
    if (StatusPtr status = distributeInput(signature, info, shapes[i],
                                           rank == kRoot ? &inputs[i] : nullptr,
                                           comm, localInputs[i]))
      return status.release();
    if (!localInputs[i]) {
      buffers.push_back(inputs[i]);
      continue;
    }
    xf_tensor_t *tensor = localInputs[i].get();
    buffers.push_back({xf_tensor_data(tensor), xf_tensor_nbytes(tensor),
                       info.dtype, info.rank, xf_tensor_shape(tensor)});
  }

  // 3-4. The local runs, and whether all succeeded.
  std::vector<xf_tensor_t *> results(signature.outputs.size(), nullptr);
  StatusPtr runStatus(xf_session_run(session, buffers.data(), buffers.size(),
                                     results.data(), results.size()));
  std::vector<TensorPtr> localOutputs;
  for (xf_tensor_t *result : results)
    localOutputs.emplace_back(result);
  // A run stopped inside the compiled code may have left the other ranks
  // in a collective it never reached: no agreement is possible, this rank
  // returns alone and the caller ends the job (mpi.h).
  if (runStatus && stopsTheJob(xf_status_code(runStatus.get())))
    return runStatus.release();
  if (StatusPtr status = agreeOnFailure(std::move(runStatus), comm))
    return status.release();

  // 5. The outputs at the root.
  for (size_t i = 0; i < signature.outputs.size(); ++i) {
    const xf_tensor_info_t &info = signature.outputs[i];
    TensorPtr whole;
    if (!info.split_axes && !info.produced_on) {
      whole = std::move(localOutputs[i]);
    } else if (StatusPtr status = gatherOutput(
                   signature, info, localOutputs[i].get(), comm, whole)) {
      for (size_t j = 0; j < i && rank == kRoot; ++j)
        xf_tensor_free(outputs[j]);
      return status.release();
    }
    if (rank == kRoot)
      outputs[i] = whole.release();
  }
  return nullptr;
}

extern "C" int xf_mpi_status_stopped_alone(const xf_status_t *status) {
  return status && !status->agreed && stopsTheJob(status->code);
}
