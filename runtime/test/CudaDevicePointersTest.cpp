//===- CudaDevicePointersTest.cpp - GPU memory through the C API ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A CUDA session takes inputs, and writes the outputs of
// xf_session_run_into, in GPU memory as well as host memory: it copies
// them with cuMemcpy. Without a GPU this runs on the fake driver
// (FakeCudaDriver.cpp), whose cuMemAlloc_v2 memory the host cannot touch
// (its pages have no access: a host copy would crash the test), and the
// fake cuBLASLt, on an artifact whose outputs are all cuBLASLt matmuls
// (test/Runtime/Inputs/cuda-matmuls.onnxtext, compiled at build time). The
// outputs written to GPU memory must be those written to host memory.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/api.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dlfcn.h>
#include <vector>

namespace {
using DevicePointer = unsigned long long;

/// The fake driver's functions a C API user would call to hold GPU memory.
struct FakeDriver {
  int (*alloc)(DevicePointer *pointer, size_t bytes) = nullptr;
  int (*copy)(DevicePointer target, DevicePointer source,
              size_t bytes) = nullptr;
  int (*free)(DevicePointer pointer) = nullptr;
};

DevicePointer address(const void *pointer) {
  return static_cast<DevicePointer>(reinterpret_cast<uintptr_t>(pointer));
}

/// A tensor of `shape` with values that differ per element.
struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
  HostTensor(std::vector<int64_t> shape, float seed) : shape(shape) {
    size_t count = 1;
    for (int64_t size : shape)
      count *= size;
    for (size_t i = 0; i < count; ++i)
      values.push_back(seed + 0.25f * static_cast<float>(i % 13) -
                       0.125f * static_cast<float>(i % 5));
  }
  size_t bytes() const { return values.size() * sizeof(float); }
  xf_buffer_t buffer(void *data) const {
    return xf_buffer_t{data, bytes(), XF_DTYPE_FLOAT32,
                       static_cast<int64_t>(shape.size()), shape.data()};
  }
};

TEST(CudaDevicePointers, InputsAndOutputsInGpuMemory) {
  setenv("EXAFORGE_CUDA_DRIVER", EXAFORGE_FAKE_CUDA_DRIVER, 1);
  setenv("EXAFORGE_CUBLASLT", EXAFORGE_FAKE_CUBLASLT, 1);
  void *library = dlopen(EXAFORGE_FAKE_CUDA_DRIVER, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  FakeDriver driver;
  driver.alloc =
      reinterpret_cast<decltype(driver.alloc)>(dlsym(library, "cuMemAlloc_v2"));
  driver.copy =
      reinterpret_cast<decltype(driver.copy)>(dlsym(library, "cuMemcpy"));
  driver.free =
      reinterpret_cast<decltype(driver.free)>(dlsym(library, "cuMemFree_v2"));
  ASSERT_TRUE(driver.alloc && driver.copy && driver.free);

  xf_session_t *session = nullptr;
  xf_status_t *status =
      xf_session_open(EXAFORGE_TEST_CUDA_MATMULS_ARTIFACT, nullptr, &session);
  ASSERT_EQ(status, nullptr) << xf_status_message(status);

  // x [3, 9], a [2, 3, 4], b [2, 4, 5] -> y [3, 8], z [2, 3, 5], g [3, 8].
  std::vector<HostTensor> inputs = {HostTensor({3, 9}, -1.0f),
                                    HostTensor({2, 3, 4}, 0.5f),
                                    HostTensor({2, 4, 5}, -0.25f)};
  std::vector<HostTensor> outputs = {HostTensor({3, 8}, 0.0f),
                                     HostTensor({2, 3, 5}, 0.0f),
                                     HostTensor({3, 8}, 0.0f)};

  // On host memory: the reference.
  std::vector<xf_buffer_t> hostInputs, hostOutputs;
  for (HostTensor &input : inputs)
    hostInputs.push_back(input.buffer(input.values.data()));
  for (HostTensor &output : outputs)
    hostOutputs.push_back(output.buffer(output.values.data()));
  status = xf_session_run_into(session, hostInputs.data(), hostInputs.size(),
                               hostOutputs.data(), hostOutputs.size());
  ASSERT_EQ(status, nullptr) << xf_status_message(status);

  // On "GPU memory" the host cannot read.
  std::vector<DevicePointer> deviceInputs, deviceOutputs;
  std::vector<xf_buffer_t> inputBuffers, outputBuffers;
  for (HostTensor &input : inputs) {
    DevicePointer pointer = 0;
    ASSERT_EQ(driver.alloc(&pointer, input.bytes()), 0);
    ASSERT_EQ(driver.copy(pointer, address(input.values.data()), input.bytes()),
              0);
    deviceInputs.push_back(pointer);
    inputBuffers.push_back(input.buffer(
        reinterpret_cast<void *>(static_cast<uintptr_t>(pointer))));
  }
  for (HostTensor &output : outputs) {
    DevicePointer pointer = 0;
    ASSERT_EQ(driver.alloc(&pointer, output.bytes()), 0);
    deviceOutputs.push_back(pointer);
    outputBuffers.push_back(output.buffer(
        reinterpret_cast<void *>(static_cast<uintptr_t>(pointer))));
  }
  status =
      xf_session_run_into(session, inputBuffers.data(), inputBuffers.size(),
                          outputBuffers.data(), outputBuffers.size());
  ASSERT_EQ(status, nullptr) << xf_status_message(status);

  for (size_t i = 0; i < outputs.size(); ++i) {
    std::vector<float> copied(outputs[i].values.size(), -1.0f);
    ASSERT_EQ(driver.copy(address(copied.data()), deviceOutputs[i],
                          outputs[i].bytes()),
              0);
    EXPECT_EQ(copied, outputs[i].values) << "output " << i;
    // Not all zeros: the matmuls ran.
    EXPECT_NE(outputs[i].values, std::vector<float>(copied.size(), 0.0f));
  }
  for (DevicePointer pointer : deviceInputs)
    driver.free(pointer);
  for (DevicePointer pointer : deviceOutputs)
    driver.free(pointer);
  xf_session_close(session);
}
} // namespace
