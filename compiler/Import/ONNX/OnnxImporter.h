//===- OnnxImporter.h - ONNX model importer ---------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Public entry point of the ONNX importer: turns an ONNX model (binary
// `ModelProto` or textual `.onnxtext`) into a module of `graph` dialect ops.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H
#define EXAFORGE_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H

#include "compiler/Import/ONNX/InputShape.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace exaforge {

/// Options of the ONNX importer.
struct OnnxImportOptions {
  /// Initializers and Constant tensors with more elements than this become
  /// `dense_resource` attributes (stored once, outside the IR); smaller ones
  /// become `dense` attributes that folds can read.
  int64_t denseElementLimit = 64;
  /// Run the MLIR verifier on the imported module (failures are reported
  /// through the context's diagnostic handler).
  bool verify = true;
  /// Import shapes only: every tensor stored as external data, and every
  /// tensor with more than `denseElementLimit` elements, becomes an elided
  /// `dense_resource` (its type and name, no values; see
  /// dialects/Graph/ElidedElements.h). External data files are never
  /// opened, so a model whose weights are absent imports in the time its
  /// graph takes. Small inline tensors (shapes, axes, scalars) are read as
  /// usual, so type inference is as precise as in a full import. The module
  /// can be optimized, partitioned and planned, but not compiled to code.
  ///
  /// \code
  ///   OnnxImportOptions options;
  ///   options.shapesOnly = true;
  ///   auto module = importOnnxModel(context, "gpt2-xl.onnx", options);
  /// \endcode
  bool shapesOnly = false;
  /// Shapes given to graph inputs before import (`exaforge compile
  /// --input-shape`, see InputShape.h): every inferred shape follows them.
  std::vector<InputShapeOverride> inputShapes;
  /// The number of data-parallel ranks the model is compiled for. Above 1, a
  /// static batch (dimension 0 of every input, one size) that the ranks
  /// divide is freed to the symbol `batch`, so that data parallelism can
  /// split it; a static batch they do not divide is an error.
  int64_t dataParallelRanks = 1;
  /// The largest initializer, Constant or constant splat (ConstantOfShape)
  /// the importer accepts, in bytes; a larger one is an error naming the
  /// tensor, before any of its data is read. 0: `getDefaultMaxConstantBytes`.
  int64_t maxConstantBytes = 0;
  /// When set, receives the op type of every imported node (of the main
  /// graph and of subgraphs) under the name its location carries: what the
  /// profiler's `nodes.json` names each node's op type with.
  std::map<std::string, std::string> *nodeOpTypes = nullptr;
};

/// The default of `OnnxImportOptions::maxConstantBytes`: half of this
/// machine's physical memory (a constant the compiler could not hold twice).
int64_t getDefaultMaxConstantBytes();

/// Lowest and highest opset of the default ONNX domain the importer accepts.
/// Each op is registered from the first version whose semantics its builder
/// implements, so a node whose op is older than every registered version is
/// refused on its own.
inline constexpr int64_t kMinSupportedOpset = 1;
inline constexpr int64_t kMaxSupportedOpset = 21;

/// Imports the ONNX model at `path` into a new module.
///
/// Files ending in `.onnxtext` are parsed as textual ONNX; any other file is
/// read as a binary `ModelProto`. The module holds one `func.func @main`
/// whose arguments are the graph inputs that are not initializers and whose
/// results are the graph outputs; ONNX names are kept as `graph.name`
/// argument/result attributes, and the module carries `graph.name` (the ONNX
/// graph name), `graph.opset` (the default-domain opset, absent when the
/// model imports none) and `graph.producer` attributes. Every op is
/// located at `NameLoc(node name, FileLineColLoc(path, 0, 0))`.
///
/// Errors are emitted through `ctx`'s diagnostic engine and yield failure.
/// The graph and func dialects are loaded into `ctx`.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxModel(mlir::MLIRContext &ctx, llvm::StringRef path,
                const OnnxImportOptions &opts = {});

} // namespace exaforge

#endif // EXAFORGE_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H
