//===- FakeStreamWork.h - A fake library's work on the fake stream -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The fake cuBLASLt, cuDNN and NCCL of the tests compute on the host when
// they are called, where the real libraries enqueue work on a stream. The
// fake CUDA driver (FakeCudaDriver.cpp) closes managed memory to the host
// while work is pending on the stream; a fake library's call brackets its
// computation with a FakeStreamWork, which opens the memory for it and
// leaves the work pending after, as a GPU's would be, so that the runtime
// must wait for the stream before the host reads the result. Without the
// fake driver (EXAFORGE_CUDA_DRIVER not naming a loaded library that
// defines the hooks), it does nothing.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_TEST_FAKESTREAMWORK_H
#define EXAFORGE_RUNTIME_TEST_FAKESTREAMWORK_H

#include <cstdlib>

#include <dlfcn.h>

/// While alive, the calling fake library computes on memory of the fake
/// driver's stream.
class FakeStreamWork {
public:
  FakeStreamWork() {
    if (Hook begin = getHook("fakeCudaBeginStreamWork"))
      begin();
  }
  ~FakeStreamWork() {
    if (Hook end = getHook("fakeCudaEndStreamWork"))
      end();
  }
  FakeStreamWork(const FakeStreamWork &) = delete;
  FakeStreamWork &operator=(const FakeStreamWork &) = delete;

private:
  using Hook = void (*)();

  /// The fake driver's hook `name`, when the process loaded that driver.
  static Hook getHook(const char *name) {
    static void *driver = [] {
      const char *path = std::getenv("EXAFORGE_CUDA_DRIVER");
      return path && *path ? dlopen(path, RTLD_NOW | RTLD_NOLOAD) : nullptr;
    }();
    return driver ? reinterpret_cast<Hook>(dlsym(driver, name)) : nullptr;
  }
};

#endif // EXAFORGE_RUNTIME_TEST_FAKESTREAMWORK_H
