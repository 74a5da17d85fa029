//===- RunnerUtils.cpp - MLIR runner functions compiled code calls --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// MLIR's lowerings call a few functions of upstream's
// libmlir_c_runner_utils: `memref.copy` between buffers that are not both
// contiguous becomes a call of `memrefCopy`. The runtime defines them itself
// so that it links no LLVM/MLIR library; the signatures are upstream's
// (mlir/ExecutionEngine/CRunnerUtils.h), the code is ours.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstring>

namespace {

/// An unranked memref as MLIR passes it: the rank, and a pointer to the
/// ranked descriptor {allocated, aligned, offset, sizes[rank],
/// strides[rank]}.
struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

/// The fields of a ranked descriptor of rank `rank`.
struct DescriptorView {
  char *aligned;
  int64_t offset;
  const int64_t *sizes;
  const int64_t *strides;

  explicit DescriptorView(void *descriptor, int64_t rank) {
    auto *pointers = static_cast<char **>(descriptor);
    aligned = pointers[1];
    auto *fields = reinterpret_cast<const int64_t *>(pointers + 2);
    offset = fields[0];
    sizes = fields + 1;
    strides = fields + 1 + rank;
  }
};

/// Copies the elements of dimensions `dim`.. from `source` to `target`
/// (both strided, of `elementSize`-byte elements).
void copyDimension(char *target, const char *source, int64_t elementSize,
                   const int64_t *sizes, const int64_t *sourceStrides,
                   const int64_t *targetStrides, int64_t rank, int64_t dim) {
  if (dim == rank) {
    std::memcpy(target, source, static_cast<size_t>(elementSize));
    return;
  }
  for (int64_t i = 0; i < sizes[dim]; ++i)
    copyDimension(target + i * targetStrides[dim] * elementSize,
                  source + i * sourceStrides[dim] * elementSize, elementSize,
                  sizes, sourceStrides, targetStrides, rank, dim + 1);
}

/// True when `strides` are the row-major strides of `sizes`.
bool isContiguous(const int64_t *sizes, const int64_t *strides, int64_t rank) {
  int64_t expected = 1;
  for (int64_t d = rank; d-- > 0;) {
    if (sizes[d] != 1 && strides[d] != expected)
      return false;
    expected *= sizes[d];
  }
  return true;
}

} // namespace

/// Copies the memref `source` into `target` (same rank and sizes, any
/// strides), as upstream's `memrefCopy` does.
extern "C" __attribute__((visibility("default"))) void
memrefCopy(int64_t elementSize, UnrankedMemRef *source,
           UnrankedMemRef *target) {
  int64_t rank = source->rank;
  DescriptorView from(source->descriptor, rank);
  DescriptorView to(target->descriptor, rank);
  const char *sourceData = from.aligned + from.offset * elementSize;
  char *targetData = to.aligned + to.offset * elementSize;
  int64_t elements = 1;
  for (int64_t d = 0; d < rank; ++d)
    elements *= from.sizes[d];
  if (elements == 0)
    return;
  if (isContiguous(from.sizes, from.strides, rank) &&
      isContiguous(to.sizes, to.strides, rank)) {
    std::memmove(targetData, sourceData,
                 static_cast<size_t>(elements * elementSize));
    return;
  }
  copyDimension(targetData, sourceData, elementSize, from.sizes, from.strides,
                to.strides, rank, 0);
}
