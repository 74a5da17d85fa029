//===- ImportFolding.h - Folding ops while a model imports ------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Exported models and ONNX function expansions compute shapes at run time
// (Shape, Slice, Sub, ConstantOfShape, Concat, ...) that are known at compile
// time. The importers of the nodes that consume such values (Reshape's
// `shape`, Expand's `shape`, Range, Slice's `starts`, ...) need them as
// constants. `ImportFolder` records the ops one node's builder creates and
// then folds those whose results are small constants, with the ops' own
// fold hooks, so the next node sees `graph.constant` operands.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_IMPORT_ONNX_IMPORTFOLDING_H
#define EXAFORGE_COMPILER_IMPORT_ONNX_IMPORTFOLDING_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

namespace exaforge::onnx_import {

/// Records the ops created through a builder while it is alive (it
/// installs itself as the builder's listener and restores the previous one
/// when destroyed), then folds them.
class ImportFolder : public mlir::OpBuilder::Listener {
public:
  /// Starts recording the ops `builder` creates.
  explicit ImportFolder(mlir::OpBuilder &builder);
  ~ImportFolder() override;

  /// Replaces each recorded op whose every result is a static tensor of at
  /// most `graph::kMaxFoldedElements` elements and whose fold hook yields a
  /// constant for each by `graph.constant` ops, in creation order (so
  /// chains fold through). `nodeResults`, values of the recorded ops, are
  /// updated to the constants. Ops with regions are left alone (their
  /// nodes fold when their own subgraphs import).
  void foldRecordedOps(llvm::MutableArrayRef<mlir::Value> nodeResults);

  void notifyOperationInserted(mlir::Operation *op,
                               mlir::OpBuilder::InsertPoint) override {
    recorded.push_back(op);
  }

private:
  mlir::OpBuilder &builder;
  mlir::OpBuilder::Listener *previousListener;
  llvm::SmallVector<mlir::Operation *> recorded;
};

} // namespace exaforge::onnx_import

#endif // EXAFORGE_COMPILER_IMPORT_ONNX_IMPORTFOLDING_H
