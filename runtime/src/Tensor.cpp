//===- Tensor.cpp - Statuses, element types and result tensors ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The small value types of the C API (api.h).
//
//===----------------------------------------------------------------------===//

#include "Status.h"
#include "Tensor.h"

#include "BufferPool.h"

#include <algorithm>
#include <cstring>
#include <memory>

using namespace exaforge::runtime;

const char *xf_status_message(const xf_status_t *status) {
  return status ? status->message.c_str() : "";
}

xf_status_code_t xf_status_code(const xf_status_t *status) {
  return status ? status->code : xf_status_code_t{};
}

void xf_status_free(xf_status_t *status) { delete status; }

xf_status_t *xf_status_create(xf_status_code_t code, const char *message) {
  return makeStatus(code, message ? message : "");
}

const char *xf_dtype_name(xf_dtype_t dtype) {
  switch (dtype) {
  case XF_DTYPE_FLOAT32: return "float32";
  case XF_DTYPE_FLOAT64: return "float64";
  case XF_DTYPE_FLOAT16: return "float16";
  case XF_DTYPE_BFLOAT16: return "bfloat16";
  case XF_DTYPE_INT8: return "int8";
  case XF_DTYPE_INT16: return "int16";
  case XF_DTYPE_INT32: return "int32";
  case XF_DTYPE_INT64: return "int64";
  case XF_DTYPE_UINT8: return "uint8";
  case XF_DTYPE_UINT16: return "uint16";
  case XF_DTYPE_UINT32: return "uint32";
  case XF_DTYPE_UINT64: return "uint64";
  case XF_DTYPE_BOOL: return "bool";
  }
  return "unknown";
}

size_t xf_dtype_size(xf_dtype_t dtype) {
  switch (dtype) {
  case XF_DTYPE_INT8:
  case XF_DTYPE_UINT8:
  case XF_DTYPE_BOOL:
    return 1;
  case XF_DTYPE_FLOAT16:
  case XF_DTYPE_BFLOAT16:
  case XF_DTYPE_INT16:
  case XF_DTYPE_UINT16:
    return 2;
  case XF_DTYPE_FLOAT32:
  case XF_DTYPE_INT32:
  case XF_DTYPE_UINT32:
    return 4;
  case XF_DTYPE_FLOAT64:
  case XF_DTYPE_INT64:
  case XF_DTYPE_UINT64:
    return 8;
  }
  return 0;
}

xf_tensor::~xf_tensor() { releaseDetachedBuffer(buffer); }

void *xf_tensor_data(const xf_tensor_t *tensor) { return tensor->data; }
size_t xf_tensor_nbytes(const xf_tensor_t *tensor) { return tensor->nbytes; }
xf_dtype_t xf_tensor_dtype(const xf_tensor_t *tensor) { return tensor->dtype; }
int64_t xf_tensor_rank(const xf_tensor_t *tensor) {
  return static_cast<int64_t>(tensor->shape.size());
}
const int64_t *xf_tensor_shape(const xf_tensor_t *tensor) {
  return tensor->shape.data();
}
void xf_tensor_free(xf_tensor_t *tensor) { delete tensor; }

xf_status_t *xf_tensor_create(xf_dtype_t dtype, int64_t rank,
                              const int64_t *shape, xf_tensor_t **tensor) {
  if (!tensor || rank < 0 || (rank > 0 && !shape) || !xf_dtype_size(dtype))
    return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                      "xf_tensor_create: invalid element type, rank or "
                      "output pointer");
  uint64_t elements = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (shape[i] < 0)
      return makeStatus(XF_STATUS_INVALID_ARGUMENT,
                        "xf_tensor_create: negative size " +
                            std::to_string(shape[i]));
    elements *= static_cast<uint64_t>(shape[i]);
  }
  auto created = std::make_unique<xf_tensor>();
  created->dtype = dtype;
  created->shape.assign(shape, shape + rank);
  created->nbytes = elements * xf_dtype_size(dtype);
  constexpr size_t kAlignment = 64;
  created->buffer =
      allocateDetachedBuffer(std::max<size_t>(created->nbytes, 1), kAlignment);
  if (!created->buffer)
    return makeStatus(XF_STATUS_OUT_OF_MEMORY,
                      "xf_tensor_create: out of memory for " +
                          std::to_string(created->nbytes) + " bytes");
  std::memset(created->buffer, 0, created->nbytes);
  created->data = created->buffer;
  *tensor = created.release();
  return nullptr;
}
