//===- GraphOps.h - Exaforge graph dialect operations -----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the graph ops (generated from GraphOps.td) and the shared type
// inference helpers their generated code calls.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_H
#define EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_H

#include "dialects/Graph/GraphDialect.h"
#include "dialects/Graph/GraphRecurrentOps.h"
#include "dialects/Graph/GraphTypeInference.h"
#include "dialects/Graph/GraphTypes.h"
#include "dialects/Graph/OpCostOpInterface.h"
#include "dialects/Graph/ShardingRuleOpInterface.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Graph/GraphOps.h.inc"

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_H
