//===- JsonWriterTest.cpp - JSON strings of the runtime's writers ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// runtime/support/JsonWriter.h quotes ONNX node names for the profiler's
// trace: any bytes become a valid JSON string in valid UTF-8, which the
// runtime's own JSON reader reads back to the same text (U+FFFD for bytes
// that are not UTF-8).
//
//===----------------------------------------------------------------------===//

#include "runtime/support/JsonWriter.h"
#include "runtime/support/Json.h"

#include <gtest/gtest.h>

#include <string>

using namespace exaforge::support;

namespace {

/// Quotes `text` and reads it back with the JSON reader.
std::string roundTrip(const std::string &text) {
  std::string quoted = json::quote(text);
  Expected<json::Value> value = json::parse(quoted);
  EXPECT_TRUE(value) << quoted << ": " << (value ? "" : value.getMessage());
  if (!value || !value->getAsString())
    return "<not a string>";
  return *value->getAsString();
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json::quote("conv1"), "\"conv1\"");
  EXPECT_EQ(json::quote("/blocks.0/Mul \"gate\""),
            "\"/blocks.0/Mul \\\"gate\\\"\"");
  EXPECT_EQ(json::quote("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(json::quote("line\nnext\ttab\r"), "\"line\\nnext\\ttab\\r\"");
  EXPECT_EQ(json::quote(std::string("nul\0bell\x07"
                                    "del\x7f",
                                    13)),
            "\"nul\\u0000bell\\u0007del\\u007f\"");
  EXPECT_EQ(json::quote(""), "\"\"");
}

TEST(JsonWriterTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  // Two-, three- and four-byte sequences stay as they are.
  EXPECT_EQ(json::quote("Größe_ノード_\xF0\x9F\x98\x80"),
            "\"Größe_ノード_\xF0\x9F\x98\x80\"");
  // A lone continuation byte, a truncated sequence, an overlong '/', a
  // surrogate and a byte never valid in UTF-8 each become U+FFFD.
  EXPECT_EQ(json::quote("a\x80"), "\"a\\ufffd\"");
  EXPECT_EQ(json::quote("\xE3\x83"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(json::quote("\xC0\xAF"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(json::quote("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
  EXPECT_EQ(json::quote("\xFF"), "\"\\ufffd\"");
}

TEST(JsonWriterTest, OddNodeNamesReadBackUnchanged) {
  for (const std::string &name :
       {std::string("/model/layers.0/attn/MatMul"), std::string("a \"b\" \\c"),
        std::string("tab\there\nnewline"), std::string("\x01\x1f"),
        std::string("ノード"), std::string("{\"ph\":\"E\"}")})
    EXPECT_EQ(roundTrip(name), name);
  EXPECT_EQ(roundTrip("bad\xFFname"), "bad\xEF\xBF\xBDname");
}

} // namespace
