//===- TensorBlocks.cpp - The part of a split tensor each rank holds ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "TensorBlocks.h"

#include <algorithm>
#include <cstring>

using namespace exaforge::runtime::mpi;

int64_t
exaforge::runtime::mpi::getNumParts(uint64_t mask,
                                    const std::vector<int64_t> &meshShape) {
  int64_t parts = 1;
  for (size_t axis = 0; axis < meshShape.size(); ++axis)
    if ((mask >> axis) & 1)
      parts *= meshShape[axis];
  return parts;
}

int64_t
exaforge::runtime::mpi::getPartIndex(uint64_t mask,
                                     const std::vector<int64_t> &meshShape,
                                     const std::vector<int64_t> &coordinates) {
  int64_t index = 0;
  for (size_t axis = 0; axis < meshShape.size(); ++axis)
    if ((mask >> axis) & 1)
      index = index * meshShape[axis] + coordinates[axis];
  return index;
}

int64_t exaforge::runtime::mpi::getPartOffset(int64_t size, int64_t parts,
                                              int64_t index) {
  return index * (size / parts) + std::min(index, size % parts);
}

int64_t exaforge::runtime::mpi::getPartSize(int64_t size, int64_t parts,
                                            int64_t index) {
  return size / parts + (index < size % parts ? 1 : 0);
}

Block exaforge::runtime::mpi::getBlock(
    const std::vector<int64_t> &shape, const std::vector<uint64_t> &splitAxes,
    const std::vector<int64_t> &meshShape,
    const std::vector<int64_t> &coordinates) {
  Block block;
  for (size_t dim = 0; dim < shape.size(); ++dim) {
    uint64_t mask = splitAxes.empty() ? 0 : splitAxes[dim];
    int64_t parts = getNumParts(mask, meshShape);
    int64_t index = getPartIndex(mask, meshShape, coordinates);
    block.offsets.push_back(getPartOffset(shape[dim], parts, index));
    block.sizes.push_back(getPartSize(shape[dim], parts, index));
  }
  return block;
}

void exaforge::runtime::mpi::copyBox(const void *source,
                                     const std::vector<int64_t> &sourceShape,
                                     const std::vector<int64_t> &sourceOffsets,
                                     void *target,
                                     const std::vector<int64_t> &targetShape,
                                     const std::vector<int64_t> &targetOffsets,
                                     const std::vector<int64_t> &sizes,
                                     size_t elementSize) {
  size_t rank = sizes.size();
  for (int64_t size : sizes)
    if (size == 0)
      return;
  if (rank == 0) {
    std::memcpy(target, source, elementSize);
    return;
  }
  // Row-major strides in elements.
  std::vector<int64_t> sourceStrides(rank, 1), targetStrides(rank, 1);
  for (size_t i = rank - 1; i-- > 0;) {
    sourceStrides[i] = sourceStrides[i + 1] * sourceShape[i + 1];
    targetStrides[i] = targetStrides[i + 1] * targetShape[i + 1];
  }
  // Copy one innermost row per index of the outer dimensions (an odometer).
  size_t rowBytes = sizes[rank - 1] * elementSize;
  std::vector<int64_t> index(rank, 0);
  const char *from = static_cast<const char *>(source);
  char *to = static_cast<char *>(target);
  while (true) {
    int64_t sourceElement = 0, targetElement = 0;
    for (size_t i = 0; i < rank; ++i) {
      sourceElement += (sourceOffsets[i] + index[i]) * sourceStrides[i];
      targetElement += (targetOffsets[i] + index[i]) * targetStrides[i];
    }
    std::memcpy(to + targetElement * elementSize,
                from + sourceElement * elementSize, rowBytes);
    size_t i = rank - 1;
    while (i > 0 && ++index[i - 1] == sizes[i - 1])
      index[--i] = 0;
    if (i == 0)
      break;
  }
}
