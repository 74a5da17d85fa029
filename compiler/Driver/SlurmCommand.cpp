//===- SlurmCommand.cpp - `exaforge slurm` --------------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/SlurmCommand.h"
#include "compiler/Driver/Driver.h"

#include "runtime/io/ArtifactRanks.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace exaforge;
using namespace exaforge::driver;

namespace {
int fail(const llvm::Twine &message) {
  llvm::errs() << "exaforge slurm: error: " << message << "\n";
  return ExitFailure;
}

/// Quotes `text` for the shell when it needs it.
std::string quote(llvm::StringRef text) {
  if (!text.empty() && text.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
                           "YZ0123456789_-./=:,+@%") == llvm::StringRef::npos)
    return text.str();
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// An absolute path (the job may start in another directory).
std::string makeAbsolute(llvm::StringRef path) {
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
  return absolute.str().str();
}

/// True when `value` is safe on an #SBATCH line (no spaces or newlines).
bool isDirectiveValue(llvm::StringRef value) {
  return !value.empty() && llvm::all_of(value, [](char c) {
    return llvm::isAlnum(c) || llvm::StringRef("_-.:@+,").contains(c);
  });
}

/// Whether `text` can name one of srun's MPI plugins ("pmix", "pmix_v4",
/// "pmi2", "none"): letters, digits and underscores.
bool isPluginName(llvm::StringRef text) {
  return !text.empty() && llvm::all_of(text, [](char c) {
    return llvm::isAlnum(c) || c == '_';
  });
}

/// Whether `text` is a time limit in one of Slurm's formats (sbatch(1),
/// `--time`): "M", "M:S", "H:M:S", "D-H", "D-H:M", "D-H:M:S", or
/// "INFINITE"/"UNLIMITED". Every field is a decimal number; minutes and
/// seconds after the first field are below 60, hours after a day below 24.
bool isSlurmTimeLimit(llvm::StringRef text) {
  if (text == "INFINITE" || text == "UNLIMITED")
    return true;
  auto isNumber = [](llvm::StringRef field) {
    return !field.empty() && field.size() <= 9 &&
           llvm::all_of(field, llvm::isDigit);
  };
  auto below = [](llvm::StringRef field, unsigned limit) {
    unsigned value;
    return !field.getAsInteger(10, value) && value < limit;
  };
  llvm::SmallVector<llvm::StringRef, 3> fields;
  auto [days, clock] = text.split('-');
  bool hasDays = text.contains('-');
  if (hasDays && !isNumber(days))
    return false;
  (hasDays ? clock : text).split(fields, ':');
  if (fields.size() > 3 || !llvm::all_of(fields, isNumber))
    return false;
  if (hasDays)
    // D-H, D-H:M, D-H:M:S.
    return below(fields[0], 24) &&
           llvm::all_of(llvm::drop_begin(fields),
                        [&](llvm::StringRef f) { return below(f, 60); });
  // M, M:S, H:M:S: every field after the first is below 60.
  return llvm::all_of(llvm::drop_begin(fields),
                      [&](llvm::StringRef f) { return below(f, 60); });
}
} // namespace

int exaforge::driver::runSlurmCommand(const SlurmCommandOptions &options,
                                      const std::string &exaforgeRun) {
  if (options.nodes < 1 || options.tasksPerNode < 1)
    return fail("--nodes and --tasks-per-node must be positive");
  if (options.gpusPerNode < 0 || options.cpusPerTask < 0)
    return fail("--gpus-per-node and --cpus-per-task must not be negative");
  if (options.benchmarkRuns < 0)
    return fail("--benchmark must be positive");
  if (!isPluginName(options.mpi))
    return fail("--mpi '" + options.mpi +
                "' is not the name of one of srun's MPI plugins (srun "
                "--mpi=list shows them: pmix, pmix_v4, pmi2, none, ...)");
  if (!options.time.empty() && !isSlurmTimeLimit(options.time))
    return fail("--time '" + options.time +
                "' is not a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M, "
                "D-H:M:S, or UNLIMITED)");
  for (const auto &[flag, value] :
       {std::pair<const char *, const std::string *>{"--time", &options.time},
        {"--account", &options.account},
        {"--partition", &options.partition},
        {"--job-name", &options.jobName}})
    if (!value->empty() && !isDirectiveValue(*value))
      return fail(llvm::Twine(flag) + " '" + *value +
                  "' may only hold letters, digits and _-.:@+,");
  support::Expected<int64_t> worldSize =
      io::readArtifactWorldSize(options.artifactPath);
  if (!worldSize)
    return fail(worldSize.getMessage());
  int64_t tasks = int64_t(options.nodes) * options.tasksPerNode;
  if (tasks != *worldSize)
    return fail(options.artifactPath + " was compiled for " +
                llvm::Twine(*worldSize) + " ranks, but " +
                llvm::Twine(options.nodes) + " nodes x " +
                llvm::Twine(options.tasksPerNode) + " tasks per node make " +
                llvm::Twine(tasks));

  std::string artifact = makeAbsolute(options.artifactPath);
  std::string jobName = options.jobName;
  if (jobName.empty()) {
    jobName = "exaforge-" +
              llvm::sys::path::stem(llvm::sys::path::filename(artifact)).str();
    for (char &c : jobName)
      if (!isDirectiveValue(llvm::StringRef(&c, 1)))
        c = '_';
  }

  std::string script;
  llvm::raw_string_ostream os(script);
  os << "#!/bin/bash\n"
     << "# Written by `exaforge slurm`: runs " << artifact << "\n"
     << "# on " << tasks << " ranks. Submit with: sbatch THIS_FILE\n"
     << "#SBATCH --job-name=" << jobName << "\n"
     << "#SBATCH --nodes=" << options.nodes << "\n"
     << "#SBATCH --ntasks-per-node=" << options.tasksPerNode << "\n";
  if (options.cpusPerTask > 0)
    os << "#SBATCH --cpus-per-task=" << options.cpusPerTask << "\n";
  if (options.gpusPerNode > 0)
    os << "#SBATCH --gpus-per-node=" << options.gpusPerNode << "\n";
  os << "#SBATCH --time=" << options.time << "\n";
  if (!options.account.empty())
    os << "#SBATCH --account=" << options.account << "\n";
  if (!options.partition.empty())
    os << "#SBATCH --partition=" << options.partition << "\n";
  os << "#SBATCH --output=" << jobName << "-%j.out\n"
     << "\n"
     << "set -euo pipefail\n"
     << "# Each rank's kernels use the cores Slurm gives its task.\n"
     << "export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n";
  if (options.cpusPerTask > 0)
    os << "# srun need not inherit sbatch's --cpus-per-task (Slurm 22.05's\n"
       << "# release notes); this passes it on.\n"
       << "export SRUN_CPUS_PER_TASK=\"$SLURM_CPUS_PER_TASK\"\n";
  os << "# srun's MPI plugin (its --mpi), unless the environment chose one:\n"
     << "# Open MPI started by srun needs PMIx, which the cluster's default\n"
     << "# (MpiDefault) need not be.\n"
     << "export SLURM_MPI_TYPE=\"${SLURM_MPI_TYPE:-" << options.mpi << "}\"\n";
  if (options.gpusPerNode > 0)
    os << "# A CUDA artifact's rank runs on the GPU of its local rank\n"
       << "# (SLURM_LOCALID) among the GPUs its task sees, modulo their\n"
       << "# count: GPU i of the node for local rank i when every task sees\n"
       << "# them all, its own GPU under --gpu-bind.\n";
  os << "\n"
     << "# exaforge-run starts the ranks with srun inside the allocation.\n"
     << quote(exaforgeRun) << " -n \"$SLURM_NTASKS\" " << quote(artifact);
  for (const std::string &input : options.inputs) {
    llvm::StringRef name, file;
    std::tie(name, file) = llvm::StringRef(input).split('=');
    std::string argument = file.empty()
                               ? makeAbsolute(input)
                               : (name + "=" + makeAbsolute(file)).str();
    os << " \\\n    --input " << quote(argument);
  }
  if (!options.outputDir.empty())
    os << " \\\n    --output-dir " << quote(makeAbsolute(options.outputDir));
  if (options.benchmarkRuns > 0)
    os << " \\\n    --benchmark " << options.benchmarkRuns;
  os << "\n";

  if (options.outputPath.empty() || options.outputPath == "-") {
    llvm::outs() << script;
    return ExitSuccess;
  }
  std::error_code ec;
  llvm::raw_fd_ostream file(options.outputPath, ec);
  if (ec)
    return fail("cannot write '" + options.outputPath + "': " + ec.message());
  file << script;
  file.close();
  llvm::sys::fs::setPermissions(options.outputPath,
                                llvm::sys::fs::perms::all_read |
                                    llvm::sys::fs::perms::owner_write |
                                    llvm::sys::fs::perms::all_exe);
  llvm::errs() << "exaforge slurm: wrote " << options.outputPath
               << "; submit it with: sbatch " << options.outputPath << "\n";
  return ExitSuccess;
}
