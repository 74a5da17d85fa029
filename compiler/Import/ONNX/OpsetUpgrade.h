//===- OpsetUpgrade.h - Old opsets through ONNX's converter -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Internal header of the ONNX importer. A model whose default-domain opset
// is older than the first opset some of its ops have an importer for is
// upgraded, before import, with ONNX's own version converter (libonnx's
// `version_conversion::ConvertVersion`), after ONNX's shape inference has
// filled the intermediate shapes its adapters read. Per-opset importers for
// old opsets are thereby unnecessary. See docs/compiling-models.md.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_IMPORT_ONNX_OPSETUPGRADE_H
#define EXAFORGE_COMPILER_IMPORT_ONNX_OPSETUPGRADE_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace exaforge::onnx_import {

/// Returns the newest default-domain opset ONNX's version converter (the
/// libonnx Exaforge is built against) can convert a model to.
int64_t getNewestConvertibleOpset();

/// Returns the opset `model` must be upgraded to so that every node of its
/// graphs (subgraphs included) whose op the importer knows has an importer:
/// the highest first registered version among the nodes that have none at
/// the model's default-domain opset although ONNX defines their op there.
/// Returns 0 when no node needs an upgrade, when the model imports no
/// default-domain opset, when a default-domain node's op does not exist in
/// ONNX at the model's opset, or when the opset needed is newer than
/// `getNewestConvertibleOpset()` (the importer then refuses the node itself,
/// naming, where it can, the opset its op is supported from).
int64_t getRequiredOpset(const onnx::ModelProto &model);

/// Upgrades `model` in place to the default-domain opset `targetOpset` (at
/// most `getNewestConvertibleOpset()`) with
/// ONNX's version converter. Initializers do not go through the converter
/// (they are set aside and put back), so external data and large weights
/// are neither copied nor lost. Where the converter cannot convert, emits an
/// error at the node to blame (located, as imported nodes are, at its name
/// within `fileLoc`, the model file), or at `fileLoc` when no single node is,
/// and returns failure; the model is then unspecified.
mlir::LogicalResult upgradeOpset(onnx::ModelProto &model, int64_t targetOpset,
                                 mlir::Location fileLoc);

} // namespace exaforge::onnx_import

#endif // EXAFORGE_COMPILER_IMPORT_ONNX_OPSETUPGRADE_H
