//===- CalibrateCommand.cpp - `exaforge calibrate` ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/CalibrateCommand.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Driver/HostBenchmarks.h"
#include "compiler/Plan/MachineDescription.h"
#include "compiler/Plan/Quantity.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <thread>
#include <unistd.h>

using namespace exaforge;
using namespace exaforge::driver;
using namespace exaforge::plan;

namespace {
int fail(const llvm::Twine &message) {
  llvm::errs() << "exaforge calibrate: error: " << message << "\n";
  return ExitFailure;
}

/// Prints one measured figure to stderr as it comes.
void report(llvm::StringRef what, double value, QuantityKind kind,
            llvm::StringRef method) {
  llvm::errs() << "exaforge calibrate: " << what << ": "
               << formatQuantity(value, kind) << " (" << method << ")\n";
}

/// The CPU's marketing name from /proc/cpuinfo, else LLVM's name for it.
std::string getCpuModel() {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> cpuinfo =
      llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo");
  if (cpuinfo) {
    llvm::SmallVector<llvm::StringRef> lines;
    (*cpuinfo)->getBuffer().split(lines, '\n');
    for (llvm::StringRef line : lines) {
      auto [key, value] = line.split(':');
      if (key.trim() == "model name" && !value.trim().empty())
        return value.trim().str();
    }
  }
  return llvm::sys::getHostCPUName().str();
}

/// The host's name and the current UTC time, for the description's source.
std::string getHostAndTime() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0)
    host[0] = 0;
  std::time_t now = std::time(nullptr);
  char time[32] = {0};
  std::strftime(time, sizeof(time), "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return std::string(host[0] ? host : "this host") + " on " + time;
}

/// The MPI link between two ranks of this node, measured by exaforge-run.
struct LinkMeasurement {
  double latency = 0;
  double bandwidth = 0;
  double messageBytes = 0;
};

/// Runs `exaforge-run --measure-links` and reads its report.
std::optional<LinkMeasurement> measureLinks(const std::string &exaforgeRun,
                                            bool quick) {
  llvm::SmallString<128> outputPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "exaforge-calibrate", "txt", outputPath)) {
    fail("cannot create a temporary file: " + ec.message());
    return std::nullopt;
  }
  llvm::FileRemover remover(outputPath);
  llvm::SmallVector<llvm::StringRef> args{exaforgeRun, "--measure-links", "-n",
                                          "2",         "--timeout",       "60"};
  if (quick)
    args.push_back("--quick");
  // Inside a Slurm allocation exaforge-run starts the ranks with srun, which
  // could place them on two nodes: keep them on one.
  if (std::getenv("SLURM_JOB_ID"))
    args.append({"--launcher-arg", "--nodes=1"});
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(outputPath), std::nullopt};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(exaforgeRun, args, std::nullopt,
                                         redirects, 0, 0, &error);
  if (status != 0) {
    fail("measuring the MPI links with '" + exaforgeRun +
         " --measure-links' failed" + (error.empty() ? "" : ": " + error) +
         " (exit status " + llvm::Twine(status) + ")");
    return std::nullopt;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text =
      llvm::MemoryBuffer::getFile(outputPath);
  if (!text) {
    fail("cannot read the report of exaforge-run: " +
         text.getError().message());
    return std::nullopt;
  }
  LinkMeasurement link;
  llvm::SmallVector<llvm::StringRef> lines;
  (*text)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) {
    auto [key, value] = line.split(':');
    std::string parseError;
    if (key == "latency") {
      if (mlir::FailureOr<double> seconds =
              parseQuantity(value, QuantityKind::Seconds, parseError);
          mlir::succeeded(seconds))
        link.latency = *seconds;
    } else if (key == "bandwidth") {
      if (mlir::FailureOr<double> bandwidth =
              parseQuantity(value, QuantityKind::BytesPerSecond, parseError);
          mlir::succeeded(bandwidth))
        link.bandwidth = *bandwidth;
    } else if (key == "message") {
      if (mlir::FailureOr<double> bytes =
              parseQuantity(value, QuantityKind::Bytes, parseError);
          mlir::succeeded(bytes))
        link.messageBytes = *bytes;
    }
  }
  if (!(link.latency > 0 && link.bandwidth > 0)) {
    fail("exaforge-run --measure-links reported no latency or bandwidth: '" +
         (*text)->getBuffer().trim() + "'");
    return std::nullopt;
  }
  return link;
}

/// Writes `text` to `path` ("" or "-": standard output).
int writeOutput(const std::string &path, llvm::StringRef text) {
  if (path.empty() || path == "-") {
    llvm::outs() << text;
    return ExitSuccess;
  }
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  file << text;
  file.close();
  if (file.has_error())
    return fail("cannot write '" + path + "': " + file.error().message());
  llvm::errs() << "exaforge calibrate: wrote " << path
               << "; check it with: exaforge machines " << path
               << "; plan for it with: exaforge plan MODEL --machine " << path
               << " --nodes 1\n";
  return ExitSuccess;
}
} // namespace

int exaforge::driver::runCalibrateCommand(
    const CalibrateCommandOptions &options, const std::string &exaforgeRun) {
  if (options.ranks < 0)
    return fail("--ranks must be positive");
  if (options.name.empty())
    return fail("--name must not be empty");
  int cores =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int ranks = options.ranks > 0 ? options.ranks : cores;
  double memoryBytes = static_cast<double>(sysconf(_SC_PHYS_PAGES)) *
                       static_cast<double>(sysconf(_SC_PAGESIZE));

  // Each measurement runs for a fixed time; --quick uses small problems.
  std::string error;
  // A rank's kernels run on its share of the cores (exaforge-run gives each
  // rank cores / ranks OpenMP threads): time the products on as many.
  int threadsPerRank = std::max(1, cores / ranks);
  mlir::FailureOr<Measurement> gemm =
      measureGemmThroughput(options.quick ? 256 : 1024, threadsPerRank,
                            options.quick ? 0.2 : 4.0, error);
  if (mlir::failed(gemm))
    return fail("measuring matrix products: " + error);
  report("f32 matrix products", gemm->perSecond, QuantityKind::FlopsPerSecond,
         gemm->method);
  Measurement triad =
      measureTriadBandwidth(options.quick ? int64_t(1) << 20 : int64_t(1) << 24,
                            cores, options.quick ? 0.2 : 4.0);
  report("memory bandwidth", triad.perSecond, QuantityKind::BytesPerSecond,
         triad.method);
  std::optional<LinkMeasurement> link =
      measureLinks(exaforgeRun, options.quick);
  if (!link)
    return ExitFailure;
  std::string linkMethod =
      "MPI ping-pong between 2 ranks, " +
      formatQuantity(link->messageBytes, QuantityKind::Bytes) + " messages";
  report("MPI latency", link->latency, QuantityKind::Seconds,
         "MPI ping-pong between 2 ranks, 8 B messages");
  report("MPI bandwidth", link->bandwidth, QuantityKind::BytesPerSecond,
         linkMethod);

  MachineDescription machine;
  machine.name = options.name;
  machine.nodes = 1;
  machine.devicesPerNode = ranks;
  machine.cpuCoresPerNode = cores;
  std::string cpu = getCpuModel();
  machine.device.model =
      ranks == cores
          ? "1 core of " + cpu
          : llvm::formatv("{0:g} cores of {1}", double(cores) / ranks, cpu)
                .str();
  // The measured product throughput is what a rank gets, so it is the peak
  // and the efficiency is 1. More ranks than cores share them.
  double coreShare = ranks > cores ? static_cast<double>(cores) / ranks : 1.0;
  machine.device.peakFlopsPerSecond["f32"] = gemm->perSecond * coreShare;
  machine.device.matmulEfficiency = 1;
  machine.device.memoryBytes = memoryBytes / ranks;
  machine.device.memoryBandwidth = triad.perSecond / ranks;
  machine.intraNode.bandwidth = link->bandwidth;
  machine.intraNode.latency = link->latency;
  machine.interNode = machine.intraNode;
  machine.source =
      "measured by exaforge calibrate" +
      std::string(options.quick ? " --quick" : "") + " on " + getHostAndTime() +
      " (" + cpu + ", " + std::to_string(cores) + " cores, " +
      std::to_string(ranks) + " ranks): f32 products " +
      formatQuantity(gemm->perSecond, QuantityKind::FlopsPerSecond) + " (" +
      gemm->method + ") scaled to the cores of one rank; memory " +
      formatQuantity(triad.perSecond, QuantityKind::BytesPerSecond) + " (" +
      triad.method +
      ") and capacity divided among the ranks; links: " + linkMethod;

  std::string text;
  llvm::raw_string_ostream os(text);
  os << "# The machine this was run on, measured by `exaforge calibrate`.\n"
     << "# f32 peak: dnnl_sgemm throughput on a rank's share of the cores\n"
     << "# (efficiency 1: the peak is what products reach);\n"
     << "# memory and bandwidth: the node's, divided among the ranks.\n";
  writeMachineDescription(machine, os);

  // What was written must load back.
  mlir::MLIRContext context;
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return mlir::success();
  });
  if (mlir::failed(
          parseMachineDescription(text, "<calibrate output>", context)))
    return fail("the description written does not load back (a bug)");
  return writeOutput(options.outputPath, text);
}
