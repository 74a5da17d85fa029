//===- GraphDialect.h - Exaforge graph dialect ------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the `graph` dialect class. Include GraphOps.h for the ops.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHDIALECT_H
#define EXAFORGE_DIALECTS_GRAPH_GRAPHDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Graph/GraphOpsDialect.h.inc"

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHDIALECT_H
