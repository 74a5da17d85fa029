//===- GraphControlFlowOps.h - Types of graph.if and graph.loop -*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The type rule the ops with regions share (GraphControlFlowOps.td): a value
// that may come from two places (two branches of an If, the initial and the
// yielded value of a loop-carried value) has the join of their types.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHCONTROLFLOWOPS_H
#define EXAFORGE_DIALECTS_GRAPH_GRAPHCONTROLFLOWOPS_H

#include "mlir/IR/BuiltinTypes.h"

namespace exaforge::graph {

/// The type of a value that is either of type `a` or of type `b`: their
/// element type and rank, and the static dimensions on which both agree
/// (the others dynamic). Null when the element types or ranks differ.
mlir::RankedTensorType joinTensorTypes(mlir::RankedTensorType a,
                                       mlir::RankedTensorType b);

/// Whether a value of type `actual` may stand where `declared` is expected:
/// same element type and rank, and every static dimension of `declared`
/// equal in `actual`.
bool isRefinementOf(mlir::Type actual, mlir::Type declared);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHCONTROLFLOWOPS_H
