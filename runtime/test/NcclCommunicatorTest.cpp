//===- NcclCommunicatorTest.cpp - NCCL's communicator against MPI's -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// exaforge-nccl-communicator-test runs as 3 MPI ranks (mpirun -n 3) and
// calls every function of the NCCL communicator (exaforge/runtime/nccl.h)
// and of the MPI one (mpi.h) with the same operands; each result must be
// the MPI one, byte for byte. Without a GPU it runs on the fake CUDA driver
// and the fake NCCL of this directory (test/Runtime/nccl-communicator.test),
// which checks how the communicator uses NCCL: unique ids sent over the
// bootstrap, communicators of groups and of pairs, positions, counts,
// types, reductions and the all-to-all made of sends and receives.
//
// With `--one-all-reduce` it makes the group of all ranks and calls one
// all_reduce, printing the communicator's error message when it fails (for
// the tests of NCCL's failures).
//
// Prints `rank R: N checks passed` or the failed checks; exits with 1 when
// a check failed on this rank.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/mpi.h"
#include "exaforge/runtime/nccl.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {
/// The two communicators under test, and the checks of this rank.
struct Harness {
  xf_communicator_t *mpi = nullptr;
  xf_communicator_t *nccl = nullptr;
  int rank = 0;
  int passed = 0, failed = 0;

  void check(bool ok, const std::string &what) {
    if (ok) {
      ++passed;
      return;
    }
    ++failed;
    std::printf("rank %d: FAILED %s\n", rank, what.c_str());
  }

  /// Checks a call's return code, printing the communicator's message.
  bool succeeded(const xf_communicator_t &comm, int code,
                 const std::string &what) {
    check(code == 0, what + " returned " + std::to_string(code) + ": " +
                         (code ? comm.error_message(comm.context) : ""));
    return code == 0;
  }
};

/// The groups of `members` on both communicators (the caller is a member).
struct GroupPair {
  void *mpi = nullptr, *nccl = nullptr;
};

GroupPair makeGroup(Harness &h, const std::vector<int32_t> &members) {
  GroupPair group;
  std::string what = "create_group of " + std::to_string(members.size());
  h.succeeded(*h.mpi,
              h.mpi->create_group(h.mpi->context, members.data(),
                                  static_cast<int32_t>(members.size()),
                                  &group.mpi),
              "MPI " + what);
  h.succeeded(*h.nccl,
              h.nccl->create_group(h.nccl->context, members.data(),
                                   static_cast<int32_t>(members.size()),
                                   &group.nccl),
              "NCCL " + what);
  return group;
}

void freeGroup(Harness &h, GroupPair &group) {
  h.mpi->free_group(h.mpi->context, group.mpi);
  h.nccl->free_group(h.nccl->context, group.nccl);
}

/// Operands that differ per rank and per element.
template <typename T> std::vector<T> makeOperand(int rank, size_t count) {
  std::vector<T> values(count);
  for (size_t i = 0; i < count; ++i)
    values[i] = static_cast<T>((rank + 1) * 3 + static_cast<int>(i % 7) - 4);
  return values;
}

/// all_reduce of `count` elements of type T on both communicators.
template <typename T>
void checkAllReduce(Harness &h, GroupPair &group, size_t count,
                    xf_dtype_t dtype, xf_reduction_t reduction,
                    const std::string &what) {
  std::vector<T> viaMpi = makeOperand<T>(h.rank, count), viaNccl = viaMpi;
  bool ok =
      h.succeeded(*h.mpi,
                  h.mpi->all_reduce(h.mpi->context, group.mpi, viaMpi.data(),
                                    count, dtype, reduction),
                  "MPI all_reduce " + what) &&
      h.succeeded(*h.nccl,
                  h.nccl->all_reduce(h.nccl->context, group.nccl,
                                     viaNccl.data(), count, dtype, reduction),
                  "NCCL all_reduce " + what);
  if (ok)
    h.check(viaMpi == viaNccl, "all_reduce " + what + " differs from MPI's");
}

void checkCollectives(Harness &h, GroupPair &group, int32_t size,
                      const std::string &name) {
  checkAllReduce<float>(h, group, 13, XF_DTYPE_FLOAT32, XF_REDUCTION_SUM,
                        "f32 sum over " + name);
  checkAllReduce<double>(h, group, 5, XF_DTYPE_FLOAT64, XF_REDUCTION_MIN,
                         "f64 min over " + name);
  checkAllReduce<int64_t>(h, group, 6, XF_DTYPE_INT64, XF_REDUCTION_MAX,
                          "i64 max over " + name);
  checkAllReduce<int32_t>(h, group, 4, XF_DTYPE_INT32, XF_REDUCTION_PRODUCT,
                          "i32 product over " + name);
  checkAllReduce<uint8_t>(h, group, 9, XF_DTYPE_UINT8, XF_REDUCTION_SUM,
                          "u8 sum over " + name);

  const size_t bytes = 5;
  std::vector<char> mine = makeOperand<char>(h.rank, bytes);
  {
    std::vector<char> viaMpi(bytes * size), viaNccl(bytes * size, 0);
    if (h.succeeded(*h.mpi,
                    h.mpi->all_gather(h.mpi->context, group.mpi, mine.data(),
                                      bytes, viaMpi.data()),
                    "MPI all_gather") &&
        h.succeeded(*h.nccl,
                    h.nccl->all_gather(h.nccl->context, group.nccl, mine.data(),
                                       bytes, viaNccl.data()),
                    "NCCL all_gather over " + name))
      h.check(viaMpi == viaNccl, "all_gather over " + name);
  }
  {
    const size_t count = 3;
    std::vector<float> data = makeOperand<float>(h.rank, count * size);
    std::vector<float> viaMpi(count), viaNccl(count, -1);
    if (h.succeeded(*h.mpi,
                    h.mpi->reduce_scatter(h.mpi->context, group.mpi,
                                          data.data(), viaMpi.data(), count,
                                          XF_DTYPE_FLOAT32, XF_REDUCTION_SUM),
                    "MPI reduce_scatter") &&
        h.succeeded(*h.nccl,
                    h.nccl->reduce_scatter(h.nccl->context, group.nccl,
                                           data.data(), viaNccl.data(), count,
                                           XF_DTYPE_FLOAT32, XF_REDUCTION_SUM),
                    "NCCL reduce_scatter over " + name))
      h.check(viaMpi == viaNccl, "reduce_scatter over " + name);
  }
  {
    std::vector<char> data = makeOperand<char>(h.rank + 7, bytes * size);
    std::vector<char> viaMpi(bytes * size), viaNccl(bytes * size, 0);
    if (h.succeeded(*h.mpi,
                    h.mpi->all_to_all(h.mpi->context, group.mpi, data.data(),
                                      bytes, viaMpi.data()),
                    "MPI all_to_all") &&
        h.succeeded(*h.nccl,
                    h.nccl->all_to_all(h.nccl->context, group.nccl, data.data(),
                                       bytes, viaNccl.data()),
                    "NCCL all_to_all over " + name))
      h.check(viaMpi == viaNccl, "all_to_all over " + name);
  }
  {
    int32_t root = size - 1;
    std::vector<char> viaMpi = mine, viaNccl = mine;
    if (h.succeeded(*h.mpi,
                    h.mpi->broadcast(h.mpi->context, group.mpi, viaMpi.data(),
                                     bytes, root),
                    "MPI broadcast") &&
        h.succeeded(*h.nccl,
                    h.nccl->broadcast(h.nccl->context, group.nccl,
                                      viaNccl.data(), bytes, root),
                    "NCCL broadcast over " + name))
      h.check(viaMpi == viaNccl, "broadcast over " + name);
  }
}

/// Ranks 0 and 2 exchange messages while rank 1 sits out.
void checkTransfers(Harness &h) {
  if (h.rank == 1)
    return;
  int32_t peer = 2 - h.rank;
  std::vector<char> outgoing = makeOperand<char>(h.rank, 11);
  std::vector<char> incoming(11, 0);
  // Rank 0 sends first, rank 2 receives first, then the other way round.
  for (int round = 0; round < 2; ++round) {
    bool sends = (h.rank == 0) == (round == 0);
    if (sends)
      h.succeeded(
          *h.nccl,
          h.nccl->send(h.nccl->context, outgoing.data(), outgoing.size(), peer),
          "NCCL send to rank " + std::to_string(peer));
    else if (h.succeeded(*h.nccl,
                         h.nccl->recv(h.nccl->context, incoming.data(),
                                      incoming.size(), peer),
                         "NCCL recv from rank " + std::to_string(peer)))
      h.check(incoming == makeOperand<char>(peer, 11),
              "message from rank " + std::to_string(peer));
  }
}

/// NCCL has no 16-bit integer reductions: the communicator refuses them
/// before calling it.
void checkRefusal(Harness &h, GroupPair &group) {
  std::vector<int16_t> data(4, 1);
  int code = h.nccl->all_reduce(h.nccl->context, group.nccl, data.data(),
                                data.size(), XF_DTYPE_INT16, XF_REDUCTION_SUM);
  std::string message = code ? h.nccl->error_message(h.nccl->context) : "";
  h.check(code != 0 &&
              message.find("NCCL cannot reduce int16") != std::string::npos,
          "an int16 sum is refused (got '" + message + "')");
}

int runChecks(Harness &h, int size) {
  std::vector<int32_t> all;
  for (int32_t r = 0; r < size; ++r)
    all.push_back(r);
  GroupPair world = makeGroup(h, all);
  checkCollectives(h, world, size, "all ranks");
  checkRefusal(h, world);
  freeGroup(h, world);
  // A group of two ranks, in an order that is not the ranks' (positions).
  if (h.rank != 1) {
    GroupPair outer = makeGroup(h, {2, 0});
    checkCollectives(h, outer, 2, "ranks {2, 0}");
    freeGroup(h, outer);
  }
  checkTransfers(h);
  std::printf("rank %d: %d checks passed\n", h.rank, h.passed);
  return h.failed ? 1 : 0;
}

/// --one-all-reduce: see the file comment.
int runOneAllReduce(Harness &h, int size) {
  std::vector<int32_t> all;
  for (int32_t r = 0; r < size; ++r)
    all.push_back(r);
  void *group = nullptr;
  if (h.nccl->create_group(h.nccl->context, all.data(), size, &group)) {
    std::printf("rank %d: create_group failed: %s\n", h.rank,
                h.nccl->error_message(h.nccl->context));
    return 1;
  }
  float data[2] = {1, 2};
  int code = h.nccl->all_reduce(h.nccl->context, group, data, 2,
                                XF_DTYPE_FLOAT32, XF_REDUCTION_SUM);
  if (code)
    std::printf("rank %d: all_reduce failed: %s\n", h.rank,
                h.nccl->error_message(h.nccl->context));
  else
    std::printf("rank %d: all_reduce gave %g %g\n", h.rank, data[0], data[1]);
  h.nccl->free_group(h.nccl->context, group);
  return code ? 1 : 0;
}
} // namespace

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  Harness h;
  int size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &h.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  bool oneAllReduce = argc > 1 && std::strcmp(argv[1], "--one-all-reduce") == 0;
  if (!oneAllReduce && size != 3) {
    std::printf("run with mpirun -n 3 (got %d ranks)\n", size);
    MPI_Finalize();
    return 2;
  }
  xf_status_t *status = xf_mpi_communicator_create(MPI_COMM_WORLD, &h.mpi);
  if (!status)
    status = xf_nccl_communicator_create(h.mpi, &h.nccl);
  if (status) {
    std::printf("rank %d: %s\n", h.rank, xf_status_message(status));
    xf_status_free(status);
    xf_mpi_communicator_free(h.mpi);
    MPI_Finalize();
    return 1;
  }
  int exitCode = oneAllReduce ? runOneAllReduce(h, size) : runChecks(h, size);
  xf_nccl_communicator_free(h.nccl);
  xf_mpi_communicator_free(h.mpi);
  MPI_Finalize();
  return exitCode;
}
