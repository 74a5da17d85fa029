//===- Passes.h - Exaforge conversion passes --------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the conversion passes between Exaforge and upstream dialects (see
// Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_PASSES_H
#define EXAFORGE_PASSES_CONVERSION_PASSES_H

#include "exaforge/abi/Contract.h"

#include "dialects/Kernel/KernelDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace exaforge {

/// Unit attribute on a function argument that holds a model weight: its
/// memory is constant while the artifact is loaded, so
/// `select-kernels` lets the kernels pre-pack it (and then removes the
/// attribute).
inline constexpr llvm::StringLiteral kConstantBufferAttrName =
    "exaforge.constant_buffer";

/// Module attribute in which `insert-profile-regions` lists the profile
/// regions of the compiled code, in region order: an array of dictionaries
/// `{kind = "kernel" | "loop", name = <ONNX node>}`. The compile driver
/// writes it to the artifact's nodes.json (exaforge/abi/Contract.h).
inline constexpr llvm::StringLiteral kProfileRegionsAttrName =
    "artifact.profile_regions";

#define GEN_PASS_DECL
#include "passes/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Conversion/Passes.h.inc"

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_PASSES_H
