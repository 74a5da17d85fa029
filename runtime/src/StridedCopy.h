//===- StridedCopy.h - Copying strided tensors densely ----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Copies a tensor laid out with arbitrary element strides (a memref
// descriptor's view) into dense row-major memory. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_STRIDEDCOPY_H
#define EXAFORGE_RUNTIME_STRIDEDCOPY_H

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace exaforge::runtime {

/// Copies the strided tensor at `source` (element strides `strides`) into
/// the dense row-major `target`, one element of `elementSize` bytes at a
/// time along the innermost dimension.
inline void copyStrided(char *target, const char *source, size_t elementSize,
                        const int64_t *sizes, const int64_t *strides,
                        size_t rank) {
  if (rank == 0) {
    std::memcpy(target, source, elementSize);
    return;
  }
  int64_t inner = 1;
  for (size_t d = 1; d < rank; ++d)
    inner *= sizes[d];
  for (int64_t i = 0; i < sizes[0]; ++i)
    copyStrided(target + i * inner * elementSize,
                source + i * strides[0] * elementSize, elementSize, sizes + 1,
                strides + 1, rank - 1);
}

/// True when `strides` are the row-major strides of `sizes`.
inline bool isDense(const int64_t *sizes, const int64_t *strides, size_t rank) {
  int64_t expected = 1;
  for (size_t d = rank; d-- > 0;) {
    if (sizes[d] != 1 && strides[d] != expected)
      return false;
    expected *= sizes[d];
  }
  return true;
}

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_STRIDEDCOPY_H
