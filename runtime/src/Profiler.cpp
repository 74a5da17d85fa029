//===- Profiler.cpp - Timeline of a session's runs ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Profiler.h"
#include "ExecContext.h"
#include "cuda/CudaLaunch.h"

#include "exaforge/abi/profile.h"
#include "runtime/support/JsonWriter.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tuple>

using namespace exaforge::runtime;
namespace json = exaforge::support::json;

const char *
exaforge::runtime::getProfileCategoryName(ProfileCategory category) {
  switch (category) {
  case ProfileCategory::Run:
    return "run";
  case ProfileCategory::Kernel:
    return "kernel";
  case ProfileCategory::Loop:
    return "loop";
  case ProfileCategory::Collective:
    return "collective";
  case ProfileCategory::Transfer:
    return "transfer";
  }
  return "unknown";
}

int64_t Profiler::now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int32_t Profiler::getThreadIndex() {
  auto [it, inserted] = threadIndices.try_emplace(
      std::this_thread::get_id(), static_cast<int32_t>(threadIndices.size()));
  return it->second;
}

ProfileRegion Profiler::describeRegion(int64_t region) const {
  if (region >= 0 && static_cast<size_t>(region) < regions.size())
    return regions[region];
  return ProfileRegion{"region " + std::to_string(region), "",
                       ProfileCategory::Loop};
}

void Profiler::beginRegion(int64_t region) {
  int64_t start = now();
  std::lock_guard<std::mutex> lock(mutex);
  openRegions.push_back(OpenRegion{getThreadIndex(), region, start});
}

void Profiler::endRegion(int64_t region) {
  int64_t end = now();
  std::lock_guard<std::mutex> lock(mutex);
  int32_t thread = getThreadIndex();
  for (size_t i = openRegions.size(); i-- > 0;) {
    OpenRegion open = openRegions[i];
    if (open.thread != thread)
      continue;
    if (open.region != region)
      return; // Not the region this thread opened last: ignored.
    openRegions.erase(openRegions.begin() + i);
    ProfileRegion described = describeRegion(region);
    events.push_back(ProfileEvent{
        std::move(described.name), std::move(described.opType),
        described.category, thread, open.startNs, end - open.startNs, -1});
    return;
  }
}

void Profiler::closeOpenRegions(int64_t endNs) {
  std::lock_guard<std::mutex> lock(mutex);
  // Innermost first, as their ends would have come.
  for (size_t i = openRegions.size(); i-- > 0;) {
    const OpenRegion &open = openRegions[i];
    ProfileRegion described = describeRegion(open.region);
    events.push_back(ProfileEvent{std::move(described.name),
                                  std::move(described.opType),
                                  described.category, open.thread, open.startNs,
                                  endNs - open.startNs, -1});
  }
  openRegions.clear();
}

void Profiler::record(std::string name, ProfileCategory category,
                      int64_t startNs, int64_t endNs, int64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex);
  events.push_back(ProfileEvent{std::move(name), "", category, getThreadIndex(),
                                startNs, endNs - startNs, bytes});
}

std::vector<ProfileEvent> Profiler::getEvents() const {
  std::lock_guard<std::mutex> lock(mutex);
  return events;
}

namespace {
/// Nanoseconds as the microseconds of a trace event ("12.345").
std::string formatMicroseconds(int64_t ns) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.3f", static_cast<double>(ns) / 1e3);
  return text;
}

/// Appends a metadata event naming process `pid` or its thread `tid`.
void appendNameEvent(std::string &out, const char *kind, int64_t pid,
                     int64_t tid, std::string_view name) {
  out += "{\"name\":\"";
  out += kind;
  out += "\",\"ph\":\"M\",\"pid\":" + std::to_string(pid) +
         ",\"tid\":" + std::to_string(tid) + ",\"args\":{\"name\":";
  json::appendQuoted(out, name);
  out += "}}";
}
} // namespace

std::string Profiler::formatTraceEvents(int64_t pid,
                                        std::string_view processName,
                                        int64_t originNs) const {
  std::vector<ProfileEvent> recorded = getEvents();
  int32_t threads = 1;
  for (const ProfileEvent &event : recorded)
    threads = std::max(threads, event.thread + 1);
  std::string out;
  appendNameEvent(out, "process_name", pid, 0, processName);
  for (int32_t thread = 0; thread < threads; ++thread) {
    out += ",";
    appendNameEvent(out, "thread_name", pid, thread,
                    thread == 0 ? "run" : "thread " + std::to_string(thread));
  }
  for (const ProfileEvent &event : recorded) {
    out += ",{\"name\":";
    json::appendQuoted(out, event.name);
    out += ",\"cat\":\"";
    out += getProfileCategoryName(event.category);
    out += "\",\"ph\":\"X\",\"ts\":" +
           formatMicroseconds(event.startNs - originNs) +
           ",\"dur\":" + formatMicroseconds(event.durationNs) +
           ",\"pid\":" + std::to_string(pid) +
           ",\"tid\":" + std::to_string(event.thread) + ",\"args\":{";
    if (event.bytes >= 0)
      out += "\"bytes\":" + std::to_string(event.bytes);
    else if (!event.opType.empty()) {
      out += "\"op_type\":";
      json::appendQuoted(out, event.opType);
    }
    out += "}}";
  }
  return out;
}

std::string Profiler::formatTopOps(size_t count) const {
  std::vector<ProfileEvent> recorded = getEvents();
  int64_t runNs = 0, runs = 0;
  // (op, category) -> (total ns, calls).
  std::map<std::pair<std::string, ProfileCategory>, std::pair<int64_t, int64_t>>
      ops;
  for (const ProfileEvent &event : recorded) {
    if (event.category == ProfileCategory::Run) {
      runNs += event.durationNs;
      ++runs;
      continue;
    }
    std::string op = event.opType.empty() ? event.name : event.opType;
    auto &[total, calls] = ops[{op, event.category}];
    total += event.durationNs;
    ++calls;
  }
  using Row = std::tuple<int64_t, int64_t, std::string, ProfileCategory>;
  std::vector<Row> rows;
  int64_t opsNs = 0;
  for (const auto &[key, value] : ops) {
    rows.emplace_back(value.first, value.second, key.first, key.second);
    opsNs += value.first;
  }
  std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
    return std::get<0>(a) > std::get<0>(b);
  });
  char line[512];
  std::string out;
  double runMs = static_cast<double>(runNs) / 1e6;
  std::snprintf(line, sizeof(line),
                "profile: %lld run(s), %.3f ms in all; the ops below cover "
                "%.1f %% of it\n",
                static_cast<long long>(runs), runMs,
                runNs > 0 ? 100.0 * opsNs / runNs : 0.0);
  out += line;
  std::snprintf(line, sizeof(line), "%8s %12s %8s  %s\n", "share", "total ms",
                "calls", "op (category)");
  out += line;
  for (size_t i = 0; i < rows.size() && i < count; ++i) {
    const auto &[ns, calls, op, category] = rows[i];
    std::snprintf(line, sizeof(line), "%6.1f %% %12.3f %8lld  %s (%s)\n",
                  runNs > 0 ? 100.0 * ns / runNs : 0.0,
                  static_cast<double>(ns) / 1e6, static_cast<long long>(calls),
                  op.c_str(), getProfileCategoryName(category));
    out += line;
  }
  return out;
}

// In a CUDA run, a profiled region waits for the GPU's work at its start
// and its end, so that its time is its own work's (profiling a CUDA run
// therefore waits after every kernel). A GPU failure leaves the run.
namespace {
void waitForGpuWorkWhileProfiling() {
  if (!cuda::waitForRunWork())
    cuda::leaveRun();
}
} // namespace

extern "C" void xf_profile_begin(xf_exec_context *context, int64_t region) {
  if (Profiler *profiler = context ? context->getProfiler() : nullptr) {
    waitForGpuWorkWhileProfiling();
    profiler->beginRegion(region);
  }
}

extern "C" void xf_profile_end(xf_exec_context *context, int64_t region) {
  if (Profiler *profiler = context ? context->getProfiler() : nullptr) {
    waitForGpuWorkWhileProfiling();
    profiler->endRegion(region);
  }
}
