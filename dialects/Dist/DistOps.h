//===- DistOps.h - Exaforge distribution dialect operations -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the dist ops (generated from DistOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_DIST_DISTOPS_H
#define EXAFORGE_DIALECTS_DIST_DISTOPS_H

#include "dialects/Dist/DistDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Dist/DistOps.h.inc"

#endif // EXAFORGE_DIALECTS_DIST_DISTOPS_H
