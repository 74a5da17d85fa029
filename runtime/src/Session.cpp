//===- Session.cpp - Sessions of the runtime C API ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Opens artifacts and runs them: checks the caller's inputs against the
// manifest, builds the memref descriptors of the packed entry point
// (docs/design/compiled-artifact.md), runs the compiled code with a buffer
// pool of the session, and turns the returned descriptors into tensors.
// A CUDA artifact's run copies the inputs into GPU memory first, runs under
// a cuda::RunScope, and copies the outputs back.
//
//===----------------------------------------------------------------------===//

#include "Artifact.h"
#include "BufferPool.h"
#include "DistContext.h"
#include "EarlyExit.h"
#include "ExecContext.h"
#include "Profiler.h"
#include "Status.h"
#include "StridedCopy.h"
#include "Tensor.h"
#include "cuda/CudaDevice.h"
#include "cuda/CudaLaunch.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

using namespace exaforge::runtime;

extern "C" {
// From the OpenMP runtime that oneDNN runs on (libgomp).
void omp_set_num_threads(int count);
int omp_get_num_procs(void);
}

/// An opened artifact and the buffer pools of its runs.
struct xf_session {
  std::unique_ptr<Artifact> artifact;
  int32_t numThreads = 0;

  /// Pools not in use by a run; a run takes one (or makes one) and gives it
  /// back, so parallel runs of one session never share a pool.
  mutable std::mutex mutex;
  std::vector<std::unique_ptr<BufferPool>> idlePools;
  xf_memory_stats_t stats{};

  /// For a multi-rank artifact: the communicator and mesh. Runs hold
  /// `runMutex`, so that the ranks see the collectives of one run at a
  /// time, in order.
  std::unique_ptr<DistContext> dist;
  std::mutex runMutex;
  xf_communication_stats_t communicationStats{};
  /// The mesh's axis names as C strings, for xf_mesh_info_t.
  std::vector<const char *> axisNames;

  /// The events of the profiled runs (xf_session_set_profiling); null
  /// before profiling starts. Runs are recorded while `profiling` is set.
  std::unique_ptr<Profiler> profiler;
  bool profiling = false;
};

namespace {
/// A memref descriptor as 64-bit words: allocated, aligned, offset, sizes,
/// strides.
using Descriptor = std::vector<int64_t>;

int64_t pointerWord(const void *ptr) {
  return static_cast<int64_t>(reinterpret_cast<intptr_t>(ptr));
}

/// The descriptor of a dense row-major tensor at `data`.
Descriptor makeDescriptor(const void *data, const std::vector<int64_t> &shape) {
  size_t rank = shape.size();
  Descriptor words(3 + 2 * rank);
  words[0] = words[1] = pointerWord(data);
  words[2] = 0;
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    words[3 + i] = shape[i];
    words[3 + rank + i] = stride;
    stride *= shape[i];
  }
  return words;
}

/// Renders a shape as "[2, 3]".
std::string formatShape(const int64_t *shape, size_t rank) {
  std::string text = "[";
  for (size_t i = 0; i < rank; ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// Renders a declared shape, naming its symbolic dimensions: "[N, 784]".
std::string formatDeclaredShape(const TensorSpec &spec) {
  std::string text = "[";
  for (size_t i = 0; i < spec.shape.size(); ++i) {
    const std::string &symbol = spec.dimNames[i];
    text += i ? ", " : "";
    text += spec.shape[i] >= 0 ? std::to_string(spec.shape[i])
            : symbol.empty()   ? std::string("?")
                               : symbol;
  }
  return text + "]";
}

/// The shape of `spec` on one rank: a static dimension split over mesh axes
/// is divided by their sizes (the manifest gives the whole size, which the
/// compiler made divisible).
std::vector<int64_t> getLocalShape(const TensorSpec &spec,
                                   const MeshSpec &mesh) {
  std::vector<int64_t> shape = spec.shape;
  for (size_t d = 0; d < shape.size() && !spec.splitAxes.empty(); ++d)
    for (size_t axis = 0; axis < mesh.shape.size(); ++axis)
      if (shape[d] > 0 && ((spec.splitAxes[d] >> axis) & 1))
        shape[d] /= mesh.shape[axis];
  return shape;
}

/// Where a symbolic dimension name was bound: its size, and the input and
/// dimension that carried it first.
struct SymbolBinding {
  int64_t size;
  std::string input;
  int64_t dim;
};

/// Checks the caller's inputs against the manifest, binding each symbolic
/// dimension name to one size (the first input that carries it decides; the
/// compiled code assumes every other dimension of that name has it).
/// Element counts that int64 cannot hold are refused before any use.
xf_status_t *checkInputs(const Artifact &artifact, const xf_buffer_t *inputs,
                         size_t numInputs) {
  const std::vector<TensorSpec> &specs = artifact.getInputs();
  if (numInputs != specs.size())
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "the model takes " + std::to_string(specs.size()) +
                          " inputs, " + std::to_string(numInputs) + " given");
  if (numInputs && !inputs)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT, "inputs is null");
  std::map<std::string, SymbolBinding> symbols;
  for (size_t i = 0; i < numInputs; ++i) {
    const xf_buffer_t &input = inputs[i];
    const TensorSpec &spec = specs[i];
    std::string expected = formatDeclaredShape(spec);
    std::string what = "input '" + spec.name + "'";
    if (input.dtype != spec.dtype)
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        what + " must be " + xf_dtype_name(spec.dtype) +
                            ", got " + xf_dtype_name(input.dtype));
    if (input.rank < 0 || (input.rank > 0 && !input.shape) ||
        static_cast<size_t>(input.rank) != spec.shape.size())
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        what + " must have shape " + expected + " (rank " +
                            std::to_string(spec.shape.size()) + "), got rank " +
                            std::to_string(input.rank));
    std::string given = formatShape(input.shape, input.rank);
    // A count that overflows is refused unless a size is 0 (then it is 0).
    int64_t elements = 1;
    bool overflows = false, empty = false;
    std::vector<int64_t> localShape = getLocalShape(spec, artifact.getMesh());
    for (int64_t d = 0; d < input.rank; ++d) {
      int64_t size = input.shape[d], declared = localShape[d];
      bool matches = size >= 0 && (declared < 0 || size == declared);
      const std::string &symbol = spec.dimNames[d];
      if (matches && declared < 0 && !symbol.empty()) {
        auto [it, inserted] =
            symbols.emplace(symbol, SymbolBinding{size, spec.name, d});
        const SymbolBinding &bound = it->second;
        if (!inserted && bound.size != size)
          return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                            what + " has shape " + given +
                                ", but its dimension " + std::to_string(d) +
                                " is '" + symbol + "', which is " +
                                std::to_string(bound.size) + " in dimension " +
                                std::to_string(bound.dim) + " of input '" +
                                bound.input + "'");
      }
      if (!matches)
        return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                          what + " must have shape " + expected + ", got " +
                              given);
      overflows |= __builtin_mul_overflow(elements, size, &elements);
      empty |= size == 0;
    }
    if (empty)
      elements = 0;
    int64_t bytes = 0;
    if ((overflows && !empty) ||
        __builtin_mul_overflow(
            elements, static_cast<int64_t>(xf_dtype_size(spec.dtype)), &bytes))
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        what + " of shape " + given +
                            " has more bytes than a 64-bit size can count");
    if (input.nbytes != static_cast<size_t>(bytes))
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        what + " of shape " + given + " needs " +
                            std::to_string(bytes) + " bytes, the buffer has " +
                            std::to_string(input.nbytes));
    if (!input.data && input.nbytes)
      return makeStatus(XF_STATUS_INVALID_ARGUMENT, what + " has no data");
  }
  return nullptr;
}

/// Turns the descriptor of output `spec` at `words` into a tensor: takes
/// over the buffer when the run's pool allocated it in host memory (and no
/// earlier output took it) and it is dense, else copies it.
xf_status_t *takeOutput(const int64_t *words, const TensorSpec &spec,
                        const MeshSpec &mesh, BufferPool &pool,
                        std::unique_ptr<xf_tensor> &tensor) {
  size_t rank = spec.shape.size();
  std::vector<int64_t> localShape = getLocalShape(spec, mesh);
  auto *allocated = reinterpret_cast<char *>(static_cast<intptr_t>(words[0]));
  auto *aligned = reinterpret_cast<char *>(static_cast<intptr_t>(words[1]));
  const int64_t *sizes = words + 3, *strides = words + 3 + rank;
  size_t elementSize = xf_dtype_size(spec.dtype);

  tensor = std::make_unique<xf_tensor>();
  tensor->dtype = spec.dtype;
  tensor->shape.assign(sizes, sizes + rank);
  uint64_t elements = 1;
  bool dense = true;
  int64_t expectedStride = 1;
  for (size_t d = rank; d-- > 0;) {
    if (sizes[d] < 0 || (localShape[d] >= 0 && sizes[d] != localShape[d]))
      return makeStatus(XF_STATUS_RUN_FAILED,
                        "output '" + spec.name + "' came back with shape " +
                            formatShape(sizes, rank) +
                            " (a compiler bug: the manifest declares " +
                            formatShape(spec.shape.data(), rank) + ")");
    if (sizes[d] != 1 && strides[d] != expectedStride)
      dense = false;
    expectedStride *= sizes[d];
    elements *= sizes[d];
  }
  tensor->nbytes = elements * elementSize;
  char *start = aligned + words[2] * elementSize;
  if (dense && pool.canDetach() && pool.owns(allocated)) {
    pool.detach(allocated);
    tensor->buffer = allocated;
    tensor->data = start;
    return nullptr;
  }
  tensor->buffer = allocateDetachedBuffer(tensor->nbytes, 64);
  if (!tensor->buffer)
    return makeStatus(XF_STATUS_OUT_OF_MEMORY,
                      "out of memory for output '" + spec.name + "' (" +
                          std::to_string(tensor->nbytes) + " bytes)");
  tensor->data = tensor->buffer;
  if (elements)
    copyStrided(static_cast<char *>(tensor->data), start, elementSize, sizes,
                strides, rank);
  return nullptr;
}

/// The outcome of a run that `finished` or left early, from
/// the failures its execution context recorded: null on success.
xf_status_t *getRunStatus(const ExecContext &context, bool finished) {
  // A failed check explains later kernel failures: report it first.
  if (const char *failure = context.getCheckFailure())
    return makeStatus(XF_STATUS_INVALID_ARGUMENT, failure);
  if (const std::string *outOfMemory = context.getOutOfMemory())
    return makeStatus(XF_STATUS_OUT_OF_MEMORY, *outOfMemory);
  if (const std::string *distFailure = context.getDistFailure())
    return makeStatus(XF_STATUS_COLLECTIVE_FAILED, *distFailure);
  if (const std::string *kernelFailure = context.getKernelFailure())
    return makeStatus(XF_STATUS_RUN_FAILED, "kernel failed: " + *kernelFailure);
  if (!finished)
    return makeStatus(XF_STATUS_RUN_FAILED,
                      "the compiled model stopped before its end without "
                      "a reason (a runtime bug)");
  return nullptr;
}

/// Runs the model and returns one tensor per output.
xf_status_t *runModel(xf_session_t *session, const xf_buffer_t *inputs,
                      size_t numInputs,
                      std::vector<std::unique_ptr<xf_tensor>> &outputs) {
  const Artifact &artifact = *session->artifact;
  if (xf_status_t *status = checkInputs(artifact, inputs, numInputs))
    return status;

  size_t resultWords = 0;
  for (const TensorSpec &spec : artifact.getOutputs())
    resultWords += 3 + 2 * spec.shape.size();
  std::vector<int64_t> results(std::max<size_t>(resultWords, 1));

  const cuda::CudaDevice *device = artifact.getDevice();
  std::unique_ptr<BufferPool> pool;
  {
    std::lock_guard<std::mutex> lock(session->mutex);
    if (!session->idlePools.empty()) {
      pool = std::move(session->idlePools.back());
      session->idlePools.pop_back();
    }
  }
  if (!pool)
    pool =
        device
            ? std::make_unique<BufferPool>(cuda::CudaDevice::getManagedMemory())
            : std::make_unique<BufferPool>();

  pool->beginRun();
  // A failure before the compiled code starts (GPU memory or stream).
  xf_status_t *startFailure = nullptr;
  ExecContext context(pool.get(), session->dist.get());
  std::unique_ptr<cuda::RunScope> gpuRun;
  if (device) {
    exaforge::support::Expected<std::unique_ptr<cuda::RunScope>> scope =
        cuda::RunScope::begin(*device, context, artifact.allowsTf32());
    if (scope)
      gpuRun = std::move(*scope);
    else
      startFailure = makeStatus(XF_STATUS_RUN_FAILED, scope.getMessage());
  }
  // The GPU reads its inputs from GPU memory: copy them into the run's pool,
  // on the run's stream, so that its kernels read them after the copies.
  std::vector<Descriptor> arguments;
  for (size_t i = 0; i < numInputs && !startFailure; ++i) {
    const void *data = inputs[i].data;
    if (device) {
      void *copy = pool->allocate(inputs[i].nbytes, 64);
      if (!copy) {
        startFailure = makeStatus(
            XF_STATUS_OUT_OF_MEMORY,
            "out of GPU memory for input '" + artifact.getInputs()[i].name +
                "' (" + std::to_string(inputs[i].nbytes) + " bytes)");
        break;
      }
      // The caller's buffer may be host or GPU memory.
      if (inputs[i].nbytes)
        if (cuda::Result result =
                cuda::enqueueCopy(copy, data, inputs[i].nbytes)) {
          startFailure = makeStatus(
              XF_STATUS_INVALID_ARGUMENT,
              "cannot copy input '" + artifact.getInputs()[i].name +
                  "' to the GPU: " + device->getDriver().describe(result));
          break;
        }
      data = copy;
    }
    arguments.push_back(makeDescriptor(
        data, std::vector<int64_t>(inputs[i].shape,
                                   inputs[i].shape + inputs[i].rank)));
  }
  for (size_t i = 0; i < artifact.getWeights().size(); ++i)
    arguments.push_back(makeDescriptor(artifact.getWeightData(i),
                                       artifact.getWeights()[i].shape));
  omp_set_num_threads(session->numThreads > 0 ? session->numThreads
                                              : omp_get_num_procs());
  std::unique_lock<std::mutex> runLock(session->runMutex, std::defer_lock);
  if (session->dist) {
    runLock.lock();
    session->dist->getStats() = CommunicationStats();
  }
  // The entry point's arguments (Contract.h): the results, the execution
  // context, then the inputs and weights.
  std::vector<void *> packed{results.data(), &context};
  for (Descriptor &descriptor : arguments)
    packed.push_back(descriptor.data());
  // A failed allocation or collective leaves the compiled code early
  // (EarlyExit.h): the results are then not set.
  bool finished = false;
  if (!startFailure) {
    Profiler *profiler = session->profiling ? session->profiler.get() : nullptr;
    context.setProfiler(profiler);
    ProfileScope run(profiler, "run", ProfileCategory::Run);
    finished = callCompiledCode(artifact.getEntry(), packed.data());
    // A run stopped early left the regions it was in open: they end here,
    // inside the run's event.
    if (profiler && !finished)
      profiler->closeOpenRegions(Profiler::now());
  }
  if (session->dist) {
    std::lock_guard<std::mutex> lock(session->mutex);
    session->communicationStats.last_run_calls =
        session->dist->getStats().calls;
    session->communicationStats.last_run_bytes =
        session->dist->getStats().bytes;
  }
  if (runLock.owns_lock())
    runLock.unlock();
  // Waits for the GPU's work before the outputs are read; a GPU failure
  // found there fails the run.
  if (gpuRun && finished && !gpuRun->finish())
    finished = false;
  gpuRun.reset();
  xf_status_t *status =
      startFailure ? startFailure : getRunStatus(context, finished);
  const int64_t *words = results.data();
  for (const TensorSpec &spec : artifact.getOutputs()) {
    if (status)
      break;
    outputs.emplace_back();
    status = takeOutput(words, spec, artifact.getMesh(), *pool, outputs.back());
    words += 3 + 2 * spec.shape.size();
  }
  pool->endRun();
  // After a stopped run the pool keeps nothing it could not use again.
  if (!finished)
    pool->releaseFreeBuffers();

  std::lock_guard<std::mutex> lock(session->mutex);
  session->stats.last_run_peak_live_bytes = pool->getPeakLiveBytes();
  session->stats.last_run_allocated_bytes = pool->getAllocatedBytes();
  session->idlePools.push_back(std::move(pool));
  session->stats.reserved_bytes = 0;
  for (const std::unique_ptr<BufferPool> &idle : session->idlePools)
    session->stats.reserved_bytes += idle->getReservedBytes();
  if (status)
    outputs.clear();
  return status;
}

/// Fills `info` from `spec`.
void describe(const TensorSpec &spec, xf_tensor_info_t *info) {
  info->name = spec.name.c_str();
  info->dtype = spec.dtype;
  info->rank = static_cast<int64_t>(spec.shape.size());
  info->shape = spec.shape.data();
  info->dim_names = spec.dimNamePointers.data();
  info->split_axes = spec.splitAxes.empty() ? nullptr : spec.splitAxes.data();
  info->produced_on =
      spec.producedOn.empty() ? nullptr : spec.producedOn.data();
}
} // namespace

//===----------------------------------------------------------------------===//
// C API
//===----------------------------------------------------------------------===//

xf_status_t *xf_session_open(const char *path,
                             const xf_session_options_t *options,
                             xf_session_t **session) {
  if (!path || !session)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "xf_session_open: path and session must not be null");
  if (options && options->num_threads < 0)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "num_threads must be 0 (all cores) or positive, got " +
                          std::to_string(options->num_threads));
  if (options && options->rank < 0)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "rank must not be negative, got " +
                          std::to_string(options->rank));
  exaforge::support::Expected<std::unique_ptr<Artifact>> artifact =
      Artifact::open(path, options ? options->rank : 0);
  if (!artifact)
    return makeStatus(XF_STATUS_INVALID_ARTIFACT, artifact.getMessage());
  std::unique_ptr<xf_session> opened(new xf_session());
  opened->artifact = std::move(*artifact);
  opened->numThreads = options ? options->num_threads : 0;
  const MeshSpec &mesh = opened->artifact->getMesh();
  for (const std::string &axis : mesh.axes)
    opened->axisNames.push_back(axis.c_str());
  if (mesh.getNumRanks() > 1) {
    const xf_communicator_t *communicator =
        options ? options->communicator : nullptr;
    if (!communicator)
      return makeStatus(
          XF_STATUS_INVALID_ARGUMENT,
          std::string(path) + ": the artifact was compiled for " +
              std::to_string(mesh.getNumRanks()) +
              " ranks; run it with `exaforge-run -n " +
              std::to_string(mesh.getNumRanks()) +
              "` (or open it with a communicator of that many ranks)");
    if (communicator->rank != (options ? options->rank : 0))
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        "the session's rank " + std::to_string(options->rank) +
                            " is not its communicator's rank " +
                            std::to_string(communicator->rank));
    exaforge::support::Expected<std::unique_ptr<DistContext>> dist =
        DistContext::create(*communicator, mesh);
    if (!dist)
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        std::string(path) + ": " + dist.getMessage());
    opened->dist = std::move(*dist);
  }
  *session = opened.release();
  return nullptr;
}

void xf_session_close(xf_session_t *session) { delete session; }

size_t xf_session_num_inputs(const xf_session_t *session) {
  return session->artifact->getInputs().size();
}

size_t xf_session_num_outputs(const xf_session_t *session) {
  return session->artifact->getOutputs().size();
}

xf_status_t *xf_session_input_info(const xf_session_t *session, size_t index,
                                   xf_tensor_info_t *info) {
  const std::vector<TensorSpec> &inputs = session->artifact->getInputs();
  if (index >= inputs.size() || !info)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "no input " + std::to_string(index) + " (the model has " +
                          std::to_string(inputs.size()) + ")");
  describe(inputs[index], info);
  return nullptr;
}

xf_status_t *xf_session_output_info(const xf_session_t *session, size_t index,
                                    xf_tensor_info_t *info) {
  const std::vector<TensorSpec> &outputs = session->artifact->getOutputs();
  if (index >= outputs.size() || !info)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "no output " + std::to_string(index) +
                          " (the model has " + std::to_string(outputs.size()) +
                          ")");
  describe(outputs[index], info);
  return nullptr;
}

xf_status_t *xf_session_run(xf_session_t *session, const xf_buffer_t *inputs,
                            size_t numInputs, xf_tensor_t **outputs,
                            size_t numOutputs) {
  if (!session || (numOutputs && !outputs))
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "xf_session_run: session and outputs must not be null");
  size_t expected = session->artifact->getOutputs().size();
  if (numOutputs != expected)
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "the model has " + std::to_string(expected) +
                          " outputs, " + std::to_string(numOutputs) +
                          " requested");
  std::vector<std::unique_ptr<xf_tensor>> results;
  if (xf_status_t *status = runModel(session, inputs, numInputs, results))
    return status;
  for (size_t i = 0; i < numOutputs; ++i)
    outputs[i] = results[i].release();
  return nullptr;
}

xf_status_t *xf_session_run_into(xf_session_t *session,
                                 const xf_buffer_t *inputs, size_t numInputs,
                                 const xf_buffer_t *outputs,
                                 size_t numOutputs) {
  if (!session || (numOutputs && !outputs))
    return makeStatus(
        XF_STATUS_INVALID_ARGUMENT,
        "xf_session_run_into: session and outputs must not be null");
  const std::vector<TensorSpec> &specs = session->artifact->getOutputs();
  if (numOutputs != specs.size())
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "the model has " + std::to_string(specs.size()) +
                          " outputs, " + std::to_string(numOutputs) + " given");
  std::vector<std::unique_ptr<xf_tensor>> results;
  if (xf_status_t *status = runModel(session, inputs, numInputs, results))
    return status;
  for (size_t i = 0; i < numOutputs; ++i) {
    const xf_tensor &result = *results[i];
    const xf_buffer_t &target = outputs[i];
    bool sameShape =
        target.rank == static_cast<int64_t>(result.shape.size()) &&
        (target.rank == 0 ||
         (target.shape &&
          std::equal(result.shape.begin(), result.shape.end(), target.shape)));
    if (target.dtype != result.dtype || !sameShape ||
        target.nbytes != result.nbytes || (!target.data && result.nbytes))
      return makeStatus(
          XF_STATUS_INVALID_ARGUMENT,
          "output '" + specs[i].name + "' is " + xf_dtype_name(result.dtype) +
              " " + formatShape(result.shape.data(), result.shape.size()) +
              " (" + std::to_string(result.nbytes) +
              " bytes); the buffer given for it does not match");
  }
  // A CUDA session copies with cuMemcpy: the caller's buffers may be host or
  // GPU memory.
  const cuda::CudaDevice *device = session->artifact->getDevice();
  for (size_t i = 0; i < numOutputs; ++i) {
    if (!results[i]->nbytes)
      continue;
    if (!device) {
      std::memcpy(outputs[i].data, results[i]->data, results[i]->nbytes);
      continue;
    }
    if (cuda::Result result =
            device->copy(outputs[i].data, results[i]->data, results[i]->nbytes))
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        "cannot copy output '" + specs[i].name +
                            "' into the buffer given for it: " +
                            device->getDriver().describe(result));
  }
  return nullptr;
}

void xf_session_mesh_info(const xf_session_t *session, xf_mesh_info_t *info) {
  const MeshSpec &mesh = session->artifact->getMesh();
  info->num_axes = static_cast<int64_t>(mesh.axes.size());
  info->axes = session->axisNames.data();
  info->shape = mesh.shape.data();
  info->world_size = mesh.getNumRanks();
}

void xf_session_communication_stats(const xf_session_t *session,
                                    xf_communication_stats_t *stats) {
  std::lock_guard<std::mutex> lock(session->mutex);
  *stats = session->communicationStats;
}

void xf_session_memory_stats(const xf_session_t *session,
                             xf_memory_stats_t *stats) {
  std::lock_guard<std::mutex> lock(session->mutex);
  *stats = session->stats;
}

void xf_session_set_profiling(xf_session_t *session, int enabled) {
  if (enabled)
    session->profiler =
        std::make_unique<Profiler>(session->artifact->getProfileRegions());
  session->profiling = enabled != 0;
}

int64_t xf_profile_clock_ns(void) { return Profiler::now(); }

/// A copy of `text` in memory xf_string_free frees.
static char *copyString(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (copy)
    std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

char *xf_session_profile_trace_events(const xf_session_t *session, int64_t pid,
                                      const char *process_name,
                                      int64_t origin_ns) {
  if (!session->profiler)
    return nullptr;
  return copyString(session->profiler->formatTraceEvents(
      pid, process_name ? process_name : "", origin_ns));
}

char *xf_session_profile_top_ops(const xf_session_t *session, size_t count) {
  if (!session->profiler)
    return nullptr;
  return copyString(session->profiler->formatTopOps(count));
}

void xf_string_free(char *text) { std::free(text); }
