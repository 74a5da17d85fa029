//===- Quantity.h - Physical quantities with units --------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Parsing and printing of the quantities a machine description holds: byte
// counts ("64 GB", "24 GiB"), bandwidths ("1.6 TB/s", "200 Gb/s"), arithmetic
// throughputs ("19.5 TFLOP/s") and durations ("2.5 us"). A plain number is
// in SI base units (bytes, bytes/s, FLOP/s, seconds). The units are listed
// in docs/design/machine-descriptions.md.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_QUANTITY_H
#define EXAFORGE_COMPILER_PLAN_QUANTITY_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace exaforge::plan {

/// What a quantity measures; decides which units it may be written in.
enum class QuantityKind {
  /// Bytes: B, kB, MB, GB, TB, PB (powers of 1000) or KiB, MiB, GiB, TiB,
  /// PiB (powers of 1024).
  Bytes,
  /// Bytes per second: a byte unit followed by "/s", or bits per second:
  /// b/s, kb/s, Mb/s, Gb/s, Tb/s (also spelled kbit/s, ..., Tbit/s).
  BytesPerSecond,
  /// Arithmetic operations per second: FLOP/s, kFLOP/s, MFLOP/s, GFLOP/s,
  /// TFLOP/s, PFLOP/s, EFLOP/s.
  FlopsPerSecond,
  /// Seconds: s, ms, us (or µs), ns.
  Seconds,
};

/// A phrase naming what a quantity of `kind` is, with an example, e.g. "a
/// bandwidth, e.g. '1.6 TB/s' or '200 Gb/s'" (for messages).
llvm::StringRef describeQuantityKind(QuantityKind kind);

/// Parses `text`, a number optionally followed by a unit of `kind`, into SI
/// base units. Fails with a message saying what was expected. Does not check
/// the sign (callers decide what is valid).
mlir::FailureOr<double> parseQuantity(llvm::StringRef text, QuantityKind kind,
                                      std::string &error);

/// Prints `value` (SI base units) with the largest decimal unit of `kind`
/// that keeps the number at least 1, e.g. "19.5 TFLOP/s"; byte counts that
/// are whole multiples of a power of 1024 use binary units ("24 GiB").
/// parseQuantity reads the text back to within 7 significant digits.
std::string formatQuantity(double value, QuantityKind kind);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_QUANTITY_H
