//===- FakeNccl.cpp - NCCL between processes of one host, for tests -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// libexaforge_fake_nccl.so exports the NCCL functions of FakeNccl.h (those
// of libnccl.so.2 the runtime's communicator calls) and runs them between
// processes of one machine through POSIX shared memory, so that tests on
// machines without a GPU can drive the runtime's NCCL layer with several
// ranks (started by `mpirun --oversubscribe -n 2..4` or by fork):
//
//   EXAFORGE_CUDA_DRIVER=.../libexaforge_fake_cuda.so \
//   EXAFORGE_NCCL=.../libexaforge_fake_nccl.so mpirun -n 2 exaforge-run ...
//
// The fake driver's "GPU memory" is host memory, so the buffers are read
// and written directly and the stream arguments are ignored: every call has
// completed when it returns. It links no MPI.
//
// ncclGetUniqueId writes the name of a shared-memory segment into the id;
// ncclCommInitRank maps that segment in every rank (see Segment below for
// its layout) and rank 0 unlinks it once all ranks have mapped it, so
// nothing is left in /dev/shm. A collective copies each rank's
// contribution into its slot of the segment, meets the other ranks at a
// barrier, computes its result from the slots (reducing in rank order) and
// meets them again. ncclSend and ncclRecv pass a message through a channel
// per (source, destination) pair, of one message, with a full/empty flag,
// so that only the two ranks involved take part. Between ncclGroupStart and
// ncclGroupEnd, sends and receives are queued and run at ncclGroupEnd,
// sends before receives, which is how an all-to-all is written on NCCL.
//
// Every wait gives up after a timeout with ncclSystemError, so a test never
// hangs; a communicator that timed out is left inconsistent and may only be
// destroyed. Environment:
//
//   FAKE_NCCL_TIMEOUT_S=S     seconds a rank waits for the others (default
//                             60; fractions allowed)
//   FAKE_NCCL_SLOT_MIB=M      bytes of a slot and of a channel, in MiB
//                             (default 64; tmpfs backs only the pages
//                             touched); larger contributions and messages
//                             fail with ncclInvalidArgument
//   FAKE_NCCL_LOG=PATH        append a line per call to PATH, e.g.
//                             `fake-nccl: rank 1/2 ncclAllReduce count=8
//                             type=7 op=0 stream=0x0`
//   FAKE_NCCL_FAIL=FUNCTION   FUNCTION (e.g. ncclAllReduce) fails with
//                             ncclSystemError, "fake NCCL: injected failure"
//   FAKE_NCCL_FAIL_RANK=R     ... only in comm rank R (calls that know no
//                             rank then never fail)
//
//===----------------------------------------------------------------------===//

#include "FakeStreamWork.h"

#include "FakeNccl.h"

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <thread>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace {
using Flag = std::atomic<uint32_t>;
// The segment's flags are std::atomic objects in memory that another
// process may have zero-filled and used first: they must be plain words.
static_assert(Flag::is_always_lock_free && sizeof(Flag) == sizeof(uint32_t),
              "the shared flags must be lock-free words");
static_assert(std::atomic<uint64_t>::is_always_lock_free,
              "the shared flags must be lock-free words");

/// The synchronization state at the start of the segment. All zero is the
/// initial state, as ftruncate leaves it, since any rank may arrive first.
struct alignas(64) Header {
  /// The communicator's size and slot bytes, set by the first rank to
  /// arrive (0: none yet); the others check that they agree.
  std::atomic<uint64_t> nranks, slotBytes;
  /// The barrier: ranks arrived at the current one, and how many barriers
  /// have completed.
  Flag arrived, generation;
};

/// Whether rank r has joined the communicator (1 once it has).
struct alignas(64) RankRecord {
  Flag joined;
};

/// The state of the channel from one rank to another: full when it holds
/// a message of `bytes` bytes that the destination has not taken yet.
struct alignas(64) Channel {
  Flag full;
  uint64_t bytes;
};

static_assert(sizeof(Header) == 64 && sizeof(RankRecord) == 64 &&
                  sizeof(Channel) == 64,
              "the layout below counts 64 bytes per record");

constexpr size_t kPageBytes = 4096;
constexpr size_t kDefaultSlotMib = 64;

/// The layout of the segment of a communicator of n ranks, at offsets:
///
///   0                     Header
///   64                    RankRecord[n]
///   64 + 64 n             Channel[n * n], from source s to destination d
///                         at s * n + d
///   dataOffset (a page)   n collective slots of slotBytes, rank r's at r
///   + n slotBytes         n * n channel buffers of slotBytes, as Channel
///
/// of which tmpfs backs only the pages touched.
struct Segment {
  size_t nranks, slotBytes;

  size_t rankRecordsOffset() const { return sizeof(Header); }
  size_t channelsOffset() const {
    return rankRecordsOffset() + nranks * sizeof(RankRecord);
  }
  size_t dataOffset() const {
    size_t end = channelsOffset() + nranks * nranks * sizeof(Channel);
    return (end + kPageBytes - 1) / kPageBytes * kPageBytes;
  }
  size_t totalBytes() const {
    return dataOffset() + (nranks + nranks * nranks) * slotBytes;
  }
};
} // namespace

/// A communicator: this process's rank and its mapping of the segment.
struct ncclComm {
  int rank, nranks;
  Segment layout;
  char *base;

  Header &header() const { return *reinterpret_cast<Header *>(base); }
  RankRecord &rankRecord(int r) const {
    return reinterpret_cast<RankRecord *>(base + layout.rankRecordsOffset())[r];
  }
  Channel &channel(int source, int destination) const {
    return reinterpret_cast<Channel *>(
        base + layout.channelsOffset())[source * nranks + destination];
  }
  /// Rank r's collective slot.
  char *slot(int r) const {
    return base + layout.dataOffset() + r * layout.slotBytes;
  }
  /// The buffer of the channel from `source` to `destination`.
  char *channelData(int source, int destination) const {
    return base + layout.dataOffset() +
           (nranks + source * nranks + destination) * layout.slotBytes;
  }
};

namespace {
/// The message of this process's last failure ("" if none).
char lastError[512];

/// Records the message of a failure and returns `result`.
__attribute__((format(printf, 2, 3))) ncclResult_t
fail(ncclResult_t result, const char *format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(lastError, sizeof(lastError), format, args);
  va_end(args);
  return result;
}

/// The seconds a rank waits for the others before it gives up.
double timeoutSeconds() {
  const char *value = std::getenv("FAKE_NCCL_TIMEOUT_S");
  double seconds = value && *value ? std::strtod(value, nullptr) : 60.0;
  return seconds > 0 ? seconds : 60.0;
}

/// The bytes of a slot and of a channel buffer.
size_t slotBytesSetting() {
  const char *value = std::getenv("FAKE_NCCL_SLOT_MIB");
  long long mib = value && *value ? std::atoll(value) : 0;
  return (mib > 0 ? static_cast<size_t>(mib) : kDefaultSlotMib) << 20;
}

/// Waits until `ready()` holds, checking every 50 us; false once
/// timeoutSeconds() have passed.
template <typename Ready> bool waitFor(Ready ready) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration<double>(timeoutSeconds());
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

/// Appends `line` to the file FAKE_NCCL_LOG names, with one write so that
/// the lines of several processes do not interleave.
void appendToLog(const char *line, size_t length) {
  const char *path = std::getenv("FAKE_NCCL_LOG");
  if (!path || !*path)
    return;
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  ssize_t written = write(fd, line, length);
  (void)written;
  close(fd);
}

/// Logs a call of `function` by comm rank `rank` of `nranks` (-1: unknown)
/// with its arguments, and returns ncclSystemError if FAKE_NCCL_FAIL (and
/// FAKE_NCCL_FAIL_RANK) inject a failure into it, else ncclSuccess.
__attribute__((format(printf, 4, 5))) ncclResult_t
enter(const char *function, int rank, int nranks, const char *format, ...) {
  char line[512];
  int length =
      rank >= 0 ? std::snprintf(line, sizeof(line), "fake-nccl: rank %d/%d %s",
                                rank, nranks, function)
                : std::snprintf(line, sizeof(line), "fake-nccl: pid %d %s",
                                static_cast<int>(getpid()), function);
  va_list args;
  va_start(args, format);
  length +=
      std::vsnprintf(line + length, sizeof(line) - length - 1, format, args);
  va_end(args);
  if (length > static_cast<int>(sizeof(line)) - 2)
    length = sizeof(line) - 2;
  line[length++] = '\n';
  appendToLog(line, length);

  const char *failing = std::getenv("FAKE_NCCL_FAIL");
  if (!failing || std::strcmp(failing, function) != 0)
    return ncclSuccess;
  const char *failingRank = std::getenv("FAKE_NCCL_FAIL_RANK");
  if (failingRank && *failingRank &&
      (rank < 0 || std::atoi(failingRank) != rank))
    return ncclSuccess;
  return fail(ncclSystemError, "fake NCCL: injected failure");
}

/// Shorthand for enter() with a communicator, which may be null.
#define ENTER(comm, ...)                                                       \
  do {                                                                         \
    if (ncclResult_t entered =                                                 \
            enter(__func__, (comm) ? (comm)->rank : -1,                        \
                  (comm) ? (comm)->nranks : 0, __VA_ARGS__))                   \
      return entered;                                                          \
  } while (false)

/// Fails unless `comm` is a communicator.
#define CHECK_COMM(comm)                                                       \
  do {                                                                         \
    if (!(comm))                                                               \
      return fail(ncclInvalidArgument, "fake NCCL: %s: null communicator",     \
                  __func__);                                                   \
  } while (false)

/// The bytes of an element of `type` and its name, or 0 and null if
/// `type` is none of nccl.h's.
size_t elementBytes(int type) {
  static const size_t bytes[] = {1, 1, 4, 4, 8, 8, 2, 4, 8, 2, 1, 1};
  return type >= 0 && type < ncclNumTypes ? bytes[type] : 0;
}

const char *typeName(int type) {
  static const char *const names[] = {
      "int8",    "uint8",   "int32",   "uint32",   "int64",      "uint64",
      "float16", "float32", "float64", "bfloat16", "float8e4m3", "float8e5m2"};
  return type >= 0 && type < ncclNumTypes ? names[type] : "unknown";
}

/// Checks the element type and the count of a call of `function` that
/// passes count elements, of which `nranks` times as many go through a
/// slot or channel of `slotBytes`, and returns its bytes in `bytes`.
ncclResult_t checkSize(const char *function, int type, size_t count,
                       size_t factor, size_t slotBytes, size_t &bytes) {
  size_t size = elementBytes(type);
  if (size == 0)
    return fail(ncclInvalidArgument, "fake NCCL: %s: invalid data type %d",
                function, type);
  if (count > slotBytes / size / factor)
    return fail(ncclInvalidArgument,
                "fake NCCL: %s: %zu elements of %s exceed the fake's limit of "
                "%zu bytes per rank and message (FAKE_NCCL_SLOT_MIB)",
                function, count * factor, typeName(type), slotBytes);
  bytes = count * size;
  return ncclSuccess;
}

/// Checks that a reduction `op` of `type` is one the fake computes.
ncclResult_t checkReduction(const char *function, int type, int op) {
  if (op < 0 || op >= ncclNumOps)
    return fail(ncclInvalidArgument,
                "fake NCCL: %s: reduction operation %d is not one of "
                "sum, prod, max, min, avg",
                function, op);
  if (type == ncclFloat16 || type == ncclBfloat16 || type == ncclFloat8e4m3 ||
      type == ncclFloat8e5m2)
    return fail(ncclInvalidArgument,
                "fake NCCL: %s: the fake does not reduce %s", function,
                typeName(type));
  return ncclSuccess;
}

/// a + b and a * b, wrapping around for integers (as GPUs do) rather than
/// overflowing.
template <typename T> T add(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) +
                          static_cast<std::make_unsigned_t<T>>(b));
  else
    return a + b;
}
template <typename T> T multiply(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) *
                          static_cast<std::make_unsigned_t<T>>(b));
  else
    return a * b;
}

/// result[i] = result[i] op x[i] for `count` elements of T, where avg sums
/// (and finishAverage divides).
template <typename T>
void combine(void *resultPointer, const void *xPointer, size_t count, int op) {
  auto *result = static_cast<T *>(resultPointer);
  const auto *x = static_cast<const T *>(xPointer);
  for (size_t i = 0; i < count; ++i) {
    T a, b;
    std::memcpy(&a, result + i, sizeof(T));
    std::memcpy(&b, x + i, sizeof(T));
    T c = op == ncclProd  ? multiply(a, b)
          : op == ncclMax ? (b > a ? b : a)
          : op == ncclMin ? (b < a ? b : a)
                          : add(a, b);
    std::memcpy(result + i, &c, sizeof(T));
  }
}

/// Divides the `count` sums of T in `result` by `nranks`, for ncclAvg.
template <typename T>
void finishAverage(void *resultPointer, size_t count, int nranks) {
  auto *result = static_cast<T *>(resultPointer);
  for (size_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, result + i, sizeof(T));
    value = static_cast<T>(value / static_cast<T>(nranks));
    std::memcpy(result + i, &value, sizeof(T));
  }
}

/// Calls F<T>::run(args...) with T the C++ type of NCCL type `type`, one
/// of those checkReduction accepts.
template <template <typename> class F, typename... Args>
void dispatch(int type, Args... args) {
  switch (type) {
  case ncclInt8:
    return F<int8_t>::run(args...);
  case ncclUint8:
    return F<uint8_t>::run(args...);
  case ncclInt32:
    return F<int32_t>::run(args...);
  case ncclUint32:
    return F<uint32_t>::run(args...);
  case ncclInt64:
    return F<int64_t>::run(args...);
  case ncclUint64:
    return F<uint64_t>::run(args...);
  case ncclFloat32:
    return F<float>::run(args...);
  case ncclFloat64:
    return F<double>::run(args...);
  }
}

/// Writes into `result` the reduction by `op`, in rank order, of `count`
/// elements of `type` at byte `offset` of every rank's slot.
template <typename T> struct ReduceSlots {
  static void run(const ncclComm *comm, void *result, size_t offset,
                  size_t count, int op) {
    std::memcpy(result, comm->slot(0) + offset, count * sizeof(T));
    for (int r = 1; r < comm->nranks; ++r)
      combine<T>(result, comm->slot(r) + offset, count, op);
    if (op == ncclAvg)
      finishAverage<T>(result, count, comm->nranks);
  }
};

/// Waits until all ranks of `comm` have arrived here, in `function`.
ncclResult_t barrier(ncclComm *comm, const char *function) {
  Header &header = comm->header();
  uint32_t generation = header.generation.load(std::memory_order_acquire);
  uint32_t arrived = header.arrived.fetch_add(1, std::memory_order_acq_rel) + 1;
  if (arrived == static_cast<uint32_t>(comm->nranks)) {
    // The last to arrive opens the barrier; the next one starts from 0.
    header.arrived.store(0, std::memory_order_relaxed);
    header.generation.fetch_add(1, std::memory_order_release);
    return ncclSuccess;
  }
  if (waitFor([&] {
        return header.generation.load(std::memory_order_acquire) != generation;
      }))
    return ncclSuccess;
  return fail(ncclSystemError,
              "fake NCCL: rank %d waited %g s for the other ranks in %s "
              "(%u of %d arrived)",
              comm->rank, timeoutSeconds(), function,
              header.arrived.load(std::memory_order_relaxed), comm->nranks);
}

/// Runs a collective of `function`: puts `bytes` of `contribution` into
/// this rank's slot, waits for all ranks, calls `compute()` (which reads
/// the slots), and waits for all ranks again so that the slots may be
/// reused.
template <typename Compute>
ncclResult_t exchange(ncclComm *comm, const char *function,
                      const void *contribution, size_t bytes, Compute compute) {
  if (bytes)
    std::memcpy(comm->slot(comm->rank), contribution, bytes);
  if (ncclResult_t result = barrier(comm, function))
    return result;
  compute();
  return barrier(comm, function);
}

/// A send or a receive of `bytes` at `buffer` with `peer`.
struct PointToPoint {
  bool isSend;
  ncclComm *comm;
  void *buffer;
  size_t bytes;
  int peer;
  bool done = false;
};

/// The sends and receives queued in this thread's group, and its depth.
thread_local std::vector<PointToPoint> queued;
thread_local int groupDepth = 0;

/// Tries to make `op` progress without waiting: a send needs an empty
/// channel, a receive a full one. Fails if a received message does not
/// have the size expected.
ncclResult_t tryPointToPoint(PointToPoint &op) {
  ncclComm *comm = op.comm;
  int source = op.isSend ? comm->rank : op.peer;
  int destination = op.isSend ? op.peer : comm->rank;
  Channel &channel = comm->channel(source, destination);
  char *data = comm->channelData(source, destination);
  uint32_t full = channel.full.load(std::memory_order_acquire);
  if (op.isSend && !full) {
    if (op.bytes)
      std::memcpy(data, op.buffer, op.bytes);
    channel.bytes = op.bytes;
    channel.full.store(1, std::memory_order_release);
    op.done = true;
  } else if (!op.isSend && full) {
    size_t bytes = channel.bytes;
    if (bytes == op.bytes && bytes)
      std::memcpy(op.buffer, data, bytes);
    channel.full.store(0, std::memory_order_release);
    op.done = true;
    if (bytes != op.bytes)
      return fail(ncclInvalidArgument,
                  "fake NCCL: rank %d received %zu bytes from rank %d but "
                  "expected %zu",
                  comm->rank, bytes, op.peer, op.bytes);
  }
  return ncclSuccess;
}

/// Runs `ops` to completion: in each round, the sends and then the
/// receives that can progress, each in the order of the calls among those
/// with the same peer; fails when no progress was made for
/// timeoutSeconds().
ncclResult_t runPointToPoint(std::vector<PointToPoint> &ops) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration<double>(timeoutSeconds());
  for (;;) {
    bool progressed = false, pending = false;
    for (bool sends : {true, false})
      for (size_t i = 0; i < ops.size(); ++i) {
        PointToPoint &op = ops[i];
        if (op.done || op.isSend != sends)
          continue;
        // An earlier op with the same communicator and peer goes first.
        bool blocked = false;
        for (size_t j = 0; j < i && !blocked; ++j)
          blocked = !ops[j].done && ops[j].isSend == op.isSend &&
                    ops[j].comm == op.comm && ops[j].peer == op.peer;
        if (!blocked)
          if (ncclResult_t result = tryPointToPoint(op))
            return result;
        progressed |= op.done;
        pending |= !op.done;
      }
    if (!pending)
      return ncclSuccess;
    auto now = std::chrono::steady_clock::now();
    if (progressed) {
      deadline = now + std::chrono::duration<double>(timeoutSeconds());
      continue;
    }
    if (now > deadline)
      break;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  for (const PointToPoint &op : ops)
    if (!op.done)
      return fail(ncclSystemError,
                  op.isSend ? "fake NCCL: rank %d waited %g s for rank %d to "
                              "receive its previous message (ncclSend)"
                            : "fake NCCL: rank %d waited %g s for a message "
                              "from rank %d (ncclRecv)",
                  op.comm->rank, timeoutSeconds(), op.peer);
  return ncclSuccess;
}

/// Runs a send or receive now, or queues it inside a group.
ncclResult_t pointToPoint(const PointToPoint &op) {
  if (groupDepth > 0) {
    try {
      queued.push_back(op);
    } catch (...) {
      return fail(ncclSystemError, "fake NCCL: out of memory");
    }
    return ncclSuccess;
  }
  PointToPoint single = op;
  std::vector<PointToPoint> ops;
  try {
    ops.push_back(single);
  } catch (...) {
    return fail(ncclSystemError, "fake NCCL: out of memory");
  }
  return runPointToPoint(ops);
}

/// Checks the arguments of a send or receive of `count` elements of `type`
/// with `peer`, returning its bytes in `bytes`.
ncclResult_t checkPointToPoint(const char *function, const void *buffer,
                               size_t count, int type, int peer,
                               const ncclComm *comm, size_t &bytes) {
  if (!comm)
    return fail(ncclInvalidArgument, "fake NCCL: %s: null communicator",
                function);
  if (peer < 0 || peer >= comm->nranks)
    return fail(ncclInvalidArgument,
                "fake NCCL: %s: peer %d is not a rank of a communicator of %d",
                function, peer, comm->nranks);
  if (ncclResult_t result =
          checkSize(function, type, count, 1, comm->layout.slotBytes, bytes))
    return result;
  if (count && !buffer)
    return fail(ncclInvalidArgument, "fake NCCL: %s: null buffer", function);
  return ncclSuccess;
}

/// Checks that the buffers of a collective moving data are not null.
ncclResult_t checkBuffers(const char *function, size_t count, const void *send,
                          const void *receive) {
  if (count && (!send || !receive))
    return fail(ncclInvalidArgument, "fake NCCL: %s: null buffer", function);
  return ncclSuccess;
}
} // namespace

extern "C" {

ncclResult_t ncclGetVersion(int *version) {
  if (ncclResult_t result = enter(__func__, -1, 0, ""))
    return result;
  if (!version)
    return fail(ncclInvalidArgument, "fake NCCL: ncclGetVersion: null pointer");
  *version = 22809;
  return ncclSuccess;
}

const char *ncclGetErrorString(ncclResult_t result) {
  switch (static_cast<int>(result)) {
  case ncclSuccess:
    return "no error";
  case ncclUnhandledCudaError:
    return "unhandled cuda error (run with NCCL_DEBUG=INFO for details)";
  case ncclSystemError:
    return "unhandled system error (run with NCCL_DEBUG=INFO for details)";
  case ncclInternalError:
    return "internal error - please report this issue to the NCCL developers";
  case ncclInvalidArgument:
    return "invalid argument (run with NCCL_DEBUG=WARN for details)";
  case ncclInvalidUsage:
    return "invalid usage (run with NCCL_DEBUG=WARN for details)";
  case ncclRemoteError:
    return "remote process exited or there was a network error";
  case ncclInProgress:
    return "NCCL operation in progress";
  }
  return "unknown result code";
}

const char *ncclGetLastError(ncclComm_t) { return lastError; }

ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError) {
  ENTER(comm, "");
  CHECK_COMM(comm);
  if (!asyncError)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclCommGetAsyncError: null pointer");
  *asyncError = ncclSuccess;
  return ncclSuccess;
}

ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId) {
  if (ncclResult_t result = enter(__func__, -1, 0, ""))
    return result;
  if (!uniqueId)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclGetUniqueId: null pointer");
  static std::atomic<unsigned> counter{0};
  unsigned random = 0;
  if (getrandom(&random, sizeof(random), 0) != sizeof(random))
    random = static_cast<unsigned>(
        std::chrono::steady_clock::now().time_since_epoch().count());
  std::memset(uniqueId->internal, 0, sizeof(uniqueId->internal));
  std::snprintf(uniqueId->internal, sizeof(uniqueId->internal),
                "/exaforge-fake-nccl-%d-%u-%08x", static_cast<int>(getpid()),
                counter.fetch_add(1), random);
  return ncclSuccess;
}

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId,
                              int rank) {
  if (ncclResult_t result =
          enter(__func__, rank, nranks, " id=%.*s",
                static_cast<int>(sizeof(commId.internal)), commId.internal))
    return result;
  if (!comm)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclCommInitRank: null communicator pointer");
  if (nranks < 1 || rank < 0 || rank >= nranks)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclCommInitRank: rank %d of %d ranks", rank,
                nranks);
  if (commId.internal[0] != '/' ||
      !std::memchr(commId.internal, 0, sizeof(commId.internal)))
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclCommInitRank: the unique id holds no name "
                "(was it made by ncclGetUniqueId?)");
  Segment layout{static_cast<size_t>(nranks), slotBytesSetting()};
  const char *name = commId.internal;
  int fd = shm_open(name, O_RDWR | O_CREAT, 0600);
  if (fd < 0)
    return fail(ncclSystemError, "fake NCCL: rank %d: shm_open(%s): %s", rank,
                name, std::strerror(errno));
  // Grow the segment, never shrink it under a rank that mapped it already.
  struct stat status;
  if (fstat(fd, &status) != 0 ||
      (static_cast<size_t>(status.st_size) < layout.totalBytes() &&
       ftruncate(fd, static_cast<off_t>(layout.totalBytes())) != 0)) {
    int error = errno;
    close(fd);
    return fail(ncclSystemError, "fake NCCL: rank %d: ftruncate(%s): %s", rank,
                name, std::strerror(error));
  }
  void *base = mmap(nullptr, layout.totalBytes(), PROT_READ | PROT_WRITE,
                    MAP_SHARED, fd, 0);
  int error = errno;
  close(fd);
  if (base == MAP_FAILED)
    return fail(ncclSystemError, "fake NCCL: rank %d: mmap(%s): %s", rank, name,
                std::strerror(error));
  auto *result = new (std::nothrow)
      ncclComm{rank, nranks, layout, static_cast<char *>(base)};
  if (!result) {
    munmap(base, layout.totalBytes());
    return fail(ncclSystemError, "fake NCCL: out of memory");
  }

  // The first rank records the size; the others must agree with it.
  Header &header = result->header();
  uint64_t expected = 0;
  header.nranks.compare_exchange_strong(expected, layout.nranks);
  uint64_t expectedSlot = 0;
  header.slotBytes.compare_exchange_strong(expectedSlot, layout.slotBytes);
  ncclResult_t outcome = ncclSuccess;
  if (expected != 0 && expected != layout.nranks)
    outcome = fail(ncclInvalidArgument,
                   "fake NCCL: rank %d joined with %d ranks, another rank "
                   "with %llu",
                   rank, nranks, static_cast<unsigned long long>(expected));
  else if (expectedSlot != 0 && expectedSlot != layout.slotBytes)
    outcome = fail(ncclInvalidArgument,
                   "fake NCCL: rank %d has a different FAKE_NCCL_SLOT_MIB "
                   "than another rank",
                   rank);
  else if (result->rankRecord(rank).joined.exchange(1) != 0)
    outcome = fail(ncclInvalidArgument,
                   "fake NCCL: rank %d joined the communicator twice", rank);
  else
    outcome = barrier(result, __func__);
  // All ranks have mapped the segment: its name is no longer needed. After
  // a failure, every rank removes it (a removed name is no error).
  if (rank == 0 || outcome != ncclSuccess)
    shm_unlink(name);
  if (outcome != ncclSuccess) {
    munmap(base, layout.totalBytes());
    delete result;
    return outcome;
  }
  *comm = result;
  return ncclSuccess;
}

ncclResult_t ncclCommFinalize(ncclComm_t comm) {
  ENTER(comm, "");
  CHECK_COMM(comm);
  // Every operation has completed when its call returned.
  return ncclSuccess;
}

ncclResult_t ncclCommDestroy(ncclComm_t comm) {
  ENTER(comm, "");
  if (!comm)
    return ncclSuccess;
  munmap(comm->base, comm->layout.totalBytes());
  delete comm;
  return ncclSuccess;
}

ncclResult_t ncclCommAbort(ncclComm_t comm) {
  ENTER(comm, "");
  if (!comm)
    return ncclSuccess;
  munmap(comm->base, comm->layout.totalBytes());
  delete comm;
  return ncclSuccess;
}

ncclResult_t ncclCommCount(const ncclComm_t comm, int *count) {
  ENTER(comm, "");
  CHECK_COMM(comm);
  if (!count)
    return fail(ncclInvalidArgument, "fake NCCL: ncclCommCount: null pointer");
  *count = comm->nranks;
  return ncclSuccess;
}

ncclResult_t ncclCommCuDevice(const ncclComm_t comm, int *device) {
  ENTER(comm, "");
  CHECK_COMM(comm);
  if (!device)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclCommCuDevice: null pointer");
  *device = 0;
  return ncclSuccess;
}

ncclResult_t ncclCommUserRank(const ncclComm_t comm, int *rank) {
  ENTER(comm, "");
  CHECK_COMM(comm);
  if (!rank)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclCommUserRank: null pointer");
  *rank = comm->rank;
  return ncclSuccess;
}

ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count,
                           ncclDataType_t datatype, ncclRedOp_t op,
                           ncclComm_t comm, cudaStream_t stream) {
  FakeStreamWork work;
  ENTER(comm, " count=%zu type=%d op=%d stream=%p", count,
        static_cast<int>(datatype), static_cast<int>(op),
        static_cast<void *>(stream));
  CHECK_COMM(comm);
  size_t bytes = 0;
  if (ncclResult_t result = checkReduction(__func__, datatype, op))
    return result;
  if (ncclResult_t result = checkSize(__func__, datatype, count, 1,
                                      comm->layout.slotBytes, bytes))
    return result;
  if (ncclResult_t result = checkBuffers(__func__, count, sendbuff, recvbuff))
    return result;
  if (count == 0)
    return ncclSuccess;
  return exchange(comm, __func__, sendbuff, bytes, [&] {
    dispatch<ReduceSlots>(datatype, static_cast<const ncclComm *>(comm),
                          recvbuff, size_t{0}, count, static_cast<int>(op));
  });
}

ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff,
                           size_t sendcount, ncclDataType_t datatype,
                           ncclComm_t comm, cudaStream_t stream) {
  FakeStreamWork work;
  ENTER(comm, " count=%zu type=%d stream=%p", sendcount,
        static_cast<int>(datatype), static_cast<void *>(stream));
  CHECK_COMM(comm);
  size_t bytes = 0;
  if (ncclResult_t result = checkSize(__func__, datatype, sendcount, 1,
                                      comm->layout.slotBytes, bytes))
    return result;
  if (ncclResult_t result =
          checkBuffers(__func__, sendcount, sendbuff, recvbuff))
    return result;
  if (sendcount == 0)
    return ncclSuccess;
  return exchange(comm, __func__, sendbuff, bytes, [&] {
    for (int r = 0; r < comm->nranks; ++r)
      std::memcpy(static_cast<char *>(recvbuff) + r * bytes, comm->slot(r),
                  bytes);
  });
}

ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff,
                               size_t recvcount, ncclDataType_t datatype,
                               ncclRedOp_t op, ncclComm_t comm,
                               cudaStream_t stream) {
  FakeStreamWork work;
  ENTER(comm, " count=%zu type=%d op=%d stream=%p", recvcount,
        static_cast<int>(datatype), static_cast<int>(op),
        static_cast<void *>(stream));
  CHECK_COMM(comm);
  size_t bytes = 0;
  if (ncclResult_t result = checkReduction(__func__, datatype, op))
    return result;
  // Each rank contributes nranks blocks of recvcount elements.
  if (ncclResult_t result =
          checkSize(__func__, datatype, recvcount, comm->nranks,
                    comm->layout.slotBytes, bytes))
    return result;
  if (ncclResult_t result =
          checkBuffers(__func__, recvcount, sendbuff, recvbuff))
    return result;
  if (recvcount == 0)
    return ncclSuccess;
  return exchange(comm, __func__, sendbuff, bytes * comm->nranks, [&] {
    dispatch<ReduceSlots>(datatype, static_cast<const ncclComm *>(comm),
                          recvbuff, comm->rank * bytes, recvcount,
                          static_cast<int>(op));
  });
}

ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count,
                           ncclDataType_t datatype, int root, ncclComm_t comm,
                           cudaStream_t stream) {
  FakeStreamWork work;
  ENTER(comm, " count=%zu type=%d root=%d stream=%p", count,
        static_cast<int>(datatype), root, static_cast<void *>(stream));
  CHECK_COMM(comm);
  if (root < 0 || root >= comm->nranks)
    return fail(ncclInvalidArgument,
                "fake NCCL: ncclBroadcast: root %d is not a rank of a "
                "communicator of %d",
                root, comm->nranks);
  size_t bytes = 0;
  if (ncclResult_t result = checkSize(__func__, datatype, count, 1,
                                      comm->layout.slotBytes, bytes))
    return result;
  // Only the root reads its send buffer.
  if (ncclResult_t result = checkBuffers(
          __func__, count, comm->rank == root ? sendbuff : recvbuff, recvbuff))
    return result;
  if (count == 0)
    return ncclSuccess;
  return exchange(comm, __func__, sendbuff,
                  comm->rank == root ? bytes : size_t{0},
                  [&] { std::memcpy(recvbuff, comm->slot(root), bytes); });
}

ncclResult_t ncclSend(const void *sendbuff, size_t count,
                      ncclDataType_t datatype, int peer, ncclComm_t comm,
                      cudaStream_t stream) {
  FakeStreamWork work;
  ENTER(comm, " count=%zu type=%d peer=%d stream=%p%s", count,
        static_cast<int>(datatype), peer, static_cast<void *>(stream),
        groupDepth > 0 ? " (queued)" : "");
  size_t bytes = 0;
  if (ncclResult_t result = checkPointToPoint(__func__, sendbuff, count,
                                              datatype, peer, comm, bytes))
    return result;
  return pointToPoint({true, comm, const_cast<void *>(sendbuff), bytes, peer});
}

ncclResult_t ncclRecv(void *recvbuff, size_t count, ncclDataType_t datatype,
                      int peer, ncclComm_t comm, cudaStream_t stream) {
  FakeStreamWork work;
  ENTER(comm, " count=%zu type=%d peer=%d stream=%p%s", count,
        static_cast<int>(datatype), peer, static_cast<void *>(stream),
        groupDepth > 0 ? " (queued)" : "");
  size_t bytes = 0;
  if (ncclResult_t result = checkPointToPoint(__func__, recvbuff, count,
                                              datatype, peer, comm, bytes))
    return result;
  return pointToPoint({false, comm, recvbuff, bytes, peer});
}

ncclResult_t ncclGroupStart() {
  if (ncclResult_t result = enter(__func__, -1, 0, " depth=%d", groupDepth + 1))
    return result;
  ++groupDepth;
  return ncclSuccess;
}

ncclResult_t ncclGroupEnd() {
  FakeStreamWork work;
  const ncclComm *comm = queued.empty() ? nullptr : queued.front().comm;
  ncclResult_t injected =
      enter(__func__, comm ? comm->rank : -1, comm ? comm->nranks : 0,
            " depth=%d ops=%zu", groupDepth, queued.size());
  if (groupDepth == 0)
    return fail(ncclInvalidUsage,
                "fake NCCL: ncclGroupEnd without ncclGroupStart");
  if (--groupDepth > 0)
    return injected;
  // The group ends even when it fails (its operations are dropped).
  ncclResult_t result = injected ? injected : runPointToPoint(queued);
  queued.clear();
  return result;
}

} // extern "C"
