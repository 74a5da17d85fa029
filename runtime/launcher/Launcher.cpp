//===- Launcher.cpp - Starting the ranks of an exaforge-run job -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Launcher.h"
#include "Transport.h"

#include "runtime/io/ArtifactRanks.h"

#include "runtime/support/Files.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
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
  if (!options.profilePath.empty())
    args.insert(args.end(), {"--profile", options.profilePath});
  if (options.transport != Transport::Auto)
    args.insert(args.end(),
                {"--communicator",
                 options.transport == Transport::Nccl ? "nccl" : "mpi"});
  if (options.injectedFailure != InjectedFailure::None) {
    const char *kind =
        options.injectedFailure == InjectedFailure::Error        ? "error"
        : options.injectedFailure == InjectedFailure::Crash      ? "crash"
        : options.injectedFailure == InjectedFailure::Kill       ? "kill"
        : options.injectedFailure == InjectedFailure::Collective ? "collective"
                                                                 : "hang";
    args.insert(args.end(), {"--inject-failure",
                             std::to_string(options.injectRank) + ":" + kind});
  }
  return args;
}

/// The signal that asked this launcher to stop (SIGINT, SIGTERM, SIGHUP),
/// or 0. The job is then stopped like after a timeout, so that its ranks
/// do not outlive the launcher and every message is still printed.
volatile std::sig_atomic_t stopRequest = 0;

void onStopRequest(int signal) { stopRequest = signal; }

/// How the job started by runJob ended.
struct JobEnd {
  /// The wait status of mpirun or srun; nullopt when it was lost.
  std::optional<int> status;
  /// Stopped after --timeout.
  bool timedOut = false;
  /// The signal that stopped it through this launcher, or 0.
  int stoppedBy = 0;
};

/// Runs `args` in a process group of its own, its stderr sent to the file
/// `heldStderr`; stops the group after `timeoutSeconds` (when positive) or
/// when this launcher is asked to stop.
JobEnd runJob(const std::vector<std::string> &args, int timeoutSeconds,
              const std::string &heldStderr) {
  JobEnd end;
  std::vector<char *> argv;
  for (const std::string &arg : args)
    argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  int held = open(heldStderr.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (held < 0) {
    fail("cannot create '" + heldStderr + "'");
    return end;
  }
  pid_t child = fork();
  if (child < 0) {
    close(held);
    fail("cannot start '" + args[0] + "': fork failed");
    return end;
  }
  if (child == 0) {
    setpgid(0, 0);
    dup2(held, STDERR_FILENO);
    close(held);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(held);
  setpgid(child, child);
  for (int signal : {SIGINT, SIGTERM, SIGHUP})
    std::signal(signal, onStopRequest);
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  bool terminated = false;
  while (true) {
    int status = 0;
    pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) {
      end.status = status;
      break;
    }
    if (done < 0 && errno != EINTR)
      break;
    auto now = std::chrono::steady_clock::now();
    bool timeUp = timeoutSeconds > 0 && now >= deadline;
    if (!terminated && (timeUp || stopRequest)) {
      // mpirun forwards SIGTERM to the ranks; SIGKILL follows if needed.
      end.timedOut = !stopRequest;
      end.stoppedBy = stopRequest;
      terminated = true;
      kill(-child, SIGTERM);
      deadline = now + std::chrono::seconds(5);
    } else if (terminated && now >= deadline) {
      kill(-child, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int signal : {SIGINT, SIGTERM, SIGHUP})
    std::signal(signal, SIG_DFL);
  return end;
}

/// The rank R of a status file named `rank<R><suffix>`, or -1.
int getRankOfStatusFile(const std::string &name, const std::string &suffix) {
  constexpr size_t kPrefix = 4;
  if (name.size() <= kPrefix + suffix.size() ||
      name.compare(0, kPrefix, "rank") ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix))
    return -1;
  std::string number =
      name.substr(kPrefix, name.size() - kPrefix - suffix.size());
  if (number.size() > 9 ||
      number.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::atoi(number.c_str());
}

/// The text of each `rank<R><suffix>` file in `statusDir`, trimmed, in
/// rank order.
std::vector<std::pair<int, std::string>>
readStatusFiles(const std::string &statusDir, const std::string &suffix) {
  std::vector<std::pair<int, std::string>> files;
  support::Expected<std::vector<std::string>> names =
      support::listDirectory(statusDir);
  for (const std::string &name : names ? *names : std::vector<std::string>()) {
    int rank = getRankOfStatusFile(name, suffix);
    if (rank < 0)
      continue;
    support::Expected<std::string> text =
        support::readFile(support::joinPath(statusDir, name));
    if (!text)
      continue;
    size_t first = text->find_first_not_of(" \t\r\n");
    size_t last = text->find_last_not_of(" \t\r\n");
    files.emplace_back(rank, first == std::string::npos
                                 ? std::string()
                                 : text->substr(first, last - first + 1));
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The failure reports of the ranks (`rank<R>.txt`, Worker.h).
std::vector<std::string> getFailureReports(const std::string &statusDir) {
  std::vector<std::string> messages;
  for (const auto &[rank, message] : readStatusFiles(statusDir, ".txt"))
    messages.push_back(
        message.empty() ? "rank " + std::to_string(rank) + " failed" : message);
  return messages;
}

/// One message per rank that died without a word: its `rank<R>.running`
/// ("HOST PID") is still there after the job, so it ended in no way it
/// could see (Worker.h).
std::vector<std::string> getSilentDeaths(const std::string &statusDir) {
  std::vector<std::string> messages;
  for (const auto &[rank, record] : readStatusFiles(statusDir, ".running")) {
    size_t space = record.find(' ');
    std::string host = record.substr(0, space);
    std::string pid =
        space == std::string::npos ? std::string() : record.substr(space + 1);
    messages.push_back(
        "rank " + std::to_string(rank) + " on host " +
        (host.empty() ? std::string("unknown") : host) +
        (pid.empty() ? std::string() : " (pid " + pid + ")") +
        " died without a word: it was killed by a signal it cannot catch "
        "(SIGKILL, as sent by the out-of-memory killer, a user or the batch "
        "system), or its node failed");
  }
  return messages;
}

/// Copies the messages mpirun or srun wrote while the job ran to stderr.
void printHeldMessages(const std::string &heldStderr) {
  support::Expected<std::string> text = support::readFile(heldStderr);
  if (!text || text->empty())
    return;
  std::cerr << *text;
  if (text->back() != '\n')
    std::cerr << "\n";
  std::cerr.flush();
}

/// Exaforge's messages about a job that ended as `end` (none when it
/// succeeded): the ranks that died without a word, the failure reports, and
/// how the job ended when no rank said why. `launcher` is mpirun's or
/// srun's path.
std::vector<std::string> getJobErrors(const JobEnd &end,
                                      const std::string &statusDir,
                                      const std::string &launcher,
                                      int timeoutSeconds) {
  bool succeeded =
      end.status && WIFEXITED(*end.status) && WEXITSTATUS(*end.status) == 0;
  std::vector<std::string> errors;
  if (!succeeded && !end.timedOut && !end.stoppedBy) {
    errors = getSilentDeaths(statusDir);
    // srun ends the other ranks of a failed step with SIGKILL, so they leave
    // their records too (mpirun sends SIGTERM first, which they see).
    if (errors.size() > 1 && support::getFileName(launcher) == "srun")
      errors.push_back("srun kills the ranks left after one fails with "
                       "SIGKILL, so some of these were killed by srun: its "
                       "message below names the rank that ended first");
  }
  for (std::string &report : getFailureReports(statusDir))
    errors.push_back(std::move(report));
  if (end.timedOut)
    errors.push_back("the job did not finish within " +
                     std::to_string(timeoutSeconds) +
                     " s (--timeout) and was stopped");
  else if (end.stoppedBy)
    errors.push_back("the job was stopped: exaforge-run received signal " +
                     std::to_string(end.stoppedBy));
  else if (!end.status)
    errors.push_back("lost track of '" + launcher + "'");
  else if (!succeeded && errors.empty())
    errors.push_back(
        WIFEXITED(*end.status) && WEXITSTATUS(*end.status) == 127
            ? "cannot run '" + launcher + "'"
            : "the job failed (" + support::getFileName(launcher) +
                  (WIFEXITED(*end.status)
                       ? " exited with status " +
                             std::to_string(WEXITSTATUS(*end.status))
                       : " was killed by signal " +
                             std::to_string(WTERMSIG(*end.status))) +
                  ") and no rank said why; see the messages below");
  return errors;
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
  if (!options.measureLinks)
    if (support::Expected<Transport> transport = chooseTransport(options);
        !transport)
      return fail(transport.getMessage());
  std::optional<std::vector<std::string>> prefix =
      getLaunchPrefix(options, *ranks);
  if (!prefix)
    return 1;
  std::string self = support::getExecutablePath();
  if (self.empty())
    self = argv0;

  std::string statusDir = "STATUS_DIR";
  if (!options.dryRun) {
    // Under srun the ranks run on other nodes, which share the job's
    // working directory, not this node's $TMPDIR (used where the working
    // directory is not writable, and for mpirun).
    bool underSrun = support::getFileName((*prefix)[0]) == "srun";
    char workingDirectory[4096] = {0};
    std::string parent =
        underSrun && getcwd(workingDirectory, sizeof(workingDirectory))
            ? workingDirectory
            : "";
    support::Expected<std::string> created =
        support::createTemporaryDirectory("exaforge-run", parent);
    if (!created && !parent.empty())
      created = support::createTemporaryDirectory("exaforge-run");
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

  // mpirun's and srun's own messages (their banners on a failure) are held
  // until the job ends and printed after Exaforge's, which name the rank;
  // the ranks report through the status directory, not on stderr.
  std::string heldStderr = support::joinPath(statusDir, "launcher-stderr.txt");
  JobEnd end = runJob(args, options.timeoutSeconds, heldStderr);
  std::vector<std::string> errors =
      getJobErrors(end, statusDir, args[0], options.timeoutSeconds);
  for (const std::string &error : errors)
    fail(error);
  std::cerr.flush();
  printHeldMessages(heldStderr);
  support::removeDirectoryWithFiles(statusDir);
  return errors.empty() ? 0 : 1;
}
