/*===- Contract.h - What the compiler and the runtime agree on ---*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The one place where the compiler (`exaforge compile`) and the runtime
 * (libexaforge_runtime, `exaforge-run`) spell the things both must agree on:
 *
 *   - the artifact format: its version, the files of an artifact directory
 *     and the keys of manifest.json (docs/design/compiled-artifact.md);
 *   - the symbols of model.so: the model function and its packed entry
 *     point, which the runtime looks up;
 *   - the runtime functions compiled code calls (declared in the other
 *     headers of exaforge/abi/) and the codes it passes them.
 *
 * The compiler writes with these constants and the runtime reads with them;
 * neither side spells one of them as a literal. This header is plain C and
 * C++ (no LLVM, no runtime internals), so both sides can include it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_CONTRACT_H
#define EXAFORGE_ABI_CONTRACT_H

/*===------------------------------------------------------------------===*
 * Seen by compiled code (C)
 *===------------------------------------------------------------------===*/

/** The newest artifact format: the compiler writes it, the runtime reads
 * it and every older one down to XF_ARTIFACT_OLDEST_FORMAT_VERSION
 * (2 added the weights stored per rank; 3 the outputs produced on some
 * ranks only; 4 the execution context, passed to the model function and to
 * every runtime function it calls; 5 the allocations through xf_alloc and
 * xf_free, with the context; 6 the ONNX node name passed to the kernels; 7
 * the profile regions: xf_profile_begin and xf_profile_end (profile.h)
 * around each kernel call and loop nest, named in nodes.json, and the number
 * of groups passed to the convolution kernel; 8 the ONNX node name passed to
 * xf_alloc, which an out-of-memory message names; 9 the bias passed to the
 * matmul kernels, their epilogue; 10 the GPU launches that do not wait: a
 * CUDA model.so calls xf_cuda_synchronize (kernels.h) before its host code
 * touches tensor memory). */
#define XF_ARTIFACT_FORMAT_VERSION 10
/** The oldest artifact format the runtime still reads: an older CUDA
 * model.so relies on a wait after every launch, which the runtime no longer
 * does. */
#define XF_ARTIFACT_OLDEST_FORMAT_VERSION 10

#ifdef __cplusplus
extern "C" {
#endif

/** The execution context of one run of a compiled model: the buffer pool
 * serving its allocations, the ranks it communicates with, and the first
 * failed check, collective and kernel of the run. Opaque to compiled code,
 * which receives it as the first argument of the model function and passes
 * it first to every runtime function it calls (allocation.h, kernels.h,
 * collectives.h, checks.h); the `pass-exec-context` pass threads it
 * through. A session creates one per run and reads the failures from it
 * when the run ends. It is the only way compiled code reaches its run: the
 * runtime keeps no per-thread "current" run.
 *
 * Only xf_parallel_for (parallel.h), which needs nothing of the run, and
 * the two functions below are called without it. */
typedef struct xf_exec_context xf_exec_context;

/** Creates a standalone context, for compiled code run outside a session
 * (by mlir-runner, in tests): it has neither buffer pool nor ranks. A
 * function that calls this passes the result to the runtime functions it
 * calls instead of receiving a context (see `pass-exec-context`). */
xf_exec_context *xf_exec_context_create(void);
/** Destroys a context xf_exec_context_create made. */
void xf_exec_context_destroy(xf_exec_context *context);

#ifdef __cplusplus
} /* extern "C" */
#endif

/** How a collective combines the values of the ranks: the `reduction`
 * argument of the xf_dist_* functions (collectives.h) and of a
 * communicator's reductions (communicator.h). */
typedef enum xf_reduction {
  XF_REDUCTION_SUM = 0,
  XF_REDUCTION_PRODUCT = 1,
  XF_REDUCTION_MAX = 2,
  XF_REDUCTION_MIN = 3,
} xf_reduction_t;

#ifdef __cplusplus

/*===------------------------------------------------------------------===*
 * Spelled by the compiler and the runtime (C++)
 *===------------------------------------------------------------------===*/

#include <cstddef>
#include <cstdint>

namespace exaforge::abi {

/// The newest artifact format (see XF_ARTIFACT_FORMAT_VERSION).
inline constexpr int64_t kArtifactFormatVersion = XF_ARTIFACT_FORMAT_VERSION;
/// The oldest artifact format the runtime reads.
inline constexpr int64_t kOldestArtifactFormatVersion =
    XF_ARTIFACT_OLDEST_FORMAT_VERSION;

//===--------------------------------------------------------------------===//
// Files of an artifact directory
//===--------------------------------------------------------------------===//

/// The manifest: JSON, with the keys below.
inline constexpr char kManifestFileName[] = "manifest.json";
/// The compiled model, a shared library (the manifest's `library`).
inline constexpr char kLibraryFileName[] = "model.so";
/// The weights every rank reads (the manifest's `weights_file`).
inline constexpr char kWeightsFileName[] = "weights.bin";
/// The profile regions of model.so (format 7): JSON, an object whose
/// `regions` array describes region `i` (the argument of xf_profile_begin,
/// profile.h) at index `i`: its ONNX node's `name` and `op_type` ("" when
/// unknown) and its `kind`, "kernel" or "loop".
inline constexpr char kNodesFileName[] = "nodes.json";
/// The keys of nodes.json.
inline constexpr char kKeyRegions[] = "regions";
inline constexpr char kKeyOpType[] = "op_type";
inline constexpr char kKeyKind[] = "kind";
/// The kinds of a profile region: a library kernel call, or a compiled loop
/// nest.
inline constexpr char kRegionKindKernel[] = "kernel";
inline constexpr char kRegionKindLoop[] = "loop";

//===--------------------------------------------------------------------===//
// Symbols of model.so
//===--------------------------------------------------------------------===//

/// The compiled model function.
inline constexpr char kModelFunctionName[] = "xf_model_main";
/// Its C interface (`llvm.emit_c_interface`): results pointer, the
/// execution context (xf_exec_context *), then one descriptor pointer per
/// argument.
inline constexpr char kModelCInterfaceSymbol[] = "_mlir_ciface_xf_model_main";
/// The entry point the manifest names: `void (void **args)`, calling the C
/// interface with `args[0]` (the results), `args[1]` (the execution
/// context), `args[2]`, ... (the arguments).
inline constexpr char kModelEntrySymbol[] = "xf_model_packed";

//===--------------------------------------------------------------------===//
// Runtime functions compiled code calls
//===--------------------------------------------------------------------===//

/// Every runtime function compiled code calls starts with this prefix.
inline constexpr char kRuntimeSymbolPrefix[] = "xf_";
/// The prefix of the library kernels (kernels.h): `xf_kernel_<op>_<type>`.
inline constexpr char kKernelFunctionPrefix[] = "xf_kernel_";
/// Allocates and frees the buffers of compiled code (allocation.h): every
/// `memref.alloc` and `memref.dealloc` becomes a call of them.
inline constexpr char kAllocFunction[] = "xf_alloc";
inline constexpr char kFreeFunction[] = "xf_free";
/// Reports a failed run-time check (checks.h).
inline constexpr char kCheckFailedFunction[] = "xf_check_failed";
/// The prefix of the collectives and transfers (collectives.h):
/// `xf_dist_<op>_<element type>`.
inline constexpr char kDistFunctionPrefix[] = "xf_dist_";
/// The coordinate of the calling rank on a mesh axis (collectives.h).
inline constexpr char kDistAxisIndexFunction[] = "xf_dist_axis_index";
/// Runs an outlined parallel loop on the session's threads (parallel.h).
/// Called without the execution context: it is emitted after the context
/// is threaded, and needs nothing of the run.
inline constexpr char kParallelForFunction[] = "xf_parallel_for";
/// Open and close a profile region of compiled code (profile.h); the
/// `insert-profile-regions` pass emits their calls.
inline constexpr char kProfileBeginFunction[] = "xf_profile_begin";
inline constexpr char kProfileEndFunction[] = "xf_profile_end";
/// The prefix of the library kernels of CUDA artifacts (kernels.h):
/// `xf_cuda_<op>_<type>`, enqueued on the run's stream.
inline constexpr char kCudaKernelFunctionPrefix[] = "xf_cuda_";
/// Waits for the GPU work of the run on the calling thread (kernels.h):
/// compiled code calls it before its host code touches tensor memory
/// (`synchronize-gpu-before-host-access`). Called without the execution
/// context, like the `mgpu*` launch functions it goes with.
inline constexpr char kCudaSynchronizeFunction[] = "xf_cuda_synchronize";
/// Copies between contiguous buffers on the run's stream (kernels.h);
/// called without the execution context.
inline constexpr char kCudaCopyFunction[] = "xf_cuda_copy";
/// Create and destroy a standalone execution context (code run outside a
/// session); called without a context.
inline constexpr char kExecContextCreateFunction[] = "xf_exec_context_create";
inline constexpr char kExecContextDestroyFunction[] = "xf_exec_context_destroy";

//===--------------------------------------------------------------------===//
// Keys of manifest.json
//===--------------------------------------------------------------------===//

/// Top level: the format version (an integer).
inline constexpr char kKeyFormatVersion[] = "format_version";
/// Top level: the version of the compiler that wrote the artifact.
inline constexpr char kKeyCompilerVersion[] = "compiler_version";
/// Top level: whether the compiled code checks its inputs at run time
/// (a boolean; false for `exaforge compile --no-runtime-checks`, which
/// developers use to measure what the checks cost: a bad input can then
/// give wrong values). Absent means true. Only `exaforge inspect` reads it.
inline constexpr char kKeyRuntimeChecks[] = "runtime_checks";
/// Top level: the file name of the compiled library.
inline constexpr char kKeyLibrary[] = "library";
/// Top level: the symbol of the packed entry point.
inline constexpr char kKeyEntry[] = "entry";
/// Top level: the file name of the shared weights.
inline constexpr char kKeyWeightsFile[] = "weights_file";
/// Top level: one weight file name per rank (weights stored per rank).
inline constexpr char kKeyRankWeightsFiles[] = "rank_weights_files";
/// Top level: the array of the model's input entries, in argument order.
inline constexpr char kKeyInputs[] = "inputs";
/// Top level: the array of the model's output entries, in result order.
inline constexpr char kKeyOutputs[] = "outputs";
/// Top level: the array of the weight entries.
inline constexpr char kKeyWeights[] = "weights";
/// Top level: the ranks the artifact was compiled for: an object with
/// `world_size` and, for several ranks, `mesh`.
inline constexpr char kKeyRanks[] = "ranks";
/// `ranks.world_size`: the number of ranks (processes) of a run.
inline constexpr char kKeyWorldSize[] = "world_size";
/// `ranks.mesh`: an object with `axes` and `shape`.
inline constexpr char kKeyMesh[] = "mesh";
/// `ranks.mesh.axes`: the names of the mesh axes, in mesh order.
inline constexpr char kKeyAxes[] = "axes";

/// Top level: what the artifact was compiled for, an object with `name`
/// (`kTargetCpu` or `kTargetCuda`), `precision` and, for CUDA, `gpu_arch`,
/// `ptx` and `cubin`. Without it (artifacts of older compilers), the CPU.
inline constexpr char kKeyTarget[] = "target";
/// `target.precision`: the precision the model computes in ("f32").
inline constexpr char kKeyPrecision[] = "precision";
/// `target.gpu_arch`: the GPU architecture of the cubin ("sm_90").
inline constexpr char kKeyGpuArch[] = "gpu_arch";
/// `target.ptx`: the file name of the kernels' PTX.
inline constexpr char kKeyPtxFile[] = "ptx";
/// `target.cubin`: the file name of the kernels' cubin (ptxas's output for
/// `gpu_arch`).
inline constexpr char kKeyCubinFile[] = "cubin";
/// `target.name` of an artifact for the CPU.
inline constexpr char kTargetCpu[] = "cpu";
/// `target.name` of an artifact for NVIDIA GPUs.
inline constexpr char kTargetCuda[] = "cuda";

/// A tensor entry: its name.
inline constexpr char kKeyName[] = "name";
/// A tensor entry: its element type, as numpy names it ("float32").
inline constexpr char kKeyDType[] = "dtype";
/// A tensor entry: its sizes, -1 for a dimension known only at run time
/// (also `ranks.mesh.shape`: the extent of each mesh axis).
inline constexpr char kKeyShape[] = "shape";
/// A tensor entry: the ONNX symbol of each dimension, or "".
inline constexpr char kKeyDimNames[] = "dim_names";
/// A tensor entry of a multi-rank artifact: per dimension, the mesh axes it
/// is split over.
inline constexpr char kKeySharding[] = "sharding";
/// An output entry: the coordinate, per mesh axis, of the ranks that hold
/// it, when only some do.
inline constexpr char kKeyProducedOn[] = "produced_on";
/// A weight entry: its first byte in its weight file.
inline constexpr char kKeyOffset[] = "offset";
/// A weight entry: its size in bytes.
inline constexpr char kKeyNBytes[] = "nbytes";
/// A weight entry: stored per rank (in `rank_weights_files`).
inline constexpr char kKeyPerRank[] = "per_rank";
/// A weight entry stored per rank: the mesh axes it is a partial sum over.
inline constexpr char kKeyPartial[] = "partial";
/// A weight entry stored per rank: its shape before the split.
inline constexpr char kKeyGlobalShape[] = "global_shape";

//===--------------------------------------------------------------------===//
// Sequences and optionals at the model's boundary
//===--------------------------------------------------------------------===//

/// A sequence input or output `x` of the model is passed as three tensors
/// (`convert-graph-sequences-to-tensors`), each an ordinary manifest entry
/// named `x#data` (the elements' values, one after the other, 1-D),
/// `x#dims` (their sizes, one after the other, 1-D int64) and `x#elements`
/// (n x 2 int64: per element its number of values and its rank). An
/// optional `x` is a 0-d bool saying whether it holds a value, named
/// `x#has_tensor` for an optional tensor and `x#has_sequence` for an
/// optional sequence, followed by the three tensors of the sequence of what
/// it holds (one element for a held tensor, none when empty).
inline constexpr char kPackedPartSeparator = '#';
inline constexpr char kPackedPartHasTensor[] = "has_tensor";
inline constexpr char kPackedPartHasSequence[] = "has_sequence";
inline constexpr char kPackedPartData[] = "data";
inline constexpr char kPackedPartDims[] = "dims";
inline constexpr char kPackedPartElements[] = "elements";

//===--------------------------------------------------------------------===//
// Ranks on the mesh
//===--------------------------------------------------------------------===//

/// Writes into `coordinates[0..numAxes)` the coordinates of `rank` on a mesh
/// whose axis sizes are `shape[0..numAxes)`. Ranks are numbered row-major
/// over the mesh axes (the last axis varies fastest): the compiler slices
/// each rank's weight shards and the runtime scatters and gathers tensors
/// by this numbering, so both sides must agree on it.
inline void getMeshCoordinates(const int64_t *shape, size_t numAxes,
                               int64_t rank, int64_t *coordinates) {
  for (size_t axis = numAxes; axis-- > 0;) {
    coordinates[axis] = rank % shape[axis];
    rank /= shape[axis];
  }
}

} // namespace exaforge::abi

#endif // __cplusplus

#endif // EXAFORGE_ABI_CONTRACT_H
