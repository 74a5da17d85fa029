//===- InputShape.h - Input shapes set before import ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge compile --input-shape NAME=DIMS`: the shape of a graph input,
// given before the model is imported, so that every shape inferred from it
// (and every shape computation folded into a constant) follows. Also the
// freeing of a static batch dimension for data parallelism. The semantics
// are in docs/compiling-models.md.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_IMPORT_ONNX_INPUTSHAPE_H
#define EXAFORGE_COMPILER_IMPORT_ONNX_INPUTSHAPE_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace exaforge {

/// One dimension of an `--input-shape`: a size, or a symbol (which frees the
/// dimension: it is dynamic, named `symbol` like an ONNX `dim_param`).
struct InputDim {
  /// The size, when the dimension is a number.
  std::optional<int64_t> size;
  /// The symbol, when the dimension is a name.
  std::string symbol;
};

/// The shape given to one graph input.
struct InputShapeOverride {
  /// The graph input's name.
  std::string name;
  /// One entry per dimension (empty: a scalar).
  std::vector<InputDim> dims;
};

/// Parses `NAME=DIMS`: DIMS separated by `,`, or by `x` when the text has no
/// `,` (`1x3x224x224`, `Nx128`, `batch,3,224,224`); each dimension a
/// non-negative integer or a symbol (a letter or `_`, then letters, digits
/// or `_`; with `x` as separator, a symbol cannot contain `x`). An empty DIMS
/// is a scalar. Returns nullopt and sets `error` on malformed text.
std::optional<InputShapeOverride> parseInputShape(llvm::StringRef text,
                                                  std::string &error);

namespace onnx_import {

/// Sets the shapes `overrides` give to the graph inputs of `model`. A number
/// fixes a symbolic or unknown dimension (and must equal a static one); a
/// symbol frees any dimension. Emits an error at `fileLoc` and fails on an
/// input that does not exist (listing the inputs), on an input given twice,
/// on a rank other than the model's, and on a number that conflicts with a
/// static dimension of the model.
mlir::LogicalResult
applyInputShapes(onnx::ModelProto &model,
                 llvm::ArrayRef<InputShapeOverride> overrides,
                 mlir::Location fileLoc);

/// Frees a static batch for `ranks` data-parallel ranks: when dimension 0 of
/// every graph input is static with one size B, each input's dimension 0
/// becomes the symbol `batch`, so that each rank runs the program on its
/// slice of B / `ranks` samples. Fails with an error at `fileLoc` when
/// `ranks` does not divide B; leaves other models (a symbolic batch, inputs
/// of different sizes, a scalar input, no input) unchanged.
mlir::LogicalResult freeStaticBatch(onnx::ModelProto &model, int64_t ranks,
                                    mlir::Location fileLoc);

} // namespace onnx_import
} // namespace exaforge

#endif // EXAFORGE_COMPILER_IMPORT_ONNX_INPUTSHAPE_H
