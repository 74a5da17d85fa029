//===- KernelFusion.h - What a kernel call absorbs ---------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the buffer-level analyses behind the convolution and pooling
// kernel calls of `convert-linalg-to-kernel-calls`: the padding of an input
// (a `tensor.pad` after bufferization), the initialization of an output, and
// the elementwise epilogue of a convolution (bias, residual add, ReLU) that
// the oneDNN kernel can apply itself.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_LINALGTOKERNELS_KERNELFUSION_H
#define EXAFORGE_PASSES_CONVERSION_LINALGTOKERNELS_KERNELFUSION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace exaforge {

/// Returns the buffer `value` is a view of: the source of its chain of
/// casts and view-like ops.
mlir::Value getRootBuffer(mlir::Value value);

/// Whether `op` may write memory of the buffer `root` (a root buffer).
/// Linalg ops write their inits, `memref.copy` its target, and a call of a
/// runtime kernel (`xf_kernel_*`) its last memref operand; other ops with
/// write effects may write anything.
bool mayWriteBuffer(mlir::Operation *op, mlir::Value root);

/// Whether `op` may read or write memory (unknown ops may).
bool mayAccessMemory(mlir::Operation *op);

/// A predicate on the value a buffer is filled with.
using FillValuePredicate = llvm::function_ref<bool(mlir::Value)>;

/// Whether `value` is a constant float zero (of either sign).
bool isZeroConstant(mlir::Value value);

/// Whether `value` is the constant float -infinity.
bool isNegativeInfinityConstant(mlir::Value value);

/// Whether every element of `buffer` holds a value accepted by `isValue`
/// right before `op` (in the same block): a `linalg.fill` of exactly
/// `buffer`, or a `linalg.map` without inputs into it, with such a value, or
/// a `memref.copy` into it from a buffer that holds such values then,
/// precedes `op` with nothing in between that may write `buffer`. Returns
/// that fill, map or copy when nothing in between touches `buffer` at all,
/// so that the caller may remove it, through `removableFill`.
bool holdsValueBefore(mlir::Operation *op, mlir::Value buffer,
                      FillValuePredicate isValue,
                      mlir::Operation **removableFill);

/// The padding of a window op's input: after bufferization, a `tensor.pad`
/// is a fresh buffer filled with the padding value into whose interior the
/// unpadded source is copied.
struct PaddedInput {
  /// The unpadded input.
  mlir::Value source;
  /// Padded rows before and after, padded columns before and after.
  int64_t top, bottom, left, right;
  /// The padded buffer's allocation and the ops that fill it (the copy, the
  /// subview and the fill), to erase once the kernel reads `source`.
  mlir::Operation *alloc;
  llvm::SmallVector<mlir::Operation *> fillOps;
};

/// Matches `padded`, the 4-D NCHW input of `op`, as a copy of another
/// buffer padded (in its last two dimensions) with a value accepted by
/// `isValue`, when nothing else uses the padded buffer and nothing writes
/// the source between the copy and `until` (where the kernel will read it).
mlir::FailureOr<PaddedInput> matchPaddedInput(mlir::Operation *op,
                                              mlir::Value padded,
                                              FillValuePredicate isValue,
                                              mlir::Operation *until);

/// The elementwise `linalg.generic` that follows a convolution and that a
/// oneDNN convolution applies itself: out = relu?(conv + bias? +
/// residual?), in that order.
struct ConvEpilogue {
  /// The generic: it reads the convolution's output with an identity map,
  /// and writes its own output, with an identity map.
  mlir::linalg::GenericOp generic;
  /// The per-channel bias (a 1-D buffer read at the channel index), if any.
  mlir::Value bias;
  /// The buffer added elementwise after the bias, if any; it may be the
  /// generic's own output (read through its block argument).
  mlir::Value residual;
  /// Whether max(., 0) ends the chain.
  bool relu = false;
};

/// Matches the op after `conv` (only ops that touch no memory in between)
/// as its epilogue, when the convolution's output is an allocation that no
/// op reads after that generic before overwriting all of it.
mlir::FailureOr<ConvEpilogue>
matchConvEpilogue(mlir::linalg::Conv2DNchwFchwOp conv);

/// The leading terms of a later `linalg.generic`'s use of a convolution's
/// output that the convolution kernel can apply itself: in the generic's
/// body, the convolution's element flows through `relu?(. + bias? +
/// residual?)` (in that order, each step used once) into `result`, which the
/// rest of the body uses. The kernel then writes that value, and the body
/// reads it instead.
struct ConvEpiloguePrefix {
  mlir::linalg::GenericOp generic;
  /// The generic's operand that reads the convolution's output.
  mlir::OpOperand *convOperand = nullptr;
  /// The per-channel bias and the residual buffer, if any.
  mlir::Value bias, residual;
  /// The generic's operand that reads the residual, if any.
  mlir::OpOperand *residualOperand = nullptr;
  bool relu = false;
  /// The absorbed ops of the body, in order, and the value of the last one.
  llvm::SmallVector<mlir::Operation *> ops;
  mlir::Value result;
};

/// Matches the leading terms of the first op after `conv` that uses its
/// output (an allocation that ops before `conv` may also use), a
/// `linalg.generic` in the same block that reads it with an identity map and
/// writes it in place, or after which nothing reads it before overwriting
/// all of it;
/// nothing between them may write the bias or the residual.
mlir::FailureOr<ConvEpiloguePrefix>
matchConvEpiloguePrefix(mlir::linalg::Conv2DNchwFchwOp conv);

/// Erases `alloc` and the ops that use it when they only write it (fill it,
/// copy into it, directly or through a subview) or read its sizes; returns
/// whether it did.
bool eraseIfWriteOnly(mlir::memref::AllocOp alloc);

/// Erases every `memref.alloc` of `func` that is only written (filled,
/// copied into, directly or through a subview), together with those writes;
/// repeats until no such buffer is left, since erasing a copy may leave its
/// source unread.
void eraseWriteOnlyBuffers(mlir::Operation *func);

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_LINALGTOKERNELS_KERNELFUSION_H
