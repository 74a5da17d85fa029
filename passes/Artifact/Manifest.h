//===- Manifest.h - The manifest recorded in the IR -------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `artifact-record-manifest` records what the artifact's manifest describes
// as one dictionary attribute of the module, so that the artifact writer
// reads it from the lowered module rather than from the model function
// half-way through the pipeline:
//
//   artifact.manifest = {
//     inputs = [{name = "x", dtype = "float32", shape = array<i64: -1, 4>,
//                dim_names = ["batch", ""], sharding = #dist.sharding<...>}],
//     outputs = [{name = "y", dtype = ..., shape = ..., sharding = ...,
//                 produced_on = {pp = 1 : i64}}],
//     weights = [{name = "w", dtype = "float32", shape = array<i64: 4, 2>,
//                 value = dense_resource<w> : tensor<4x4xf32>,
//                 sharding = ...}],
//     mesh = {axes = ["tp"], shape = array<i64: 2>}}
//
// `dtype` is the numpy name of the element type (ONNX's, not the signless
// type of the compiled code); shapes are those of one rank, -1 for a
// dynamic size; `value` is the global value of a weight. `dim_names`,
// `sharding`, `produced_on` and `mesh` are present only where the model has
// them. Inputs and weights are listed in the order of the model function's
// arguments.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_ARTIFACT_MANIFEST_H
#define EXAFORGE_PASSES_ARTIFACT_MANIFEST_H

#include "exaforge/abi/Contract.h"

#include "llvm/ADT/StringRef.h"

namespace exaforge::artifact {

/// The module attribute holding the manifest.
inline constexpr llvm::StringLiteral kManifestAttrName = "artifact.manifest";

/// Keys of the manifest dictionary: those of manifest.json
/// (exaforge/abi/Contract.h) where the two hold the same thing, plus the
/// weights' values, which the artifact writer turns into file offsets.
namespace manifest {
inline constexpr llvm::StringLiteral kInputs = abi::kKeyInputs;
inline constexpr llvm::StringLiteral kOutputs = abi::kKeyOutputs;
inline constexpr llvm::StringLiteral kWeights = abi::kKeyWeights;
inline constexpr llvm::StringLiteral kMesh = abi::kKeyMesh;
inline constexpr llvm::StringLiteral kName = abi::kKeyName;
inline constexpr llvm::StringLiteral kDType = abi::kKeyDType;
inline constexpr llvm::StringLiteral kDimNames = abi::kKeyDimNames;
inline constexpr llvm::StringLiteral kSharding = abi::kKeySharding;
inline constexpr llvm::StringLiteral kProducedOn = abi::kKeyProducedOn;
inline constexpr llvm::StringLiteral kValue = "value";
inline constexpr llvm::StringLiteral kAxes = abi::kKeyAxes;
inline constexpr llvm::StringLiteral kShape = abi::kKeyShape;
} // namespace manifest

} // namespace exaforge::artifact

#endif // EXAFORGE_PASSES_ARTIFACT_MANIFEST_H
