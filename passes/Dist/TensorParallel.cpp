//===- TensorParallel.cpp - Shared pieces of the tensor-parallel passes ---===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements TensorParallel.h.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/TensorParallel.h"

#include "dialects/Graph/ElidedElements.h"
#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace exaforge::dist;

ShardingAttr exaforge::dist::toShardingAttr(const TensorParallelLayout &layout,
                                            MLIRContext *context,
                                            int64_t rank) {
  assert((!layout.isPartial() ||
          layout.reduction == mlir::shard::ReductionKind::Sum) &&
         "#dist.sharding records partial sums only");
  Builder builder(context);
  SmallVector<Attribute> dims(rank, builder.getArrayAttr({}));
  if (layout.isSplit())
    dims[layout.dim] = builder.getStrArrayAttr({kTensorParallelAxis});
  ArrayAttr partial = layout.isPartial()
                          ? builder.getStrArrayAttr({kTensorParallelAxis})
                          : builder.getArrayAttr({});
  return ShardingAttr::get(context, FlatSymbolRefAttr::get(context, kMeshName),
                           builder.getArrayAttr(dims), partial);
}

RankedTensorType exaforge::dist::getLocalType(RankedTensorType global,
                                              ShardingAttr sharding,
                                              MeshOp mesh) {
  SmallVector<StringRef> axes = llvm::to_vector(
      llvm::map_range(mesh.getAxes().getAsRange<StringAttr>(),
                      [](StringAttr axis) { return axis.getValue(); }));
  return getLocalType(global, sharding, axes, mesh.getShape());
}

RankedTensorType exaforge::dist::getLocalType(RankedTensorType global,
                                              ShardingAttr sharding,
                                              ArrayRef<StringRef> meshAxes,
                                              ArrayRef<int64_t> meshShape) {
  SmallVector<int64_t> shape(global.getShape());
  for (unsigned dim = 0, e = shape.size(); dim < e; ++dim) {
    if (ShapedType::isDynamic(shape[dim]))
      continue;
    for (StringRef axis : sharding.getDimAxes(dim)) {
      auto it = llvm::find(meshAxes, axis);
      if (it != meshAxes.end())
        shape[dim] /= meshShape[it - meshAxes.begin()];
    }
  }
  return global.clone(shape);
}

bool exaforge::dist::isFullyReplicated(ShardingAttr sharding) {
  if (!sharding.getPartial().empty())
    return false;
  return llvm::all_of(sharding.getDims(), [](Attribute dim) {
    return cast<ArrayAttr>(dim).empty();
  });
}

std::string exaforge::dist::sliceRowMajor(ArrayRef<char> data,
                                          ArrayRef<int64_t> shape,
                                          int64_t elementBytes,
                                          ArrayRef<int64_t> offsets,
                                          ArrayRef<int64_t> sizes) {
  std::string bytes;
  int64_t rank = shape.size();
  if (rank == 0)
    return std::string(data.begin(), data.end());
  SmallVector<int64_t> strides(rank, elementBytes);
  for (int64_t dim = rank - 2; dim >= 0; --dim)
    strides[dim] = strides[dim + 1] * shape[dim + 1];
  if (llvm::is_contained(sizes, 0))
    return bytes;
  // Walk the outer indices of the box; copy one run of the last dimension
  // at a time.
  SmallVector<int64_t> index(rank - 1, 0);
  int64_t run = sizes.back() * elementBytes;
  while (true) {
    int64_t start = offsets.back() * elementBytes;
    for (int64_t dim = 0; dim < rank - 1; ++dim)
      start += (offsets[dim] + index[dim]) * strides[dim];
    bytes.append(data.data() + start, run);
    int64_t dim = rank - 2;
    for (; dim >= 0; --dim) {
      if (++index[dim] < sizes[dim])
        break;
      index[dim] = 0;
    }
    if (dim < 0)
      return bytes;
  }
}

FailureOr<ElementsAttr>
exaforge::dist::sliceConstant(ElementsAttr value, int64_t dim, int64_t offset,
                              int64_t size, StringRef name) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0);
  SmallVector<int64_t> sizes(type.getShape());
  offsets[dim] = offset;
  sizes[dim] = size;
  auto sliced = type.clone(sizes);
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return cast<ElementsAttr>(dense.resizeSplat(sliced));
    SmallVector<Attribute> all(dense.getValues<Attribute>());
    SmallVector<Attribute> kept;
    SmallVector<int64_t> strides(type.getRank(), 1);
    for (int64_t d = type.getRank() - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * type.getDimSize(d + 1);
    for (auto [linear, element] : llvm::enumerate(all)) {
      int64_t coordinate =
          (static_cast<int64_t>(linear) / strides[dim]) % type.getDimSize(dim);
      if (coordinate >= offset && coordinate < offset + size)
        kept.push_back(element);
    }
    return cast<ElementsAttr>(DenseElementsAttr::get(sliced, kept));
  }
  // A weight imported without its values has parts without values.
  if (graph::isElidedElementsAttr(value))
    return cast<ElementsAttr>(graph::getElidedElementsAttr(sliced, name));
  auto resource = dyn_cast<DenseResourceElementsAttr>(value);
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  if (!resource || !resource.getRawHandle().getBlob() || bits % 8 != 0)
    return failure();
  std::string bytes =
      sliceRowMajor(resource.getRawHandle().getBlob()->getData(),
                    type.getShape(), bits / 8, offsets, sizes);
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(bytes.data(), bytes.size()), alignof(uint64_t));
  return cast<ElementsAttr>(
      DenseResourceElementsAttr::get(sliced, name, std::move(blob)));
}

int64_t exaforge::dist::reportOpsWithoutShardingRule(func::FuncOp function) {
  int64_t count = 0;
  function.walk([&](Operation *op) {
    if (!isa<graph::GraphDialect>(op->getDialect()) ||
        isa<graph::ConstantOp, graph::ShardingRuleOpInterface>(op))
      return;
    // At the op's location only: the op itself would print as a note.
    emitRemark(op->getLoc())
        << "op " << op->getName() << " has no sharding rule; replicated";
    ++count;
  });
  return count;
}
