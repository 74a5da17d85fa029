//===- ProfilerTest.cpp - The profiler of a session's runs ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// runtime/src/Profiler.h: regions opened and closed by compiled code
// become complete trace events named after their nodes (escaped), a
// mismatched end is ignored, events of other kinds keep their bytes, and
// the top-ops table groups by op type and category. Profiled runs of a
// compiled model are tested end to end by test/Runtime/run-profile.test.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Profiler.h"

#include "runtime/support/Json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace exaforge::runtime;
using namespace exaforge::support;

namespace {

/// The events of `profiler` as a JSON array, parsed.
json::Value parseEvents(const Profiler &profiler, int64_t origin) {
  std::string text =
      "[" + profiler.formatTraceEvents(3, "rank 3", origin) + "]";
  Expected<json::Value> value = json::parse(text);
  EXPECT_TRUE(value) << text << ": " << (value ? "" : value.getMessage());
  return value ? std::move(*value) : json::Value();
}

TEST(ProfilerTest, RegionsBecomeCompleteEventsNamedAfterTheirNodes) {
  Profiler profiler(
      {ProfileRegion{"conv \"1\"\n", "Conv", ProfileCategory::Kernel},
       ProfileRegion{"relu", "Relu", ProfileCategory::Loop}});
  int64_t origin = Profiler::now();
  profiler.beginRegion(0);
  profiler.endRegion(0);
  profiler.beginRegion(1);
  profiler.endRegion(0); // Not the region open last: ignored.
  profiler.endRegion(1);
  profiler.endRegion(1);   // Nothing open: ignored.
  profiler.beginRegion(7); // Outside nodes.json: named by its number.
  profiler.endRegion(7);
  profiler.record("all_reduce", ProfileCategory::Collective, origin,
                  origin + 2500, 4096);

  json::Value value = parseEvents(profiler, origin);
  const json::Array *events = value.getAsArray();
  ASSERT_TRUE(events);
  // process_name, thread_name, then the four intervals.
  ASSERT_EQ(events->size(), 6u);
  const json::Object &process = *(*events)[0].getAsObject();
  EXPECT_EQ(*process.getString("ph"), "M");
  EXPECT_EQ(*process.getObject("args")->getString("name"), "rank 3");
  const json::Object &conv = *(*events)[2].getAsObject();
  EXPECT_EQ(*conv.getString("name"), "conv \"1\"\n");
  EXPECT_EQ(*conv.getString("cat"), "kernel");
  EXPECT_EQ(*conv.getString("ph"), "X");
  EXPECT_EQ(conv.getInteger("pid"), 3);
  EXPECT_EQ(*conv.getObject("args")->getString("op_type"), "Conv");
  EXPECT_GE(*conv.get("ts")->getAsNumber(), 0.0);
  EXPECT_EQ(*(*events)[3].getAsObject()->getString("cat"), "loop");
  EXPECT_EQ(*(*events)[4].getAsObject()->getString("name"), "region 7");
  const json::Object &collective = *(*events)[5].getAsObject();
  EXPECT_EQ(*collective.getString("cat"), "collective");
  EXPECT_EQ(*collective.get("dur")->getAsNumber(), 2.5);
  EXPECT_EQ(collective.getObject("args")->getInteger("bytes"), 4096);
}

TEST(ProfilerTest, RegionsLeftOpenByAStoppedRunAreClosedThere) {
  // A run that left the compiled code early (out of memory) never reached
  // the ends of the regions it was in: they end where it stopped, and the
  // next run's regions pair as usual.
  Profiler profiler({ProfileRegion{"outer", "Add", ProfileCategory::Loop},
                     ProfileRegion{"conv", "Conv", ProfileCategory::Kernel}});
  int64_t origin = Profiler::now();
  profiler.beginRegion(0);
  profiler.beginRegion(1);
  int64_t stop = Profiler::now() + 1000;
  profiler.closeOpenRegions(stop);
  profiler.beginRegion(1);
  profiler.endRegion(1);
  profiler.endRegion(0); // Closed at the stop already: ignored.

  std::vector<ProfileEvent> events = profiler.getEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].name, "conv"); // The innermost first.
  EXPECT_EQ(events[0].startNs + events[0].durationNs, stop);
  EXPECT_EQ(events[1].name, "outer");
  EXPECT_EQ(events[1].category, ProfileCategory::Loop);
  EXPECT_EQ(events[1].startNs + events[1].durationNs, stop);
  EXPECT_LE(events[1].startNs, events[0].startNs);
  EXPECT_EQ(events[2].name, "conv");
  EXPECT_GE(events[2].startNs, events[0].startNs);
  parseEvents(profiler, origin);
}

TEST(ProfilerTest, TopOpsGroupByOpTypeAndCategory) {
  Profiler profiler({ProfileRegion{"a", "Conv", ProfileCategory::Kernel},
                     ProfileRegion{"b", "Conv", ProfileCategory::Kernel},
                     ProfileRegion{"c", "Conv", ProfileCategory::Loop}});
  int64_t t = Profiler::now();
  profiler.record("run", ProfileCategory::Run, t, t + 10'000'000);
  profiler.beginRegion(0);
  profiler.endRegion(0);
  profiler.beginRegion(1);
  profiler.endRegion(1);
  profiler.beginRegion(2);
  profiler.endRegion(2);
  std::string table = profiler.formatTopOps(10);
  EXPECT_NE(table.find("profile: 1 run(s), 10.000 ms in all"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("2  Conv (kernel)"), std::string::npos) << table;
  EXPECT_NE(table.find("1  Conv (loop)"), std::string::npos) << table;
  // One row only. Which one depends on the regions' clock times (under a
  // sanitizer and load, the single loop region once outlasted the two
  // kernel regions); TopOpsListTheLongestFirst checks the order.
  std::string top = profiler.formatTopOps(1);
  size_t first = top.find("Conv (");
  ASSERT_NE(first, std::string::npos) << top;
  EXPECT_EQ(top.find("Conv (", first + 1), std::string::npos) << top;
}

TEST(ProfilerTest, TopOpsListTheLongestFirst) {
  // Intervals with set times: 5 ms of kernel, 1 ms of loop.
  Profiler profiler({});
  int64_t t = Profiler::now();
  profiler.record("run", ProfileCategory::Run, t, t + 10'000'000);
  profiler.record("Long", ProfileCategory::Kernel, t, t + 5'000'000);
  profiler.record("Short", ProfileCategory::Loop, t, t + 1'000'000);
  std::string table = profiler.formatTopOps(10);
  size_t longRow = table.find("Long (kernel)");
  ASSERT_NE(longRow, std::string::npos) << table;
  EXPECT_LT(longRow, table.find("Short (loop)")) << table;
  std::string top = profiler.formatTopOps(1);
  EXPECT_NE(top.find("Long (kernel)"), std::string::npos) << top;
  EXPECT_EQ(top.find("Short"), std::string::npos) << top;
}

} // namespace
