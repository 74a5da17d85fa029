//===- FakeCudaDriver.cpp - A CUDA driver without a GPU, for tests --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// libexaforge_fake_cuda.so exports the CUDA driver functions the runtime
// opens (runtime/src/cuda/CudaDriver.h) and answers them on the host, so
// that tests on machines without a GPU can drive the runtime's CUDA layer
// through session open, kernel load, launches and failures:
//
//   EXAFORGE_CUDA_DRIVER=.../libexaforge_fake_cuda.so exaforge run m.xf ...
//
// It runs no kernel: a launch only logs its kernel and sizes, so the
// outputs of such a run are meaningless and tests never check them. Every
// call that matters is logged to stderr as `fake-cuda: ...`. Environment:
//
//   FAKE_CUDA_DEVICES=N        GPUs reported (default 1)
//   FAKE_CUDA_ARCH=XY          compute capability X.Y (default 90)
//   FAKE_CUDA_REJECT_CUBIN=1   cubins fail with CUDA_ERROR_NO_BINARY_FOR_GPU
//   FAKE_CUDA_REJECT_PTX=1     PTX fails with CUDA_ERROR_INVALID_PTX
//   FAKE_CUDA_FAIL_SYNC=K      the K-th stream synchronization (from 1)
//                              fails with CUDA_ERROR_ILLEGAL_ADDRESS
//   FAKE_CUDA_MEMORY=BYTES     managed memory beyond BYTES in use fails
//                              with CUDA_ERROR_OUT_OF_MEMORY
//
// cuMemAlloc_v2, which the runtime never calls, stands for the GPU memory a
// C API user allocates (cudaMalloc): its pages are mapped without access,
// so the host crashes on touching them directly; only cuMemcpy reads and
// writes them (CudaDevicePointersTest).
//
// Work pending on a stream. A real GPU runs a launch after the call has
// returned, so the host must wait for the stream (cuStreamSynchronize)
// before it touches what the kernel reads or writes; on a GPU, a missed
// wait gives wrong values silently. Here it crashes: from a launch until
// the next synchronization, every managed allocation is mapped without
// access, so a host access while work is pending is a segmentation fault,
// and a cuMemcpy then (which would not wait for a non-blocking stream)
// fails with CUDA_ERROR_ILLEGAL_ADDRESS. The fake libraries (cuBLASLt,
// cuDNN, NCCL), which compute on the host when called, open the memory
// for their work and leave it pending after (fakeCudaBeginStreamWork and
// fakeCudaEndStreamWork, FakeStreamWork.h). Each synchronization is logged
// as `fake-cuda: wait for the stream`.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include <sys/mman.h>
#include <unistd.h>

namespace {
using Result = int;
constexpr Result kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2,
                 kInvalidPtx = 218, kNoBinaryForGpu = 209,
                 kIllegalAddress = 700;

/// The integer value of environment variable `name`, or `fallback`.
long long getSetting(const char *name, long long fallback) {
  const char *value = std::getenv(name);
  return value && *value ? std::atoll(value) : fallback;
}

/// A kernel handle: the name it was looked up by.
struct FakeFunction {
  std::string name;
};

std::mutex mutex;
/// The kernel handles, by name (a map's nodes do not move).
std::unordered_map<std::string, FakeFunction> functions;
/// A managed allocation: its bytes, and its mapping rounded to pages.
struct ManagedBlock {
  size_t bytes, mappedBytes;
};
/// Managed allocations by address, and the bytes in use.
std::unordered_map<void *, ManagedBlock> allocations;
size_t bytesInUse = 0;
std::atomic<long long> synchronizations{0};
int contextObject, streamObject;
/// Whether work is pending on the stream (managed memory closed to the
/// host), under `mutex`.
bool workPending = false;

/// `bytes` rounded up to whole pages (at least one).
size_t roundToPages(size_t bytes) {
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (std::max<size_t>(bytes, 1) + page - 1) / page * page;
}

/// Opens or closes every managed allocation to the host; under `mutex`.
void setManagedAccess(bool open) {
  for (auto &[address, block] : allocations)
    mprotect(address, block.mappedBytes,
             open ? PROT_READ | PROT_WRITE : PROT_NONE);
}

/// Marks work pending (or done) on the stream; under `mutex`.
void setWorkPending(bool pending) {
  if (pending != workPending)
    setManagedAccess(!pending);
  workPending = pending;
}

/// Ends work done on the host for the stream (a fake library's, a copy),
/// for which managed memory was opened: the work is now pending, as a
/// GPU's would be; under `mutex`.
void endHostStreamWork() {
  setManagedAccess(false);
  workPending = true;
}
} // namespace

extern "C" {

Result cuInit(unsigned) { return kSuccess; }

Result cuDriverGetVersion(int *version) {
  *version = 13000;
  return kSuccess;
}

Result cuGetErrorName(Result error, const char **name) {
  switch (error) {
  case kOutOfMemory:
    *name = "CUDA_ERROR_OUT_OF_MEMORY";
    return kSuccess;
  case kNoBinaryForGpu:
    *name = "CUDA_ERROR_NO_BINARY_FOR_GPU";
    return kSuccess;
  case kInvalidPtx:
    *name = "CUDA_ERROR_INVALID_PTX";
    return kSuccess;
  case kIllegalAddress:
    *name = "CUDA_ERROR_ILLEGAL_ADDRESS";
    return kSuccess;
  default:
    return kInvalidValue;
  }
}

Result cuGetErrorString(Result error, const char **text) {
  const char *name = nullptr;
  if (cuGetErrorName(error, &name))
    return kInvalidValue;
  *text = "reported by the fake driver";
  return kSuccess;
}

Result cuDeviceGetCount(int *count) {
  *count = static_cast<int>(getSetting("FAKE_CUDA_DEVICES", 1));
  return kSuccess;
}

Result cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return kSuccess;
}

Result cuDeviceGetName(char *name, int length, int device) {
  std::snprintf(name, length, "Fake GPU %d", device);
  return kSuccess;
}

Result cuDeviceGetAttribute(int *value, int attribute, int device) {
  long long arch = getSetting("FAKE_CUDA_ARCH", 90);
  switch (attribute) {
  case 75: // compute capability, major
    *value = static_cast<int>(arch / 10);
    return kSuccess;
  case 76: // minor
    *value = static_cast<int>(arch % 10);
    return kSuccess;
  case 83: // managed memory
    *value = 1;
    return kSuccess;
  default:
    return kInvalidValue;
  }
}

Result cuDevicePrimaryCtxRetain(void **context, int device) {
  std::fprintf(stderr, "fake-cuda: context of GPU %d\n", device);
  *context = &contextObject;
  return kSuccess;
}

Result cuCtxSetCurrent(void *context) {
  return context == &contextObject ? kSuccess : kInvalidValue;
}

Result cuModuleLoadData(void **module, const void *image) {
  bool isCubin = std::memcmp(image,
                             "\x7f"
                             "ELF",
                             4) == 0;
  bool reject =
      getSetting(isCubin ? "FAKE_CUDA_REJECT_CUBIN" : "FAKE_CUDA_REJECT_PTX",
                 0) != 0;
  std::fprintf(stderr, "fake-cuda: load %s: %s\n", isCubin ? "cubin" : "PTX",
               reject ? "rejected" : "loaded");
  if (reject)
    return isCubin ? kNoBinaryForGpu : kInvalidPtx;
  *module = new int(0);
  return kSuccess;
}

Result cuModuleUnload(void *module) {
  std::fprintf(stderr, "fake-cuda: unload module\n");
  delete static_cast<int *>(module);
  return kSuccess;
}

Result cuModuleGetFunction(void **function, void *module, const char *name) {
  std::lock_guard<std::mutex> lock(mutex);
  std::fprintf(stderr, "fake-cuda: look up kernel %s\n", name);
  FakeFunction &entry = functions[name];
  entry.name = name;
  *function = &entry;
  return kSuccess;
}

Result cuLaunchKernel(void *function, unsigned gridX, unsigned gridY,
                      unsigned gridZ, unsigned blockX, unsigned blockY,
                      unsigned blockZ, unsigned sharedBytes, void *stream,
                      void **parameters, void **extra) {
  std::fprintf(stderr, "fake-cuda: launch %s grid %ux%ux%u block %ux%ux%u%s\n",
               static_cast<FakeFunction *>(function)->name.c_str(), gridX,
               gridY, gridZ, blockX, blockY, blockZ,
               stream == &streamObject ? " on the run's stream" : "");
  if (!parameters)
    return kInvalidValue;
  std::lock_guard<std::mutex> lock(mutex);
  setWorkPending(true);
  return kSuccess;
}

/// The fake libraries' work on the stream, done on the host when they are
/// called (FakeStreamWork.h): opens managed memory for it, then leaves it
/// pending as a GPU's would be.
void fakeCudaBeginStreamWork() {
  std::lock_guard<std::mutex> lock(mutex);
  setManagedAccess(true);
}

void fakeCudaEndStreamWork() {
  std::lock_guard<std::mutex> lock(mutex);
  endHostStreamWork();
}

Result cuStreamCreate(void **stream, unsigned) {
  std::fprintf(stderr, "fake-cuda: create stream\n");
  *stream = &streamObject;
  return kSuccess;
}

Result cuStreamSynchronize(void *) {
  long long count = ++synchronizations;
  std::lock_guard<std::mutex> lock(mutex);
  setWorkPending(false);
  if (count == getSetting("FAKE_CUDA_FAIL_SYNC", -1)) {
    std::fprintf(stderr, "fake-cuda: wait for the stream %lld: failing\n",
                 count);
    return kIllegalAddress;
  }
  std::fprintf(stderr, "fake-cuda: wait for the stream\n");
  return kSuccess;
}

Result cuStreamDestroy_v2(void *) {
  std::fprintf(stderr, "fake-cuda: destroy stream\n");
  return kSuccess;
}

Result cuMemAllocManaged(unsigned long long *pointer, size_t bytes, unsigned) {
  std::lock_guard<std::mutex> lock(mutex);
  long long limit = getSetting("FAKE_CUDA_MEMORY", -1);
  if (limit >= 0 && bytesInUse + bytes > static_cast<size_t>(limit))
    return kOutOfMemory;
  // Whole pages (which are 256-byte aligned), so that pending work can
  // close them to the host.
  size_t mappedBytes = roundToPages(bytes);
  void *memory = mmap(nullptr, mappedBytes,
                      workPending ? PROT_NONE : PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED)
    return kOutOfMemory;
  allocations[memory] = ManagedBlock{bytes, mappedBytes};
  bytesInUse += bytes;
  *pointer = reinterpret_cast<uintptr_t>(memory);
  return kSuccess;
}

/// The "GPU-only" allocations of cuMemAlloc_v2: their sizes, rounded to
/// pages, by address.
std::map<char *, size_t> deviceOnly;

/// The GPU-only allocation that holds [address, address + bytes), or null.
std::pair<char *const, size_t> *findDeviceOnly(uintptr_t address,
                                               size_t bytes) {
  char *pointer = reinterpret_cast<char *>(address);
  auto it = deviceOnly.upper_bound(pointer);
  if (it == deviceOnly.begin())
    return nullptr;
  --it;
  if (pointer + bytes > it->first + it->second)
    return nullptr;
  return &*it;
}

/// Opens or closes the host's access to the GPU-only allocation `block`.
void setHostAccess(std::pair<char *const, size_t> *block, bool open) {
  if (block)
    mprotect(block->first, block->second,
             open ? PROT_READ | PROT_WRITE : PROT_NONE);
}

Result cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex);
  size_t rounded = roundToPages(bytes);
  void *memory =
      mmap(nullptr, rounded, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED)
    return kOutOfMemory;
  deviceOnly[static_cast<char *>(memory)] = rounded;
  *pointer = reinterpret_cast<uintptr_t>(memory);
  return kSuccess;
}

/// Copies `bytes` from `source` to `target`, opening GPU-only memory for
/// the copy; under `mutex`.
void copyBytes(unsigned long long target, unsigned long long source,
               size_t bytes) {
  auto *targetBlock = findDeviceOnly(target, bytes);
  auto *sourceBlock = findDeviceOnly(source, bytes);
  setHostAccess(targetBlock, true);
  setHostAccess(sourceBlock, true);
  std::memmove(reinterpret_cast<void *>(target),
               reinterpret_cast<const void *>(source), bytes);
  setHostAccess(targetBlock, false);
  setHostAccess(sourceBlock, false);
}

Result cuMemcpy(unsigned long long target, unsigned long long source,
                size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex);
  if (workPending) {
    std::fprintf(stderr, "fake-cuda: cuMemcpy while work is pending on the "
                         "stream (a GPU would run it at the same time)\n");
    return kIllegalAddress;
  }
  copyBytes(target, source, bytes);
  return kSuccess;
}

/// A copy on the stream: done at once, as the stream's work.
Result cuMemcpyAsync(unsigned long long target, unsigned long long source,
                     size_t bytes, void *) {
  std::lock_guard<std::mutex> lock(mutex);
  std::fprintf(stderr, "fake-cuda: copy %zu bytes on the stream\n", bytes);
  setManagedAccess(true);
  copyBytes(target, source, bytes);
  endHostStreamWork();
  return kSuccess;
}

Result cuMemFree_v2(unsigned long long pointer) {
  std::lock_guard<std::mutex> lock(mutex);
  auto block = deviceOnly.find(reinterpret_cast<char *>(pointer));
  if (block != deviceOnly.end()) {
    munmap(block->first, block->second);
    deviceOnly.erase(block);
    return kSuccess;
  }
  auto it = allocations.find(reinterpret_cast<void *>(pointer));
  if (it == allocations.end())
    return kInvalidValue;
  bytesInUse -= it->second.bytes;
  munmap(it->first, it->second.mappedBytes);
  allocations.erase(it);
  return kSuccess;
}

} // extern "C"
