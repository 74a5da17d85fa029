//===- NodesFileWriter.h - nodes.json of an artifact ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes `nodes.json`, the profile regions of an artifact's compiled code
// (exaforge/abi/Contract.h, docs/profiling.md), from the list that
// `insert-profile-regions` recorded in the lowered module and the op types
// the importer saw.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_NODESFILEWRITER_H
#define EXAFORGE_COMPILER_COMPILE_NODESFILEWRITER_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace exaforge {

/// Writes `dir/nodes.json`: region `i` of `module`'s
/// `artifact.profile_regions` at index `i`, with the op type `opTypes`
/// gives its node ("" when the node is not there, as for a model compiled
/// from MLIR). Fails with a diagnostic at the module when the list is
/// missing or the file cannot be written.
mlir::LogicalResult
writeNodesFile(mlir::ModuleOp module, llvm::StringRef dir,
               const std::map<std::string, std::string> &opTypes);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_NODESFILEWRITER_H
