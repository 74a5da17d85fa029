//===- Launcher.cpp - Starting the ranks of an exaforge-run job -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Launcher.h"

#include "runtime/io/ArtifactRanks.h"

#include "runtime/support/Files.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace exaforge;
using namespace exaforge::launcher;

namespace {
int fail(const std::string &message) {
  std::cerr << "exaforge-run: error: " << message << "\n";
  return 1;
}

/// The program that starts the ranks, and its arguments up to ours.
std::optional<std::vector<std::string>>
getLaunchPrefix(const LaunchOptions &options, int ranks) {
  bool inSlurm = std::getenv("SLURM_JOB_ID") != nullptr;
  bool useSrun = options.launcher == LauncherKind::Srun ||
                 (options.launcher == LauncherKind::Auto && inSlurm);
  const char *name = useSrun ? "srun" : "mpirun";
  support::Expected<std::string> program = support::findProgram(name);
  if (!program && !options.dryRun) {
    fail(program.getMessage() + (useSrun ? "" : " (install openmpi-bin)"));
    return std::nullopt;
  }
  std::vector<std::string> prefix{program ? *program : std::string(name)};
  if (useSrun) {
    // One task per rank; a rank that fails ends the step.
    prefix.push_back("--ntasks=" + std::to_string(ranks));
    prefix.push_back("--kill-on-bad-exit=1");
  } else {
    prefix.insert(prefix.end(), {"-n", std::to_string(ranks), "--oversubscribe",
                                 "--bind-to", "none"});
    if (geteuid() == 0)
      prefix.push_back("--allow-run-as-root");
  }
  prefix.insert(prefix.end(), options.launcherArgs.begin(),
                options.launcherArgs.end());
  return prefix;
}

/// The worker's command line: this program with the user's arguments.
std::vector<std::string> getWorkerArguments(const LaunchOptions &options,
                                            const std::string &self,
                                            const std::string &statusDir) {
  if (options.measureLinks) {
    std::vector<std::string> args{self, "--worker", "--status-dir", statusDir,
                                  "--measure-links"};
    if (options.quickMeasurement)
      args.push_back("--quick");
    return args;
  }
  std::vector<std::string> args{self, "--worker", "--status-dir", statusDir,
                                options.artifactPath};
  for (const std::string &input : options.inputs)
    args.insert(args.end(), {"--input", input});
  if (!options.outputDir.empty())
    args.insert(args.end(), {"--output-dir", options.outputDir});
  if (options.threads > 0)
    args.insert(args.end(), {"--threads", std::to_string(options.threads)});
  if (options.benchmarkRuns > 0)
    args.insert(args.end(),
                {"--benchmark", std::to_string(options.benchmarkRuns)});
  if (options.injectedFailure != InjectedFailure::None) {
    const char *kind =
        options.injectedFailure == InjectedFailure::Error   ? "error"
        : options.injectedFailure == InjectedFailure::Crash ? "crash"
                                                            : "hang";
    args.insert(args.end(), {"--inject-failure",
                             std::to_string(options.injectRank) + ":" + kind});
  }
  return args;
}

/// Runs `args` in a process group of its own; stops the group after
/// `timeoutSeconds` (when positive). Returns the wait status, or nullopt
/// after a timeout.
std::optional<int> runJob(const std::vector<std::string> &args,
                          int timeoutSeconds, bool &timedOut) {
  std::vector<char *> argv;
  for (const std::string &arg : args)
    argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  pid_t child = fork();
  if (child < 0) {
    fail("cannot start '" + args[0] + "': fork failed");
    return std::nullopt;
  }
  if (child == 0) {
    setpgid(0, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  setpgid(child, child);
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  bool terminated = false;
  while (true) {
    int status = 0;
    pid_t done = waitpid(child, &status, timeoutSeconds > 0 ? WNOHANG : 0);
    if (done == child)
      return status;
    if (done < 0)
      return std::nullopt;
    auto now = std::chrono::steady_clock::now();
    if (!terminated && now >= deadline) {
      // mpirun forwards SIGTERM to the ranks; SIGKILL follows if needed.
      timedOut = true;
      terminated = true;
      kill(-child, SIGTERM);
      deadline = now + std::chrono::seconds(5);
    } else if (terminated && now >= deadline) {
      kill(-child, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

/// Prints the failure reports of the ranks; returns how many there were.
int printFailureReports(const std::string &statusDir) {
  std::vector<std::pair<int, std::string>> reports;
  support::Expected<std::vector<std::string>> names =
      support::listDirectory(statusDir);
  for (const std::string &name : names ? *names : std::vector<std::string>()) {
    // rank<N>.txt
    constexpr size_t kPrefix = 4, kSuffix = 4;
    if (name.size() <= kPrefix + kSuffix || name.compare(0, kPrefix, "rank") ||
        name.compare(name.size() - kSuffix, kSuffix, ".txt"))
      continue;
    std::string number = name.substr(kPrefix, name.size() - kPrefix - kSuffix);
    if (number.find_first_not_of("0123456789") != std::string::npos)
      continue;
    int rank = std::atoi(number.c_str());
    support::Expected<std::string> text =
        support::readFile(support::joinPath(statusDir, name));
    if (!text)
      continue;
    size_t first = text->find_first_not_of(" \t\r\n");
    size_t last = text->find_last_not_of(" \t\r\n");
    reports.emplace_back(rank, first == std::string::npos
                                   ? std::string()
                                   : text->substr(first, last - first + 1));
  }
  std::sort(reports.begin(), reports.end());
  for (const auto &[rank, message] : reports)
    fail(message.empty() ? "rank " + std::to_string(rank) + " failed"
                         : message);
  return static_cast<int>(reports.size());
}

std::string quoteForShell(const std::string &arg) {
  if (!arg.empty() &&
      arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
                            "YZ0123456789_-./=:,+@%") == std::string::npos)
    return arg;
  std::string quoted = "'";
  for (char c : arg)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// The number of ranks of the job: the artifact's (checked against -n), or
/// -n (default 2) for --measure-links. Returns nullopt after an error.
std::optional<int> getJobRanks(const LaunchOptions &options) {
  if (options.measureLinks) {
    if (options.ranks == 1) {
      fail("--measure-links needs at least 2 ranks");
      return std::nullopt;
    }
    return options.ranks > 0 ? options.ranks : 2;
  }
  support::Expected<int64_t> worldSize =
      io::readArtifactWorldSize(options.artifactPath);
  if (!worldSize) {
    fail(worldSize.getMessage());
    return std::nullopt;
  }
  int ranks = options.ranks > 0 ? options.ranks : static_cast<int>(*worldSize);
  if (ranks != *worldSize) {
    fail(support::concat(options.artifactPath, " was compiled for ", *worldSize,
                         " rank", (*worldSize == 1 ? "" : "s"),
                         ", but -n asks for ", ranks, ": run it with -n ",
                         *worldSize, ", or recompile it with --ranks ", ranks));
    return std::nullopt;
  }
  return ranks;
}
} // namespace

int exaforge::launcher::launchJob(const LaunchOptions &options,
                                  const char *argv0) {
  std::optional<int> ranks = getJobRanks(options);
  if (!ranks)
    return 1;
  std::optional<std::vector<std::string>> prefix =
      getLaunchPrefix(options, *ranks);
  if (!prefix)
    return 1;
  std::string self = support::getExecutablePath();
  if (self.empty())
    self = argv0;

  std::string statusDir = "STATUS_DIR";
  if (!options.dryRun) {
    support::Expected<std::string> created =
        support::createTemporaryDirectory("exaforge-run");
    if (!created)
      return fail("cannot create a temporary directory: " +
                  created.getMessage());
    statusDir = *created;
  }
  std::vector<std::string> args = *prefix;
  std::vector<std::string> worker =
      getWorkerArguments(options, self, statusDir);
  args.insert(args.end(), worker.begin(), worker.end());
  if (options.dryRun) {
    for (size_t i = 0; i < args.size(); ++i)
      std::cout << (i ? " " : "") << quoteForShell(args[i]);
    std::cout << "\n";
    return 0;
  }

  bool timedOut = false;
  std::optional<int> status = runJob(args, options.timeoutSeconds, timedOut);
  int reported = printFailureReports(statusDir);
  support::removeDirectoryWithFiles(statusDir);
  if (timedOut)
    return fail("the job did not finish within " +
                std::to_string(options.timeoutSeconds) +
                " s (--timeout) and was stopped");
  if (!status)
    return fail("lost track of '" + args[0] + "'");
  if (WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
    return reported ? 1 : 0;
  if (WIFEXITED(*status) && WEXITSTATUS(*status) == 127 && !reported)
    return fail("cannot run '" + args[0] + "'");
  if (!reported)
    fail("the job failed (" + support::getFileName(args[0]) +
         (WIFEXITED(*status)
              ? " exited with status " + std::to_string(WEXITSTATUS(*status))
              : " was killed by signal " + std::to_string(WTERMSIG(*status))) +
         ") and no rank said why; see the messages above");
  return 1;
}
