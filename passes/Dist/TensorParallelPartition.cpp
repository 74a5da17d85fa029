//===- TensorParallelPartition.cpp - The per-rank tensor-parallel program -===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-tensor-parallel-partition` (see Passes.td): rewrites the
// annotated global @main into the program every rank runs on its shards.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Passes.h"
#include "passes/Dist/TensorParallel.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTTENSORPARALLELPARTITION
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge;
using namespace exaforge::dist;

namespace {

/// Returns the dimension `sharding` splits over "tp", or nullopt.
std::optional<int64_t> getSplitDim(ShardingAttr sharding) {
  for (unsigned dim = 0, e = sharding.getDims().size(); dim < e; ++dim)
    if (llvm::is_contained(sharding.getDimAxes(dim), kTensorParallelAxis))
      return dim;
  return std::nullopt;
}

/// Returns true when `sharding` is a partial sum over "tp".
bool isPartial(ShardingAttr sharding) {
  return llvm::is_contained(sharding.getPartialAxes(), kTensorParallelAxis);
}

struct DistTensorParallelPartitionPass
    : exaforge::dist::impl::DistTensorParallelPartitionBase<
          DistTensorParallelPartitionPass> {
  using DistTensorParallelPartitionBase::DistTensorParallelPartitionBase;

  MeshOp mesh;
  int64_t ranks = 1;
  func::FuncOp main;
  /// The sharding of each value of @main produced so far (arguments are
  /// replicated over "tp").
  DenseMap<Value, ShardingAttr> shardings;
  /// The local value of (value, sharding) pairs already materialized: the
  /// weights of sliced constants and the resharded values.
  DenseMap<std::pair<Value, Attribute>, Value> converted;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    main = graph::lookupModelFunction(module);
    if (!main || main.isExternal() || !main.getBody().hasOneBlock())
      return; // Nothing was annotated.
    bool annotated = false;
    main.walk([&](Operation *op) {
      annotated |= op->hasAttr(kResultShardingsAttrName);
    });
    if (!annotated)
      return;
    mesh = module.lookupSymbol<MeshOp>(kMeshName);
    std::optional<unsigned> axis =
        mesh ? mesh.getAxisIndex(kTensorParallelAxis) : std::nullopt;
    if (!axis) {
      module.emitError("tensor-parallel annotations need a 'dist.mesh' @")
          << kMeshName << " with a \"tp\" axis";
      return signalPassFailure();
    }
    ranks = mesh.getShape()[*axis];

    for (Operation &op : llvm::make_early_inc_range(main.getBody().front())) {
      if (isa<graph::ConstantOp>(op))
        continue;
      if (failed(partition(op)))
        return signalPassFailure();
    }
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(main.getBody().front())))
      if (isa<graph::ConstantOp>(op) && op.use_empty())
        op.erase();
  }

  /// The sharding annotation `name` of `op`, checked to have `count`
  /// entries, or failure (reported).
  FailureOr<SmallVector<ShardingAttr>>
  getAnnotation(Operation &op, StringRef name, unsigned count) {
    auto array = op.getAttrOfType<ArrayAttr>(name);
    if (!array)
      return op.emitOpError("has no '")
             << name << "' annotation (run dist-tensor-parallel-sharding "
             << "first)";
    SmallVector<ShardingAttr> shardings;
    for (Attribute attr : array) {
      auto sharding = dyn_cast<ShardingAttr>(attr);
      if (!sharding)
        return op.emitOpError("'") << name << "' must hold #dist.sharding "
                                   << "attributes, got " << attr;
      shardings.push_back(sharding);
    }
    if (shardings.size() != count)
      return op.emitOpError("'") << name << "' has " << shardings.size()
                                 << " entries for " << count << " values";
    return shardings;
  }

  /// Rewrites `op` to consume and produce local shards.
  LogicalResult partition(Operation &op) {
    FailureOr<SmallVector<ShardingAttr>> operands =
        getAnnotation(op, kOperandShardingsAttrName, op.getNumOperands());
    if (failed(operands))
      return failure();
    FailureOr<SmallVector<ShardingAttr>> results =
        getAnnotation(op, kResultShardingsAttrName, op.getNumResults());
    if (failed(results))
      return failure();
    for (auto [index, sharding] : llvm::enumerate(*operands)) {
      FailureOr<Value> local = localize(op, op.getOperand(index), sharding);
      if (failed(local))
        return failure();
      op.setOperand(index, *local);
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op))
      updateResults(ret, *operands);
    if (auto reshape = dyn_cast<graph::ReshapeOp>(op))
      if (failed(rewriteReshapeShape(reshape, (*results)[0])))
        return failure();
    for (auto [result, sharding] : llvm::zip_equal(op.getResults(), *results)) {
      shardings[result] = sharding;
      auto type = dyn_cast<RankedTensorType>(result.getType());
      if (!type) {
        if (!isFullyReplicated(sharding))
          return op.emitOpError("cannot shard a result of type ")
                 << result.getType();
        continue;
      }
      if (failed(checkDivisible(op, type, sharding)))
        return failure();
      result.setType(getLocalType(type, sharding, mesh));
    }
    op.removeAttr(kOperandShardingsAttrName);
    op.removeAttr(kResultShardingsAttrName);
    return success();
  }

  /// Gives @main the local result types of `ret`'s operands; a result
  /// returned split or partial records its sharding.
  void updateResults(func::ReturnOp ret, ArrayRef<ShardingAttr> shardings) {
    main.setFunctionType(FunctionType::get(
        &getContext(), main.getArgumentTypes(), ret.getOperandTypes()));
    for (auto [index, sharding] : llvm::enumerate(shardings))
      if (!isFullyReplicated(sharding))
        main.setResultAttr(index, kShardingAttrName, sharding);
  }

  /// Checks that every static dimension `sharding` splits divides evenly.
  LogicalResult checkDivisible(Operation &op, RankedTensorType type,
                               ShardingAttr sharding) {
    std::optional<int64_t> dim = getSplitDim(sharding);
    if (!dim)
      return success();
    if (*dim >= type.getRank())
      return op.emitOpError("sharding ")
             << sharding << " does not fit a value of type " << type;
    if (!type.isDynamicDim(*dim) && type.getDimSize(*dim) % ranks != 0)
      return op.emitOpError("cannot split dimension ")
             << *dim << " of size " << type.getDimSize(*dim) << " over "
             << ranks << " tensor-parallel ranks";
    return success();
  }

  /// The local value of `value` in the layout `sharding`, which `user`
  /// consumes: a constant becomes a weight holding its shard, a
  /// value in another layout is resharded with a collective.
  FailureOr<Value> localize(Operation &user, Value value,
                            ShardingAttr sharding) {
    if (auto constant = value.getDefiningOp<graph::ConstantOp>()) {
      if (isFullyReplicated(sharding))
        return value;
      auto [it, inserted] = converted.try_emplace({value, sharding}, Value());
      if (inserted) {
        FailureOr<Value> weight = addShardedWeight(user, constant, sharding);
        if (failed(weight))
          return failure();
        it->second = *weight;
      }
      return it->second;
    }
    ShardingAttr current = shardings.lookup(value);
    if (!current) { // An argument: replicated over "tp".
      if (isFullyReplicated(sharding))
        return value;
      return user.emitOpError("cannot split the replicated operand ")
             << "at run time (sharding " << sharding << ")";
    }
    if (current == sharding)
      return value;
    auto [it, inserted] = converted.try_emplace({value, sharding}, Value());
    if (!inserted)
      return it->second;
    FailureOr<Value> resharded = reshard(user, value, current, sharding);
    if (failed(resharded))
      return failure();
    it->second = *resharded;
    return *resharded;
  }

  /// Inserts the collective that turns `value` from `from` into `to`.
  FailureOr<Value> reshard(Operation &user, Value value, ShardingAttr from,
                           ShardingAttr to) {
    OpBuilder builder(&getContext());
    builder.setInsertionPointAfterValue(value);
    Location loc = value.getLoc();
    auto type = cast<RankedTensorType>(value.getType());
    StringRef meshRef = kMeshName;
    ArrayAttr axes = builder.getStrArrayAttr({kTensorParallelAxis});
    ReductionKind sum = ReductionKind::Sum;
    std::optional<int64_t> fromDim = getSplitDim(from);
    std::optional<int64_t> toDim = getSplitDim(to);
    if (isPartial(from) && isFullyReplicated(to))
      return AllReduceOp::create(builder, loc, type, value, meshRef, axes, sum)
          .getResult();
    if (fromDim && !isPartial(from) && isFullyReplicated(to)) {
      SmallVector<int64_t> shape(type.getShape());
      if (!type.isDynamicDim(*fromDim))
        shape[*fromDim] *= ranks;
      return AllGatherOp::create(builder, loc, type.clone(shape), value,
                                 meshRef, axes, static_cast<uint64_t>(*fromDim))
          .getResult();
    }
    if (isPartial(from) && !fromDim && toDim && to.getPartial().empty()) {
      SmallVector<int64_t> shape(type.getShape());
      if (type.isDynamicDim(*toDim) || shape[*toDim] % ranks != 0)
        return user.emitOpError("cannot reduce-scatter dimension ")
               << *toDim << " of " << type << " over " << ranks << " ranks";
      shape[*toDim] /= ranks;
      return ReduceScatterOp::create(builder, loc, type.clone(shape), value,
                                     meshRef, axes,
                                     static_cast<uint64_t>(*toDim), sum)
          .getResult();
    }
    return user.emitOpError("cannot reshard an operand from ")
           << from << " to " << to;
  }

  /// Declares a weight for the shard of `constant` in layout `sharding` and
  /// reads it right before `user`: the weight has the local type and keeps
  /// the global value, which the artifact writer slices for each rank.
  FailureOr<Value> addShardedWeight(Operation &user, graph::ConstantOp constant,
                                    ShardingAttr sharding) {
    auto type = cast<RankedTensorType>(constant.getType());
    if (failed(checkDivisible(user, type, sharding)))
      return failure();
    ElementsAttr value = constant.getValue();
    std::string name = "tp_const";
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
      name = resource.getRawHandle().getKey().str();
    RankedTensorType localType = getLocalType(type, sharding, mesh);
    graph::WeightOp weight = graph::declareWeight(
        getOperation(), name, localType, value, constant.getLoc());
    weight->setAttr(kShardingAttrName, sharding);
    OpBuilder builder(&user);
    return graph::WeightRefOp::create(builder, constant.getLoc(), localType,
                                      weight.getSymName())
        .getResult();
  }

  /// Rewrites the constant shape of a Reshape whose result is split: the
  /// positive size of the split dimension becomes the local size.
  LogicalResult rewriteReshapeShape(graph::ReshapeOp reshape,
                                    ShardingAttr resultSharding) {
    std::optional<int64_t> dim = getSplitDim(resultSharding);
    if (!dim)
      return success();
    DenseIntElementsAttr shape;
    if (!matchPattern(reshape.getShape(), m_Constant(&shape)))
      return reshape.emitOpError("splits its result but its shape is not a "
                                 "constant");
    SmallVector<int64_t> sizes;
    for (const APInt &size : shape.getValues<APInt>())
      sizes.push_back(size.getSExtValue());
    if (*dim >= static_cast<int64_t>(sizes.size()))
      return reshape.emitOpError("shape has no dimension ") << *dim;
    if (sizes[*dim] > 0) {
      if (sizes[*dim] % ranks != 0)
        return reshape.emitOpError("cannot split dimension ")
               << *dim << " of size " << sizes[*dim] << " over " << ranks
               << " tensor-parallel ranks";
      sizes[*dim] /= ranks;
    }
    OpBuilder builder(reshape);
    auto type = cast<RankedTensorType>(shape.getType());
    Value local =
        graph::ConstantOp::create(builder, reshape.getShape().getLoc(), type,
                                  DenseIntElementsAttr::get(type, sizes));
    reshape.getShapeMutable().assign(local);
    return success();
  }
};

} // namespace
