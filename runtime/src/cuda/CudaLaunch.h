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
//   returns the run's stream, and a launch or synchronization that fails
//   records the kernel's name and the driver's reason in the run's
//   execution context and leaves the compiled code (EarlyExit.h).
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
  /// Waits for the run's work and releases its stream.
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

/// Leaves the compiled code after recordRunFailure: back to the session
/// (EarlyExit.h), or, outside a session, by ending the process with the
/// reason. The jump skips the destructors of the frames it leaves, so the
/// caller must own nothing (do the work in a function that returns first).
[[noreturn]] void leaveRun();

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_CUDALAUNCH_H
