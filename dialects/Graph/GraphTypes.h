//===- GraphTypes.h - Graph dialect types -----------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The graph dialect's own types, `!graph.sequence` and `!graph.optional`
// (generated from GraphSequenceOps.td), and what may be an element of them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHTYPES_H
#define EXAFORGE_DIALECTS_GRAPH_GRAPHTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "dialects/Graph/GraphOpsTypes.h.inc"

namespace exaforge::graph {

/// Whether `type` may be an element of a sequence whose elements have the
/// type `element`: a ranked tensor of its element type and, when `element`
/// is ranked, of its rank.
bool isSequenceElement(mlir::Type type, mlir::TensorType element);

/// Whether `type` is a sequence or an optional (a value that is not one
/// tensor).
inline bool isSequenceOrOptional(mlir::Type type) {
  return llvm::isa<SequenceType, OptionalType>(type);
}

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHTYPES_H
