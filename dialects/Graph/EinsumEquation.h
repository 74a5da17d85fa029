//===- EinsumEquation.h - Parsed ONNX Einsum equations ----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Parses an ONNX Einsum equation ("bij,bjk->bik", "...ii->...i", "ij->")
// for given input ranks into loop numbers: each term lists, per dimension,
// the loop that indexes it. The result type inference of `graph.einsum` and
// its lowering to one `linalg.generic` share it.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_EINSUMEQUATION_H
#define EXAFORGE_DIALECTS_GRAPH_EINSUMEQUATION_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace exaforge::graph {

/// An Einsum equation resolved for the ranks of its inputs. Loops
/// `0 ..< numEllipsisLoops` are the dimensions `...` stands for
/// (right-aligned across the inputs, as broadcasting aligns them); the
/// letters follow, in the order they first appear.
struct EinsumEquation {
  /// Per input, the loop of each dimension (a loop may appear twice: a
  /// diagonal).
  llvm::SmallVector<llvm::SmallVector<int64_t>> inputs;
  /// The loop of each result dimension; loops absent here are summed over.
  llvm::SmallVector<int64_t> output;
  /// The number of loops `...` stands for.
  int64_t numEllipsisLoops = 0;
  /// The number of loops in all.
  int64_t numLoops = 0;
};

/// Parses `equation` for inputs of ranks `inputRanks`; on failure returns
/// failure and sets `error` to the reason.
mlir::FailureOr<EinsumEquation>
parseEinsumEquation(llvm::StringRef equation,
                    llvm::ArrayRef<int64_t> inputRanks, std::string &error);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_EINSUMEQUATION_H
