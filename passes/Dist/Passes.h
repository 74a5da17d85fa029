//===- Passes.h - Distribution passes ---------------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the passes that spread a model over ranks (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_PASSES_H
#define EXAFORGE_PASSES_DIST_PASSES_H

#include "dialects/Dist/DistDialect.h"
#include "dialects/Graph/GraphDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace exaforge::dist {

#define GEN_PASS_DECL
#include "passes/Dist/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Dist/Passes.h.inc"

} // namespace exaforge::dist

#endif // EXAFORGE_PASSES_DIST_PASSES_H
