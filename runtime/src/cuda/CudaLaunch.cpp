//===- CudaLaunch.cpp - Loading and launching the kernels of model.so -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CudaLaunch.h"

#include "runtime/src/EarlyExit.h"
#include "runtime/src/ExecContext.h"

#include "runtime/support/Files.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

struct ModuleLoadScope::State {
  const CudaDevice *device;
  std::string ptxPath, architecture;
  Error error = Error::success();
  bool loadedAny = false;
};

struct RunScope::State {
  const CudaDevice *device;
  xf_exec_context *context;
  bool allowTf32;
  Stream stream = nullptr;
  /// The last work enqueued on the stream, for the message of a failure.
  StreamWork lastWork = StreamWork::Kernel;
  const char *lastWorkName = nullptr;
  /// Whether finish waited for all the work.
  bool finished = false;
  /// What the run's library calls hold until its work is done, by key.
  std::vector<std::pair<const void *, std::unique_ptr<RunResource>>> resources;
};

namespace {
/// The module load and the run of the calling thread, if any.
thread_local ModuleLoadScope::State *currentLoad = nullptr;
thread_local RunScope::State *currentRun = nullptr;
/// The name of the kernel the calling thread looked up last, for errors.
thread_local const char *currentKernel = "";

/// The failure of the calling thread's GPU work when it runs outside a
/// session (model.so used without the runtime's sessions).
thread_local std::string failureOutsideRun;

/// The kernels of each loaded module, by the address of their name (a
/// constant string of model.so, the same at every launch of the kernel):
/// each is looked up once, and a launch allocates nothing to find it.
std::mutex functionsMutex;
std::map<std::pair<Module, const char *>, Function> functionsByName;

/// Whether every launch and library call waits for its work
/// (EXAFORGE_CUDA_WAIT_EACH=1), so that a failure names its own work.
bool waitsForEachWork() {
  static const bool waitEach = [] {
    const char *value = std::getenv("EXAFORGE_CUDA_WAIT_EACH");
    return value && std::string(value) == "1";
  }();
  return waitEach;
}

/// "GPU kernel 'name'", "node 'name': cuBLASLt matmul", ...
std::string describeWork(StreamWork work, const char *name) {
  std::string node = name && *name ? concat("node '", name, "': ") : "";
  switch (work) {
  case StreamWork::Kernel:
    return concat("GPU kernel '", name ? name : "", "'");
  case StreamWork::Matmul:
    return node + "cuBLASLt matmul";
  case StreamWork::Convolution:
    return node + "cuDNN convolution";
  case StreamWork::Copy:
    return "a copy between buffers";
  }
  return "GPU work";
}

/// Loads the PTX of the artifact being opened when its cubin is not for
/// this GPU: the driver compiles it for the GPU.
Result loadPtx(ModuleLoadScope::State &load, Module &module, std::string &why) {
  if (load.ptxPath.empty()) {
    why = "the manifest names no PTX";
    return kErrorNoBinaryForGpu;
  }
  Expected<std::string> ptx = readFile(load.ptxPath);
  if (!ptx) {
    why = ptx.getMessage();
    return kErrorNoBinaryForGpu;
  }
  Result result =
      load.device->getDriver()->moduleLoadData(&module, ptx->c_str());
  why = load.device->getDriver().describe(result);
  return result;
}

/// Converts a launch dimension of compiled code to the driver's type.
bool toDimension(intptr_t value, unsigned &dimension) {
  if (value < 1 || value > std::numeric_limits<int32_t>::max())
    return false;
  dimension = static_cast<unsigned>(value);
  return true;
}
} // namespace

ModuleLoadScope::ModuleLoadScope(const CudaDevice &device, std::string ptxPath,
                                 std::string architecture)
    : state(new State{&device, std::move(ptxPath), std::move(architecture)}) {
  currentLoad = state.get();
}

ModuleLoadScope::~ModuleLoadScope() { currentLoad = nullptr; }

Error ModuleLoadScope::takeError() {
  if (state->error)
    return std::move(state->error);
  if (!state->loadedAny && !state->ptxPath.empty())
    return makeError("loads no GPU kernels, though the manifest names "
                     "their PTX");
  return Error::success();
}

Expected<std::unique_ptr<RunScope>> RunScope::begin(const CudaDevice &device,
                                                    xf_exec_context &context,
                                                    bool allowTf32) {
  if (Error error = device.makeCurrent())
    return error;
  std::unique_ptr<RunScope> scope(new RunScope());
  scope->state.reset(new State{&device, &context, allowTf32});
  if (Result result = device.getDriver()->streamCreate(&scope->state->stream,
                                                       kStreamNonBlocking))
    return makeError("cannot create a CUDA stream on ", device.describe(), ": ",
                     device.getDriver().describe(result));
  currentRun = scope->state.get();
  return scope;
}

bool RunScope::finish() {
  // The waits of the run record their failures on the current run.
  RunScope::State *previous = currentRun;
  currentRun = state.get();
  state->finished = waitForRunWork();
  currentRun = previous;
  return state->finished;
}

RunScope::~RunScope() {
  if (!state)
    return;
  const DriverFunctions &cu = *state->device->getDriver();
  if (state->stream) {
    if (!state->finished)
      cu.streamSynchronize(state->stream);
    cu.streamDestroy(state->stream);
  }
  // The stream is idle: the resources go back.
  state->resources.clear();
  if (currentRun == state.get())
    currentRun = nullptr;
}

RunResource *findRunResource(const void *key) {
  if (!currentRun)
    return nullptr;
  for (auto &[heldKey, resource] : currentRun->resources)
    if (heldKey == key)
      return resource.get();
  return nullptr;
}

RunResource &holdForRun(const void *key,
                        std::unique_ptr<RunResource> resource) {
  currentRun->resources.emplace_back(key, std::move(resource));
  return *currentRun->resources.back().second;
}

const CudaDevice *getRunDevice() {
  return currentRun ? currentRun->device : nullptr;
}

Stream getRunStream() { return currentRun ? currentRun->stream : nullptr; }

bool runAllowsTf32() { return currentRun && currentRun->allowTf32; }

bool recordRunFailure(const std::string &message) {
  if (currentRun)
    currentRun->context->recordKernelFailure(message);
  else
    failureOutsideRun = message;
  return false;
}

bool noteEnqueued(StreamWork work, const char *name) {
  if (!currentRun)
    return true;
  currentRun->lastWork = work;
  currentRun->lastWorkName = name;
  if (!waitsForEachWork())
    return true;
  const Driver &driver = currentRun->device->getDriver();
  if (Result result = driver->streamSynchronize(currentRun->stream))
    return recordRunFailure(
        concat(describeWork(work, name),
               " failed on the GPU: ", driver.describe(result)));
  return true;
}

bool waitForRunWork() {
  if (!currentRun)
    return true;
  const Driver &driver = currentRun->device->getDriver();
  Result result = driver->streamSynchronize(currentRun->stream);
  if (result == kSuccess)
    return true;
  std::string last =
      currentRun->lastWorkName || currentRun->lastWork != StreamWork::Kernel
          ? concat("; the last work enqueued before the wait was ",
                   describeWork(currentRun->lastWork, currentRun->lastWorkName))
          : "";
  return recordRunFailure(
      concat("the GPU failed: ", driver.describe(result), last,
             " (EXAFORGE_CUDA_WAIT_EACH=1 waits after every kernel and "
             "library call, so that the failure names its own)"));
}

Result enqueueCopy(void *target, const void *source, size_t bytes) {
  auto address = [](const void *pointer) {
    return static_cast<DevicePointer>(reinterpret_cast<uintptr_t>(pointer));
  };
  return currentRun->device->getDriver()->memcpyAsync(
      address(target), address(source), bytes, currentRun->stream);
}

[[noreturn]] void leaveRun() {
  // Compiled code cannot go on without its kernel's results.
  if (currentRun && canExitEarly())
    exitEarly();
  std::fprintf(stderr, "exaforge runtime: %s\n",
               currentRun ? currentRun->context->getKernelFailure()->c_str()
                          : failureOutsideRun.c_str());
  std::abort();
}

} // namespace exaforge::runtime::cuda

using namespace exaforge::runtime;
using namespace exaforge::runtime::cuda;

//===----------------------------------------------------------------------===//
// The functions model.so calls (MLIR's gpu-to-llvm lowering names them)
//===----------------------------------------------------------------------===//

/// Loads the embedded cubin `data` of `size` bytes; called by the global
/// constructor of model.so, inside dlopen. Returns null on failure, which
/// the opening artifact reports (ModuleLoadScope::takeError).
extern "C" void *mgpuModuleLoad(void *data, size_t size) {
  ModuleLoadScope::State *load = currentLoad;
  if (!load) {
    // A model.so opened by something other than the runtime's sessions:
    // its kernels cannot be found later, so say it now.
    std::fprintf(stderr,
                 "exaforge runtime: a CUDA model.so was loaded outside an "
                 "Exaforge session; its kernels are not loaded\n");
    return nullptr;
  }
  load->loadedAny = true;
  const Driver &driver = load->device->getDriver();
  Module module = nullptr;
  Result result =
      size ? driver->moduleLoadData(&module, data) : kErrorNoBinaryForGpu;
  if (result == kSuccess)
    return module;
  std::string cubinWhy = driver.describe(result), ptxWhy;
  if (result == kErrorNoBinaryForGpu &&
      loadPtx(*load, module, ptxWhy) == kSuccess)
    return module;
  if (!load->error) {
    const std::string &gpuArch = load->device->getArchitecture();
    if (result == kErrorNoBinaryForGpu)
      load->error =
          makeError("its kernels are compiled for ", load->architecture,
                    " and ", load->device->describe(), " cannot run them (",
                    cubinWhy, "); its PTX did not load either (", ptxWhy,
                    "): compile it with --gpu-arch ", gpuArch);
    else
      load->error = makeError("cannot load its GPU kernels on ",
                              load->device->describe(), ": ", cubinWhy);
  }
  return nullptr;
}

/// Unloads a module of mgpuModuleLoad; called when model.so is closed.
extern "C" void mgpuModuleUnload(void *module) {
  {
    // A module loaded later may get the same handle.
    std::lock_guard<std::mutex> lock(functionsMutex);
    auto first =
        functionsByName.lower_bound({static_cast<Module>(module), nullptr});
    auto last = first;
    while (last != functionsByName.end() &&
           last->first.first == static_cast<Module>(module))
      ++last;
    functionsByName.erase(first, last);
  }
  const CudaDevice *device = CudaDevice::getIfAcquired();
  if (!module || !device || device->makeCurrent())
    return;
  device->getDriver()->moduleUnload(static_cast<Module>(module));
}

namespace {
/// The work of mgpuModuleGetFunction; false after `fail`.
bool getFunction(void *module, const char *name, Function &function) {
  currentKernel = name;
  if (!currentRun)
    return recordRunFailure("a GPU kernel was looked up outside a run");
  const Driver *driver = &currentRun->device->getDriver();
  if (!module)
    return recordRunFailure(
        concat("GPU kernel '", name,
               "' is not loaded (the model's kernels failed to load)"));
  std::lock_guard<std::mutex> lock(functionsMutex);
  auto key = std::make_pair(static_cast<Module>(module), name);
  auto found = functionsByName.find(key);
  if (found != functionsByName.end()) {
    function = found->second;
    return true;
  }
  if (Result result = (*driver)->moduleGetFunction(
          &function, static_cast<Module>(module), name))
    return recordRunFailure(concat("cannot find GPU kernel '", name,
                                   "': ", driver->describe(result)));
  functionsByName.emplace(key, function);
  return true;
}

/// The work of mgpuLaunchKernel; false after `fail`.
bool launch(void *function, const intptr_t (&gridSizes)[3],
            const intptr_t (&blockSizes)[3], int32_t sharedBytes, void *stream,
            void **params, void **extra) {
  if (!currentRun)
    return recordRunFailure("a GPU kernel was launched outside a run");
  unsigned grid[3], block[3];
  bool valid = sharedBytes >= 0;
  for (int d = 0; d < 3; ++d)
    valid = valid && toDimension(gridSizes[d], grid[d]) &&
            toDimension(blockSizes[d], block[d]);
  if (!valid)
    return recordRunFailure(
        concat("GPU kernel '", currentKernel, "' has a launch of ",
               gridSizes[0], "x", gridSizes[1], "x", gridSizes[2],
               " blocks of ", blockSizes[0], "x", blockSizes[1], "x",
               blockSizes[2], " threads, which CUDA cannot launch"));
  const Driver &driver = currentRun->device->getDriver();
  if (Result result = driver->launchKernel(
          static_cast<Function>(function), grid[0], grid[1], grid[2], block[0],
          block[1], block[2], static_cast<unsigned>(sharedBytes),
          static_cast<Stream>(stream), params, extra))
    return recordRunFailure(concat("cannot launch GPU kernel '", currentKernel,
                                   "': ", driver.describe(result)));
  return noteEnqueued(StreamWork::Kernel, currentKernel);
}
} // namespace

// The functions below own nothing when they leave the compiled code
// (leaveRun): their work is done, and its objects destroyed, in the helpers
// above.

/// Finds kernel `name` of `module`.
extern "C" void *mgpuModuleGetFunction(void *module, const char *name) {
  Function function = nullptr;
  if (!getFunction(module, name, function))
    leaveRun();
  return function;
}

/// Returns the run's stream: a run's kernels go to one stream, in order.
extern "C" void *mgpuStreamCreate() {
  if (!currentRun) {
    recordRunFailure("a GPU stream was created outside a run");
    leaveRun();
  }
  return currentRun->stream;
}

/// The run's stream lives as long as the run (RunScope).
extern "C" void mgpuStreamDestroy(void * /*stream*/) {}

/// Launches `function` on `stream`, with `paramsCount` arguments at
/// `params`.
extern "C" void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                                 intptr_t gridZ, intptr_t blockX,
                                 intptr_t blockY, intptr_t blockZ,
                                 int32_t sharedBytes, void *stream,
                                 void **params, void **extra,
                                 size_t /*paramsCount*/) {
  if (!launch(function, {gridX, gridY, gridZ}, {blockX, blockY, blockZ},
              sharedBytes, stream, params, extra))
    leaveRun();
}

/// gpu-to-llvm calls it after every launch; it returns at once: the
/// compiled code waits where its host code touches memory
/// (xf_cuda_synchronize), and the run waits at its end.
extern "C" void mgpuStreamSynchronize(void * /*stream*/) {}

/// Waits for the work of the run before the compiled host code touches
/// tensor memory (kernels.h).
extern "C" void xf_cuda_synchronize(void) {
  if (!waitForRunWork())
    leaveRun();
}

namespace {
/// The work of xf_cuda_copy; false after `fail`.
bool copyOnStream(int64_t target, int64_t source, int64_t bytes) {
  if (!currentRun)
    return recordRunFailure("a GPU copy was enqueued outside a run");
  if (bytes <= 0)
    return true;
  if (Result result = enqueueCopy(
          reinterpret_cast<void *>(static_cast<uintptr_t>(target)),
          reinterpret_cast<const void *>(static_cast<uintptr_t>(source)),
          static_cast<size_t>(bytes)))
    return recordRunFailure(concat(
        "cannot enqueue a copy of ", bytes, " bytes between GPU buffers: ",
        currentRun->device->getDriver().describe(result)));
  return noteEnqueued(StreamWork::Copy, nullptr);
}
} // namespace

/// Copies `bytes` from `source` to `target` on the run's stream
/// (kernels.h).
extern "C" void xf_cuda_copy(int64_t target, int64_t source, int64_t bytes) {
  if (!copyOnStream(target, source, bytes))
    leaveRun();
}
