//===- TraceFile.h - The profile of a run as a trace file -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes the trace of `exaforge run --profile` and `exaforge-run --profile`:
// a Chrome / Perfetto trace-event JSON object, `{"traceEvents": [...],
// "displayTimeUnit": "ms"}`, from the events of one or more processes (the
// ranks), as xf_session_profile_trace_events formats them
// (docs/profiling.md).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_IO_TRACEFILE_H
#define EXAFORGE_RUNTIME_IO_TRACEFILE_H

#include "runtime/support/Error.h"

#include <string>
#include <vector>

namespace exaforge::io {

/// Writes the trace file `path` whose `traceEvents` array holds the events
/// of `processEvents`, each the events of one process separated by commas
/// (an empty string adds nothing).
support::Error writeTraceFile(const std::string &path,
                              const std::vector<std::string> &processEvents);

} // namespace exaforge::io

#endif // EXAFORGE_RUNTIME_IO_TRACEFILE_H
