//===- exaforge-run.cpp - Runs a model on several ranks -------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge-run -n N MODEL.xf --input NAME=FILE ... [--output-dir DIR]`
// starts the N ranks of a model compiled with `exaforge compile --ranks N`
// (Launcher.h); each rank runs as a worker of this program (Worker.h), which
// is also what it does when started by mpirun or srun directly
// (`srun exaforge-run MODEL.xf ...`). Parses the command line with
// Boost.Program_options (this file is compiled with -fexceptions and
// catches every Boost exception).
//
//===----------------------------------------------------------------------===//

#include "Launcher.h"
#include "LinkBenchmark.h"
#include "Worker.h"

#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace po = boost::program_options;
using namespace exaforge::launcher;

namespace {
int fail(const std::string &message) {
  std::cerr << "exaforge-run: error: " << message << "\n";
  return 1;
}

/// Parses `RANK:error|crash|hang|kill|collective` of --inject-failure.
bool parseInjectedFailure(const std::string &text, LaunchOptions &options) {
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  std::string kind = text.substr(colon + 1);
  options.injectedFailure = kind == "error"        ? InjectedFailure::Error
                            : kind == "crash"      ? InjectedFailure::Crash
                            : kind == "hang"       ? InjectedFailure::Hang
                            : kind == "kill"       ? InjectedFailure::Kill
                            : kind == "collective" ? InjectedFailure::Collective
                                                   : InjectedFailure::None;
  char *end = nullptr;
  long rank = std::strtol(text.c_str(), &end, 10);
  options.injectRank = static_cast<int>(rank);
  return options.injectedFailure != InjectedFailure::None &&
         end == &text[colon] && rank >= 0;
}

/// True when an MPI launcher started this process as one of its ranks.
bool startedAsRank() {
  for (const char *variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(variable))
      return true;
  return false;
}
} // namespace

int main(int argc, char **argv) {
  LaunchOptions options;
  std::string launcher = "auto", transport = "auto", injectedFailure;
  po::options_description visible(
      "Usage: exaforge-run [-n N] MODEL.xf [--input NAME=FILE ...] "
      "[--output-dir DIR]\n\n"
      "Runs a model compiled with `exaforge compile --ranks N` on N ranks,\n"
      "started with mpirun (srun inside a Slurm allocation). Rank 0 reads\n"
      "the inputs, writes the outputs and prints their summary.\n\nOptions");
  visible.add_options()("help,h", "print this help")(
      "ranks,n", po::value<int>(&options.ranks),
      "number of ranks (default: the artifact's); must match the artifact")(
      "input,i", po::value<std::vector<std::string>>(&options.inputs),
      "NAME=FILE (.npy or ONNX .pb), or FILE for the next input; repeatable")(
      "output-dir,o", po::value<std::string>(&options.outputDir),
      "write each output as DIR/NAME.npy")(
      "threads", po::value<int>(&options.threads),
      "OpenMP threads per rank (default: the node's cores / its ranks)")(
      "benchmark", po::value<int>(&options.benchmarkRuns),
      "time this many runs after two warm-up runs, print the median")(
      "profile", po::value<std::string>(&options.profilePath),
      "write a trace-event timeline of every rank's runs (the timed ones with "
      "--benchmark) to FILE, for Perfetto or chrome://tracing")(
      "timeout", po::value<int>(&options.timeoutSeconds),
      "stop the job after this many seconds (default: no limit)")(
      "launcher", po::value<std::string>(&launcher),
      "auto (srun inside Slurm, else mpirun), mpirun or srun")(
      "launcher-arg",
      po::value<std::vector<std::string>>(&options.launcherArgs),
      "an extra argument for mpirun or srun; repeatable")(
      "communicator", po::value<std::string>(&transport),
      "what ranks exchange tensors through: auto (NCCL for a CUDA artifact, "
      "MPI for a CPU one), mpi or nccl")(
      "dry-run", po::bool_switch(&options.dryRun),
      "print the launch command instead of running it");
  po::options_description hidden;
  hidden.add_options()("model", po::value<std::string>(&options.artifactPath))(
      "worker", po::bool_switch(&options.isWorker))(
      "status-dir", po::value<std::string>(&options.statusDir))(
      "inject-failure", po::value<std::string>(&injectedFailure),
      "RANK:error|crash|hang|kill|collective, for testing")(
      "measure-links", po::bool_switch(&options.measureLinks),
      "MPI ping-pong between ranks 0 and 1 (for exaforge calibrate)")(
      "quick", po::bool_switch(&options.quickMeasurement),
      "shorter --measure-links, for tests");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("model", 1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .run(),
              values);
    po::notify(values);
  } catch (const po::error &error) {
    return fail(std::string(error.what()) + " (see --help)");
  }
  if (values.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  if (options.artifactPath.empty() && !options.measureLinks)
    return fail("no model given: exaforge-run -n N MODEL.xf --input ...");
  if (options.ranks < 0 || options.threads < 0 || options.benchmarkRuns < 0 ||
      options.timeoutSeconds < 0)
    return fail("-n, --threads, --benchmark and --timeout must not be "
                "negative");
  if (launcher == "mpirun")
    options.launcher = LauncherKind::Mpirun;
  else if (launcher == "srun")
    options.launcher = LauncherKind::Srun;
  else if (launcher != "auto")
    return fail("--launcher must be auto, mpirun or srun, got '" + launcher +
                "'");
  if (transport == "mpi")
    options.transport = Transport::Mpi;
  else if (transport == "nccl")
    options.transport = Transport::Nccl;
  else if (transport != "auto")
    return fail("--communicator must be auto, mpi or nccl, got '" + transport +
                "'");
  if (!injectedFailure.empty() &&
      !parseInjectedFailure(injectedFailure, options))
    return fail("--inject-failure must be RANK:error, RANK:crash, "
                "RANK:hang, RANK:kill or RANK:collective, got '" +
                injectedFailure + "'");
  if ((options.isWorker || startedAsRank()) && options.measureLinks)
    return runLinkBenchmark(options);
  if (options.isWorker || startedAsRank())
    return runWorker(options);
  return launchJob(options, argv[0]);
}
