//===- FakeNcclSelfTest.cpp - Tests of the fake NCCL ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// exaforge-fake-nccl-self-test checks libexaforge_fake_nccl.so
// (FakeNccl.cpp), which the tests of the runtime's NCCL layer rely on: it
// forks 1 to 4 processes per scenario, which join a communicator and
// compare what the fake computes with values computed here: every
// collective with every reduction and data type, out of place and in place,
// sends and receives between 2 of 3 ranks, grouped all-to-alls, timeouts,
// injected failures, argument errors and the log. At the end, nothing may
// be left in /dev/shm. Prints one line per scenario and exits non-zero if
// any failed.
//
//===----------------------------------------------------------------------===//

#include "FakeNccl.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/wait.h>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace {
/// The mismatches seen by this process.
int failures = 0;

/// Counts a mismatch unless `condition` holds, printing `what`.
#define EXPECT(condition, ...)                                                 \
  do {                                                                         \
    if (!(condition)) {                                                        \
      ++failures;                                                              \
      std::fprintf(stderr, "  pid %d, line %d: ", static_cast<int>(getpid()),  \
                   __LINE__);                                                  \
      std::fprintf(stderr, __VA_ARGS__);                                       \
      std::fprintf(stderr, "\n");                                              \
    }                                                                          \
  } while (false)

/// Whether the last error of the fake contains `text`.
bool lastErrorHas(const char *text) {
  return std::strstr(ncclGetLastError(nullptr), text) != nullptr;
}

/// Joins the communicator `id` of `nranks` as `rank`, or exits.
ncclComm_t join(const ncclUniqueId &id, int nranks, int rank) {
  ncclComm_t comm = nullptr;
  if (ncclCommInitRank(&comm, nranks, id, rank) != ncclSuccess) {
    std::fprintf(stderr, "  rank %d: ncclCommInitRank: %s\n", rank,
                 ncclGetLastError(nullptr));
    std::_Exit(1);
  }
  return comm;
}

/// Runs `body(id, rank)` in `nranks` forked processes sharing a new unique
/// id, and prints whether all exited with 0.
template <typename Body>
bool runRanks(const char *scenario, int nranks, Body body) {
  ncclUniqueId id;
  if (ncclGetUniqueId(&id) != ncclSuccess) {
    std::printf("%s: FAILED (ncclGetUniqueId)\n", scenario);
    return false;
  }
  std::fflush(nullptr);
  std::vector<pid_t> children;
  for (int rank = 0; rank < nranks; ++rank) {
    pid_t child = fork();
    if (child == 0) {
      body(id, rank);
      std::fflush(nullptr);
      std::_Exit(failures == 0 ? 0 : 1);
    }
    children.push_back(child);
  }
  bool passed = true;
  for (pid_t child : children) {
    int status = 0;
    passed &= waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0;
  }
  std::printf("%s: %s\n", scenario, passed ? "ok" : "FAILED");
  return passed;
}

/// The value rank r contributes at element i: -3..3 for signed types,
/// 1..7 for the others.
template <typename T> T contribution(int r, size_t i) {
  int value = static_cast<int>((r * 5 + i * 3) % 7);
  return static_cast<T>(std::is_signed_v<T> ? value - 3 : value + 1);
}

/// The reduction by `op` over `nranks` ranks of element i, computed in
/// 64 bits and converted to T (which wraps around as the fake does).
template <typename T> T expected(int op, int nranks, size_t i) {
  using Wide = std::conditional_t<
      std::is_floating_point_v<T>, double,
      std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;
  Wide result = static_cast<Wide>(contribution<T>(0, i));
  for (int r = 1; r < nranks; ++r) {
    Wide x = static_cast<Wide>(contribution<T>(r, i));
    if (op == ncclProd)
      result *= x;
    else if (op == ncclMax)
      result = std::max(result, x);
    else if (op == ncclMin)
      result = std::min(result, x);
    else
      result += x;
  }
  if (op == ncclAvg)
    result /= static_cast<Wide>(nranks);
  return static_cast<T>(result);
}

/// Whether `actual` is `wanted` (floats within 1e-6 relative, for avg).
template <typename T> bool same(T actual, T wanted) {
  if constexpr (std::is_floating_point_v<T>)
    return std::fabs(double(actual) - double(wanted)) <=
           1e-6 * std::fabs(double(wanted));
  else
    return actual == wanted;
}

/// Checks ncclAllReduce and ncclReduceScatter of T with every reduction,
/// out of place and in place.
template <typename T>
void checkReductions(ncclComm_t comm, ncclDataType_t type, int rank,
                     int nranks) {
  const size_t count = 1001;
  for (int op = ncclSum; op < ncclNumOps; ++op) {
    auto redOp = static_cast<ncclRedOp_t>(op);
    std::vector<T> send(count), receive(count);
    for (size_t i = 0; i < count; ++i)
      send[i] = contribution<T>(rank, i);
    std::vector<T> inPlace = send;
    EXPECT(ncclAllReduce(send.data(), receive.data(), count, type, redOp, comm,
                         nullptr) == ncclSuccess,
           "ncclAllReduce type %d op %d: %s", type, op,
           ncclGetLastError(nullptr));
    EXPECT(ncclAllReduce(inPlace.data(), inPlace.data(), count, type, redOp,
                         comm, nullptr) == ncclSuccess,
           "in-place ncclAllReduce type %d op %d", type, op);
    for (size_t i = 0; i < count; ++i) {
      T wanted = expected<T>(op, nranks, i);
      EXPECT(same(receive[i], wanted) && same(inPlace[i], wanted),
             "ncclAllReduce type %d op %d element %zu: %g and %g, not %g", type,
             op, i, double(receive[i]), double(inPlace[i]), double(wanted));
    }

    // Reduce-scatter: block b of every rank's buffer reduces into rank b.
    const size_t block = 333;
    std::vector<T> full(block * nranks), mine(block);
    for (size_t i = 0; i < full.size(); ++i)
      full[i] = contribution<T>(rank, i);
    std::vector<T> fullInPlace = full;
    EXPECT(ncclReduceScatter(full.data(), mine.data(), block, type, redOp, comm,
                             nullptr) == ncclSuccess,
           "ncclReduceScatter type %d op %d", type, op);
    T *inPlaceBlock = fullInPlace.data() + rank * block;
    EXPECT(ncclReduceScatter(fullInPlace.data(), inPlaceBlock, block, type,
                             redOp, comm, nullptr) == ncclSuccess,
           "in-place ncclReduceScatter type %d op %d", type, op);
    for (size_t i = 0; i < block; ++i) {
      T wanted = expected<T>(op, nranks, rank * block + i);
      EXPECT(same(mine[i], wanted) && same(inPlaceBlock[i], wanted),
             "ncclReduceScatter type %d op %d element %zu: %g and %g, not %g",
             type, op, i, double(mine[i]), double(inPlaceBlock[i]),
             double(wanted));
    }
  }
}

/// The byte rank r holds at byte i, for the collectives that move bytes.
unsigned char byteOf(int r, size_t i) {
  return static_cast<unsigned char>(r * 37 + i * 11 + 1);
}

/// Checks ncclAllGather and ncclBroadcast of every type (elements of
/// `size` bytes), out of place and in place.
void checkMoves(ncclComm_t comm, int type, size_t size, int rank, int nranks) {
  auto dataType = static_cast<ncclDataType_t>(type);
  const size_t count = 257, bytes = count * size;
  std::vector<unsigned char> send(bytes), gathered(bytes * nranks);
  for (size_t i = 0; i < bytes; ++i)
    send[i] = byteOf(rank, i);
  std::vector<unsigned char> inPlace(bytes * nranks);
  std::memcpy(inPlace.data() + rank * bytes, send.data(), bytes);
  EXPECT(ncclAllGather(send.data(), gathered.data(), count, dataType, comm,
                       nullptr) == ncclSuccess,
         "ncclAllGather type %d", type);
  EXPECT(ncclAllGather(inPlace.data() + rank * bytes, inPlace.data(), count,
                       dataType, comm, nullptr) == ncclSuccess,
         "in-place ncclAllGather type %d", type);
  for (int r = 0; r < nranks; ++r)
    for (size_t i = 0; i < bytes; ++i)
      EXPECT(gathered[r * bytes + i] == byteOf(r, i) &&
                 inPlace[r * bytes + i] == byteOf(r, i),
             "ncclAllGather type %d: byte %zu of rank %d", type, i, r);

  const int root = nranks - 1;
  std::vector<unsigned char> received(bytes, 0), both = send;
  EXPECT(ncclBroadcast(send.data(), received.data(), count, dataType, root,
                       comm, nullptr) == ncclSuccess,
         "ncclBroadcast type %d", type);
  EXPECT(ncclBroadcast(both.data(), both.data(), count, dataType, root, comm,
                       nullptr) == ncclSuccess,
         "in-place ncclBroadcast type %d", type);
  for (size_t i = 0; i < bytes; ++i)
    EXPECT(received[i] == byteOf(root, i) && both[i] == byteOf(root, i),
           "ncclBroadcast type %d: byte %zu", type, i);
}

/// Every collective with every type and reduction, among `nranks` ranks.
void collectives(const ncclUniqueId &id, int rank, int nranks) {
  ncclComm_t comm = join(id, nranks, rank);
  int count = 0, user = -1, device = -1;
  EXPECT(ncclCommCount(comm, &count) == ncclSuccess && count == nranks,
         "ncclCommCount");
  EXPECT(ncclCommUserRank(comm, &user) == ncclSuccess && user == rank,
         "ncclCommUserRank");
  EXPECT(ncclCommCuDevice(comm, &device) == ncclSuccess && device == 0,
         "ncclCommCuDevice");
  ncclResult_t async = ncclInternalError;
  EXPECT(ncclCommGetAsyncError(comm, &async) == ncclSuccess &&
             async == ncclSuccess,
         "ncclCommGetAsyncError");
  checkReductions<int8_t>(comm, ncclInt8, rank, nranks);
  checkReductions<uint8_t>(comm, ncclUint8, rank, nranks);
  checkReductions<int32_t>(comm, ncclInt32, rank, nranks);
  checkReductions<uint32_t>(comm, ncclUint32, rank, nranks);
  checkReductions<int64_t>(comm, ncclInt64, rank, nranks);
  checkReductions<uint64_t>(comm, ncclUint64, rank, nranks);
  checkReductions<float>(comm, ncclFloat32, rank, nranks);
  checkReductions<double>(comm, ncclFloat64, rank, nranks);
  const size_t sizes[] = {1, 1, 4, 4, 8, 8, 2, 4, 8, 2, 1, 1};
  for (int type = 0; type < ncclNumTypes; ++type)
    checkMoves(comm, type, sizes[type], rank, nranks);

  // Half precision moves but does not reduce; all ranks fail alike.
  uint16_t halves[4] = {};
  EXPECT(ncclAllReduce(halves, halves, 4, ncclFloat16, ncclSum, comm,
                       nullptr) == ncclInvalidArgument &&
             lastErrorHas("does not reduce float16"),
         "ncclAllReduce of float16: %s", ncclGetLastError(nullptr));
  EXPECT(ncclReduceScatter(halves, halves, 1, ncclBfloat16, ncclMax, comm,
                           nullptr) == ncclInvalidArgument,
         "ncclReduceScatter of bfloat16");
  // Nothing to reduce: no barrier, no failure.
  EXPECT(ncclAllReduce(nullptr, nullptr, 0, ncclFloat32, ncclSum, comm,
                       nullptr) == ncclSuccess,
         "ncclAllReduce of 0 elements");
  // Too large for a slot (the buffers are never read).
  EXPECT(ncclAllReduce(halves, halves, size_t{1} << 40, ncclFloat32, ncclSum,
                       comm, nullptr) == ncclInvalidArgument &&
             lastErrorHas("limit of 67108864 bytes"),
         "oversized ncclAllReduce: %s", ncclGetLastError(nullptr));
  EXPECT(ncclCommDestroy(comm) == ncclSuccess, "ncclCommDestroy");
}

/// Ranks 0 and 2 of 3 exchange messages; rank 1 leaves at once.
void pairOfThree(const ncclUniqueId &id, int rank) {
  ncclComm_t comm = join(id, 3, rank);
  if (rank == 1) {
    ncclCommDestroy(comm);
    return;
  }
  std::vector<int64_t> first(100), second(7);
  for (size_t i = 0; i < first.size(); ++i)
    first[i] = static_cast<int64_t>(i * i);
  for (size_t i = 0; i < second.size(); ++i)
    second[i] = -static_cast<int64_t>(i);
  if (rank == 0) {
    // Two messages in a row: the second waits until rank 2 took the first.
    EXPECT(ncclSend(first.data(), first.size(), ncclInt64, 2, comm, nullptr) ==
               ncclSuccess,
           "first ncclSend");
    EXPECT(ncclSend(second.data(), second.size(), ncclInt64, 2, comm,
                    nullptr) == ncclSuccess,
           "second ncclSend");
    std::vector<int64_t> back(100);
    EXPECT(ncclRecv(back.data(), back.size(), ncclInt64, 2, comm, nullptr) ==
               ncclSuccess,
           "ncclRecv of the reply");
    for (size_t i = 0; i < back.size(); ++i)
      EXPECT(back[i] == first[i] + 1, "reply element %zu", i);
    // A message of another size than the receiver expects.
    EXPECT(ncclSend(second.data(), 1, ncclInt64, 2, comm, nullptr) ==
               ncclSuccess,
           "ncclSend of 1 element");
  } else {
    std::vector<int64_t> a(100), b(7);
    EXPECT(ncclRecv(a.data(), a.size(), ncclInt64, 0, comm, nullptr) ==
               ncclSuccess,
           "first ncclRecv");
    EXPECT(ncclRecv(b.data(), b.size(), ncclInt64, 0, comm, nullptr) ==
               ncclSuccess,
           "second ncclRecv");
    EXPECT(a == first && b == second, "the messages from rank 0");
    for (int64_t &x : a)
      ++x;
    EXPECT(ncclSend(a.data(), a.size(), ncclInt64, 0, comm, nullptr) ==
               ncclSuccess,
           "ncclSend of the reply");
    EXPECT(ncclRecv(b.data(), 2, ncclInt64, 0, comm, nullptr) ==
                   ncclInvalidArgument &&
               lastErrorHas("received 8 bytes from rank 0 but expected 16"),
           "ncclRecv of a message of another size: %s",
           ncclGetLastError(nullptr));
  }
  ncclCommDestroy(comm);
}

/// An all-to-all written as NCCL programs write it, twice, the second time
/// in a nested group and with two messages to each peer.
void allToAll(const ncclUniqueId &id, int rank, int nranks) {
  ncclComm_t comm = join(id, nranks, rank);
  const size_t block = 1000;
  std::vector<float> send(block * nranks), receive(block * nranks, -1);
  auto value = [&](int from, int to, size_t i) {
    return static_cast<float>(from * 100000 + to * 1000 + i);
  };
  for (int to = 0; to < nranks; ++to)
    for (size_t i = 0; i < block; ++i)
      send[to * block + i] = value(rank, to, i);
  EXPECT(ncclGroupStart() == ncclSuccess, "ncclGroupStart");
  for (int peer = 0; peer < nranks; ++peer) {
    EXPECT(ncclSend(send.data() + peer * block, block, ncclFloat32, peer, comm,
                    nullptr) == ncclSuccess,
           "queued ncclSend");
    EXPECT(ncclRecv(receive.data() + peer * block, block, ncclFloat32, peer,
                    comm, nullptr) == ncclSuccess,
           "queued ncclRecv");
  }
  EXPECT(ncclGroupEnd() == ncclSuccess, "ncclGroupEnd: %s",
         ncclGetLastError(nullptr));
  for (int from = 0; from < nranks; ++from)
    for (size_t i = 0; i < block; ++i)
      EXPECT(receive[from * block + i] == value(from, rank, i),
             "all-to-all: element %zu from rank %d", i, from);

  // Two messages per pair: the second send to a peer waits, within the
  // group, until the peer took the first, in order.
  std::vector<float> again(block * nranks * 2, -1);
  EXPECT(ncclGroupStart() == ncclSuccess && ncclGroupStart() == ncclSuccess,
         "nested ncclGroupStart");
  for (int peer = nranks - 1; peer >= 0; --peer)
    for (int copy = 0; copy < 2; ++copy) {
      ncclSend(send.data() + peer * block + copy, block - copy, ncclFloat32,
               peer, comm, nullptr);
      ncclRecv(again.data() + (2 * peer + copy) * block, block - copy,
               ncclFloat32, peer, comm, nullptr);
    }
  EXPECT(ncclGroupEnd() == ncclSuccess, "inner ncclGroupEnd");
  for (float x : again)
    EXPECT(x == -1, "the inner ncclGroupEnd ran the group");
  EXPECT(ncclGroupEnd() == ncclSuccess, "outer ncclGroupEnd: %s",
         ncclGetLastError(nullptr));
  for (int from = 0; from < nranks; ++from)
    for (int copy = 0; copy < 2; ++copy)
      for (size_t i = 0; i + copy < block; ++i)
        EXPECT(again[(2 * from + copy) * block + i] ==
                   value(from, rank, i + copy),
               "second all-to-all: element %zu of copy %d from rank %d", i,
               copy, from);
  ncclCommDestroy(comm);
}

/// Waits that time out: rank 1 skips a collective, and rank 0 receives a
/// message that never comes.
void timeouts(const ncclUniqueId &id, int rank) {
  setenv("FAKE_NCCL_TIMEOUT_S", "0.5", 1);
  ncclComm_t comm = join(id, 3, rank);
  if (rank == 1) {
    ncclCommAbort(comm);
    return;
  }
  float x = 1;
  auto start = std::chrono::steady_clock::now();
  EXPECT(ncclAllReduce(&x, &x, 1, ncclFloat32, ncclSum, comm, nullptr) ==
                 ncclSystemError &&
             lastErrorHas("waited 0.5 s for the other ranks in "
                          "ncclAllReduce (2 of 3 arrived)"),
         "rank %d: ncclAllReduce without rank 1: %s", rank,
         ncclGetLastError(nullptr));
  char text[64];
  std::snprintf(text, sizeof(text), "fake NCCL: rank %d waited", rank);
  EXPECT(lastErrorHas(text), "the message names rank %d", rank);
  if (rank == 0)
    EXPECT(ncclRecv(&x, 1, ncclFloat32, 2, comm, nullptr) == ncclSystemError &&
               lastErrorHas("rank 0 waited 0.5 s for a message from rank 2 "
                            "(ncclRecv)"),
           "ncclRecv of nothing: %s", ncclGetLastError(nullptr));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT(seconds < 5, "the timeouts took %g s", seconds);
  ncclCommAbort(comm);
}

/// FAKE_NCCL_FAIL and FAKE_NCCL_FAIL_RANK.
void injectedFailures(const ncclUniqueId &id, int rank) {
  ncclComm_t comm = join(id, 2, rank);
  setenv("FAKE_NCCL_FAIL", "ncclAllReduce", 1);
  int x = rank + 1;
  EXPECT(ncclAllReduce(&x, &x, 1, ncclInt32, ncclSum, comm, nullptr) ==
                 ncclSystemError &&
             std::strcmp(ncclGetLastError(comm),
                         "fake NCCL: injected failure") == 0,
         "injected ncclAllReduce failure: %s", ncclGetLastError(comm));
  setenv("FAKE_NCCL_FAIL", "ncclCommCount", 1);
  setenv("FAKE_NCCL_FAIL_RANK", "1", 1);
  int count = 0;
  EXPECT((ncclCommCount(comm, &count) == ncclSuccess) == (rank == 0),
         "ncclCommCount fails in rank 1 only");
  // A failing ncclGroupEnd drops its group and ends it.
  setenv("FAKE_NCCL_FAIL", "ncclGroupEnd", 1);
  unsetenv("FAKE_NCCL_FAIL_RANK");
  EXPECT(ncclGroupStart() == ncclSuccess &&
             ncclSend(&x, 1, ncclInt32, 1 - rank, comm, nullptr) ==
                 ncclSuccess &&
             ncclGroupEnd() == ncclSystemError &&
             ncclGroupEnd() == ncclInvalidUsage,
         "injected ncclGroupEnd failure");
  unsetenv("FAKE_NCCL_FAIL");
  // The failed calls left the communicator usable.
  EXPECT(ncclAllReduce(&x, &x, 1, ncclInt32, ncclSum, comm, nullptr) ==
                 ncclSuccess &&
             x == 3,
         "ncclAllReduce after the failure");
  ncclCommDestroy(comm);
}

/// The lines FAKE_NCCL_LOG collects from 2 ranks.
bool checkLog(const std::string &path) {
  int failuresBefore = failures;
  bool passed = runRanks("log", 2, [&](const ncclUniqueId &id, int rank) {
    setenv("FAKE_NCCL_LOG", path.c_str(), 1);
    ncclComm_t comm = join(id, 2, rank);
    float x[8] = {};
    ncclAllReduce(x, x, 8, ncclFloat32, ncclSum, comm, nullptr);
    ncclCommDestroy(comm);
  });
  std::string text;
  if (FILE *file = std::fopen(path.c_str(), "r")) {
    char buffer[4096];
    size_t length;
    while ((length = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
      text.append(buffer, length);
    std::fclose(file);
  }
  std::remove(path.c_str());
  for (const char *line :
       {"fake-nccl: rank 0/2 ncclCommInitRank id=/exaforge-fake-nccl-",
        "fake-nccl: rank 1/2 ncclAllReduce count=8 type=7 op=0 stream=",
        "fake-nccl: rank 0/2 ncclAllReduce count=8 type=7 op=0 stream=",
        "fake-nccl: rank 1/2 ncclCommDestroy\n"})
    EXPECT(text.find(line) != std::string::npos, "the log lacks %s", line);
  // Whole lines: init, all-reduce and destroy of each rank.
  size_t lines = 0;
  for (size_t start = 0; start < text.size(); ++lines) {
    EXPECT(text.compare(start, 11, "fake-nccl: ") == 0, "a broken log line");
    size_t end = text.find('\n', start);
    start = end == std::string::npos ? text.size() : end + 1;
  }
  EXPECT(lines == 6, "the log has %zu lines, not 6", lines);
  passed &= failures == failuresBefore;
  std::printf("log lines: %s\n", passed ? "ok" : "FAILED");
  return passed;
}

/// Calls that fail in one process, before any communication.
bool checkArguments() {
  int version = 0;
  EXPECT(ncclGetVersion(&version) == ncclSuccess && version == 22809,
         "ncclGetVersion: %d", version);
  EXPECT(std::strcmp(ncclGetErrorString(ncclInvalidArgument),
                     "invalid argument (run with NCCL_DEBUG=WARN for "
                     "details)") == 0,
         "ncclGetErrorString");
  ncclUniqueId id;
  ncclComm_t comm = nullptr;
  ncclGetUniqueId(&id);
  EXPECT(id.internal[0] == '/' && std::strlen(id.internal) < sizeof(id),
         "the unique id is a name");
  EXPECT(ncclCommInitRank(&comm, 0, id, 0) == ncclInvalidArgument &&
             lastErrorHas("rank 0 of 0 ranks"),
         "ncclCommInitRank of 0 ranks");
  EXPECT(ncclCommInitRank(&comm, 3, id, 3) == ncclInvalidArgument,
         "ncclCommInitRank of rank 3 of 3");
  EXPECT(ncclCommInitRank(&comm, 3, id, -1) == ncclInvalidArgument,
         "ncclCommInitRank of rank -1");
  EXPECT(ncclCommInitRank(nullptr, 1, id, 0) == ncclInvalidArgument,
         "ncclCommInitRank without a communicator pointer");
  ncclUniqueId zero{};
  EXPECT(ncclCommInitRank(&comm, 1, zero, 0) == ncclInvalidArgument &&
             lastErrorHas("holds no name"),
         "ncclCommInitRank of a zero id");
  EXPECT(ncclGroupEnd() == ncclInvalidUsage, "ncclGroupEnd without a group");
  int x = 0;
  EXPECT(ncclAllReduce(&x, &x, 1, ncclInt32, ncclSum, nullptr, nullptr) ==
             ncclInvalidArgument,
         "ncclAllReduce without a communicator");

  // A communicator of one rank, which sends to itself.
  EXPECT(ncclCommInitRank(&comm, 1, id, 0) == ncclSuccess,
         "ncclCommInitRank of 1 rank: %s", ncclGetLastError(nullptr));
  if (!comm)
    return false;
  int y = 0;
  x = 42;
  EXPECT(ncclSend(&x, 1, ncclInt32, 0, comm, nullptr) == ncclSuccess &&
             ncclRecv(&y, 1, ncclInt32, 0, comm, nullptr) == ncclSuccess &&
             y == 42,
         "send to self");
  EXPECT(ncclSend(&x, 1, ncclInt32, 1, comm, nullptr) == ncclInvalidArgument &&
             lastErrorHas("peer 1 is not a rank"),
         "ncclSend to rank 1 of 1");
  EXPECT(ncclSend(&x, 1, static_cast<ncclDataType_t>(12), 0, comm, nullptr) ==
             ncclInvalidArgument,
         "ncclSend of type 12");
  EXPECT(ncclAllReduce(&x, &x, 1, ncclInt32, static_cast<ncclRedOp_t>(5), comm,
                       nullptr) == ncclInvalidArgument,
         "ncclAllReduce with op 5");
  EXPECT(ncclBroadcast(&x, &x, 1, ncclInt32, 1, comm, nullptr) ==
             ncclInvalidArgument,
         "ncclBroadcast from root 1 of 1");
  EXPECT(ncclAllReduce(&x, &x, 1, ncclInt32, ncclMax, comm, nullptr) ==
                 ncclSuccess &&
             x == 42,
         "ncclAllReduce of 1 rank");
  ncclCommDestroy(comm);
  std::printf("arguments: %s\n", failures == 0 ? "ok" : "FAILED");
  return failures == 0;
}

/// Whether /dev/shm holds no segment named by this process's ids.
bool checkShmClean() {
  std::string prefix =
      "exaforge-fake-nccl-" + std::to_string(static_cast<int>(getpid())) + "-";
  bool clean = true;
  if (DIR *directory = opendir("/dev/shm")) {
    while (dirent *entry = readdir(directory))
      if (std::strncmp(entry->d_name, prefix.c_str(), prefix.size()) == 0) {
        std::fprintf(stderr, "  left in /dev/shm: %s\n", entry->d_name);
        clean = false;
      }
    closedir(directory);
  }
  std::printf("/dev/shm clean: %s\n", clean ? "ok" : "FAILED");
  return clean;
}
} // namespace

int main(int argc, char **argv) {
  // The timeouts of the scenarios that must not time out.
  setenv("FAKE_NCCL_TIMEOUT_S", "20", 1);
  unsetenv("FAKE_NCCL_LOG");
  unsetenv("FAKE_NCCL_FAIL");
  unsetenv("FAKE_NCCL_SLOT_MIB");
  int failed = 0;
  failed += !checkArguments();
  failed += !runRanks(
      "collectives of 3 ranks", 3,
      [](const ncclUniqueId &id, int rank) { collectives(id, rank, 3); });
  failed += !runRanks(
      "collectives of 4 ranks", 4,
      [](const ncclUniqueId &id, int rank) { collectives(id, rank, 4); });
  failed += !runRanks("send and receive between 2 of 3 ranks", 3, pairOfThree);
  for (int nranks : {3, 4}) {
    std::string name = "grouped all-to-all of " + std::to_string(nranks);
    failed +=
        !runRanks(name.c_str(), nranks, [&](const ncclUniqueId &id, int rank) {
          allToAll(id, rank, nranks);
        });
  }
  failed += !runRanks("timeouts", 3, timeouts);
  failed += !runRanks("injected failures", 2, injectedFailures);
  std::string log = (argc > 1 ? std::string(argv[1]) : std::string("/tmp")) +
                    "/fake-nccl-self-test-" +
                    std::to_string(static_cast<int>(getpid())) + ".log";
  failed += !checkLog(log);
  failed += !checkShmClean();
  std::printf("%d scenario(s) failed\n", failed);
  return failed == 0 ? 0 : 1;
}
