//===- TensorBlocks.h - The part of a split tensor each rank holds -*- C++ -*-//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The geometry of the `sharding` of an input or output
// (docs/design/compiled-artifact.md): a dimension split over some mesh axes
// is cut into one part per combination of their coordinates, as evenly as
// possible (the first parts one longer); a rank holds, on every dimension,
// the part of its coordinates. Plain C++, shared by the scatter and gather
// of the MPI run and unit-tested without MPI.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_MPI_TENSORBLOCKS_H
#define EXAFORGE_RUNTIME_MPI_TENSORBLOCKS_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace exaforge::runtime::mpi {

/// A box of a row-major tensor: per dimension, where it starts and its size.
struct Block {
  std::vector<int64_t> offsets;
  std::vector<int64_t> sizes;
};

/// The number of parts a dimension split over the axes `mask` (bit i: mesh
/// axis i) has: the product of their sizes.
int64_t getNumParts(uint64_t mask, const std::vector<int64_t> &meshShape);

/// The part of the rank at `coordinates`: the row-major linearization of its
/// coordinates on the axes of `mask`, in mesh order.
int64_t getPartIndex(uint64_t mask, const std::vector<int64_t> &meshShape,
                     const std::vector<int64_t> &coordinates);

/// The offset of part `index` of `size` elements cut into `parts`.
int64_t getPartOffset(int64_t size, int64_t parts, int64_t index);
/// The size of part `index` of `size` elements cut into `parts`.
int64_t getPartSize(int64_t size, int64_t parts, int64_t index);

/// The block of a tensor of `shape`, split as `splitAxes` (one mask per
/// dimension), that the rank at `coordinates` holds.
Block getBlock(const std::vector<int64_t> &shape,
               const std::vector<uint64_t> &splitAxes,
               const std::vector<int64_t> &meshShape,
               const std::vector<int64_t> &coordinates);

/// Copies the box of `sizes` at `sourceOffsets` in `source` (of
/// `sourceShape`) to `targetOffsets` in `target` (of `targetShape`);
/// elements are `elementSize` bytes.
void copyBox(const void *source, const std::vector<int64_t> &sourceShape,
             const std::vector<int64_t> &sourceOffsets, void *target,
             const std::vector<int64_t> &targetShape,
             const std::vector<int64_t> &targetOffsets,
             const std::vector<int64_t> &sizes, size_t elementSize);

} // namespace exaforge::runtime::mpi

#endif // EXAFORGE_RUNTIME_MPI_TENSORBLOCKS_H
