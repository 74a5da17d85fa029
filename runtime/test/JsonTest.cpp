//===- JsonTest.cpp - The runtime's JSON reader ---------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// runtime/support/Json.h reads manifest.json without LLVM: valid documents
// give the values they spell, and malformed ones an error naming the byte
// offset at fault.
//
//===----------------------------------------------------------------------===//

#include "runtime/support/Json.h"

#include <gtest/gtest.h>

#include <string>

using namespace exaforge::support;

namespace {

/// Parses `text`, which must be valid.
json::Value parseValid(const std::string &text) {
  Expected<json::Value> value = json::parse(text);
  EXPECT_TRUE(value) << text << ": " << (value ? "" : value.getMessage());
  return value ? std::move(*value) : json::Value();
}

/// The error of parsing `text`, which must be invalid.
std::string parseError(const std::string &text) {
  Expected<json::Value> value = json::parse(text);
  EXPECT_FALSE(value) << text << " was accepted";
  return value ? "" : value.getMessage();
}

TEST(JsonTest, ReadsAManifestShapedObject) {
  json::Value value = parseValid(R"({
    "format_version": 3,
    "entry": "xf_model_packed",
    "inputs": [{"name": "x", "shape": [-1, 784], "dim_names": ["N", ""]}],
    "ranks": {"world_size": 1},
    "per_rank": true,
    "missing": null
  })");
  const json::Object *object = value.getAsObject();
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->size(), 6u);
  EXPECT_EQ(object->getInteger("format_version"), 3);
  ASSERT_NE(object->getString("entry"), nullptr);
  EXPECT_EQ(*object->getString("entry"), "xf_model_packed");
  EXPECT_EQ(object->getBoolean("per_rank"), true);
  EXPECT_TRUE(object->get("missing")->isNull());
  EXPECT_EQ(object->get("absent"), nullptr);
  EXPECT_EQ(object->getString("format_version"), nullptr);
  EXPECT_EQ(object->getObject("ranks")->getInteger("world_size"), 1);

  const json::Array *inputs = object->getArray("inputs");
  ASSERT_NE(inputs, nullptr);
  ASSERT_EQ(inputs->size(), 1u);
  const json::Array *shape = (*inputs)[0].getAsObject()->getArray("shape");
  ASSERT_EQ(shape->size(), 2u);
  EXPECT_EQ((*shape)[0].getAsInteger(), -1);
  EXPECT_EQ((*shape)[1].getAsInteger(), 784);
  EXPECT_EQ(object->getKey(0), "format_version");
}

TEST(JsonTest, ReadsNumbers) {
  EXPECT_EQ(parseValid("0").getAsInteger(), 0);
  EXPECT_EQ(parseValid("-12").getAsInteger(), -12);
  EXPECT_EQ(parseValid("9223372036854775807").getAsInteger(), INT64_MAX);
  EXPECT_EQ(parseValid("1.5").getAsNumber(), 1.5);
  EXPECT_EQ(parseValid("-2.5e3").getAsNumber(), -2500.0);
  // A fraction or an exponent makes a number that is not an integer.
  EXPECT_EQ(parseValid("1.0").getAsInteger(), std::nullopt);
  EXPECT_EQ(parseValid("1e2").getAsInteger(), std::nullopt);
  // Too large for int64_t: still a number.
  json::Value large = parseValid("18446744073709551616");
  EXPECT_EQ(large.getAsInteger(), std::nullopt);
  EXPECT_EQ(large.getAsNumber(), 18446744073709551616.0);
}

TEST(JsonTest, ReadsStringEscapes) {
  json::Value value =
      parseValid(R"("a\"b\\c\/d\b\f\n\r\t \u0041\u00e9\u20ac\ud83d\ude00")");
  ASSERT_NE(value.getAsString(), nullptr);
  EXPECT_EQ(*value.getAsString(),
            "a\"b\\c/d\b\f\n\r\t A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(JsonTest, ReadsLiteralsAndEmptyContainers) {
  EXPECT_EQ(parseValid("true").getAsBoolean(), true);
  EXPECT_EQ(parseValid(" false ").getAsBoolean(), false);
  EXPECT_TRUE(parseValid("null").isNull());
  EXPECT_TRUE(parseValid("[]").getAsArray()->empty());
  EXPECT_EQ(parseValid("{}").getAsObject()->size(), 0u);
  EXPECT_EQ(parseValid("[[[]]]").getAsArray()->size(), 1u);
}

TEST(JsonTest, ErrorsNameTheOffset) {
  EXPECT_EQ(parseError(""), "offset 0: expected a value, found the end of "
                            "the text");
  EXPECT_EQ(parseError(R"({"a" 1})"),
            "offset 5: expected ':' after an object key");
  EXPECT_EQ(parseError("[1, 2,]"), "offset 6: unexpected character ']'");
  EXPECT_EQ(parseError("[1 2]"), "offset 3: expected ',' or ']' in an array");
  EXPECT_EQ(parseError(R"({"a": 1,})"),
            "offset 8: expected a string as object key");
  EXPECT_EQ(parseError(R"({"a": 1 "b": 2})"),
            "offset 8: expected ',' or '}' in an object");
  EXPECT_EQ(parseError(R"({"a": 1, "a": 2})"),
            "offset 9: duplicate object key 'a'");
  EXPECT_EQ(parseError("[1] x"),
            "offset 4: unexpected text after the JSON value");
}

TEST(JsonTest, RejectsMalformedValues) {
  EXPECT_EQ(parseError("tru"), "offset 0: unexpected character 't'");
  EXPECT_EQ(parseError("01"), "offset 1: unexpected text after the JSON value");
  EXPECT_EQ(parseError("-"), "offset 1: expected a digit");
  EXPECT_EQ(parseError("1."), "offset 2: expected a digit after '.'");
  EXPECT_EQ(parseError("1e"), "offset 2: expected a digit in the exponent");
  EXPECT_EQ(parseError("1e999"), "offset 0: number out of range");
  EXPECT_EQ(parseError("\"abc"), "offset 4: unterminated string");
  EXPECT_EQ(parseError("\"a\nb\""), "offset 2: control character in a string");
  EXPECT_EQ(parseError(R"("\x")"), "offset 2: invalid escape '\\x'");
  EXPECT_EQ(parseError(R"("\u12")"), "offset 3: incomplete \\u escape");
  EXPECT_EQ(parseError(R"("\u12G4")"),
            "offset 5: invalid hexadecimal digit in a \\u escape");
  EXPECT_EQ(parseError(R"("\ud83d")"),
            "offset 7: a high surrogate must be followed by a low one");
  EXPECT_EQ(parseError(R"("\ude00")"),
            "offset 7: unpaired low surrogate in a \\u escape");
  EXPECT_EQ(parseError("[1"), "offset 2: unterminated array");
  EXPECT_EQ(parseError(R"({"a": 1)"), "offset 7: unterminated object");
  EXPECT_EQ(parseError("// comment\n1"), "offset 0: unexpected character '/'");
}

TEST(JsonTest, LimitsNesting) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  EXPECT_EQ(parseError(deep), "offset 128: arrays and objects nest too deeply");
}

} // namespace
