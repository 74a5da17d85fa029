//===- Tensor.h - A result tensor of the runtime C API ----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_TENSOR_H
#define EXAFORGE_RUNTIME_TENSOR_H

#include "exaforge/runtime/api.h"

#include <vector>

/// A model output handed to the caller (api.h). It owns `buffer`, a
/// detached buffer of the BufferPool family; `data` lies inside it.
struct xf_tensor {
  ~xf_tensor();
  void *buffer = nullptr;
  void *data = nullptr;
  size_t nbytes = 0;
  xf_dtype_t dtype = XF_DTYPE_FLOAT32;
  std::vector<int64_t> shape;
};

#endif // EXAFORGE_RUNTIME_TENSOR_H
