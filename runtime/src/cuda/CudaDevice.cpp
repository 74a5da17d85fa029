//===- CudaDevice.cpp - The GPU a process runs CUDA artifacts on ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CudaDevice.h"

#include "runtime/src/BufferPool.h"

#include <cstdlib>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

namespace {
/// The device of this process, set once acquire succeeded.
const CudaDevice *acquiredDevice = nullptr;

/// The rank of this process among those of its node, from the variables
/// the launchers set; 0 when none is set.
int getLocalRank() {
  for (const char *variable :
       {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"})
    if (const char *value = std::getenv(variable)) {
      char *end = nullptr;
      long rank = std::strtol(value, &end, 10);
      if (end != value && *end == '\0' && rank >= 0 && rank < (1 << 30))
        return static_cast<int>(rank);
    }
  return 0;
}

/// Managed memory for MemorySource. Makes the context current first: the
/// inputs of a run are copied into its pool before the run's scope
/// (CudaLaunch.h) makes it current on the calling thread.
void *allocateManagedBlock(size_t bytes, size_t /*alignment*/) {
  DevicePointer pointer = 0;
  const CudaDevice *device = CudaDevice::getIfAcquired();
  if (!device || device->makeCurrent() ||
      device->allocateManaged(bytes, pointer))
    return nullptr;
  return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
}

void releaseManagedBlock(void *base) {
  const CudaDevice *device = CudaDevice::getIfAcquired();
  if (!device || !base || device->makeCurrent())
    return;
  device->getDriver()->memFree(
      static_cast<DevicePointer>(reinterpret_cast<uintptr_t>(base)));
}
} // namespace

Expected<const CudaDevice *> CudaDevice::open(CudaDevice &device) {
  Expected<const Driver *> driver = Driver::get();
  if (!driver)
    return driver.getError();
  const Driver &cu = **driver;
  device.driver = &cu;
  if (Result result = cu->deviceGetCount(&device.count))
    return makeError("cannot count the GPUs (cuDeviceGetCount): ",
                     cu.describe(result));
  if (device.count < 1)
    return makeError("no GPU is visible to this process (the driver "
                     "reports none; check CUDA_VISIBLE_DEVICES)");
  device.ordinal = getLocalRank() % device.count;
  int major = 0, minor = 0;
  char name[256] = {};
  Result result = cu->deviceGet(&device.device, device.ordinal);
  if (!result)
    result = cu->deviceGetName(name, sizeof(name) - 1, device.device);
  if (!result)
    result = cu->deviceGetAttribute(&major, kAttributeComputeCapabilityMajor,
                                    device.device);
  if (!result)
    result = cu->deviceGetAttribute(&minor, kAttributeComputeCapabilityMinor,
                                    device.device);
  if (result)
    return makeError("cannot query GPU ", device.ordinal, ": ",
                     cu.describe(result));
  device.name = name;
  device.architecture = concat("sm_", major, minor);
  int managed = 0;
  if (cu->deviceGetAttribute(&managed, kAttributeManagedMemory,
                             device.device) ||
      !managed)
    return makeError("GPU ", device.ordinal, " (", device.name,
                     ") cannot allocate managed memory, which this runtime "
                     "needs");
  if (Result result =
          cu->devicePrimaryCtxRetain(&device.context, device.device))
    return makeError("cannot open a context on GPU ", device.ordinal, " (",
                     device.name, "): ", cu.describe(result));
  acquiredDevice = &device;
  return &device;
}

Expected<const CudaDevice *> CudaDevice::acquire() {
  static CudaDevice device;
  // Opened once, by the first caller (the other threads wait).
  static const Expected<const CudaDevice *> opened = open(device);
  if (opened)
    if (Error error = (*opened)->makeCurrent())
      return error;
  return opened;
}

const CudaDevice *CudaDevice::getIfAcquired() { return acquiredDevice; }

Error CudaDevice::makeCurrent() const {
  if (Result result = (*driver)->ctxSetCurrent(context))
    return makeError("cannot make the context of GPU ", ordinal,
                     " current: ", driver->describe(result));
  return Error::success();
}

std::string CudaDevice::describe() const {
  return concat(name, " (", architecture, ", GPU ", ordinal, " of ", count,
                ", driver ", driver->getVersionText(), ")");
}

const MemorySource &CudaDevice::getManagedMemory() {
  // cuMemAllocManaged aligns every allocation to at least 256 bytes.
  static const MemorySource managed{allocateManagedBlock, releaseManagedBlock,
                                    256, false};
  return managed;
}

Result CudaDevice::allocateManaged(size_t bytes, DevicePointer &pointer) const {
  return (*driver)->memAllocManaged(&pointer, bytes, kMemAttachGlobal);
}

Result CudaDevice::copy(void *target, const void *source, size_t bytes) const {
  if (Result result = (*driver)->ctxSetCurrent(context))
    return result;
  auto address = [](const void *pointer) {
    return static_cast<DevicePointer>(reinterpret_cast<uintptr_t>(pointer));
  };
  return (*driver)->memcpy(address(target), address(source), bytes);
}

Expected<ManagedBuffer> ManagedBuffer::allocate(const CudaDevice &device,
                                                size_t bytes) {
  ManagedBuffer buffer;
  if (bytes == 0)
    return buffer;
  DevicePointer pointer = 0;
  if (Error error = device.makeCurrent())
    return error;
  if (Result result = device.allocateManaged(bytes, pointer))
    return makeError("cannot allocate ", bytes, " bytes of GPU memory: ",
                     device.getDriver().describe(result));
  buffer.data = reinterpret_cast<char *>(static_cast<uintptr_t>(pointer));
  return buffer;
}

ManagedBuffer::~ManagedBuffer() {
  if (data)
    releaseManagedBlock(data);
}

} // namespace exaforge::runtime::cuda
