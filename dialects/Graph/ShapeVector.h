//===- ShapeVector.h - Partially known shape vectors ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Exported models compute the shapes they pass to Reshape, Expand, Resize,
// Tile or ConstantOfShape at run time, from the shapes of other tensors:
// `Concat(Slice(Shape(x), 0, 2), [56, 56])` with a symbolic batch. Such a
// "shape vector" is partially known at compile time: some entries are
// constants, others equal a (dynamic) dimension of some tensor.
// `getShapeVectorEntries` traces a small integer tensor through its producers
// and says, element by element, which. Type inference uses it to keep the
// known dimensions static, and folds use it to turn vectors that are known
// entirely into constants.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_SHAPEVECTOR_H
#define EXAFORGE_DIALECTS_GRAPH_SHAPEVECTOR_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace exaforge::graph {

/// Largest number of elements of a shape vector the analysis traces.
inline constexpr int64_t kMaxShapeVectorLength = 64;

/// What is known at compile time about one element of a shape vector: its
/// value, or that it equals dimension `dim` of the tensor `source` (a
/// dimension that is dynamic there), or nothing.
class ShapeEntry {
public:
  /// An element nothing is known about.
  static ShapeEntry unknown() { return ShapeEntry(); }
  /// An element whose value is `value`.
  static ShapeEntry constant(int64_t value) {
    ShapeEntry entry;
    entry.value = value;
    return entry;
  }
  /// An element equal to dimension `dim` of `source`.
  static ShapeEntry dimOf(mlir::Value source, int64_t dim) {
    ShapeEntry entry;
    entry.source = source;
    entry.dim = dim;
    return entry;
  }

  /// The element's value, when known.
  std::optional<int64_t> getConstant() const { return value; }
  /// Whether the element is a dimension of a tensor (see getSource).
  bool isDimOf() const { return static_cast<bool>(source); }
  /// The tensor whose dimension the element is, or null.
  mlir::Value getSource() const { return source; }
  /// The dimension of getSource() the element is.
  int64_t getDim() const { return dim; }
  /// Whether the element is known never to be negative (a dimension, or a
  /// constant that is not).
  bool isKnownNonNegative() const { return isDimOf() || (value && *value >= 0); }
  /// The size the element gives a dimension: its value, or dynamic.
  int64_t getSize() const {
    return value ? *value : mlir::ShapedType::kDynamic;
  }

  /// Whether two entries say the same thing.
  bool operator==(const ShapeEntry &other) const {
    return value == other.value && source == other.source && dim == other.dim;
  }

private:
  std::optional<int64_t> value;
  mlir::Value source;
  int64_t dim = 0;
};

/// Returns what is known about each element (in row-major order) of
/// `value`, an integer tensor with a static number of elements (at most
/// kMaxShapeVectorLength), by tracing its producers: constants, Shape (with
/// start and end), Size, Slice, Gather, Concat, Squeeze, Unsqueeze, Reshape,
/// Flatten, Identity, integer Cast, Expand, Equal and Where. Returns nullopt
/// when `value` is not such a tensor.
std::optional<llvm::SmallVector<ShapeEntry>>
getShapeVectorEntries(mlir::Value value);

/// Returns the sizes the 1-D shape vector `value` (Reshape's or Expand's
/// `shape`, Resize's `sizes`, Tile's `repeats`) holds: the known values, and
/// dynamic for the others. Returns nullopt when `value` is not a shape
/// vector getShapeVectorEntries traces.
std::optional<llvm::SmallVector<int64_t>> getShapeVectorSizes(mlir::Value value);

/// Returns `result` (an integer tensor of static shape) as a constant when
/// every element is known, or null. For the fold hooks of the ops the
/// analysis traces.
mlir::DenseElementsAttr foldKnownShapeVector(mlir::Value result);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_SHAPEVECTOR_H
