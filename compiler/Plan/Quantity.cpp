//===- Quantity.cpp - Physical quantities with units ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/Quantity.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace exaforge;
using namespace exaforge::plan;

namespace {
/// A unit and its size in SI base units.
struct Unit {
  llvm::StringRef name;
  double scale;
};

constexpr Unit kByteUnits[] = {{"B", 1},
                               {"kB", 1e3},
                               {"KB", 1e3},
                               {"MB", 1e6},
                               {"GB", 1e9},
                               {"TB", 1e12},
                               {"PB", 1e15},
                               {"KiB", 1024.0},
                               {"MiB", 1048576.0},
                               {"GiB", 1073741824.0},
                               {"TiB", 1099511627776.0},
                               {"PiB", 1125899906842624.0}};

constexpr Unit kBitRateUnits[] = {{"b/s", 1.0 / 8},   {"bit/s", 1.0 / 8},
                                  {"kb/s", 1e3 / 8},  {"kbit/s", 1e3 / 8},
                                  {"Mb/s", 1e6 / 8},  {"Mbit/s", 1e6 / 8},
                                  {"Gb/s", 1e9 / 8},  {"Gbit/s", 1e9 / 8},
                                  {"Tb/s", 1e12 / 8}, {"Tbit/s", 1e12 / 8}};

constexpr Unit kFlopUnits[] = {
    {"FLOP/s", 1},     {"kFLOP/s", 1e3},  {"MFLOP/s", 1e6}, {"GFLOP/s", 1e9},
    {"TFLOP/s", 1e12}, {"PFLOP/s", 1e15}, {"EFLOP/s", 1e18}};

constexpr Unit kTimeUnits[] = {
    {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"µs", 1e-6}, {"ns", 1e-9}};

} // namespace

llvm::StringRef exaforge::plan::describeQuantityKind(QuantityKind kind) {
  switch (kind) {
  case QuantityKind::Bytes:
    return "a size in bytes, e.g. '64 GB' or '24 GiB'";
  case QuantityKind::BytesPerSecond:
    return "a bandwidth, e.g. '1.6 TB/s' or '200 Gb/s'";
  case QuantityKind::FlopsPerSecond:
    return "a throughput, e.g. '19.5 TFLOP/s'";
  case QuantityKind::Seconds:
    return "a duration, e.g. '2 us' or '1.5e-6 s'";
  }
  return "a number";
}

namespace {

/// Looks `name` up among the units of `kind`.
std::optional<double> findUnitScale(llvm::StringRef name, QuantityKind kind) {
  auto lookUp = [](llvm::ArrayRef<Unit> units,
                   llvm::StringRef name) -> std::optional<double> {
    for (const Unit &unit : units)
      if (unit.name == name)
        return unit.scale;
    return std::nullopt;
  };
  switch (kind) {
  case QuantityKind::Bytes:
    return lookUp(kByteUnits, name);
  case QuantityKind::BytesPerSecond: {
    if (std::optional<double> bits = lookUp(kBitRateUnits, name))
      return bits;
    llvm::StringRef bytes = name;
    if (!bytes.consume_back("/s"))
      return std::nullopt;
    return lookUp(kByteUnits, bytes);
  }
  case QuantityKind::FlopsPerSecond:
    return lookUp(kFlopUnits, name);
  case QuantityKind::Seconds:
    return lookUp(kTimeUnits, name);
  }
  return std::nullopt;
}

/// The length of the decimal number at the start of `text` (sign, digits,
/// fraction, exponent), or 0.
size_t getNumberLength(llvm::StringRef text) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && llvm::isDigit(text[i]))
      ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-'))
    ++i;
  size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0)
    return 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t beforeExponent = i++;
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
      ++i;
    if (digits() == 0)
      i = beforeExponent;
  }
  return i;
}

/// Prints `value` with up to 7 significant digits and no trailing zeros.
std::string formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.7g", value);
  return text;
}
} // namespace

mlir::FailureOr<double> exaforge::plan::parseQuantity(llvm::StringRef text,
                                                      QuantityKind kind,
                                                      std::string &error) {
  text = text.trim();
  size_t length = getNumberLength(text);
  double number = 0;
  if (length == 0 || text.take_front(length).getAsDouble(number) ||
      !std::isfinite(number)) {
    error = ("'" + text + "' is not " + describeQuantityKind(kind)).str();
    return mlir::failure();
  }
  llvm::StringRef unit = text.drop_front(length).trim();
  if (unit.empty())
    return number;
  std::optional<double> scale = findUnitScale(unit, kind);
  if (!scale) {
    error = ("unknown unit '" + unit + "' in '" + text + "': expected " +
             describeQuantityKind(kind))
                .str();
    return mlir::failure();
  }
  return number * *scale;
}

std::string exaforge::plan::formatQuantity(double value, QuantityKind kind) {
  if (kind == QuantityKind::Bytes && value >= 1024 &&
      value == std::floor(value)) {
    for (const Unit &unit : llvm::reverse(kByteUnits)) {
      if (!unit.name.ends_with("iB") || value < unit.scale)
        continue;
      double count = value / unit.scale;
      if (count == std::floor(count))
        return formatNumber(count) + " " + unit.name.str();
      break;
    }
  }
  llvm::ArrayRef<Unit> units;
  llvm::SmallVector<Unit> byteRates;
  switch (kind) {
  case QuantityKind::Bytes:
    units = llvm::ArrayRef(kByteUnits).take_front(7);
    break;
  case QuantityKind::BytesPerSecond:
    for (const Unit &unit : llvm::ArrayRef(kByteUnits).take_front(7))
      if (unit.name != "KB")
        byteRates.push_back(unit);
    units = byteRates;
    break;
  case QuantityKind::FlopsPerSecond:
    units = kFlopUnits;
    break;
  case QuantityKind::Seconds:
    if (value == 0)
      return "0 s";
    // From the smallest: ns, us, ms, s.
    for (const Unit &unit : {Unit{"s", 1}, Unit{"ms", 1e-3}, Unit{"us", 1e-6}})
      if (std::fabs(value) >= unit.scale)
        return formatNumber(value / unit.scale) + " " + unit.name.str();
    return formatNumber(value / 1e-9) + " ns";
  }
  // Units are sorted by increasing scale (KB, a spelling of kB, is skipped).
  Unit chosen = units.front();
  for (const Unit &unit : units)
    if (unit.name != "KB" && std::fabs(value) >= unit.scale)
      chosen = unit;
  std::string suffix = chosen.name.str();
  if (kind == QuantityKind::BytesPerSecond)
    suffix += "/s";
  return formatNumber(value / chosen.scale) + " " + suffix;
}
