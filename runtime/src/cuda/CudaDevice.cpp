//===- CudaDevice.cpp - The GPU a process runs CUDA artifacts on ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CudaDevice.h"

#include "runtime/src/BufferPool.h"

#include <cstdlib>
#include <mutex>
#include <optional>

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

/// Managed memory for MemorySource. The context must be current: the
/// runtime makes it current on every thread that runs CUDA code, and
/// pools allocate only during runs.
void *allocateManaged(size_t bytes, size_t /*alignment*/) {
  DevicePointer pointer = 0;
  const CudaDevice *device = CudaDevice::getIfAcquired();
  if (!device || device->makeCurrent() ||
      device->getDriver()->memAllocManaged(&pointer, bytes, kMemAttachGlobal))
    return nullptr;
  return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
}

void releaseManaged(void *base) {
  const CudaDevice *device = CudaDevice::getIfAcquired();
  if (!device || !base || device->makeCurrent())
    return;
  device->getDriver()->memFree(
      static_cast<DevicePointer>(reinterpret_cast<uintptr_t>(base)));
}
} // namespace

Expected<const CudaDevice *> CudaDevice::acquire() {
  static CudaDevice device;
  static std::once_flag once;
  static std::optional<Expected<const CudaDevice *>> acquired;
  std::call_once(once, [] {
    auto fail = [](Error error) { acquired.emplace(std::move(error)); };
    Expected<const Driver *> driver = Driver::get();
    if (!driver)
      return fail(driver.getError());
    const Driver &cu = **driver;
    device.driver = &cu;
    if (Result result = cu->deviceGetCount(&device.count))
      return fail(makeError("cannot count the GPUs (cuDeviceGetCount): ",
                            cu.describe(result)));
    if (device.count < 1)
      return fail(makeError("no GPU is visible to this process (the driver "
                            "reports none; check CUDA_VISIBLE_DEVICES)"));
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
      return fail(makeError("cannot query GPU ", device.ordinal, ": ",
                            cu.describe(result)));
    device.name = name;
    device.architecture = concat("sm_", major, minor);
    int managed = 0;
    if (cu->deviceGetAttribute(&managed, kAttributeManagedMemory,
                               device.device) ||
        !managed)
      return fail(makeError("GPU ", device.ordinal, " (", device.name,
                            ") cannot allocate managed memory, which this "
                            "runtime needs"));
    if (Result result =
            cu->devicePrimaryCtxRetain(&device.context, device.device))
      return fail(makeError("cannot open a context on GPU ", device.ordinal,
                            " (", device.name, "): ", cu.describe(result)));
    if (Error error = device.makeCurrent())
      return fail(std::move(error));
    acquiredDevice = &device;
    acquired.emplace(static_cast<const CudaDevice *>(&device));
  });
  if (*acquired)
    if (Error error = (**acquired)->makeCurrent())
      return error;
  return *acquired;
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
  static const MemorySource managed{allocateManaged, releaseManaged, 256,
                                    false};
  return managed;
}

Expected<ManagedBuffer> ManagedBuffer::allocate(const CudaDevice &device,
                                                size_t bytes) {
  ManagedBuffer buffer;
  buffer.device = &device;
  if (bytes == 0)
    return buffer;
  DevicePointer pointer = 0;
  if (Error error = device.makeCurrent())
    return error;
  if (Result result = device.getDriver()->memAllocManaged(&pointer, bytes,
                                                          kMemAttachGlobal))
    return makeError("cannot allocate ", bytes, " bytes of GPU memory: ",
                     device.getDriver().describe(result));
  buffer.data = reinterpret_cast<char *>(static_cast<uintptr_t>(pointer));
  return buffer;
}

ManagedBuffer::ManagedBuffer(ManagedBuffer &&other) noexcept
    : device(other.device), data(other.data) {
  other.data = nullptr;
}

ManagedBuffer &ManagedBuffer::operator=(ManagedBuffer &&other) noexcept {
  if (this != &other) {
    this->~ManagedBuffer();
    device = other.device;
    data = other.data;
    other.data = nullptr;
  }
  return *this;
}

ManagedBuffer::~ManagedBuffer() {
  if (data)
    releaseManaged(data);
  data = nullptr;
}

} // namespace exaforge::runtime::cuda
