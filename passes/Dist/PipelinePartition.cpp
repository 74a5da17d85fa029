//===- PipelinePartition.cpp - Cut @main into pipeline stages -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-pipeline-partition` (see Passes.td): the stage cuts come
// from PipelineStages.h; this file rebuilds @main as one switch over the
// stages, each a loop over micro-batches that receives, computes and sends.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Passes.h"

#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"
#include "passes/Dist/BatchDimension.h"
#include "passes/Dist/Mesh.h"
#include "passes/Dist/PipelineStages.h"
#include "passes/Dist/TensorParallel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTPIPELINEPARTITION
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge;
using namespace exaforge::dist;

namespace {

/// Rebuilds @main as the program of a pipeline (see Passes.td).
class PipelineBuilder {
public:
  PipelineBuilder(func::FuncOp main, MeshOp mesh, int64_t stages,
                  int64_t microbatches)
      : main(main), mesh(mesh), stages(stages), microbatches(microbatches),
        builder(main.getContext()) {
    if (main.getNumArguments() != 0)
      batchInput = 0;
  }

  /// Cuts the body at `starts` (the first op of each stage) and rewrites it.
  void build(ArrayRef<Operation *> ops, ArrayRef<size_t> starts);

private:
  /// Emits the code of stage `stage` into `region`: receive `incoming`,
  /// run `stageOps`, send `outgoing`; the last stage yields `returned`.
  void buildStage(Region &region, int64_t stage, ArrayRef<Operation *> stageOps,
                  ArrayRef<Value> incoming, ArrayRef<Value> outgoing,
                  ValueRange returned);

  /// The micro-batch slice of argument `arg` (made once per iteration).
  Value getSlice(BlockArgument arg);
  /// The value `value` of the old body stands for in the stage being built:
  /// a clone, a received value, a slice of an argument, or a constant
  /// materialized at the start of the stage.
  Value lookup(Value value);
  /// Placeholders for @main's results on a stage that does not compute them.
  SmallVector<Value> buildPlaceholders(Location loc);

  func::FuncOp main;
  MeshOp mesh;
  int64_t stages, microbatches;
  OpBuilder builder;

  // State of the stage being built.
  IRMapping mapping;
  /// Where constants are materialized (before the micro-batch loop).
  Operation *constantInsertionPoint = nullptr;
  /// Rows [begin, begin + size) of dimension 0 of this iteration.
  Value sliceBegin, sliceSize;
  /// The input whose dimension 0 is the batch (the first), with
  /// micro-batches.
  std::optional<unsigned> batchInput;
};

Value PipelineBuilder::getSlice(BlockArgument arg) {
  if (!sliceBegin)
    return arg;
  auto type = cast<RankedTensorType>(arg.getType());
  Location loc = arg.getLoc();
  SmallVector<OpFoldResult> offsets(type.getRank(), builder.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes,
      strides(type.getRank(), builder.getIndexAttr(1));
  offsets[0] = sliceBegin;
  sizes.push_back(sliceSize);
  for (int64_t d = 1; d < type.getRank(); ++d)
    sizes.push_back(tensor::getMixedSize(builder, loc, arg, d));
  return tensor::ExtractSliceOp::create(builder, loc, type, arg, offsets, sizes,
                                        strides);
}

Value PipelineBuilder::lookup(Value value) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    Value slice = getSlice(arg);
    mapping.map(value, slice);
    return slice;
  }
  // A constant or a weight: materialized once per stage, outside the loop.
  // (Any other value from outside the stage is received, so mapped already.)
  Operation *constant = value.getDefiningOp();
  assert(constant && isMaterializedPerStage(constant) &&
         "a value from another stage that was not received");
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(constantInsertionPoint);
  Operation *clone = builder.clone(*constant);
  for (auto [old, cloned] :
       llvm::zip(constant->getResults(), clone->getResults()))
    mapping.map(old, cloned);
  return mapping.lookup(value);
}

SmallVector<Value> PipelineBuilder::buildPlaceholders(Location loc) {
  SmallVector<Value> placeholders;
  for (Type type : main.getResultTypes()) {
    auto tensorType = cast<RankedTensorType>(type);
    SmallVector<Value> sizes(tensorType.getNumDynamicDims(),
                             arith::ConstantIndexOp::create(builder, loc, 0));
    placeholders.push_back(
        tensor::EmptyOp::create(builder, loc, tensorType, sizes));
  }
  return placeholders;
}

void PipelineBuilder::buildStage(Region &region, int64_t stage,
                                 ArrayRef<Operation *> stageOps,
                                 ArrayRef<Value> incoming,
                                 ArrayRef<Value> outgoing,
                                 ValueRange returned) {
  mapping.clear();
  sliceBegin = sliceSize = nullptr;
  Location loc = main.getLoc();
  bool isLast = stage == stages - 1;
  Block *block = builder.createBlock(&region);
  builder.setInsertionPointToStart(block);
  // Materialized constants go before this marker, ahead of the loop.
  constantInsertionPoint = arith::ConstantIndexOp::create(builder, loc, 0);
  Value zero = constantInsertionPoint->getResult(0);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);

  // The micro-batch loop, when there is one: min(M, B) slices of the batch
  // B (dimension 0 of the first input), the last stage assembling the
  // outputs in its iteration arguments.
  scf::ForOp loop;
  Value batch, count;
  if (microbatches > 1) {
    batch =
        tensor::DimOp::create(builder, loc, main.getArgument(*batchInput), 0);
    count = arith::MinUIOp::create(
        builder, loc, batch,
        arith::ConstantIndexOp::create(builder, loc, microbatches));
    SmallVector<Value> outputs;
    if (isLast) {
      for (Type type : main.getResultTypes())
        outputs.push_back(tensor::EmptyOp::create(
            builder, loc, cast<RankedTensorType>(type), ValueRange{batch}));
    }
    loop = scf::ForOp::create(builder, loc, zero, count, one, outputs);
    builder.setInsertionPointToStart(loop.getBody());
    Value index = loop.getInductionVar();
    Value next = arith::AddIOp::create(builder, loc, index, one);
    sliceBegin = arith::DivUIOp::create(
        builder, loc, arith::MulIOp::create(builder, loc, index, batch), count);
    Value end = arith::DivUIOp::create(
        builder, loc, arith::MulIOp::create(builder, loc, next, batch), count);
    sliceSize = arith::SubIOp::create(builder, loc, end, sliceBegin);
  }

  // Receive, compute, send.
  for (Value value : incoming)
    mapping.map(value,
                RecvOp::create(builder, value.getLoc(), value.getType(),
                               mesh.getSymName(), kPipelineAxis, stage - 1));
  for (Operation *op : stageOps) {
    for (Value operand : op->getOperands())
      lookup(operand);
    // Values a region (graph.if, graph.loop) uses from outside the op.
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    for (Value value : captured)
      lookup(value);
    builder.clone(*op, mapping);
  }
  for (Value value : outgoing)
    SendOp::create(builder, value.getLoc(), lookup(value), mesh.getSymName(),
                   kPipelineAxis, stage + 1);

  // The results.
  SmallVector<Value> results;
  if (isLast) {
    for (Value value : returned)
      results.push_back(lookup(value));
  }
  if (loop) {
    if (isLast) {
      SmallVector<Value> assembled;
      for (auto [result, accumulator] :
           llvm::zip(results, loop.getRegionIterArgs())) {
        auto type = cast<RankedTensorType>(result.getType());
        SmallVector<OpFoldResult> offsets(type.getRank(),
                                          builder.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes,
            strides(type.getRank(), builder.getIndexAttr(1));
        offsets[0] = sliceBegin;
        sizes.push_back(sliceSize);
        for (int64_t d = 1; d < type.getRank(); ++d)
          sizes.push_back(builder.getIndexAttr(type.getDimSize(d)));
        assembled.push_back(tensor::InsertSliceOp::create(
            builder, loc, result, accumulator, offsets, sizes, strides));
      }
      scf::YieldOp::create(builder, loc, assembled);
      results.assign(loop.getResults().begin(), loop.getResults().end());
    }
    // (A loop without iteration arguments comes with its scf.yield.)
    builder.setInsertionPointAfter(loop);
  }
  if (!isLast)
    results = buildPlaceholders(loc);
  scf::YieldOp::create(builder, loc, results);
}

void PipelineBuilder::build(ArrayRef<Operation *> ops,
                            ArrayRef<size_t> starts) {
  Block &body = main.getBody().front();
  Operation *terminator = body.getTerminator();
  Location loc = main.getLoc();
  SmallVector<Operation *> oldOps = llvm::map_to_vector(
      body.without_terminator(), [](Operation &op) { return &op; });
  SmallVector<SmallVector<Value>> crossing = getCrossingValues(ops);

  builder.setInsertionPoint(terminator);
  Value stage = AxisIndexOp::create(builder, loc, builder.getIndexType(),
                                    mesh.getSymName(), kPipelineAxis);
  SmallVector<int64_t> cases =
      llvm::to_vector(llvm::seq<int64_t>(0, stages - 1));
  auto stageSwitch = scf::IndexSwitchOp::create(
      builder, loc, TypeRange(main.getResultTypes()), stage,
      ArrayRef<int64_t>(cases), static_cast<unsigned>(cases.size()));
  // For readers of the program (`exaforge inspect`).
  stageSwitch->setAttr(kMicroBatchesAttrName,
                       builder.getI64IntegerAttr(microbatches));
  for (int64_t s = 0; s < stages; ++s) {
    size_t begin = starts[s];
    size_t end = s + 1 < stages ? starts[s + 1] : ops.size();
    Region &region = s + 1 < stages ? stageSwitch.getCaseRegions()[s]
                                    : stageSwitch.getDefaultRegion();
    OpBuilder::InsertionGuard guard(builder);
    buildStage(region, s, ops.slice(begin, end - begin),
               s > 0 ? ArrayRef<Value>(crossing[begin]) : ArrayRef<Value>(),
               s + 1 < stages ? ArrayRef<Value>(crossing[end])
                              : ArrayRef<Value>(),
               terminator->getOperands());
  }
  terminator->setOperands(stageSwitch.getResults());

  // The old body, now cloned into the stages: its values are only used
  // among its own ops.
  for (Operation *op : llvm::reverse(oldOps))
    op->erase();
}

struct DistPipelinePartitionPass
    : exaforge::dist::impl::DistPipelinePartitionBase<
          DistPipelinePartitionPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (stages < 1 || microbatches < 0) {
      module.emitError("pipeline parallelism needs at least one stage and "
                       "one micro-batch, got ")
          << stages.getValue() << " stages and " << microbatches.getValue()
          << " micro-batches";
      return signalPassFailure();
    }
    if (stages == 1)
      return;
    func::FuncOp main = graph::lookupModelFunction(module);
    if (!main) {
      module.emitError("pipeline parallelism needs a @main function");
      return signalPassFailure();
    }
    int64_t microBatchCount = microbatches;
    if (microBatchCount == 0) {
      // One per stage when the model allows it, quietly.
      ScopedDiagnosticHandler quiet(&getContext(),
                                    [](Diagnostic &) { return success(); });
      microBatchCount = succeeded(checkMicroBatching(main)) ? stages : 1;
    } else if (microBatchCount > 1 && failed(checkMicroBatching(main))) {
      return signalPassFailure();
    }

    SmallVector<Operation *> ops = getPipelinedOps(main);
    for (Operation *op : ops) {
      // graph.if and graph.loop are one op each, never cut inside.
      if (op->getNumRegions() != 0 &&
          !isa<exaforge::graph::IfOp, exaforge::graph::LoopOp>(op)) {
        op->emitOpError("has regions, which pipeline parallelism cannot cut "
                        "(is the module already cut into stages?)");
        return signalPassFailure();
      }
    }
    if (static_cast<int64_t>(ops.size()) < stages) {
      main.emitError("cannot cut @main into ")
          << stages.getValue() << " pipeline stages: it has only " << ops.size()
          << " ops to distribute";
      return signalPassFailure();
    }
    FailureOr<MeshOp> mesh = getOrDeclareMeshAxis(module, kPipelineAxis, stages);
    if (failed(mesh))
      return signalPassFailure();

    FailureOr<SmallVector<size_t>> starts = cutPipelineStages(ops, stages);
    if (failed(starts)) {
      main.emitError("cannot balance @main over the pipeline stages");
      return signalPassFailure();
    }
    PipelineBuilder(main, *mesh, stages, microBatchCount).build(ops, *starts);

    Builder builder(&getContext());
    auto producedOn = builder.getDictionaryAttr(builder.getNamedAttr(
        kPipelineAxis, builder.getI64IntegerAttr(stages - 1)));
    for (unsigned i = 0, e = main.getNumResults(); i < e; ++i)
      main.setResultAttr(i, kProducedOnAttrName, producedOn);
  }

  /// Checks what micro-batches need: a batch dimension in every input and
  /// output, and outputs whose other dimensions are static (the last stage
  /// assembles them before knowing the slices).
  LogicalResult checkMicroBatching(func::FuncOp main) {
    if (failed(checkBatchDimensions(main, "pipeline micro-batching")) ||
        failed(checkNoDataDependentSizes(main, "pipeline micro-batching")) ||
        failed(checkNoWholeBatchOps(main, "pipeline micro-batching")))
      return failure();
    if (main.getNumArguments() == 0)
      return main.emitError("pipeline micro-batching needs an input to take "
                            "the batch size from");
    for (auto [index, type] : llvm::enumerate(main.getResultTypes())) {
      auto tensor = cast<RankedTensorType>(type);
      if (tensor.getNumDynamicDims() != 1)
        return main.emitError("pipeline micro-batching needs outputs whose "
                              "only dynamic dimension is the batch, but ")
               << describeMainValue(main, /*isInput=*/false, index)
               << " has type " << type;
    }
    return success();
  }
};

} // namespace
