//===- FakeCudaDriverTest.cpp - The fake driver catches missed waits ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The tests of the runtime's CUDA layer rely on the fake driver
// (FakeCudaDriver.cpp) to catch a host access to memory that GPU work
// still pending on the stream may read or write, which on a GPU gives
// wrong values silently. This checks that the fake does: managed memory is
// closed to the host from a launch until the next synchronization (a read
// then is a segmentation fault), and a cuMemcpy then fails.
//
//===----------------------------------------------------------------------===//

#include <gtest/gtest.h>

#include <cstdint>
#include <dlfcn.h>

namespace {
using DevicePointer = unsigned long long;

/// The fake driver's functions this test calls.
struct FakeDriver {
  int (*allocManaged)(DevicePointer *pointer, size_t bytes,
                      unsigned flags) = nullptr;
  int (*getFunction)(void **function, void *module, const char *name) = nullptr;
  int (*launch)(void *function, unsigned gridX, unsigned gridY, unsigned gridZ,
                unsigned blockX, unsigned blockY, unsigned blockZ,
                unsigned sharedBytes, void *stream, void **parameters,
                void **extra) = nullptr;
  int (*synchronize)(void *stream) = nullptr;
  int (*copy)(DevicePointer target, DevicePointer source,
              size_t bytes) = nullptr;
  int (*free)(DevicePointer pointer) = nullptr;
};

template <typename Function>
void resolve(void *library, const char *name, Function &function) {
  function = reinterpret_cast<Function>(dlsym(library, name));
}

/// Reads `data` on the host.
float readOnHost(const float *data) {
  return *static_cast<const volatile float *>(data);
}

TEST(FakeCudaDriver, ManagedMemoryIsClosedToTheHostWhileWorkIsPending) {
  void *library = dlopen(EXAFORGE_FAKE_CUDA_DRIVER, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  FakeDriver driver;
  resolve(library, "cuMemAllocManaged", driver.allocManaged);
  resolve(library, "cuModuleGetFunction", driver.getFunction);
  resolve(library, "cuLaunchKernel", driver.launch);
  resolve(library, "cuStreamSynchronize", driver.synchronize);
  resolve(library, "cuMemcpy", driver.copy);
  resolve(library, "cuMemFree_v2", driver.free);
  ASSERT_TRUE(driver.allocManaged && driver.getFunction && driver.launch &&
              driver.synchronize && driver.copy && driver.free);

  DevicePointer memory = 0;
  ASSERT_EQ(driver.allocManaged(&memory, 64, 1), 0);
  auto *data = reinterpret_cast<float *>(static_cast<uintptr_t>(memory));
  data[0] = 1.5f;
  float host = 0.0f;
  auto hostAddress =
      static_cast<DevicePointer>(reinterpret_cast<uintptr_t>(&host));

  void *kernel = nullptr;
  ASSERT_EQ(driver.getFunction(&kernel, nullptr, "kernel"), 0);
  void *parameters[] = {&memory};
  ASSERT_EQ(
      driver.launch(kernel, 1, 1, 1, 1, 1, 1, 0, nullptr, parameters, nullptr),
      0);
  // Pending: the host must not touch the memory, nor copy it.
  EXPECT_DEATH(readOnHost(data), "");
  EXPECT_EQ(driver.copy(hostAddress, memory, sizeof(float)), 700);

  // After the wait, it may.
  ASSERT_EQ(driver.synchronize(nullptr), 0);
  EXPECT_EQ(readOnHost(data), 1.5f);
  EXPECT_EQ(driver.copy(hostAddress, memory, sizeof(float)), 0);
  EXPECT_EQ(host, 1.5f);
  EXPECT_EQ(driver.free(memory), 0);
}
} // namespace
