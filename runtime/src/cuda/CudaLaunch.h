//===- CudaLaunch.h - Loading and launching the kernels of model.so -*- C++
//-*-=//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The model.so of a CUDA artifact embeds its kernels (a cubin) and calls
// the `mgpu*` functions of MLIR's gpu-to-llvm lowering: mgpuModuleLoad in a
// global constructor when the library is loaded, mgpuModuleUnload in its
// destructor, and around each kernel mgpuModuleGetFunction,
// mgpuStreamCreate, mgpuLaunchKernel, mgpuStreamSynchronize and
// mgpuStreamDestroy. CudaLaunch.cpp defines them on the driver API:
//
// - Module load happens inside dlopen, where no error can be returned: the
//   artifact opens the library under a ModuleLoadScope, which tells
//   mgpuModuleLoad where the artifact's PTX is (loaded when the cubin is
//   not for this GPU) and collects a failure for the artifact to report.
// - Launches happen inside a run, under a RunScope: "creating" a stream
//   returns the run's stream, kernels are looked up once per module, and a
//   launch that fails records the kernel's name and the driver's reason in
//   the run's execution context and leaves the compiled code (EarlyExit.h).
// - Nothing waits after a launch: mgpuStreamSynchronize returns at once.
//   The kernels, the library kernels and the collectives of a run are
//   enqueued on its one stream, in order; the host waits only where it
//   touches tensor memory: where the compiled code calls
//   xf_cuda_synchronize (`synchronize-gpu-before-host-access`), before a
//   collective packs its operands, before a library's host fallback, and
//   at the end of the run, before the outputs are copied. A GPU failure is
//   found at the next wait, which names the last work enqueued before it;
//   EXAFORGE_CUDA_WAIT_EACH=1 makes every launch and library call wait, so
//   that the failure names its own kernel or node.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_CUDALAUNCH_H
#define EXAFORGE_RUNTIME_CUDA_CUDALAUNCH_H

#include "CudaDevice.h"

#include "runtime/support/Error.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

struct xf_exec_context;

namespace exaforge::runtime::cuda {

/// While alive, the module loads of the calling thread (from the global
/// constructor of a model.so being opened) belong to the artifact whose PTX
/// is `ptxPath` ("" when the artifact has no GPU kernel).
class ModuleLoadScope {
public:
  /// `architecture` is the one the artifact was compiled for ("sm_90").
  ModuleLoadScope(const CudaDevice &device, std::string ptxPath,
                  std::string architecture);
  ~ModuleLoadScope();
  ModuleLoadScope(const ModuleLoadScope &) = delete;
  ModuleLoadScope &operator=(const ModuleLoadScope &) = delete;

  /// The first failure of a module load under this scope, or success.
  /// When the artifact has kernels (a PTX file), a library whose
  /// constructor loaded no module at all is a failure too (it was not
  /// compiled for CUDA).
  support::Error takeError();

  /// Internal to CudaLaunch.cpp: the state mgpuModuleLoad fills.
  struct State;

private:
  std::unique_ptr<State> state;
};

/// The GPU side of one run: while alive, the calling thread's kernel
/// launches go to this run's stream and report failures to its execution
/// context. Makes the device's context current.
class RunScope {
public:
  /// Starts a run on `device` for `context`; with `allowTf32`, the
  /// library kernels may compute matmuls in TF32. Fails when the device
  /// cannot be made current or no stream can be created.
  static support::Expected<std::unique_ptr<RunScope>>
  begin(const CudaDevice &device, xf_exec_context &context, bool allowTf32);
  /// Waits for the run's work; a GPU failure is recorded in the run's
  /// execution context. Returns false then.
  bool finish();
  /// Waits for the run's work (ignoring failures: call finish first) and
  /// releases its stream.
  ~RunScope();
  RunScope(const RunScope &) = delete;
  RunScope &operator=(const RunScope &) = delete;

  /// Internal to CudaLaunch.cpp: the state the launch functions use.
  struct State;

private:
  RunScope() = default;
  std::unique_ptr<State> state;
};

/// The run of the calling thread: its device and stream, or null outside a
/// run. For the runtime's library kernels (CudaMatmul.cpp).
const CudaDevice *getRunDevice();
Stream getRunStream();
/// Whether the run's matmuls may use TF32 (`--precision tf32`).
bool runAllowsTf32();

/// Records `message` as the failure of the calling thread's run (or, outside
/// a run, for leaveRun to print). Returns false, for `return fail(...)`.
bool recordRunFailure(const std::string &message);

/// Something the library calls of a run hold until the run's work is done
/// (a workspace, a cuDNN handle): the GPU may use it until the run's
/// stream is idle, so it is given back (destroyed) only after the run's
/// last wait, never after the call that took it returned.
class RunResource {
public:
  virtual ~RunResource() = default;
};

/// The resource the calling thread's run holds under `key` (the address of
/// a static of the caller's file), or null; null outside a run.
RunResource *findRunResource(const void *key);

/// Holds `resource` under `key` until the calling thread's run ends, and
/// returns it. Must be called in a run.
RunResource &holdForRun(const void *key, std::unique_ptr<RunResource> resource);

/// What a run enqueues on its stream, for the messages of failures.
enum class StreamWork { Kernel, Matmul, Convolution, Copy };

/// Records that the calling thread's run enqueued `work` named `name` (a
/// kernel's name, or the ONNX node of a library call; a string that lives
/// as long as model.so, or null) on its stream: a failure found by a later
/// wait names the last work enqueued. Under EXAFORGE_CUDA_WAIT_EACH=1,
/// waits for it at once. False after recording a failure.
bool noteEnqueued(StreamWork work, const char *name);

/// Enqueues a copy of `bytes` from `source` to `target` (host, GPU or
/// managed memory) on the calling thread's run's stream, after the work
/// enqueued before it; returns the driver's result. Must be called in a
/// run. The source must stay as it is until the run's next wait.
Result enqueueCopy(void *target, const void *source, size_t bytes);

/// Waits for the work of the calling thread's run before the host touches
/// its memory; true at once outside a run. False after recording a failure
/// (the GPU failed), which names the last work enqueued.
bool waitForRunWork();

/// Leaves the compiled code after recordRunFailure: back to the session
/// (EarlyExit.h), or, outside a session, by ending the process with the
/// reason. The jump skips the destructors of the frames it leaves, so the
/// caller must own nothing (do the work in a function that returns first).
[[noreturn]] void leaveRun();

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_CUDALAUNCH_H
