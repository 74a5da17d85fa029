/*===- communicator.h - The transport under the collectives -------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * A model compiled for several ranks (`exaforge compile --ranks N`) runs as
 * N processes, one session each, that exchange tensors through the
 * collectives of `collectives.h`. The runtime library does not talk to the
 * network itself: the caller opens each session with a communicator, a
 * table of functions that move bytes between the ranks. libexaforge_runtime
 * _mpi provides one on MPI (`exaforge/runtime/mpi.h`); tests use an
 * in-process one.
 *
 * Ranks are numbered 0 .. size-1, as the artifact's mesh numbers them (the
 * row-major linearization of the mesh coordinates). A group is a subset of
 * the ranks in a given order, made by `create_group`; collectives run among
 * the members of one group, who must all call them in the same order.
 *
 * Every function returns 0 on success and a non-zero code on failure; the
 * runtime then asks `error_message` for the reason. Buffers are dense; all
 * counts are in elements of the given type unless named `bytes`.
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_RUNTIME_COMMUNICATOR_H
#define EXAFORGE_RUNTIME_COMMUNICATOR_H

#include "exaforge/abi/Contract.h" /* xf_reduction_t */
#include "exaforge/runtime/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The transport of one rank. `context` is passed back to every function.
 * The functions are called from the thread that runs the session. */
typedef struct xf_communicator {
  void *context;
  /** This process's rank and the number of ranks. */
  int32_t rank;
  int32_t size;

  /** Makes the group of the `count` ranks in `members` (in group order;
   * this rank is one of them) and stores its handle in `group`. Only the
   * members call it, all with the same list. */
  int (*create_group)(void *context, const int32_t *members, int32_t count,
                      void **group);
  /** Frees a group made by create_group. */
  void (*free_group)(void *context, void *group);

  /** Combines `data` (`count` elements) over the group, in place. */
  int (*all_reduce)(void *context, void *group, void *data, size_t count,
                    xf_dtype_t dtype, xf_reduction_t reduction);
  /** Concatenates the `bytes` of every member into `received`, in group
   * order (`received` holds group-size times `bytes`). */
  int (*all_gather)(void *context, void *group, const void *data,
                    size_t bytes, void *received);
  /** Combines `data` (group-size times `count` elements) over the group;
   * the member at position i receives block i (`count` elements). */
  int (*reduce_scatter)(void *context, void *group, const void *data,
                        void *received, size_t count, xf_dtype_t dtype,
                        xf_reduction_t reduction);
  /** Sends block i of `data` (`bytes` each) to the member at position i and
   * receives block i of `received` from it. */
  int (*all_to_all)(void *context, void *group, const void *data,
                    size_t bytes, void *received);
  /** Copies the `bytes` of `data` at the member at position `root` to the
   * others, in place. */
  int (*broadcast)(void *context, void *group, void *data, size_t bytes,
                   int32_t root);
  /** Sends `bytes` to rank `peer`; messages between two ranks arrive in
   * the order they were sent. */
  int (*send)(void *context, const void *data, size_t bytes, int32_t peer);
  /** Receives `bytes` from rank `peer`. */
  int (*recv)(void *context, void *data, size_t bytes, int32_t peer);

  /** Describes the last failure (a static or context-owned string). */
  const char *(*error_message)(void *context);
} xf_communicator_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_RUNTIME_COMMUNICATOR_H */
