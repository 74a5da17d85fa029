//===- Passes.h - Passes that prepare a compiled artifact -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the passes that make the model function the entry point of a
// compiled artifact and record what its manifest describes (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_ARTIFACT_PASSES_H
#define EXAFORGE_PASSES_ARTIFACT_PASSES_H

#include "exaforge/abi/Contract.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace exaforge::artifact {

/// The name `artifact-prepare-entry-point` gives the model function: a name
/// no host program uses (the contract's `abi::kModelFunctionName`). Its C
/// interface is `_mlir_ciface_` followed by it.
inline constexpr llvm::StringLiteral kCompiledModelFunctionName =
    abi::kModelFunctionName;

#define GEN_PASS_DECL
#include "passes/Artifact/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Artifact/Passes.h.inc"

} // namespace exaforge::artifact

#endif // EXAFORGE_PASSES_ARTIFACT_PASSES_H
