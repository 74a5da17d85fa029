//===- Json.h - A small JSON reader for the manifest ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Reads JSON (RFC 8259) into a tree of values: objects, arrays, strings
// (with every escape, \uXXXX included), numbers, booleans and null. It is
// what the runtime reads manifest.json with; it is small (the manifest is a
// few kilobytes) and strict: trailing commas, comments, bare words and
// control characters in strings are errors, and every error names the byte
// offset at fault ("offset 17: expected ':' after an object key").
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_SUPPORT_JSON_H
#define EXAFORGE_RUNTIME_SUPPORT_JSON_H

#include "runtime/support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exaforge::support::json {

class Value;

/// A JSON array.
class Array {
public:
  size_t size() const;
  bool empty() const { return size() == 0; }
  const Value &operator[](size_t index) const;
  const Value *begin() const;
  const Value *end() const;

private:
  friend class Parser;
  std::vector<Value> elements;
};

/// A JSON object: its members in the order of the text. A key given twice
/// is an error of the parser, so keys are unique.
class Object {
public:
  size_t size() const { return keys.size(); }
  /// The key and value of member `index`.
  const std::string &getKey(size_t index) const { return keys[index]; }
  const Value &getValue(size_t index) const;

  /// The value of `key`, or null when there is no such member.
  const Value *get(std::string_view key) const;
  /// The value of `key` when it is of the asked kind, else nothing.
  const std::string *getString(std::string_view key) const;
  std::optional<int64_t> getInteger(std::string_view key) const;
  std::optional<bool> getBoolean(std::string_view key) const;
  const Array *getArray(std::string_view key) const;
  const Object *getObject(std::string_view key) const;

private:
  friend class Parser;
  std::vector<std::string> keys;
  std::vector<Value> values;
};

/// A JSON value.
class Value {
public:
  enum class Kind { Null, Boolean, Number, String, Array, Object };

  Kind getKind() const { return kind; }
  bool isNull() const { return kind == Kind::Null; }

  /// The value when it is of the asked kind, else nothing. getAsInteger
  /// accepts a number without fraction or exponent that fits in int64_t.
  std::optional<bool> getAsBoolean() const;
  std::optional<int64_t> getAsInteger() const;
  std::optional<double> getAsNumber() const;
  const std::string *getAsString() const;
  const json::Array *getAsArray() const;
  const json::Object *getAsObject() const;

private:
  friend class Parser;
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  /// Set for a number written as an integer that fits.
  std::optional<int64_t> integer;
  std::string string;
  std::unique_ptr<json::Array> array;
  std::unique_ptr<json::Object> object;
};

inline size_t Array::size() const { return elements.size(); }
inline const Value &Array::operator[](size_t index) const {
  return elements[index];
}
inline const Value *Array::begin() const { return elements.data(); }
inline const Value *Array::end() const {
  return elements.data() + elements.size();
}
inline const Value &Object::getValue(size_t index) const {
  return values[index];
}

/// Parses `text`, which must hold exactly one JSON value (and white space).
/// Errors say what is wrong and at which byte offset.
Expected<Value> parse(std::string_view text);

/// Reads the file at `path` and parses it as one JSON value; errors name
/// the file (`PATH: invalid JSON: ...`).
Expected<Value> parseFile(const std::string &path);

} // namespace exaforge::support::json

#endif // EXAFORGE_RUNTIME_SUPPORT_JSON_H
