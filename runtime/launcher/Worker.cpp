//===- Worker.cpp - One rank of an exaforge-run job -----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Worker.h"
#include "Transport.h"

#include "runtime/io/ModelFiles.h"
#include "runtime/io/TraceFile.h"

#include "exaforge/runtime/mpi.h"
#include "exaforge/runtime/nccl.h"

#include "runtime/support/Files.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace exaforge;
using namespace exaforge::launcher;

namespace {
/// Where this rank reports why it failed, and the file that says it is
/// running. Filled before anything can fail, so the signal handlers only
/// make async-signal-safe calls.
struct FailureReport {
  int rank = 0;
  /// `statusDir/rank<R>.txt`, or empty for stderr.
  char path[4096] = {0};
  /// `statusDir/rank<R>.running` ("HOST PID"), removed when the rank ends
  /// in any way it sees (Worker.h); empty without a status directory.
  char runningPath[4096] = {0};
  /// This rank's node, named in the report of a crash.
  char node[256] = {0};
};
FailureReport report;

/// Removes the `rank<R>.running` file: this rank ends knowingly.
void markEnded() {
  if (report.runningPath[0])
    unlink(report.runningPath);
}

/// The name of this rank's machine: the node name Slurm knows it by (nodes
/// may share a host name, as namespaces on one machine do), else the host
/// name.
std::string getNodeName() {
  if (const char *slurmNode = std::getenv("SLURMD_NODENAME"))
    if (*slurmNode)
      return slurmNode;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0 || !host[0])
    return "unknown-host";
  return host;
}

/// Writes `statusDir/rank<R>.running` with this rank's node and process id,
/// from which the launcher names a rank that died without a word.
void markRunning(const std::string &statusDir) {
  std::string path =
      statusDir + "/rank" + std::to_string(report.rank) + ".running";
  std::strncpy(report.runningPath, path.c_str(),
               sizeof(report.runningPath) - 1);
  std::string line =
      std::string(report.node) + " " + std::to_string(getpid()) + "\n";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return;
  // A failed write leaves an empty record: the launcher then still names
  // the rank, without its node.
  ssize_t written = write(fd, line.data(), line.size());
  (void)written;
  close(fd);
}

/// Writes `text` to the status file (or stderr) with async-signal-safe calls.
void writeReport(const char *text, size_t length) {
  int fd = report.path[0]
               ? open(report.path, O_WRONLY | O_CREAT | O_TRUNC, 0644)
               : STDERR_FILENO;
  if (fd < 0)
    fd = STDERR_FILENO;
  while (length > 0) {
    ssize_t written = write(fd, text, length);
    if (written <= 0)
      break;
    text += written;
    length -= written;
  }
  if (fd != STDERR_FILENO)
    close(fd);
}

/// Records `message`, prefixed by the rank when it does not name one.
void recordFailure(const std::string &message) {
  std::string prefix = "rank " + std::to_string(report.rank) + ": ";
  std::string line = (message.rfind("rank ", 0) == 0 ? "" : prefix) + message;
  if (!report.path[0])
    line = "exaforge-run: error: " + line;
  line += "\n";
  writeReport(line.data(), line.size());
}

/// Reports a fatal signal (the rank crashed), then dies of it.
void onFatalSignal(int signal) {
  const char *name = signal == SIGSEGV   ? "SIGSEGV (segmentation fault)"
                     : signal == SIGBUS  ? "SIGBUS (bus error)"
                     : signal == SIGFPE  ? "SIGFPE (arithmetic exception)"
                     : signal == SIGILL  ? "SIGILL (illegal instruction)"
                     : signal == SIGABRT ? "SIGABRT (aborted)"
                                         : "a fatal signal";
  char line[256] = {0};
  // Assemble "rank R on host H crashed: NAME\n" without snprintf.
  size_t length = 0;
  auto append = [&](const char *text) {
    while (*text && length + 1 < sizeof(line))
      line[length++] = *text++;
  };
  char digits[16];
  int value = report.rank, count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && count < 15);
  if (!report.path[0])
    append("exaforge-run: error: ");
  append("rank ");
  while (count > 0 && length + 1 < sizeof(line))
    line[length++] = digits[--count];
  append(" on host ");
  append(report.node);
  append(" crashed: ");
  append(name);
  append("\n");
  writeReport(line, length);
  markEnded();
  std::signal(signal, SIG_DFL);
  raise(signal);
}

/// A request to stop (mpirun and srun send SIGTERM to the ranks left when
/// the job fails): the rank ends knowingly, silently, and dies of it.
void onStopSignal(int signal) {
  markEnded();
  std::signal(signal, SIG_DFL);
  raise(signal);
}

void installSignalHandlers() {
  for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
    std::signal(signal, onFatalSignal);
  for (int signal : {SIGTERM, SIGINT, SIGHUP})
    std::signal(signal, onStopSignal);
}

/// Ends the whole job after a failure of this rank alone, naming the rank
/// and its host.
[[noreturn]] void abortJob(const std::string &message) {
  recordFailure("rank " + std::to_string(report.rank) + " on host " +
                report.node + ": " + message);
  markEnded();
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);
}

/// Frees a status when it goes out of scope.
struct StatusDeleter {
  void operator()(xf_status_t *status) const { xf_status_free(status); }
};
using StatusPtr = std::unique_ptr<xf_status_t, StatusDeleter>;

/// The OpenMP threads of each rank: --threads, else OMP_NUM_THREADS (set by
/// `exaforge slurm` scripts from the cores Slurm gives a task), else the
/// node's cores shared by its ranks.
int getThreadsPerRank(const LaunchOptions &options) {
  if (options.threads > 0)
    return options.threads;
  if (const char *fromEnvironment = std::getenv("OMP_NUM_THREADS"))
    if (int threads = std::atoi(fromEnvironment); threads > 0)
      return threads;
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL,
                      &node);
  int ranksOnNode = 1;
  MPI_Comm_size(node, &ranksOnNode);
  MPI_Comm_free(&node);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<int>(std::max<long>(1, cores / ranksOnNode));
}

/// Simulates the failure the options ask of this rank.
void injectFailure(const LaunchOptions &options, int rank) {
  if (rank != options.injectRank)
    return;
  switch (options.injectedFailure) {
  case InjectedFailure::None:
    return;
  case InjectedFailure::Error:
    abortJob("injected failure (--inject-failure)");
  case InjectedFailure::Crash:
    raise(SIGSEGV);
    return;
  case InjectedFailure::Hang:
    while (true)
      std::this_thread::sleep_for(std::chrono::seconds(1));
  case InjectedFailure::Kill:
    raise(SIGKILL);
    return;
  case InjectedFailure::Collective:
    return; // made to fail by failCollectives, when the session opens
  }
}

/// The functions of a communicator whose collectives and transfers all
/// fail at once, as over a broken link (--inject-failure R:collective).
int failAllReduce(void *, void *, void *, size_t, xf_dtype_t, xf_reduction_t) {
  return 1;
}
int failAllGather(void *, void *, const void *, size_t, void *) { return 1; }
int failReduceScatter(void *, void *, const void *, void *, size_t, xf_dtype_t,
                      xf_reduction_t) {
  return 1;
}
int failBroadcast(void *, void *, void *, size_t, int32_t) { return 1; }
int failSend(void *, const void *, size_t, int32_t) { return 1; }
int failReceive(void *, void *, size_t, int32_t) { return 1; }
const char *describeInjectedFailure(void *) {
  return "injected failure (--inject-failure)";
}

/// Makes every collective and transfer of `communicator` fail on the rank
/// the options name (its groups are still made, with the other ranks).
void failCollectives(const LaunchOptions &options, int rank,
                     xf_communicator_t &communicator) {
  if (rank != options.injectRank ||
      options.injectedFailure != InjectedFailure::Collective)
    return;
  communicator.all_reduce = failAllReduce;
  communicator.all_gather = failAllGather;
  communicator.reduce_scatter = failReduceScatter;
  communicator.all_to_all = failAllGather;
  communicator.broadcast = failBroadcast;
  communicator.send = failSend;
  communicator.recv = failReceive;
  communicator.error_message = describeInjectedFailure;
}

/// Writes the outputs (when asked) and prints their summary.
int writeOutputs(const LaunchOptions &options, const xf_session_t *session,
                 std::vector<xf_tensor_t *> &outputs) {
  if (!options.outputDir.empty())
    if (support::Error error = support::createDirectories(options.outputDir)) {
      recordFailure(error.getMessage());
      return 1;
    }
  for (size_t i = 0; i < outputs.size(); ++i) {
    xf_tensor_info_t info;
    xf_session_output_info(session, i, &info);
    const xf_tensor_t *output = outputs[i];
    std::vector<int64_t> shape(xf_tensor_shape(output),
                               xf_tensor_shape(output) +
                                   xf_tensor_rank(output));
    std::string writtenTo;
    if (!options.outputDir.empty()) {
      std::string path = support::joinPath(options.outputDir,
                                           io::getOutputFileName(info.name));
      if (support::Error error = io::writeNpyFile(path, xf_tensor_dtype(output),
                                                  shape, xf_tensor_data(output),
                                                  xf_tensor_nbytes(output))) {
        recordFailure(error.getMessage());
        return 1;
      }
      writtenTo = path;
    }
    io::printOutputSummary(info, xf_tensor_dtype(output), shape,
                           xf_tensor_data(output), xf_tensor_nbytes(output),
                           writtenTo);
  }
  return 0;
}

/// Gathers the profile of every rank to rank 0, which writes the trace (one
/// process per rank, `pid` the rank) and prints its own top ops. Returns
/// the exit code of rank 0's write (0 on the other ranks).
int writeProfile(const LaunchOptions &options, const xf_session_t *session,
                 int rank, int size, int64_t origin) {
  std::string name = "rank " + std::to_string(rank);
  char *events =
      xf_session_profile_trace_events(session, rank, name.c_str(), origin);
  std::string mine = events ? events : "";
  xf_string_free(events);
  int length = static_cast<int>(mine.size());
  std::vector<int> lengths(size), offsets(size);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0,
             MPI_COMM_WORLD);
  std::string all;
  if (rank == 0) {
    size_t total = 0;
    for (int r = 0; r < size; ++r) {
      offsets[r] = static_cast<int>(total);
      total += lengths[r];
    }
    all.resize(total);
  }
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(),
              offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  if (rank != 0)
    return 0;
  std::vector<std::string> perRank;
  for (int r = 0; r < size; ++r)
    perRank.push_back(all.substr(offsets[r], lengths[r]));
  if (support::Error error = io::writeTraceFile(options.profilePath, perRank)) {
    recordFailure(error.getMessage());
    return 1;
  }
  char *table = xf_session_profile_top_ops(session, 10);
  std::cout << "rank 0 " << (table ? table : "");
  xf_string_free(table);
  std::cout << "trace of " << size << " rank(s) written to "
            << options.profilePath << " (open it in https://ui.perfetto.dev)\n";
  return 0;
}

/// Prints the mesh and what each rank's collectives moved in the last run.
void printCommunication(const xf_session_t *session, int rank, int size) {
  xf_communication_stats_t stats;
  xf_session_communication_stats(session, &stats);
  uint64_t mine[2] = {stats.last_run_calls, stats.last_run_bytes};
  std::vector<uint64_t> all(2 * size);
  MPI_Gather(mine, 2, MPI_UINT64_T, all.data(), 2, MPI_UINT64_T, 0,
             MPI_COMM_WORLD);
  if (rank != 0)
    return;
  xf_mesh_info_t mesh;
  xf_session_mesh_info(session, &mesh);
  std::cout << "ranks: " << size;
  if (mesh.num_axes > 0) {
    std::cout << " (mesh";
    for (int64_t i = 0; i < mesh.num_axes; ++i)
      std::cout << " " << mesh.axes[i] << "=" << mesh.shape[i];
    std::cout << ")";
  }
  std::cout << "\ncollectives per run:";
  for (int r = 0; r < size; ++r)
    std::cout << (r ? "," : "") << " rank " << r << " " << all[2 * r]
              << " calls " << all[2 * r + 1] << " bytes";
  std::cout << "\n";
}
} // namespace

int exaforge::launcher::runWorker(const LaunchOptions &options) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  report.rank = rank;
  std::strncpy(report.node, getNodeName().c_str(), sizeof(report.node) - 1);
  if (!options.statusDir.empty()) {
    std::string path =
        options.statusDir + "/rank" + std::to_string(rank) + ".txt";
    std::strncpy(report.path, path.c_str(), sizeof(report.path) - 1);
    markRunning(options.statusDir);
  }
  installSignalHandlers();

  // MPI carries the run's inputs and outputs, and NCCL's unique ids when
  // the tensors of the compiled code go over NCCL (Transport.h).
  xf_communicator_t *mpiCommunicator = nullptr;
  if (xf_status_t *status =
          xf_mpi_communicator_create(MPI_COMM_WORLD, &mpiCommunicator))
    abortJob(xf_status_message(status));
  support::Expected<Transport> transport = chooseTransport(options);
  if (!transport)
    abortJob(transport.getMessage());
  xf_communicator_t *ncclCommunicator = nullptr;
  if (*transport == Transport::Nccl)
    if (xf_status_t *status =
            xf_nccl_communicator_create(mpiCommunicator, &ncclCommunicator))
      abortJob(xf_status_message(status));
  xf_communicator_t *communicator =
      ncclCommunicator ? ncclCommunicator : mpiCommunicator;
  failCollectives(options, rank, *communicator);
  xf_session_options_t sessionOptions{};
  sessionOptions.num_threads = getThreadsPerRank(options);
  sessionOptions.rank = rank;
  sessionOptions.communicator = communicator;
  xf_session_t *session = nullptr;
  auto finish = [&](int exitCode) {
    markEnded();
    xf_session_close(session);
    xf_nccl_communicator_free(ncclCommunicator);
    xf_mpi_communicator_free(mpiCommunicator);
    MPI_Finalize();
    return exitCode;
  };
  // A failure all ranks agree on: rank 0 reports it, everyone stops.
  auto failTogether = [&](const std::string &message) {
    if (rank == 0)
      recordFailure(message);
    return finish(options.statusDir.empty() ? 1 : 0);
  };
  if (StatusPtr status(xf_mpi_session_open(options.artifactPath.c_str(),
                                           &sessionOptions, MPI_COMM_WORLD,
                                           &session));
      status)
    return failTogether(xf_status_message(status.get()));

  std::vector<io::HostTensor> inputs;
  std::vector<xf_buffer_t> buffers;
  std::string readError;
  if (rank == 0) {
    std::vector<xf_tensor_info_t> declared(xf_session_num_inputs(session));
    for (size_t i = 0; i < declared.size(); ++i)
      xf_session_input_info(session, i, &declared[i]);
    support::Expected<std::vector<io::HostTensor>> read =
        io::readModelInputs(declared, options.inputs);
    if (read) {
      inputs = std::move(*read);
      for (const io::HostTensor &input : inputs)
        buffers.push_back(input.asBuffer());
    } else {
      readError = read.getMessage();
    }
  }
  // Rank 0 alone read the input files: the ranks agree on whether it could
  // before any transfer, so a bad file stops every rank cleanly.
  int readFailed = readError.empty() ? 0 : 1;
  MPI_Allreduce(MPI_IN_PLACE, &readFailed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (readFailed)
    return failTogether(readError);
  injectFailure(options, rank);

  size_t numOutputs = xf_session_num_outputs(session);
  std::vector<xf_tensor_t *> outputs(numOutputs, nullptr);
  auto freeOutputs = [&] {
    for (xf_tensor_t *&output : outputs) {
      xf_tensor_free(output);
      output = nullptr;
    }
  };
  std::vector<double> milliseconds;
  int runs = options.benchmarkRuns > 0 ? options.benchmarkRuns + 2 : 1;
  int firstProfiledRun = runs - std::max(options.benchmarkRuns, 1);
  // Every rank takes its time origin just after the same barrier, so that
  // the ranks' tracks line up (to the barrier's latency) on one machine or
  // many, whatever their clocks.
  int64_t profileOrigin = 0;
  for (int i = 0; i < runs; ++i) {
    freeOutputs();
    MPI_Barrier(MPI_COMM_WORLD);
    if (!options.profilePath.empty() && i == firstProfiledRun) {
      profileOrigin = xf_profile_clock_ns();
      xf_session_set_profiling(session, 1);
    }
    auto start = std::chrono::steady_clock::now();
    if (StatusPtr status(xf_mpi_session_run(
            session, MPI_COMM_WORLD, buffers.data(), buffers.size(),
            rank == 0 ? outputs.data() : nullptr, rank == 0 ? numOutputs : 0));
        status) {
      // Stopped inside the compiled code on this rank alone (mpi.h): the
      // other ranks may wait for it in a collective.
      if (size > 1 && xf_mpi_status_stopped_alone(status.get()))
        abortJob(xf_status_message(status.get()));
      return failTogether(xf_status_message(status.get()));
    }
    auto stop = std::chrono::steady_clock::now();
    if (i >= runs - options.benchmarkRuns)
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }

  int exitCode = 0;
  if (rank == 0)
    exitCode = writeOutputs(options, session, outputs);
  freeOutputs();
  printCommunication(session, rank, size);
  if (!options.profilePath.empty()) {
    xf_session_set_profiling(session, 0);
    if (int profileExit =
            writeProfile(options, session, rank, size, profileOrigin))
      exitCode = profileExit;
  }
  if (rank == 0 && !milliseconds.empty()) {
    std::sort(milliseconds.begin(), milliseconds.end());
    std::printf("benchmark: %d runs on %d ranks, median %.3f ms, min %.3f ms\n",
                options.benchmarkRuns, size,
                milliseconds[milliseconds.size() / 2], milliseconds.front());
  }
  std::cout.flush();
  std::fflush(stdout);
  return finish(exitCode);
}
