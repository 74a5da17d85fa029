//===- MatmulPlan.h - A strided matmul as a column-major BLAS call -*- C++ -*-//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Compiled code passes a matmul C[m,n] (+)= A[m,k] * B[k,n] as three strided
// views (memref descriptors): row-major buffers, and transposed views of
// them for transposed operands. cuBLASLt multiplies column-major matrices,
// each taken as is or transposed. planMatmul finds that call: when C is
// row-major it computes C^T = B^T * A^T, whose column-major result is C's
// row-major memory; when C is column-major, C = A * B directly. Each
// operand is passed as the column-major matrix its memory holds, transposed
// when that is the other orientation.
//
// Internal to the runtime library; pure, so that it is unit-tested without
// a GPU (CudaMatmulPlanTest).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_MATMULPLAN_H
#define EXAFORGE_RUNTIME_CUDA_MATMULPLAN_H

#include <cstdint>
#include <optional>

namespace exaforge::runtime::cuda {

/// A strided 2-D view: `rows` x `cols`, element (i, j) at i * rowStride +
/// j * colStride.
struct MatrixView {
  int64_t rows, cols;
  int64_t rowStride, colStride;
};

/// An operand as the BLAS call sees it: the column-major matrix of `rows` x
/// `cols` with leading dimension `ld` that its memory holds, multiplied as
/// is or transposed.
struct BlasOperand {
  int64_t rows, cols, ld;
  bool transpose;
};

/// D = op(first) * op(second), column-major `rows` x `cols` with leading
/// dimension `ld`, in the output's memory.
struct MatmulPlan {
  BlasOperand first, second;
  int64_t rows, cols, ld;
  /// `first` is B and `second` is A (C^T = B^T * A^T); else first is A.
  bool swapped;
};

/// The BLAS call computing c = a * b (a is m x k, b is k x n, c is m x n),
/// or none when a view is strided in both dimensions (neither row- nor
/// column-major), which BLAS cannot take.
std::optional<MatmulPlan> planMatmul(const MatrixView &a, const MatrixView &b,
                                     const MatrixView &c);

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_MATMULPLAN_H
