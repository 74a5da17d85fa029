//===- Passes.h - Graph dialect passes --------------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the passes over the graph dialect (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_GRAPH_PASSES_H
#define EXAFORGE_PASSES_GRAPH_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace exaforge::graph {

#define GEN_PASS_DECL
#include "passes/Graph/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Graph/Passes.h.inc"

} // namespace exaforge::graph

#endif // EXAFORGE_PASSES_GRAPH_PASSES_H
