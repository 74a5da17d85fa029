/*===- collectives.h - Collectives called by compiled code --------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * `convert-dist-to-runtime-calls` lowers the dist dialect's collectives and
 * transfers to calls of these functions. They act among the ranks of the
 * run whose execution context they receive (Contract.h), through its
 * communicator (communicator.h), and count the bytes they move for the
 * session's statistics.
 *
 * A group is given as `axes`: the mesh axes (their positions in the
 * artifact's mesh) packed one per byte, the first axis in the lowest byte,
 * each stored as its position plus one (0 ends the list). The group of the
 * calling rank is the ranks that share its coordinates on every other axis,
 * ordered by their coordinates on `axes` (in that order, the last varying
 * fastest), as the dist dialect defines.
 *
 * Tensors are passed as unranked memrefs, which MLIR's calling convention
 * spells as two arguments: the rank and a pointer to the ranked descriptor
 * `{allocated, aligned, offset, sizes[rank], strides[rank]}`. Operands may
 * be strided views; results must be dense (the compiled code allocates
 * them) and of the shape the op defines. `dtype` is an xf_dtype_t and
 * `reduction` an xf_reduction_t.
 *
 * Failures (no communicator, a transport error, a result of the wrong
 * shape) are recorded in the context of the run (runtime/src/
 * ExecContext.h) and fail the run when it ends, like a failed check; the
 * calls then leave their results unspecified.
 *
 * ABI, compiled code -> runtime: `convert-dist-to-runtime-calls` emits the
 * calls of the `xf_dist_*` functions; runtime/src/Collectives.cpp implements
 * them.
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_COLLECTIVES_H
#define EXAFORGE_ABI_COLLECTIVES_H

#include "exaforge/abi/Contract.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The result is the operand combined over the group. */
void xf_dist_all_reduce(xf_exec_context *context, int64_t input_rank,
                        void *input, int64_t result_rank, void *result,
                        int32_t dtype, int32_t reduction, int64_t axes);

/** The result is the operands of the group concatenated along `dim`, in
 * group order. */
void xf_dist_all_gather(xf_exec_context *context, int64_t input_rank,
                        void *input, int64_t result_rank, void *result,
                        int32_t dtype, int64_t dim, int64_t axes);

/** The operands are combined over the group and split evenly along `dim`;
 * the member at position g gets part g. */
void xf_dist_reduce_scatter(xf_exec_context *context, int64_t input_rank,
                            void *input, int64_t result_rank, void *result,
                            int32_t dtype, int64_t dim, int32_t reduction,
                            int64_t axes);

/** The operand is split evenly along `split_dim`, part g goes to the member
 * at position g, and the parts received are concatenated along
 * `concat_dim` in group order. */
void xf_dist_all_to_all(xf_exec_context *context, int64_t input_rank,
                        void *input, int64_t result_rank, void *result,
                        int32_t dtype, int64_t split_dim, int64_t concat_dim,
                        int64_t axes);

/** The result is the operand of the member at position `root`. */
void xf_dist_broadcast(xf_exec_context *context, int64_t input_rank,
                       void *input, int64_t result_rank, void *result,
                       int32_t dtype, int64_t root, int64_t axes);

/** The caller's coordinate on mesh axis `axis` (0 after recording a
 * failure). */
int64_t xf_dist_axis_index(xf_exec_context *context, int64_t axis);

/** Sends the operand to the rank whose coordinates are the caller's except
 * on mesh axis `axis`, where it is `coordinate`. */
void xf_dist_send(xf_exec_context *context, int64_t input_rank, void *input,
                  int32_t dtype, int64_t axis, int64_t coordinate);

/** Receives the result (of a static shape) from the rank at `coordinate`
 * on mesh axis `axis`. */
void xf_dist_recv(xf_exec_context *context, int64_t result_rank, void *result,
                  int32_t dtype, int64_t axis, int64_t coordinate);

/* Compiled code calls the typed forms `xf_dist_<op>_<T>`: the functions
 * above without their `dtype` argument, which the suffix gives (an MLIR
 * element type: f16 bf16 f32 f64 i1 i8 i16 i32 i64 ui8 ui16 ui32 ui64; a
 * separate symbol per type because an MLIR declaration carries the element
 * type of its memref arguments). */
#define XF_DIST_DECLARE_TYPED(T)                                               \
  void xf_dist_all_reduce_##T(xf_exec_context *, int64_t, void *, int64_t,     \
                              void *, int32_t, int64_t);                       \
  void xf_dist_all_gather_##T(xf_exec_context *, int64_t, void *, int64_t,     \
                              void *, int64_t, int64_t);                       \
  void xf_dist_reduce_scatter_##T(xf_exec_context *, int64_t, void *, int64_t, \
                                  void *, int64_t, int32_t, int64_t);          \
  void xf_dist_all_to_all_##T(xf_exec_context *, int64_t, void *, int64_t,     \
                              void *, int64_t, int64_t, int64_t);              \
  void xf_dist_broadcast_##T(xf_exec_context *, int64_t, void *, int64_t,      \
                             void *, int64_t, int64_t);                        \
  void xf_dist_send_##T(xf_exec_context *, int64_t, void *, int64_t, int64_t); \
  void xf_dist_recv_##T(xf_exec_context *, int64_t, void *, int64_t, int64_t);
XF_DIST_DECLARE_TYPED(f16)
XF_DIST_DECLARE_TYPED(bf16)
XF_DIST_DECLARE_TYPED(f32)
XF_DIST_DECLARE_TYPED(f64)
XF_DIST_DECLARE_TYPED(i1)
XF_DIST_DECLARE_TYPED(i8)
XF_DIST_DECLARE_TYPED(i16)
XF_DIST_DECLARE_TYPED(i32)
XF_DIST_DECLARE_TYPED(i64)
XF_DIST_DECLARE_TYPED(ui8)
XF_DIST_DECLARE_TYPED(ui16)
XF_DIST_DECLARE_TYPED(ui32)
XF_DIST_DECLARE_TYPED(ui64)
#undef XF_DIST_DECLARE_TYPED

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_ABI_COLLECTIVES_H */
