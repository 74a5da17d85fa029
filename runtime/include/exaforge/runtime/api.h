/*===- api.h - The Exaforge runtime C API -------------------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * libexaforge_runtime loads an artifact written by `exaforge compile`
 * (docs/design/compiled-artifact.md) and runs it.
 *
 *   xf_session_t *session;
 *   xf_status_t *status = xf_session_open("model.xf", NULL, &session);
 *   if (status) { puts(xf_status_message(status)); xf_status_free(status); }
 *   ...
 *   xf_tensor_t *outputs[1];
 *   status = xf_session_run(session, inputs, 1, outputs, 1);
 *   ... xf_tensor_data(outputs[0]) ...
 *   xf_tensor_free(outputs[0]);
 *   xf_session_close(session);
 *
 * Errors: every call that can fail returns an `xf_status_t *`: NULL on
 * success, otherwise an error the caller frees with xf_status_free. Output
 * parameters are left untouched on failure.
 *
 * Threads: a session may be run from several threads at once, and several
 * sessions (of one or different artifacts) may run in parallel. Each run
 * uses the OpenMP threads of its calling thread for the kernels; the count
 * is the session's `num_threads`.
 *
 * Targets: an artifact compiled with `--target cuda` runs on the GPU of
 * the process's local rank through the same calls: xf_session_open loads
 * the CUDA driver (libcuda.so.1, opened at run time, or the file named by
 * EXAFORGE_CUDA_DRIVER) and uploads the weights, and fails with
 * XF_STATUS_INVALID_ARTIFACT, saying why, where there is no GPU. Inputs
 * and outputs are host memory, copied to and from the GPU by each run
 * (docs/design/cuda-target.md).
 *
 * Memory: buffers that compiled code allocates go through the session's
 * pool, which hands a freed buffer to the next allocation that fits, so the
 * memory a run holds follows its live set; the pool is kept between runs.
 * xf_session_memory_stats reports it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_RUNTIME_API_H
#define EXAFORGE_RUNTIME_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===------------------------------------------------------------------===*
 * Status
 *===------------------------------------------------------------------===*/

/** What kind of failure a status reports. */
typedef enum xf_status_code {
  /** The caller passed something wrong (a null pointer, a wrong count, an
   * input of the wrong shape or element type), or values that the model
   * checks at run time and rejects (a Squeeze axis whose dimension is not
   * 1, Split sizes that do not add up; the message names the ONNX node). */
  XF_STATUS_INVALID_ARGUMENT = 1,
  /** The artifact is missing, unreadable, corrupt or of an unknown version. */
  XF_STATUS_INVALID_ARTIFACT = 2,
  /** Running the compiled model failed (a kernel error, no memory for an
   * output's copy). */
  XF_STATUS_RUN_FAILED = 3,
  /** The compiled model could not allocate a buffer: the run was stopped
   * at that allocation, and what it had allocated is freed. The session
   * stays usable (a smaller input may fit). Also a tensor xf_tensor_create
   * could not allocate, and, in a multi-rank run (mpi.h), a buffer the
   * transport needs for an input or output. */
  XF_STATUS_OUT_OF_MEMORY = 4,
  /** A collective or transfer among the ranks failed on this rank: the run
   * was stopped there. The other ranks may be waiting in that collective,
   * so a multi-rank job cannot go on; it must be ended (MPI_Abort, as
   * exaforge-run does). */
  XF_STATUS_COLLECTIVE_FAILED = 5,
} xf_status_code_t;

/** An error: a code and a message. */
typedef struct xf_status xf_status_t;

/** The message of `status`, valid until xf_status_free. */
const char *xf_status_message(const xf_status_t *status);

/** The code of `status`. */
xf_status_code_t xf_status_code(const xf_status_t *status);

/** Frees `status` (NULL is allowed). */
void xf_status_free(xf_status_t *status);

/** Makes a status with `code` and a copy of `message`, for libraries that
 * extend the runtime (the MPI transport) and report errors as it does. */
xf_status_t *xf_status_create(xf_status_code_t code, const char *message);

/*===------------------------------------------------------------------===*
 * Element types and tensors
 *===------------------------------------------------------------------===*/

/** Element types, as named in the manifest (numpy's names). */
typedef enum xf_dtype {
  XF_DTYPE_FLOAT32 = 1,
  XF_DTYPE_FLOAT64,
  XF_DTYPE_FLOAT16,
  XF_DTYPE_BFLOAT16,
  XF_DTYPE_INT8,
  XF_DTYPE_INT16,
  XF_DTYPE_INT32,
  XF_DTYPE_INT64,
  XF_DTYPE_UINT8,
  XF_DTYPE_UINT16,
  XF_DTYPE_UINT32,
  XF_DTYPE_UINT64,
  /** One byte per element, 0 or 1. */
  XF_DTYPE_BOOL,
} xf_dtype_t;

/** The numpy name of `dtype` ("float32"), or "unknown". */
const char *xf_dtype_name(xf_dtype_t dtype);

/** The size of one element of `dtype` in bytes, or 0 when unknown. */
size_t xf_dtype_size(xf_dtype_t dtype);

/** A dense row-major tensor in memory the caller owns. */
typedef struct xf_buffer {
  /** The first element. */
  void *data;
  /** The size of `data` in bytes. */
  size_t nbytes;
  xf_dtype_t dtype;
  /** The number of dimensions and their sizes. */
  int64_t rank;
  const int64_t *shape;
} xf_buffer_t;

/** A tensor the runtime allocated (a result); the caller frees it. */
typedef struct xf_tensor xf_tensor_t;

/** The elements of `tensor`, dense and row-major, 64-byte aligned. */
void *xf_tensor_data(const xf_tensor_t *tensor);
/** The size of the data of `tensor` in bytes. */
size_t xf_tensor_nbytes(const xf_tensor_t *tensor);
xf_dtype_t xf_tensor_dtype(const xf_tensor_t *tensor);
int64_t xf_tensor_rank(const xf_tensor_t *tensor);
/** The sizes of the `xf_tensor_rank` dimensions of `tensor`. */
const int64_t *xf_tensor_shape(const xf_tensor_t *tensor);
/** Frees `tensor` (NULL is allowed). */
void xf_tensor_free(xf_tensor_t *tensor);
/** Allocates a zero-filled tensor of `dtype` and `shape` (`rank` sizes, none
 * negative), for callers that assemble results (e.g. the gathered outputs
 * of several ranks); the caller frees it with xf_tensor_free. Fails with
 * XF_STATUS_OUT_OF_MEMORY when the system refuses the memory. */
xf_status_t *xf_tensor_create(xf_dtype_t dtype, int64_t rank,
                              const int64_t *shape, xf_tensor_t **tensor);

/*===------------------------------------------------------------------===*
 * Sessions
 *===------------------------------------------------------------------===*/

/** An opened artifact, ready to run. */
typedef struct xf_session xf_session_t;

struct xf_communicator;

/** Options of xf_session_open. */
typedef struct xf_session_options {
  /** OpenMP threads the kernels of a run use; 0 means all cores. */
  int32_t num_threads;
  /** The rank this session runs as (its MPI world rank), from 0 to the
   * artifact's world size - 1: it selects the weight shards of that rank
   * (docs/design/compiled-artifact.md). 0 by default; with a
   * `communicator`, it must be the communicator's rank. */
  int32_t rank;
  /** The transport to the other ranks (communicator.h), required for an
   * artifact compiled for several ranks and ignored otherwise; this process
   * is `communicator->rank`. It must outlive the session. The runs of such
   * a session are serialized, and every rank must run the same sequence. */
  const struct xf_communicator *communicator;
} xf_session_options_t;

/** A model input or output as the manifest declares it. */
typedef struct xf_tensor_info {
  /** The ONNX name. */
  const char *name;
  xf_dtype_t dtype;
  int64_t rank;
  /** Sizes; -1 for a dimension known only at run time. */
  const int64_t *shape;
  /** The ONNX symbol of each dimension ("" when it has none). */
  const char *const *dim_names;
  /** For an artifact compiled for several ranks: per dimension, the mesh
   * axes it is split over, as a bit set (bit i: axis i of the mesh; 0: not
   * split). Each rank runs on its part, as docs/design/compiled-artifact.md
   * says. NULL when the tensor is whole on every rank. */
  const uint64_t *split_axes;
  /** For an output of a multi-rank artifact that only some ranks compute
   * (the last stage of a pipeline): per mesh axis, the coordinate of the
   * ranks that hold it, or -1 for any. NULL when every rank holds it. */
  const int64_t *produced_on;
} xf_tensor_info_t;

/** The mesh of ranks an artifact was compiled for. */
typedef struct xf_mesh_info {
  /** The number of axes; 0 for a single-rank artifact. */
  int64_t num_axes;
  /** Axis names and sizes; a rank's coordinates are the row-major
   * delinearization of its number over them. */
  const char *const *axes;
  const int64_t *shape;
  /** The number of ranks (the product of `shape`). */
  int64_t world_size;
} xf_mesh_info_t;

/** Opens the artifact directory `path`: reads and checks its manifest,
 * maps its weights and loads its code. `options` may be NULL. */
xf_status_t *xf_session_open(const char *path,
                             const xf_session_options_t *options,
                             xf_session_t **session);

/** Closes `session` (NULL is allowed). Tensors it returned stay valid. */
void xf_session_close(xf_session_t *session);

size_t xf_session_num_inputs(const xf_session_t *session);
size_t xf_session_num_outputs(const xf_session_t *session);

/** Describes input `index`; the strings and arrays live as long as the
 * session. */
xf_status_t *xf_session_input_info(const xf_session_t *session, size_t index,
                                   xf_tensor_info_t *info);
/** Describes output `index`, as xf_session_input_info. */
xf_status_t *xf_session_output_info(const xf_session_t *session,
                                    size_t index, xf_tensor_info_t *info);

/** Runs the model on `inputs` (in manifest order; each checked against the
 * manifest: element type, rank, static sizes, and one size per symbolic
 * dimension name) and stores one new tensor per output in `outputs`. For an
 * artifact compiled with `--target cuda`, the inputs may be in host memory
 * or in GPU memory (cudaMalloc, cuMemAlloc, managed memory): the runtime
 * copies them to the GPU with cuMemcpy, which takes either under CUDA's
 * unified addressing. */
xf_status_t *xf_session_run(xf_session_t *session, const xf_buffer_t *inputs,
                            size_t num_inputs, xf_tensor_t **outputs,
                            size_t num_outputs);

/** Runs the model as xf_session_run, writing each output into the
 * caller's buffer `outputs[i]`, whose element type and shape must be the
 * result's. For a CUDA artifact, the buffers may be host or GPU memory, as
 * the inputs. */
xf_status_t *xf_session_run_into(xf_session_t *session,
                                 const xf_buffer_t *inputs, size_t num_inputs,
                                 const xf_buffer_t *outputs,
                                 size_t num_outputs);

/** Memory of the compiled code's buffers, in bytes. */
typedef struct xf_memory_stats {
  /** The most bytes live at once during the last run. */
  uint64_t last_run_peak_live_bytes;
  /** The bytes the last run allocated in total (what it would hold without
   * reuse and deallocation). */
  uint64_t last_run_allocated_bytes;
  /** The bytes the session's pools hold from the system (live + free). */
  uint64_t reserved_bytes;
} xf_memory_stats_t;

/** Reports the memory statistics of `session`. */
void xf_session_memory_stats(const xf_session_t *session,
                             xf_memory_stats_t *stats);

/** Describes the mesh of the artifact of `session`; the arrays live as long
 * as the session. */
void xf_session_mesh_info(const xf_session_t *session, xf_mesh_info_t *info);

/** What the collectives of the last run of a multi-rank session moved. */
typedef struct xf_communication_stats {
  /** Collective calls and point-to-point sends that involved other ranks. */
  uint64_t last_run_calls;
  /** The bytes of the tensors this rank handed to them. */
  uint64_t last_run_bytes;
} xf_communication_stats_t;

/** Reports the communication statistics of `session` (zeros for a
 * single-rank artifact). */
void xf_session_communication_stats(const xf_session_t *session,
                                    xf_communication_stats_t *stats);

/*===------------------------------------------------------------------===*
 * Profiling (docs/profiling.md)
 *===------------------------------------------------------------------===*/

/** Starts (`enabled` non-zero) or stops recording the runs of `session`:
 * each run, each kernel call and loop nest of its compiled code (named
 * after its ONNX node), and each collective and pipeline transfer becomes
 * an event. Starting discards the events recorded before. Call it between
 * runs. */
void xf_session_set_profiling(xf_session_t *session, int enabled);

/** The profiler's clock, in nanoseconds (steady; shared by the processes
 * of one machine): the origin of a trace is a value of it. */
int64_t xf_profile_clock_ns(void);

/** The events recorded by the profiled runs of `session` as Chrome /
 * Perfetto trace-event JSON objects separated by commas (the elements of a
 * `traceEvents` array, so that the events of several ranks concatenate), as
 * process `pid` named `process_name`, with times in microseconds from
 * `origin_ns` (an xf_profile_clock_ns value). A new string the caller frees
 * with xf_string_free; NULL when the session never profiled. */
char *xf_session_profile_trace_events(const xf_session_t *session, int64_t pid,
                                      const char *process_name,
                                      int64_t origin_ns);

/** A text table of the `count` ops (ONNX op types, and collectives) that
 * took the most time in the profiled runs of `session`, with their share of
 * the runs' time. A new string the caller frees with xf_string_free; NULL
 * when the session never profiled. */
char *xf_session_profile_top_ops(const xf_session_t *session, size_t count);

/** Frees a string the runtime returned (NULL is allowed). */
void xf_string_free(char *text);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_RUNTIME_API_H */
