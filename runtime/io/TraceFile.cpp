//===- TraceFile.cpp - The profile of a run as a trace file ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/TraceFile.h"

#include <cerrno>
#include <cstring>
#include <fstream>

using namespace exaforge;

support::Error
io::writeTraceFile(const std::string &path,
                   const std::vector<std::string> &processEvents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    return support::makeError(path, ": cannot write: ", std::strerror(errno));
  file << "{\"traceEvents\":[\n";
  bool first = true;
  for (const std::string &events : processEvents) {
    if (events.empty())
      continue;
    file << (first ? "" : ",\n") << events;
    first = false;
  }
  file << "\n],\"displayTimeUnit\":\"ms\"}\n";
  file.close();
  if (!file)
    return support::makeError(path, ": cannot write: ", std::strerror(errno));
  return support::Error::success();
}
