//===- MatmulPlan.cpp - A strided matmul as a column-major BLAS call ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "MatmulPlan.h"

#include <algorithm>

namespace exaforge::runtime::cuda {

namespace {
/// `view`'s memory as a column-major matrix of its own shape: possible when
/// its rows are contiguous (row stride 1, or a single row).
std::optional<BlasOperand> asColumnMajor(const MatrixView &view) {
  if (view.rowStride != 1 && view.rows != 1)
    return std::nullopt;
  int64_t ld =
      view.cols == 1 ? std::max<int64_t>(view.rows, 1) : view.colStride;
  if (ld < std::max<int64_t>(view.rows, 1))
    return std::nullopt;
  return BlasOperand{view.rows, view.cols, ld, false};
}

/// `view`'s memory as a column-major matrix of the transposed shape:
/// possible when its columns are contiguous (column stride 1, or a single
/// column).
std::optional<BlasOperand> asTransposedColumnMajor(const MatrixView &view) {
  return asColumnMajor(
      MatrixView{view.cols, view.rows, view.colStride, view.rowStride});
}

/// `view`, as the BLAS call multiplies it: its memory as column-major,
/// transposed when needed.
std::optional<BlasOperand> asOperand(const MatrixView &view) {
  if (std::optional<BlasOperand> direct = asColumnMajor(view))
    return direct;
  if (std::optional<BlasOperand> transposed = asTransposedColumnMajor(view)) {
    transposed->transpose = true;
    return transposed;
  }
  return std::nullopt;
}

/// The transposed view of `view` (the same memory).
MatrixView transposed(const MatrixView &view) {
  return MatrixView{view.cols, view.rows, view.colStride, view.rowStride};
}
} // namespace

std::optional<MatmulPlan> planMatmul(const MatrixView &a, const MatrixView &b,
                                     const MatrixView &c) {
  // A row-major C: C^T = B^T * A^T, column-major in C's memory.
  if (std::optional<BlasOperand> out = asTransposedColumnMajor(c)) {
    std::optional<BlasOperand> first = asOperand(transposed(b));
    std::optional<BlasOperand> second = asOperand(transposed(a));
    if (first && second)
      return MatmulPlan{*first, *second, out->rows, out->cols, out->ld, true};
  }
  // A column-major C: C = A * B.
  if (std::optional<BlasOperand> out = asColumnMajor(c)) {
    std::optional<BlasOperand> first = asOperand(a);
    std::optional<BlasOperand> second = asOperand(b);
    if (first && second)
      return MatmulPlan{*first, *second, out->rows, out->cols, out->ld, false};
  }
  return std::nullopt;
}

} // namespace exaforge::runtime::cuda
