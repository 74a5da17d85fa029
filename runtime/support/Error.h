//===- Error.h - Errors of the runtime without LLVM -------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The runtime links neither libLLVM nor libMLIR, so it reports failures with
// these two small types instead of llvm::Error and llvm::Expected: an Error
// is a message (or success), an Expected<T> a value or an Error. Messages
// name what is at fault ("model.xf/manifest.json: missing 'entry'") and are
// built with concat().
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_SUPPORT_ERROR_H
#define EXAFORGE_RUNTIME_SUPPORT_ERROR_H

#include <cassert>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

namespace exaforge::support {

/// Concatenates the printed forms of `parts` (strings, numbers).
template <typename... Parts> std::string concat(const Parts &...parts) {
  std::ostringstream stream;
  (stream << ... << parts);
  return stream.str();
}

/// Success, or a failure with a message. Converts to true on failure, so
/// `if (Error error = f()) return error;` passes a failure on.
class [[nodiscard]] Error {
public:
  /// No failure.
  static Error success() { return Error(); }
  /// A failure that says `message`.
  static Error failure(std::string message) {
    Error error;
    error.message = std::move(message);
    return error;
  }

  /// True on failure.
  explicit operator bool() const { return message.has_value(); }
  /// The message of a failure.
  const std::string &getMessage() const {
    assert(message && "success has no message");
    return *message;
  }

private:
  Error() = default;
  std::optional<std::string> message;
};

/// A failure whose message is the concatenation of `parts`.
template <typename... Parts> Error makeError(const Parts &...parts) {
  return Error::failure(concat(parts...));
}

/// A value of type T, or the failure that kept it from being made.
/// Converts to true when it holds a value.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value(std::move(value)), error(Error::success()) {}
  /// `error` must be a failure.
  Expected(Error error) : error(std::move(error)) {
    assert(this->error && "an Expected without a value needs a failure");
  }

  /// True when a value is held.
  explicit operator bool() const { return value.has_value(); }
  T &operator*() { return *value; }
  const T &operator*() const { return *value; }
  T *operator->() { return &*value; }
  const T *operator->() const { return &*value; }

  /// The failure; only when no value is held.
  const Error &getError() const { return error; }
  /// The message of the failure; only when no value is held.
  const std::string &getMessage() const { return error.getMessage(); }

private:
  std::optional<T> value;
  Error error;
};

} // namespace exaforge::support

#endif // EXAFORGE_RUNTIME_SUPPORT_ERROR_H
