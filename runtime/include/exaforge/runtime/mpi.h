/*===- mpi.h - Running a multi-rank artifact on MPI ---------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * libexaforge_runtime_mpi: the MPI transport of the runtime and the
 * distributed run of a model compiled for several ranks. Every process of
 * an MPI job opens the artifact and runs it together with the others:
 *
 *   MPI_Init(&argc, &argv);
 *   xf_communicator_t *comm;
 *   xf_mpi_communicator_create(MPI_COMM_WORLD, &comm);
 *   xf_session_options_t options = {0, comm};
 *   xf_session_t *session;
 *   xf_mpi_session_open("model.xf", &options, MPI_COMM_WORLD, &session);
 *   // inputs matter on rank 0 only; outputs are filled on rank 0 only.
 *   xf_mpi_session_run(session, MPI_COMM_WORLD, inputs, 1, outputs, 1);
 *
 * The calls are collective over `comm` (whose ranks are the artifact's
 * ranks) and fail on every rank when they fail on one, so no rank waits
 * for another that gave up. Their messages name the rank at fault. The
 * exception is a run stopped inside the compiled code (xf_mpi_session_run).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_RUNTIME_MPI_H
#define EXAFORGE_RUNTIME_MPI_H

#include "exaforge/runtime/api.h"
#include "exaforge/runtime/communicator.h"

#include <mpi.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Makes a communicator over the ranks of `comm`, on a duplicate of it
 * (so the runtime's messages never mix with the caller's). MPI must stay
 * initialized until xf_mpi_communicator_free. Collective over `comm`. */
xf_status_t *xf_mpi_communicator_create(MPI_Comm comm,
                                        xf_communicator_t **communicator);

/** Frees a communicator of xf_mpi_communicator_create (NULL is allowed). */
void xf_mpi_communicator_free(xf_communicator_t *communicator);

/** Opens the artifact `path` on every rank of `comm`, as xf_session_open
 * with `options` (whose communicator must be one of `comm`'s ranks), and
 * fails on all of them when it fails on one. */
xf_status_t *xf_mpi_session_open(const char *path,
                                 const xf_session_options_t *options,
                                 MPI_Comm comm, xf_session_t **session);

/** Runs `session` on every rank of `comm`. Rank 0 gives the whole inputs
 * (the others pass NULL and 0); each input is broadcast, or split over the
 * ranks as the manifest's `sharding` says (a dimension known only at run
 * time is split as evenly as possible, the first parts one longer). Rank 0
 * receives the whole outputs, gathered from the ranks that hold the parts
 * (new tensors it frees with xf_tensor_free); the others get none and pass
 * NULL and 0. A run stopped inside the compiled code on some rank
 * (XF_STATUS_OUT_OF_MEMORY, XF_STATUS_COLLECTIVE_FAILED) returns on that
 * rank alone, without agreeing with the others, which may be waiting for
 * it in a collective: the caller must then end the job (MPI_Abort). */
xf_status_t *xf_mpi_session_run(xf_session_t *session, MPI_Comm comm,
                                const xf_buffer_t *inputs, size_t num_inputs,
                                xf_tensor_t **outputs, size_t num_outputs);

/** Whether `status`, a failure xf_mpi_session_run returned, stopped the run
 * inside the compiled code on this rank alone (XF_STATUS_OUT_OF_MEMORY or
 * XF_STATUS_COLLECTIVE_FAILED there): the other ranks may wait for it in a
 * collective, so the caller must end the job (MPI_Abort). Zero for a
 * failure the ranks agreed on, which every rank returned, whatever its
 * code: a rank that cannot allocate its part of an input, or the root the
 * gathered outputs, fails every rank with XF_STATUS_OUT_OF_MEMORY, and the
 * job can end normally. */
int xf_mpi_status_stopped_alone(const xf_status_t *status);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_RUNTIME_MPI_H */
