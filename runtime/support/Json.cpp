//===- Json.cpp - A small JSON reader for the manifest --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A recursive-descent parser over the grammar of RFC 8259. Nesting is
// limited (kMaxDepth) so that a hostile file cannot exhaust the stack.
//
//===----------------------------------------------------------------------===//

#include "runtime/support/Json.h"
#include "runtime/support/Files.h"

#include <charconv>
#include <cstring>
#include <tuple>

using namespace exaforge::support;
using namespace exaforge::support::json;

//===----------------------------------------------------------------------===//
// Accessors
//===----------------------------------------------------------------------===//

const Value *Object::get(std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key)
      return &values[i];
  return nullptr;
}

const std::string *Object::getString(std::string_view key) const {
  const Value *value = get(key);
  return value ? value->getAsString() : nullptr;
}

std::optional<int64_t> Object::getInteger(std::string_view key) const {
  const Value *value = get(key);
  return value ? value->getAsInteger() : std::nullopt;
}

std::optional<bool> Object::getBoolean(std::string_view key) const {
  const Value *value = get(key);
  return value ? value->getAsBoolean() : std::nullopt;
}

const Array *Object::getArray(std::string_view key) const {
  const Value *value = get(key);
  return value ? value->getAsArray() : nullptr;
}

const Object *Object::getObject(std::string_view key) const {
  const Value *value = get(key);
  return value ? value->getAsObject() : nullptr;
}

std::optional<bool> Value::getAsBoolean() const {
  if (kind != Kind::Boolean)
    return std::nullopt;
  return boolean;
}

std::optional<int64_t> Value::getAsInteger() const {
  if (kind != Kind::Number)
    return std::nullopt;
  return integer;
}

std::optional<double> Value::getAsNumber() const {
  if (kind != Kind::Number)
    return std::nullopt;
  return number;
}

const std::string *Value::getAsString() const {
  return kind == Kind::String ? &string : nullptr;
}

const Array *Value::getAsArray() const {
  return kind == Kind::Array ? array.get() : nullptr;
}

const Object *Value::getAsObject() const {
  return kind == Kind::Object ? object.get() : nullptr;
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

namespace exaforge::support::json {

/// Parses one text; see the file comment.
class Parser {
public:
  explicit Parser(std::string_view text) : text(text) {}

  Expected<Value> parseDocument() {
    Value value;
    if (Error error = parseValue(value, /*depth=*/0))
      return error;
    skipWhiteSpace();
    if (position != text.size())
      return fail("unexpected text after the JSON value");
    return value;
  }

private:
  /// The deepest nesting of arrays and objects accepted.
  static constexpr int kMaxDepth = 128;

  Error fail(const std::string &message) const {
    return makeError("offset ", position, ": ", message);
  }

  void skipWhiteSpace() {
    while (position < text.size() &&
           (text[position] == ' ' || text[position] == '\t' ||
            text[position] == '\n' || text[position] == '\r'))
      ++position;
  }

  bool atEnd() const { return position >= text.size(); }

  Error parseValue(Value &value, int depth) {
    skipWhiteSpace();
    if (atEnd())
      return fail("expected a value, found the end of the text");
    char c = text[position];
    if (c == '{')
      return parseObject(value, depth);
    if (c == '[')
      return parseArray(value, depth);
    if (c == '"') {
      value.kind = Value::Kind::String;
      return parseString(value.string);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return parseNumber(value);
    for (auto [word, kind, boolean] :
         {std::tuple<std::string_view, Value::Kind, bool>{
              "true", Value::Kind::Boolean, true},
          {"false", Value::Kind::Boolean, false},
          {"null", Value::Kind::Null, false}})
      if (text.substr(position, word.size()) == word) {
        position += word.size();
        value.kind = kind;
        value.boolean = boolean;
        return Error::success();
      }
    return fail(concat("unexpected character '", c, "'"));
  }

  Error parseObject(Value &value, int depth) {
    if (depth >= kMaxDepth)
      return fail("arrays and objects nest too deeply");
    ++position; // '{'
    value.kind = Value::Kind::Object;
    value.object = std::make_unique<Object>();
    Object &object = *value.object;
    skipWhiteSpace();
    if (!atEnd() && text[position] == '}') {
      ++position;
      return Error::success();
    }
    while (true) {
      skipWhiteSpace();
      if (atEnd() || text[position] != '"')
        return fail("expected a string as object key");
      size_t keyStart = position;
      std::string key;
      if (Error error = parseString(key))
        return error;
      if (object.get(key)) {
        position = keyStart;
        return fail("duplicate object key '" + key + "'");
      }
      skipWhiteSpace();
      if (atEnd() || text[position] != ':')
        return fail("expected ':' after an object key");
      ++position;
      Value member;
      if (Error error = parseValue(member, depth + 1))
        return error;
      object.keys.push_back(std::move(key));
      object.values.push_back(std::move(member));
      skipWhiteSpace();
      if (atEnd())
        return fail("unterminated object");
      if (text[position] == '}') {
        ++position;
        return Error::success();
      }
      if (text[position] != ',')
        return fail("expected ',' or '}' in an object");
      ++position;
    }
  }

  Error parseArray(Value &value, int depth) {
    if (depth >= kMaxDepth)
      return fail("arrays and objects nest too deeply");
    ++position; // '['
    value.kind = Value::Kind::Array;
    value.array = std::make_unique<Array>();
    skipWhiteSpace();
    if (!atEnd() && text[position] == ']') {
      ++position;
      return Error::success();
    }
    while (true) {
      Value element;
      if (Error error = parseValue(element, depth + 1))
        return error;
      value.array->elements.push_back(std::move(element));
      skipWhiteSpace();
      if (atEnd())
        return fail("unterminated array");
      if (text[position] == ']') {
        ++position;
        return Error::success();
      }
      if (text[position] != ',')
        return fail("expected ',' or ']' in an array");
      ++position;
    }
  }

  /// Reads four hexadecimal digits of a \u escape.
  Error parseHex4(uint32_t &code) {
    if (position + 4 > text.size())
      return fail("incomplete \\u escape");
    code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text[position++];
      uint32_t digit;
      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      else {
        --position;
        return fail("invalid hexadecimal digit in a \\u escape");
      }
      code = code * 16 + digit;
    }
    return Error::success();
  }

  /// Appends `code` to `out` as UTF-8.
  static void appendUtf8(uint32_t code, std::string &out) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
  }

  /// Parses the string at `position` (which is at its '"').
  Error parseString(std::string &out) {
    ++position; // '"'
    while (true) {
      if (atEnd())
        return fail("unterminated string");
      char c = text[position];
      if (c == '"') {
        ++position;
        return Error::success();
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("control character in a string");
      if (c != '\\') {
        out += c;
        ++position;
        continue;
      }
      ++position;
      if (atEnd())
        return fail("unterminated string");
      char escape = text[position++];
      switch (escape) {
      case '"':
      case '\\':
      case '/':
        out += escape;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t code;
        if (Error error = parseHex4(code))
          return error;
        if (code >= 0xdc00 && code <= 0xdfff)
          return fail("unpaired low surrogate in a \\u escape");
        if (code >= 0xd800 && code <= 0xdbff) {
          uint32_t low;
          if (text.substr(position, 2) != "\\u")
            return fail("a high surrogate must be followed by a low one");
          position += 2;
          if (Error error = parseHex4(low))
            return error;
          if (low < 0xdc00 || low > 0xdfff)
            return fail("a high surrogate must be followed by a low one");
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        }
        appendUtf8(code, out);
        break;
      }
      default:
        --position;
        return fail(concat("invalid escape '\\", escape, "'"));
      }
    }
  }

  /// Parses a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  Error parseNumber(Value &value) {
    size_t start = position;
    auto digits = [&] {
      size_t first = position;
      while (!atEnd() && text[position] >= '0' && text[position] <= '9')
        ++position;
      return position - first;
    };
    if (text[position] == '-')
      ++position;
    if (!atEnd() && text[position] == '0')
      ++position;
    else if (digits() == 0)
      return fail("expected a digit");
    bool integral = true;
    if (!atEnd() && text[position] == '.') {
      ++position;
      integral = false;
      if (digits() == 0)
        return fail("expected a digit after '.'");
    }
    if (!atEnd() && (text[position] == 'e' || text[position] == 'E')) {
      ++position;
      integral = false;
      if (!atEnd() && (text[position] == '+' || text[position] == '-'))
        ++position;
      if (digits() == 0)
        return fail("expected a digit in the exponent");
    }
    const char *first = text.data() + start;
    const char *last = text.data() + position;
    value.kind = Value::Kind::Number;
    if (integral) {
      int64_t integer;
      auto [end, error] = std::from_chars(first, last, integer);
      if (error == std::errc() && end == last)
        value.integer = integer;
    }
    auto [end, error] = std::from_chars(first, last, value.number);
    if (error != std::errc() || end != last) {
      position = start;
      return fail("number out of range");
    }
    return Error::success();
  }

  std::string_view text;
  size_t position = 0;
};

} // namespace exaforge::support::json

Expected<Value> exaforge::support::json::parse(std::string_view text) {
  return Parser(text).parseDocument();
}

Expected<Value> exaforge::support::json::parseFile(const std::string &path) {
  Expected<std::string> text = readFile(path);
  if (!text)
    return text.getError();
  Expected<Value> value = parse(*text);
  if (!value)
    return makeError(path, ": invalid JSON: ", value.getMessage());
  return value;
}
