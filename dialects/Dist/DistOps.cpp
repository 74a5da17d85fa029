//===- DistOps.cpp - Dist dialect operations ------------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers of the dist ops. Checks that need the mesh (its axes and their
// sizes) run in verifySymbolUses, once the module's symbols are known.
//
//===----------------------------------------------------------------------===//

#include "dialects/Dist/DistOps.h"

#include "exaforge/abi/Contract.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace exaforge::dist;

//===----------------------------------------------------------------------===//
// Mesh
//===----------------------------------------------------------------------===//

LogicalResult MeshOp::verify() {
  ArrayRef<int64_t> shape = getShape();
  if (getAxes().empty())
    return emitOpError("must have at least one axis");
  if (getAxes().size() != shape.size())
    return emitOpError("has ") << getAxes().size() << " axes but a shape of "
                               << shape.size() << " sizes";
  llvm::StringSet<> names;
  for (auto [axis, size] : llvm::zip_equal(getAxes(), shape)) {
    StringRef name = cast<StringAttr>(axis).getValue();
    if (name.empty())
      return emitOpError("axis names must not be empty");
    if (!names.insert(name).second)
      return emitOpError("axis '") << name << "' is declared twice";
    if (size < 1)
      return emitOpError("axis '")
             << name << "' must have a positive size, got " << size;
  }
  return success();
}

std::optional<unsigned> MeshOp::getAxisIndex(StringRef name) {
  for (auto [index, axis] : llvm::enumerate(getAxes()))
    if (cast<StringAttr>(axis).getValue() == name)
      return index;
  return std::nullopt;
}

SmallVector<int64_t> exaforge::dist::getMeshCoordinates(
    ArrayRef<int64_t> meshShape, int64_t rank) {
  SmallVector<int64_t> coordinates(meshShape.size());
  abi::getMeshCoordinates(meshShape.data(), meshShape.size(), rank,
                          coordinates.data());
  return coordinates;
}

int64_t MeshOp::getNumRanks() {
  int64_t ranks = 1;
  for (int64_t size : getShape())
    ranks *= size;
  return ranks;
}

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

namespace {

/// The mesh `name` refers to, or failure (reported on `op`).
FailureOr<MeshOp> lookupMesh(Operation *op, SymbolTableCollection &symbols,
                             FlatSymbolRefAttr name) {
  auto mesh = symbols.lookupNearestSymbolFrom<MeshOp>(op, name);
  if (!mesh)
    return op->emitOpError("refers to ")
           << name << ", which is not a 'dist.mesh'";
  return mesh;
}

/// The product of the sizes of `axes` on `mesh` (1 for none), or failure
/// (reported on `op`) when an axis is not on the mesh or is listed twice.
FailureOr<int64_t> getAxesSize(Operation *op, MeshOp mesh,
                               ArrayRef<StringRef> axes) {
  int64_t size = 1;
  llvm::StringSet<> seen;
  for (StringRef axis : axes) {
    std::optional<unsigned> index = mesh.getAxisIndex(axis);
    if (!index)
      return op->emitOpError("mesh @")
             << mesh.getSymName() << " has no axis '" << axis << "'";
    if (!seen.insert(axis).second)
      return op->emitOpError("lists mesh axis '") << axis << "' twice";
    size *= mesh.getShape()[*index];
  }
  return size;
}

/// The names in an array of string attributes.
SmallVector<StringRef> getNames(ArrayAttr names) {
  return llvm::map_to_vector(
      names, [](Attribute name) { return cast<StringAttr>(name).getValue(); });
}

/// The size of the group of a collective (the product of its axes' sizes),
/// or failure (reported).
FailureOr<int64_t> getGroupSize(Operation *op, SymbolTableCollection &symbols,
                                FlatSymbolRefAttr meshName, ArrayAttr axes) {
  FailureOr<MeshOp> mesh = lookupMesh(op, symbols, meshName);
  if (failed(mesh))
    return failure();
  if (axes.empty())
    return op->emitOpError("must name at least one mesh axis");
  return getAxesSize(op, *mesh, getNames(axes));
}

/// Verifies that `op`'s operand and result have the same element type and
/// rank, that `dim` is a dimension of them, and returns the operand shape
/// (the caller adjusts the dimensions the op resizes).
FailureOr<SmallVector<int64_t>> getOperandShape(Operation *op, int64_t dim) {
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  if (input.getElementType() != result.getElementType())
    return op->emitOpError("result element type ")
           << result.getElementType() << " differs from the operand's "
           << input.getElementType();
  if (input.getRank() != result.getRank())
    return op->emitOpError("result rank ")
           << result.getRank() << " differs from the operand's "
           << input.getRank();
  if (dim < 0 || dim >= input.getRank())
    return op->emitOpError("dimension ")
           << dim << " is out of range for a tensor of rank "
           << input.getRank();
  return llvm::to_vector(input.getShape());
}

/// Divides dimension `dim` of `shape` by `groupSize`, or fails (reported)
/// when its static size is not divisible.
LogicalResult divideDim(Operation *op, SmallVectorImpl<int64_t> &shape,
                        int64_t dim, int64_t groupSize) {
  if (ShapedType::isDynamic(shape[dim]))
    return success();
  if (shape[dim] % groupSize != 0)
    return op->emitOpError("dimension ")
           << dim << " of size " << shape[dim]
           << " is not divisible by the group size " << groupSize;
  shape[dim] /= groupSize;
  return success();
}

/// Multiplies dimension `dim` of `shape` by `groupSize`.
void multiplyDim(SmallVectorImpl<int64_t> &shape, int64_t dim,
                 int64_t groupSize) {
  if (!ShapedType::isDynamic(shape[dim]))
    shape[dim] *= groupSize;
}

/// Verifies that the result shape of `op` agrees with `expected` on every
/// dimension where both are static.
LogicalResult verifyResultShape(Operation *op, ArrayRef<int64_t> expected) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  for (auto [dim, actual, wanted] :
       llvm::enumerate(result.getShape(), expected))
    if (!ShapedType::isDynamic(actual) && !ShapedType::isDynamic(wanted) &&
        actual != wanted)
      return op->emitOpError("result dimension ")
             << dim << " is " << actual << ", expected " << wanted;
  return success();
}

/// Verifies a collective against its mesh, then its types.
template <typename CollectiveOp>
LogicalResult verifyCollective(CollectiveOp op,
                               SymbolTableCollection &symbols) {
  FailureOr<int64_t> groupSize =
      getGroupSize(op, symbols, op.getMeshAttr(), op.getAxes());
  if (failed(groupSize))
    return failure();
  return op.verifyWithGroupSize(*groupSize);
}

/// Verifies the mesh and axis coordinate of a send or receive.
LogicalResult verifyPeer(Operation *op, SymbolTableCollection &symbols,
                         FlatSymbolRefAttr meshName, StringRef axis,
                         int64_t coordinate, StringRef what) {
  FailureOr<MeshOp> mesh = lookupMesh(op, symbols, meshName);
  if (failed(mesh))
    return failure();
  FailureOr<int64_t> size = getAxesSize(op, *mesh, {axis});
  if (failed(size))
    return failure();
  if (coordinate < 0 || coordinate >= *size)
    return op->emitOpError("'")
           << what << "' coordinate " << coordinate << " is outside axis '"
           << axis << "' of size " << *size;
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Sharding annotation
//===----------------------------------------------------------------------===//

LogicalResult ShardOp::verifySymbolUses(SymbolTableCollection &symbols) {
  ShardingAttr sharding = getSharding();
  FailureOr<MeshOp> mesh = lookupMesh(*this, symbols, sharding.getMesh());
  if (failed(mesh))
    return failure();
  auto type = cast<RankedTensorType>(getInput().getType());
  if (static_cast<int64_t>(sharding.getDims().size()) != type.getRank())
    return emitOpError("sharding has ")
           << sharding.getDims().size() << " dimensions, the tensor has rank "
           << type.getRank();
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    FailureOr<int64_t> parts =
        getAxesSize(*this, *mesh, sharding.getDimAxes(dim));
    if (failed(parts))
      return failure();
    if (!type.isDynamicDim(dim) && type.getDimSize(dim) % *parts != 0)
      return emitOpError("dimension ")
             << dim << " of size " << type.getDimSize(dim)
             << " cannot be split into " << *parts << " equal parts";
  }
  return getAxesSize(*this, *mesh, sharding.getPartialAxes());
}

//===----------------------------------------------------------------------===//
// Collectives
//===----------------------------------------------------------------------===//

LogicalResult AllReduceOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyCollective(*this, symbols);
}

LogicalResult AllReduceOp::verifyWithGroupSize(int64_t) { return success(); }

LogicalResult AllGatherOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyCollective(*this, symbols);
}

LogicalResult AllGatherOp::verifyWithGroupSize(int64_t groupSize) {
  FailureOr<SmallVector<int64_t>> shape =
      getOperandShape(*this, getDimAttr().getInt());
  if (failed(shape))
    return failure();
  multiplyDim(*shape, getDimAttr().getInt(), groupSize);
  return verifyResultShape(*this, *shape);
}

LogicalResult
ReduceScatterOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyCollective(*this, symbols);
}

LogicalResult ReduceScatterOp::verifyWithGroupSize(int64_t groupSize) {
  FailureOr<SmallVector<int64_t>> shape =
      getOperandShape(*this, getDimAttr().getInt());
  if (failed(shape) ||
      failed(divideDim(*this, *shape, getDimAttr().getInt(), groupSize)))
    return failure();
  return verifyResultShape(*this, *shape);
}

LogicalResult AllToAllOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyCollective(*this, symbols);
}

LogicalResult AllToAllOp::verifyWithGroupSize(int64_t groupSize) {
  FailureOr<SmallVector<int64_t>> shape =
      getOperandShape(*this, getSplitDimAttr().getInt());
  if (failed(shape) ||
      failed(getOperandShape(*this, getConcatDimAttr().getInt())) ||
      failed(divideDim(*this, *shape, getSplitDimAttr().getInt(), groupSize)))
    return failure();
  multiplyDim(*shape, getConcatDimAttr().getInt(), groupSize);
  return verifyResultShape(*this, *shape);
}

LogicalResult BroadcastOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyCollective(*this, symbols);
}

LogicalResult BroadcastOp::verifyWithGroupSize(int64_t groupSize) {
  if (getRootAttr().getInt() < 0 || getRootAttr().getInt() >= groupSize)
    return emitOpError("root ")
           << getRootAttr().getInt() << " is not a position in the group of "
           << groupSize << " ranks";
  return success();
}

//===----------------------------------------------------------------------===//
// This rank's coordinate
//===----------------------------------------------------------------------===//

LogicalResult AxisIndexOp::verifySymbolUses(SymbolTableCollection &symbols) {
  FailureOr<MeshOp> mesh = lookupMesh(*this, symbols, getMeshAttr());
  if (failed(mesh))
    return failure();
  return getAxesSize(*this, *mesh, {getAxis()});
}

//===----------------------------------------------------------------------===//
// Point to point
//===----------------------------------------------------------------------===//

LogicalResult SendOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyPeer(*this, symbols, getMeshAttr(), getAxis(),
                    getToAttr().getInt(), "to");
}

LogicalResult RecvOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyPeer(*this, symbols, getMeshAttr(), getAxis(),
                    getFromAttr().getInt(), "from");
}

#define GET_OP_CLASSES
#include "dialects/Dist/DistOps.cpp.inc"
