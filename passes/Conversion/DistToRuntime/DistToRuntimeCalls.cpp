//===- DistToRuntimeCalls.cpp - dist ops to runtime collective calls ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-dist-to-runtime-calls` (see Passes.td): each dist
// collective or transfer on tensors becomes a call of the runtime's
// `xf_dist_<op>_<type>` (runtime/include/exaforge/abi/collectives.h) on
// unranked memrefs: the operand's buffer (read only) and a new dense buffer
// for the result, turned back into a tensor for the ops that use it.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "dialects/Dist/DistOps.h"
#include "exaforge/abi/Contract.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/IR/SymbolTable.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTDISTTORUNTIMECALLS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge::dist;

namespace {

/// The suffix of the runtime functions for `elementType` (collectives.h),
/// or failure when the runtime has none.
FailureOr<std::string> getTypeSuffix(Type elementType) {
  if (elementType.isF16())
    return std::string("f16");
  if (elementType.isBF16())
    return std::string("bf16");
  if (elementType.isF32())
    return std::string("f32");
  if (elementType.isF64())
    return std::string("f64");
  if (auto integer = dyn_cast<IntegerType>(elementType)) {
    unsigned width = integer.getWidth();
    if (width != 1 && width != 8 && width != 16 && width != 32 && width != 64)
      return failure();
    if (integer.isUnsigned() && width != 1)
      return "ui" + std::to_string(width);
    return "i" + std::to_string(width);
  }
  return failure();
}

/// The axis names of a collective.
template <typename CollectiveOp>
SmallVector<StringRef> getAxes(CollectiveOp op) {
  SmallVector<StringRef> axes;
  for (Attribute axis : op.getAxes())
    axes.push_back(cast<StringAttr>(axis).getValue());
  return axes;
}

/// The runtime's code of a reduction kind (exaforge/abi/Contract.h).
xf_reduction_t getReductionCode(ReductionKind kind) {
  switch (kind) {
  case ReductionKind::Sum:
    return XF_REDUCTION_SUM;
  case ReductionKind::Product:
    return XF_REDUCTION_PRODUCT;
  case ReductionKind::Max:
    return XF_REDUCTION_MAX;
  case ReductionKind::Min:
    return XF_REDUCTION_MIN;
  }
  return XF_REDUCTION_SUM;
}

/// Rewrites the dist ops of one module; see the file comment.
class DistCallLowering {
public:
  explicit DistCallLowering(ModuleOp module)
      : module(module), symbols(module) {}

  /// Replaces `op` (a dist collective, transfer or shard annotation) by its
  /// runtime call.
  LogicalResult lower(Operation *op);

private:
  /// Declares `name` with the argument types `argTypes` and the result
  /// types `resultTypes` (once).
  func::FuncOp getOrDeclare(StringRef name, TypeRange argTypes,
                            TypeRange resultTypes = {});

  /// The axes of `mesh` named in `axes`, packed one per byte (position + 1,
  /// the first in the lowest byte), and the size of the group they form.
  FailureOr<std::pair<int64_t, int64_t>>
  packAxes(Operation *op, StringRef meshName, ArrayRef<StringRef> axes);

  /// The buffer of `tensor` (never written), as an unranked memref.
  Value getOperandBuffer(OpBuilder &builder, Location loc, Value tensor);

  /// Allocates a dense buffer of `type`, whose dynamic sizes are `sizes`.
  Value allocateResult(OpBuilder &builder, Location loc, RankedTensorType type,
                       ValueRange sizes);

  /// The dynamic sizes of `type` computed from `input`: dimension `dim` of
  /// the input is multiplied by `multiplier` and divided by `divisor`.
  SmallVector<Value> getResultSizes(OpBuilder &builder, Location loc,
                                    Value input, RankedTensorType type,
                                    ArrayRef<int64_t> dims,
                                    ArrayRef<int64_t> multipliers,
                                    ArrayRef<int64_t> divisors);

  /// Emits, before `op`, the call of `xf_dist_<opName>_<type>` with the
  /// operand buffer (when `input` is set), the result buffer (when
  /// `resultType` is set) and the integer `attributes`. Returns the result
  /// as a tensor (null without `resultType`).
  FailureOr<Value> buildCall(Operation *op, StringRef opName, Value input,
                             RankedTensorType resultType,
                             ValueRange resultSizes,
                             ArrayRef<std::pair<int64_t, unsigned>> attributes);
  /// buildCall, then replaces `op` by the result.
  LogicalResult emitCall(Operation *op, StringRef opName, Value input,
                         RankedTensorType resultType, ValueRange resultSizes,
                         ArrayRef<std::pair<int64_t, unsigned>> attributes);
  /// The runtime arguments naming the peer of a transfer: the position of
  /// `axis` in `meshName` and the peer's `coordinate` on it (i64 each).
  FailureOr<SmallVector<std::pair<int64_t, unsigned>>>
  getPeerArguments(Operation *op, StringRef meshName, StringRef axis,
                   int64_t coordinate);
  /// Lowers a send: a tensor with dynamic sizes is preceded by its shape (a
  /// tensor of i64), which the matching receive reads first.
  LogicalResult lowerSend(SendOp send);
  /// Lowers a receive, reading the shape first when the type has dynamic
  /// sizes.
  LogicalResult lowerRecv(RecvOp recv);

  ModuleOp module;
  SymbolTable symbols;
};

func::FuncOp DistCallLowering::getOrDeclare(StringRef name, TypeRange argTypes,
                                            TypeRange resultTypes) {
  if (auto existing = symbols.lookup<func::FuncOp>(name))
    return existing;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto declaration =
      func::FuncOp::create(builder, module.getLoc(), name,
                           builder.getFunctionType(argTypes, resultTypes));
  declaration.setPrivate();
  symbols.insert(declaration);
  return declaration;
}

FailureOr<std::pair<int64_t, int64_t>>
DistCallLowering::packAxes(Operation *op, StringRef meshName,
                           ArrayRef<StringRef> axes) {
  auto mesh = symbols.lookup<MeshOp>(meshName);
  if (!mesh)
    return op->emitOpError("refers to an unknown mesh '") << meshName << "'";
  if (axes.size() > 8)
    return op->emitOpError("has more than 8 axes, which the runtime's "
                           "group encoding cannot hold");
  int64_t packed = 0, groupSize = 1;
  for (auto [i, axis] : llvm::enumerate(axes)) {
    std::optional<unsigned> index = mesh.getAxisIndex(axis);
    if (!index)
      return op->emitOpError("names an axis '") << axis << "' not in the mesh";
    packed |= static_cast<int64_t>(*index + 1) << (8 * i);
    groupSize *= mesh.getShape()[*index];
  }
  return std::make_pair(packed, groupSize);
}

Value DistCallLowering::getOperandBuffer(OpBuilder &builder, Location loc,
                                         Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  // The operand may be a view with any layout: ask for a fully dynamic one.
  SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
  auto layout = StridedLayoutAttr::get(builder.getContext(),
                                       ShapedType::kDynamic, strides);
  auto bufferType =
      MemRefType::get(type.getShape(), type.getElementType(), layout);
  Value buffer = bufferization::ToBufferOp::create(builder, loc, bufferType,
                                                   tensor, /*read_only=*/true);
  return memref::CastOp::create(
      builder, loc, UnrankedMemRefType::get(type.getElementType(), 0), buffer);
}

Value DistCallLowering::allocateResult(OpBuilder &builder, Location loc,
                                       RankedTensorType type,
                                       ValueRange sizes) {
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  return memref::AllocOp::create(builder, loc, bufferType, sizes);
}

SmallVector<Value>
DistCallLowering::getResultSizes(OpBuilder &builder, Location loc, Value input,
                                 RankedTensorType type, ArrayRef<int64_t> dims,
                                 ArrayRef<int64_t> multipliers,
                                 ArrayRef<int64_t> divisors) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!type.isDynamicDim(d))
      continue;
    Value size = tensor::DimOp::create(builder, loc, input, d);
    for (auto [dim, multiplier, divisor] :
         llvm::zip(dims, multipliers, divisors)) {
      if (dim != d)
        continue;
      if (multiplier != 1)
        size = arith::MulIOp::create(
            builder, loc, size,
            arith::ConstantIndexOp::create(builder, loc, multiplier));
      if (divisor != 1)
        size = arith::DivUIOp::create(
            builder, loc, size,
            arith::ConstantIndexOp::create(builder, loc, divisor));
    }
    sizes.push_back(size);
  }
  return sizes;
}

FailureOr<Value>
DistCallLowering::buildCall(Operation *op, StringRef opName, Value input,
                            RankedTensorType resultType, ValueRange resultSizes,
                            ArrayRef<std::pair<int64_t, unsigned>> attributes) {
  Type elementType =
      input ? cast<RankedTensorType>(input.getType()).getElementType()
            : resultType.getElementType();
  FailureOr<std::string> suffix = getTypeSuffix(elementType);
  if (failed(suffix))
    return op->emitOpError("on ")
           << elementType << " elements has no runtime implementation";
  Location loc = op->getLoc();
  OpBuilder builder(op);
  SmallVector<Value> arguments;
  if (input)
    arguments.push_back(getOperandBuffer(builder, loc, input));
  Value result;
  if (resultType) {
    result = allocateResult(builder, loc, resultType, resultSizes);
    arguments.push_back(memref::CastOp::create(
        builder, loc, UnrankedMemRefType::get(elementType, 0), result));
  }
  for (auto [value, width] : attributes)
    arguments.push_back(
        arith::ConstantIntOp::create(builder, loc, value, width));
  std::string name =
      exaforge::abi::kDistFunctionPrefix + opName.str() + "_" + *suffix;
  func::FuncOp callee = getOrDeclare(name, ValueRange(arguments).getTypes());
  func::CallOp::create(builder, loc, callee, arguments);
  if (!resultType)
    return Value();
  return Value(bufferization::ToTensorOp::create(builder, loc, resultType,
                                                 result, /*restrict=*/true,
                                                 /*writable=*/true));
}

LogicalResult
DistCallLowering::emitCall(Operation *op, StringRef opName, Value input,
                           RankedTensorType resultType, ValueRange resultSizes,
                           ArrayRef<std::pair<int64_t, unsigned>> attributes) {
  FailureOr<Value> result =
      buildCall(op, opName, input, resultType, resultSizes, attributes);
  if (failed(result))
    return failure();
  if (*result)
    op->getResult(0).replaceAllUsesWith(*result);
  op->erase();
  return success();
}

/// The type of the shape header of a transfer of a `rank`-dimensional
/// tensor with dynamic sizes.
static RankedTensorType getShapeHeaderType(MLIRContext *context, int64_t rank) {
  return RankedTensorType::get({rank}, IntegerType::get(context, 64));
}

FailureOr<SmallVector<std::pair<int64_t, unsigned>>>
DistCallLowering::getPeerArguments(Operation *op, StringRef meshName,
                                   StringRef axis, int64_t coordinate) {
  auto packed = packAxes(op, meshName, {axis});
  if (failed(packed))
    return failure();
  return SmallVector<std::pair<int64_t, unsigned>>{
      {(packed->first & 0xff) - 1, 64}, {coordinate, 64}};
}

LogicalResult DistCallLowering::lowerSend(SendOp send) {
  FailureOr<SmallVector<std::pair<int64_t, unsigned>>> peer = getPeerArguments(
      send, send.getMesh(), send.getAxis(), send.getToAttr().getInt());
  if (failed(peer))
    return failure();
  auto type = cast<RankedTensorType>(send.getInput().getType());
  if (!type.hasStaticShape()) {
    OpBuilder builder(send);
    Location loc = send.getLoc();
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      sizes.push_back(arith::IndexCastOp::create(
          builder, loc, builder.getI64Type(),
          tensor::DimOp::create(builder, loc, send.getInput(), d)));
    Value shape = tensor::FromElementsOp::create(
        builder, loc, getShapeHeaderType(send.getContext(), type.getRank()),
        sizes);
    if (failed(buildCall(send, "send", shape, nullptr, {}, *peer)))
      return failure();
  }
  return emitCall(send, "send", send.getInput(), nullptr, {}, *peer);
}

LogicalResult DistCallLowering::lowerRecv(RecvOp recv) {
  FailureOr<SmallVector<std::pair<int64_t, unsigned>>> peer = getPeerArguments(
      recv, recv.getMesh(), recv.getAxis(), recv.getFromAttr().getInt());
  if (failed(peer))
    return failure();
  auto type = cast<RankedTensorType>(recv.getType());
  SmallVector<Value> sizes;
  if (!type.hasStaticShape()) {
    FailureOr<Value> shape = buildCall(
        recv, "recv", nullptr,
        getShapeHeaderType(recv.getContext(), type.getRank()), {}, *peer);
    if (failed(shape))
      return failure();
    OpBuilder builder(recv);
    Location loc = recv.getLoc();
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d))
        continue;
      Value size = tensor::ExtractOp::create(
          builder, loc, *shape,
          ValueRange{arith::ConstantIndexOp::create(builder, loc, d)});
      sizes.push_back(arith::IndexCastOp::create(builder, loc,
                                                 builder.getIndexType(), size));
    }
  }
  return emitCall(recv, "recv", nullptr, type, sizes, *peer);
}

LogicalResult DistCallLowering::lower(Operation *op) {
  constexpr unsigned kI32 = 32, kI64 = 64;
  if (auto shard = dyn_cast<ShardOp>(op)) {
    // An annotation: the local value is the operand itself.
    shard.getResult().replaceAllUsesWith(shard.getInput());
    shard.erase();
    return success();
  }
  if (auto allReduce = dyn_cast<AllReduceOp>(op)) {
    auto group = packAxes(op, allReduce.getMesh(), getAxes(allReduce));
    if (failed(group))
      return failure();
    auto type = cast<RankedTensorType>(allReduce.getType());
    OpBuilder builder(op);
    return emitCall(op, "all_reduce", allReduce.getInput(), type,
                    getResultSizes(builder, op->getLoc(), allReduce.getInput(),
                                   type, {}, {}, {}),
                    {{getReductionCode(allReduce.getReduction()), kI32},
                     {group->first, kI64}});
  }
  if (auto allGather = dyn_cast<AllGatherOp>(op)) {
    auto group = packAxes(op, allGather.getMesh(), getAxes(allGather));
    if (failed(group))
      return failure();
    auto type = cast<RankedTensorType>(allGather.getType());
    int64_t dim = allGather.getDimAttr().getInt();
    OpBuilder builder(op);
    return emitCall(op, "all_gather", allGather.getInput(), type,
                    getResultSizes(builder, op->getLoc(), allGather.getInput(),
                                   type, {dim}, {group->second}, {1}),
                    {{dim, kI64}, {group->first, kI64}});
  }
  if (auto reduceScatter = dyn_cast<ReduceScatterOp>(op)) {
    auto group = packAxes(op, reduceScatter.getMesh(), getAxes(reduceScatter));
    if (failed(group))
      return failure();
    auto type = cast<RankedTensorType>(reduceScatter.getType());
    int64_t dim = reduceScatter.getDimAttr().getInt();
    OpBuilder builder(op);
    return emitCall(op, "reduce_scatter", reduceScatter.getInput(), type,
                    getResultSizes(builder, op->getLoc(),
                                   reduceScatter.getInput(), type, {dim}, {1},
                                   {group->second}),
                    {{dim, kI64},
                     {getReductionCode(reduceScatter.getReduction()), kI32},
                     {group->first, kI64}});
  }
  if (auto allToAll = dyn_cast<AllToAllOp>(op)) {
    auto group = packAxes(op, allToAll.getMesh(), getAxes(allToAll));
    if (failed(group))
      return failure();
    auto type = cast<RankedTensorType>(allToAll.getType());
    int64_t splitDim = allToAll.getSplitDimAttr().getInt();
    int64_t concatDim = allToAll.getConcatDimAttr().getInt();
    OpBuilder builder(op);
    return emitCall(
        op, "all_to_all", allToAll.getInput(), type,
        getResultSizes(builder, op->getLoc(), allToAll.getInput(), type,
                       {splitDim, concatDim}, {1, group->second},
                       {group->second, 1}),
        {{splitDim, kI64}, {concatDim, kI64}, {group->first, kI64}});
  }
  if (auto broadcast = dyn_cast<BroadcastOp>(op)) {
    auto group = packAxes(op, broadcast.getMesh(), getAxes(broadcast));
    if (failed(group))
      return failure();
    auto type = cast<RankedTensorType>(broadcast.getType());
    OpBuilder builder(op);
    return emitCall(
        op, "broadcast", broadcast.getInput(), type,
        getResultSizes(builder, op->getLoc(), broadcast.getInput(), type, {},
                       {}, {}),
        {{broadcast.getRootAttr().getInt(), kI64}, {group->first, kI64}});
  }
  if (auto send = dyn_cast<SendOp>(op))
    return lowerSend(send);
  if (auto recv = dyn_cast<RecvOp>(op))
    return lowerRecv(recv);
  if (auto axisIndex = dyn_cast<AxisIndexOp>(op)) {
    auto axis = packAxes(op, axisIndex.getMesh(), {axisIndex.getAxis()});
    if (failed(axis))
      return failure();
    OpBuilder builder(op);
    Location loc = op->getLoc();
    Value axisNumber = arith::ConstantIntOp::create(
        builder, loc, (axis->first & 0xff) - 1, 64);
    func::FuncOp callee = getOrDeclare(exaforge::abi::kDistAxisIndexFunction,
                                       TypeRange{builder.getI64Type()},
                                       TypeRange{builder.getI64Type()});
    Value coordinate =
        func::CallOp::create(builder, loc, callee, ValueRange{axisNumber})
            .getResult(0);
    op->getResult(0).replaceAllUsesWith(arith::IndexCastOp::create(
        builder, loc, builder.getIndexType(), coordinate));
    op->erase();
    return success();
  }
  return success();
}

struct ConvertDistToRuntimeCallsPass
    : exaforge::impl::ConvertDistToRuntimeCallsBase<
          ConvertDistToRuntimeCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<ShardOp, AllReduceOp, AllGatherOp, ReduceScatterOp, AllToAllOp,
              BroadcastOp, SendOp, RecvOp, AxisIndexOp>(op))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    DistCallLowering lowering(module);
    for (Operation *op : ops)
      if (failed(lowering.lower(op)))
        return signalPassFailure();
  }
};

} // namespace
