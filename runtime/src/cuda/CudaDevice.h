//===- CudaDevice.h - The GPU a process runs CUDA artifacts on --*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A process runs every CUDA artifact it opens on one GPU: the one of its
// local rank (Open MPI's OMPI_COMM_WORLD_LOCAL_RANK, Slurm's SLURM_LOCALID,
// MPICH's MPI_LOCALRANKID; 0 outside a launcher) among the GPUs the
// process sees (CUDA_VISIBLE_DEVICES applies), modulo their count. The
// runtime works in the device's primary context, which every thread that
// calls the driver makes current first.
//
// Memory of a CUDA run (weights, inputs, the buffers compiled code
// allocates) is managed memory (cuMemAllocManaged): the GPU kernels read it,
// and so do the few places where the host code of model.so still touches
// tensors (docs/design/cuda-target.md). The host waits for the run's stream
// before each of them (CudaLaunch.h), so host and GPU never touch it at
// once.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_CUDADEVICE_H
#define EXAFORGE_RUNTIME_CUDA_CUDADEVICE_H

#include "CudaDriver.h"

#include "runtime/support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace exaforge::runtime {
struct MemorySource;
} // namespace exaforge::runtime

namespace exaforge::runtime::cuda {

/// The GPU of this process and its primary context.
class CudaDevice {
public:
  /// Loads the driver, chooses the GPU of the local rank and retains its
  /// primary context, once per process; later calls return the same
  /// device (or the same failure). The context is current on the calling
  /// thread on success.
  static support::Expected<const CudaDevice *> acquire();

  /// The device of this process when acquire has succeeded, else null.
  static const CudaDevice *getIfAcquired();

  /// Makes the device's context current on the calling thread.
  support::Error makeCurrent() const;

  const Driver &getDriver() const { return *driver; }

  /// "NVIDIA H200 (sm_90, GPU 0 of 1, driver 13.0)".
  std::string describe() const;

  /// The compute capability as an `sm_XY` architecture name ("sm_90").
  const std::string &getArchitecture() const { return architecture; }

  /// Managed memory for buffer pools (BufferPool.h): blocks of at most
  /// 256-byte alignment, which is what cuMemAllocManaged guarantees.
  static const MemorySource &getManagedMemory();

  /// Allocates `bytes` of managed memory into `pointer`; returns the
  /// driver's result.
  Result allocateManaged(size_t bytes, DevicePointer &pointer) const;

  /// Copies `bytes` from `source` to `target`, each host, device or managed
  /// memory (cuMemcpy, under unified addressing), making the context
  /// current first; returns the driver's result.
  Result copy(void *target, const void *source, size_t bytes) const;

private:
  CudaDevice() = default;
  /// The work of acquire: opens `device`, or says why it cannot.
  static support::Expected<const CudaDevice *> open(CudaDevice &device);

  const Driver *driver = nullptr;
  Device device = 0;
  int ordinal = 0, count = 0;
  Context context = nullptr;
  std::string name, architecture;
};

/// Managed memory of a whole block of bytes, freed with the object. Used
/// for the weights a CUDA session uploads once at open.
class ManagedBuffer {
public:
  ManagedBuffer() = default;
  /// Allocates `bytes` of managed memory on `device`.
  static support::Expected<ManagedBuffer> allocate(const CudaDevice &device,
                                                   size_t bytes);
  ManagedBuffer(ManagedBuffer &&other) noexcept : data(other.data) {
    other.data = nullptr;
  }
  ManagedBuffer &operator=(ManagedBuffer &&other) = delete;
  ManagedBuffer(const ManagedBuffer &) = delete;
  ManagedBuffer &operator=(const ManagedBuffer &) = delete;
  ~ManagedBuffer();

  char *getData() const { return data; }

private:
  char *data = nullptr;
};

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_CUDADEVICE_H
