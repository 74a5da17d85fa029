//===- Profiler.h - Timeline of a session's runs ----------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The profiler of a session (`exaforge run --profile`, `exaforge-run
// --profile`; docs/profiling.md). While a session profiles, each run
// records, as intervals of a steady clock:
//
//   - the run itself (category `run`);
//   - every region of compiled code: a library kernel call (`kernel`) or an
//     outermost loop nest (`loop`), which the compiled code opens and closes
//     with xf_profile_begin / xf_profile_end (exaforge/abi/profile.h), named
//     after its ONNX node by the artifact's nodes.json;
//   - every collective (`collective`) and pipeline send or receive
//     (`transfer`) of the run (runtime/src/Collectives.cpp).
//
// The events become Chrome / Perfetto trace events (one complete, "X",
// event each; formatTraceEvents), and a table of the ops that took the most
// time (formatTopOps). Internal to the runtime; the C API (api.h) exposes
// both.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_PROFILER_H
#define EXAFORGE_RUNTIME_PROFILER_H

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace exaforge::runtime {

/// What an event is: the `cat` of its trace event.
enum class ProfileCategory { Run, Kernel, Loop, Collective, Transfer };

/// The trace-event name of `category` ("run", "kernel", ...).
const char *getProfileCategoryName(ProfileCategory category);

/// A region of compiled code, as the artifact's nodes.json describes it.
struct ProfileRegion {
  /// The ONNX node it computes.
  std::string name;
  /// The node's op type ("Conv"), or "" when unknown.
  std::string opType;
  /// ProfileCategory::Kernel or ProfileCategory::Loop.
  ProfileCategory category = ProfileCategory::Loop;
};

/// One recorded interval.
struct ProfileEvent {
  std::string name;
  /// The ONNX op type of a kernel or loop event ("" when unknown or for
  /// other events).
  std::string opType;
  ProfileCategory category = ProfileCategory::Run;
  /// The recording thread, numbered from 0 in the order threads first
  /// recorded.
  int32_t thread = 0;
  /// Start and duration in nanoseconds of Profiler::now().
  int64_t startNs = 0, durationNs = 0;
  /// The bytes a collective or transfer handed over, or -1.
  int64_t bytes = -1;
};

/// Records the events of a session's runs; thread-safe.
class Profiler {
public:
  /// A profiler of an artifact whose compiled regions are `regions` (empty
  /// for an artifact without profile regions).
  explicit Profiler(std::vector<ProfileRegion> regions)
      : regions(std::move(regions)) {}

  /// The clock of the events, in nanoseconds (steady, process-wide; on
  /// Linux CLOCK_MONOTONIC, which the processes of one machine share).
  static int64_t now();

  /// Opens region `region` on the calling thread.
  void beginRegion(int64_t region);
  /// Closes the region `region` the calling thread opened last and records
  /// it; an end without its begin is ignored.
  void endRegion(int64_t region);
  /// Closes every region still open, on any thread, at `endNs` and records
  /// it: a run that left the compiled code early (out of memory, a failed
  /// collective; EarlyExit.h) never reached their ends. The region the run
  /// stopped in then shows in the trace, and no open region is left to a
  /// later run. Call it once the run's threads are done.
  void closeOpenRegions(int64_t endNs);
  /// Records an interval of the calling thread.
  void record(std::string name, ProfileCategory category, int64_t startNs,
              int64_t endNs, int64_t bytes = -1);

  /// A copy of the events recorded so far, in the order they ended.
  std::vector<ProfileEvent> getEvents() const;

  /// The events as trace-event JSON objects separated by commas (no
  /// brackets, so that the events of several processes concatenate): a
  /// `process_name` metadata event naming process `pid` `processName`, a
  /// `thread_name` one per thread, then one complete ("X") event per
  /// interval, with `ts` and `dur` in microseconds from `originNs`.
  std::string formatTraceEvents(int64_t pid, std::string_view processName,
                                int64_t originNs) const;

  /// A table of the `count` ops that took the most time over all recorded
  /// runs, grouped by op type (the node name where it is unknown) and
  /// category, with their share of the time of the runs.
  std::string formatTopOps(size_t count) const;

private:
  /// The number of the calling thread; `mutex` must be held.
  int32_t getThreadIndex();
  /// Describes region `region` (a placeholder for a number outside
  /// nodes.json, which a corrupt artifact could pass).
  ProfileRegion describeRegion(int64_t region) const;

  /// A region a thread opened and has not closed.
  struct OpenRegion {
    int32_t thread;
    int64_t region;
    int64_t startNs;
  };

  const std::vector<ProfileRegion> regions;
  mutable std::mutex mutex;
  std::map<std::thread::id, int32_t> threadIndices;
  std::vector<OpenRegion> openRegions;
  std::vector<ProfileEvent> events;
};

/// Records one event from its construction to its destruction when
/// `profiler` is not null (a run that is not profiled pays one test).
class ProfileScope {
public:
  ProfileScope(Profiler *profiler, const char *name, ProfileCategory category,
               int64_t bytes = -1)
      : profiler(profiler), name(name), category(category), bytes(bytes),
        startNs(profiler ? Profiler::now() : 0) {}
  ~ProfileScope() {
    if (profiler)
      profiler->record(name, category, startNs, Profiler::now(), bytes);
  }
  ProfileScope(const ProfileScope &) = delete;
  ProfileScope &operator=(const ProfileScope &) = delete;

private:
  Profiler *profiler;
  const char *name;
  ProfileCategory category;
  int64_t bytes;
  int64_t startNs;
};

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_PROFILER_H
