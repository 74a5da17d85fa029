/*===- nccl.h - A communicator on NCCL for CUDA artifacts ---------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The ranks of a CUDA artifact exchange tensors between GPUs through NCCL
 * (libnccl.so.2, opened at run time; EXAFORGE_NCCL names another file).
 * NCCL needs a channel to start on: each NCCL communicator begins with a
 * unique id that its first member makes and sends to the others. That
 * channel is another communicator, the bootstrap (communicator.h), usually
 * the MPI one (mpi.h):
 *
 *   xf_communicator_t *mpi, *nccl;
 *   xf_mpi_communicator_create(MPI_COMM_WORLD, &mpi);
 *   xf_nccl_communicator_create(mpi, &nccl);
 *   xf_session_options_t options = {0, nccl};
 *   ... open and run sessions of the CUDA artifact ...
 *   xf_nccl_communicator_free(nccl);
 *   xf_mpi_communicator_free(mpi);
 *
 * Every group of the artifact's mesh gets its own NCCL communicator when it
 * is first used, as does every pair of ranks that sends and receives
 * (pipeline stages). Each call runs on the stream of the run that calls it
 * and returns once the transfer is done. Buffers must be memory the GPU can
 * access: the runtime passes memory of the session's pool.
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_RUNTIME_NCCL_H
#define EXAFORGE_RUNTIME_NCCL_H

#include "exaforge/runtime/api.h"
#include "exaforge/runtime/communicator.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Makes a communicator over the ranks of `bootstrap` whose transfers run on
 * NCCL; `bootstrap` carries NCCL's unique ids and must outlive it. Opens
 * NCCL and the GPU of this rank (the one a CUDA session uses: the local
 * rank modulo the GPUs visible). Not collective: the NCCL communicators are
 * made on first use. */
xf_status_t *xf_nccl_communicator_create(const xf_communicator_t *bootstrap,
                                         xf_communicator_t **communicator);

/** Frees a communicator of xf_nccl_communicator_create (NULL is allowed),
 * after the sessions that use it are closed. */
void xf_nccl_communicator_free(xf_communicator_t *communicator);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_RUNTIME_NCCL_H */
