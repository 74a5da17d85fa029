//===- JsonWriter.h - JSON strings for the runtime's writers ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes text as a JSON string literal (RFC 8259), for the runtime's JSON
// outputs (the profiler's trace, runtime/src/Profiler.h). ONNX node names
// are arbitrary bytes: quotes and backslashes are escaped, control
// characters become \uXXXX, valid UTF-8 is kept as it is and every byte
// that is not part of a valid UTF-8 sequence becomes U+FFFD, so the output
// is always valid JSON in valid UTF-8.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_SUPPORT_JSONWRITER_H
#define EXAFORGE_RUNTIME_SUPPORT_JSONWRITER_H

#include <string>
#include <string_view>

namespace exaforge::support::json {

/// Appends `text` to `out` as a JSON string literal, quotes included (see
/// the file comment).
void appendQuoted(std::string &out, std::string_view text);

/// Returns `text` as a JSON string literal, quotes included.
std::string quote(std::string_view text);

} // namespace exaforge::support::json

#endif // EXAFORGE_RUNTIME_SUPPORT_JSONWRITER_H
