//===- OpImportersControlFlow.cpp - If, Loop and Scan --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX ops that hold subgraphs. If becomes `graph.if` with
// one region per branch; Loop becomes `graph.loop`; Scan becomes a
// `graph.loop` too, whose trip count is the scanned dimension and whose body
// first takes each scanned input's slice of the iteration (opset 8's Scan,
// with a batch dimension, is a loop over the batch around that loop). The
// subgraphs are imported by the GraphImporter (SubgraphImporter), which
// keeps the outer names visible inside. See docs/design/control-flow.md.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphControlFlowOps.h"
#include "dialects/Graph/GraphOps.h"

#include <memory>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::graph;
using namespace exaforge::onnx_import;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The GRAPH attribute `name` of the node, or an error naming it.
FailureOr<const onnx::GraphProto *> getRequiredGraph(NodeContext &ctx,
                                                     StringRef name) {
  if (const onnx::GraphProto *graph = ctx.getGraph(name))
    return graph;
  return ctx.emitError() << "missing subgraph attribute '" << name << "'";
}

/// Dimension `axis` of `value` as a `tensor<1xi64>`: a constant when it is
/// static (so a loop over it has a static trip count), else a `graph.shape`.
FailureOr<Value> getDimension(NodeContext &ctx, Value value, int64_t axis) {
  int64_t dim = cast<RankedTensorType>(value.getType()).getDimSize(axis);
  if (!ShapedType::isDynamic(dim))
    return ctx.createI64Constant({dim});
  OpBuilder &b = ctx.getBuilder();
  FailureOr<ShapeOp> shape = ctx.create<ShapeOp>(
      value, b.getI64IntegerAttr(axis), b.getI64IntegerAttr(axis + 1));
  if (failed(shape))
    return failure();
  return shape->getResult();
}

/// Fills the body of a loop, whose block arguments exist, and returns what it
/// yields: the next condition, the carried values and the scan elements.
using LoopBodyBuilder = function_ref<FailureOr<SmallVector<Value>>(Block &)>;

/// Creates a `graph.loop` with the operands `maxTripCount`, `condition` and
/// `initialValues`, whose body `buildBody` fills. The carried values' types
/// are the join of the initial and the yielded types: when the body yields
/// a less static type than its arguments had, the body is built again with
/// the joined types, until they agree. Scan outputs are stacked along a new
/// leading dimension, static when the trip count is a constant and there is
/// no condition.
FailureOr<LoopOp> createLoop(NodeContext &ctx, Value maxTripCount,
                             Value condition, ValueRange initialValues,
                             LoopBodyBuilder buildBody) {
  OpBuilder &b = ctx.getBuilder();
  Location loc = ctx.getLoc();
  SmallVector<Type> carriedTypes(initialValues.getTypes());
  auto i64Scalar = RankedTensorType::get({}, b.getI64Type());
  auto i1Scalar = RankedTensorType::get({}, b.getI1Type());

  // Each round makes at least one more dimension dynamic, so this ends.
  for (;;) {
    auto region = std::make_unique<Region>();
    Block *block = new Block();
    region->push_back(block);
    block->addArgument(i64Scalar, loc);
    block->addArgument(i1Scalar, loc);
    for (Type type : carriedTypes)
      block->addArgument(type, loc);

    FailureOr<SmallVector<Value>> yielded;
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(block);
      yielded = buildBody(*block);
      if (failed(yielded))
        return failure();
      if (yielded->size() < 1 + carriedTypes.size())
        return ctx.emitError()
               << "body yields " << yielded->size() << " values, expected at "
               << "least " << 1 + carriedTypes.size()
               << " (condition and loop-carried values)";
      YieldOp::create(b, loc, *yielded);
    }

    bool stable = true;
    SmallVector<Type> joined;
    for (auto [i, type] : llvm::enumerate(carriedTypes)) {
      Type next = (*yielded)[1 + i].getType();
      RankedTensorType join = joinTensorTypes(cast<RankedTensorType>(type),
                                              dyn_cast<RankedTensorType>(next));
      if (!join)
        return ctx.emitError()
               << "loop-carried value #" << i << " starts as " << type
               << " but the body yields " << next
               << " (another element type or rank)";
      stable &= join == type;
      joined.push_back(join);
    }
    if (!stable) {
      carriedTypes = joined;
      continue;
    }

    int64_t tripCount = ShapedType::kDynamic;
    if (!condition)
      if (std::optional<SmallVector<int64_t>> values =
              getConstantIntValues(maxTripCount))
        if (values->size() == 1 && (*values)[0] >= 0)
          tripCount = (*values)[0];
    SmallVector<Type> resultTypes(carriedTypes);
    for (Value element :
         ArrayRef<Value>(*yielded).drop_front(1 + carriedTypes.size())) {
      auto type = dyn_cast<RankedTensorType>(element.getType());
      if (!type)
        return ctx.emitError() << "scan outputs of type " << element.getType()
                               << " are not supported";
      SmallVector<int64_t> shape{tripCount};
      llvm::append_range(shape, type.getShape());
      resultTypes.push_back(type.clone(shape));
    }
    auto loop = LoopOp::create(b, loc, resultTypes, maxTripCount, condition,
                               initialValues);
    loop.getBody().takeBody(*region);
    return loop;
  }
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

/// If (opset 1-21): `graph.if`, whose results join the branches' types.
LogicalResult importIf(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"then_branch", kGraph}, {"else_branch", kGraph}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<const onnx::GraphProto *> thenGraph =
      getRequiredGraph(ctx, "then_branch");
  FailureOr<const onnx::GraphProto *> elseGraph =
      getRequiredGraph(ctx, "else_branch");
  if (failed(thenGraph) || failed(elseGraph))
    return failure();
  if ((*thenGraph)->output_size() != (*elseGraph)->output_size() ||
      (*thenGraph)->output_size() != static_cast<int>(ctx.getNumOutputs()))
    return ctx.emitError() << "the branches have "
                           << (*thenGraph)->output_size() << " and "
                           << (*elseGraph)->output_size()
                           << " outputs and the node "
                           << ctx.getNumOutputs() << "; they must agree";

  OpBuilder &b = ctx.getBuilder();
  auto importBranch =
      [&](const onnx::GraphProto &graph, StringRef name,
          Region &region) -> FailureOr<SmallVector<Value>> {
    Block *block = new Block();
    region.push_back(block);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(block);
    FailureOr<SmallVector<Value>> outputs =
        ctx.importSubgraph(graph, name, {});
    if (failed(outputs))
      return failure();
    YieldOp::create(b, ctx.getLoc(), *outputs);
    return outputs;
  };
  auto thenRegion = std::make_unique<Region>();
  auto elseRegion = std::make_unique<Region>();
  FailureOr<SmallVector<Value>> thenValues =
      importBranch(**thenGraph, "then_branch", *thenRegion);
  if (failed(thenValues))
    return failure();
  FailureOr<SmallVector<Value>> elseValues =
      importBranch(**elseGraph, "else_branch", *elseRegion);
  if (failed(elseValues))
    return failure();

  SmallVector<Type> resultTypes;
  for (auto [i, values] :
       llvm::enumerate(llvm::zip_equal(*thenValues, *elseValues))) {
    auto [thenValue, elseValue] = values;
    if (graph::isSequenceOrOptional(thenValue.getType()) ||
        graph::isSequenceOrOptional(elseValue.getType()))
      return ctx.emitError() << "the branches yield output #" << i
                             << " as a sequence or optional; If yields "
                                "tensors only";
    RankedTensorType type =
        joinTensorTypes(dyn_cast<RankedTensorType>(thenValue.getType()),
                        dyn_cast<RankedTensorType>(elseValue.getType()));
    if (!type)
      return ctx.emitError()
             << "the branches yield output #" << i << " as "
             << thenValue.getType() << " and " << elseValue.getType()
             << "; branches of another element type or rank are not "
                "supported";
    resultTypes.push_back(type);
  }
  auto ifOp = IfOp::create(b, ctx.getLoc(), resultTypes, ctx.getInput(0));
  ifOp.getThenBranch().takeBody(*thenRegion);
  ifOp.getElseBranch().takeBody(*elseRegion);
  ctx.setResults(ifOp.getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

/// Loop (opset 1-21): `graph.loop` with the body imported as its region.
LogicalResult importLoop(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"body", kGraph}})))
    return failure();
  if (ctx.getNumInputs() < 2)
    return ctx.emitError() << "expected at least 2 inputs (M and cond), got "
                           << ctx.getNumInputs();
  Value maxTripCount = ctx.getInput(0);
  Value condition = ctx.getInput(1);
  if (!maxTripCount && !condition)
    return ctx.emitError()
           << "a loop without 'M' and 'cond' never ends; not supported";
  SmallVector<Value> initialValues;
  for (unsigned i = 2, e = ctx.getNumInputs(); i < e; ++i) {
    if (!ctx.getInput(i))
      return ctx.emitError() << "loop-carried input #" << i << " is empty";
    initialValues.push_back(ctx.getInput(i));
  }
  FailureOr<const onnx::GraphProto *> body = getRequiredGraph(ctx, "body");
  if (failed(body))
    return failure();
  int64_t numCarried = initialValues.size();
  int64_t numScanOutputs = (*body)->output_size() - 1 - numCarried;
  if (numScanOutputs < 0)
    return ctx.emitError() << "the body has " << (*body)->output_size()
                           << " outputs, fewer than the condition and the "
                           << numCarried << " loop-carried values";
  if (static_cast<int64_t>(ctx.getNumOutputs()) > numCarried + numScanOutputs)
    return ctx.emitError() << "the node has " << ctx.getNumOutputs()
                           << " outputs, more than the body's "
                           << numCarried + numScanOutputs;

  FailureOr<LoopOp> loop =
      createLoop(ctx, maxTripCount, condition, initialValues,
                 [&](Block &block) {
                   return ctx.importSubgraph(**body, "body",
                                             block.getArguments());
                 });
  if (failed(loop))
    return failure();
  ctx.setResults(loop->getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

/// The scan directions of attribute `name` (all 0 when absent): only the
/// forward direction (0) is supported.
LogicalResult checkForwardDirections(NodeContext &ctx, StringRef name) {
  std::optional<SmallVector<int64_t>> directions = ctx.getInts(name);
  if (directions && llvm::any_of(*directions, [](int64_t d) { return d; }))
    return ctx.emitError() << "'" << name
                           << "' with a reverse direction is not supported";
  return success();
}

/// The axes of attribute `name` for `values` (0 each when absent), as
/// non-negative axes of the values.
FailureOr<SmallVector<int64_t>> getScanAxes(NodeContext &ctx, StringRef name,
                                            ArrayRef<int64_t> ranks) {
  std::optional<SmallVector<int64_t>> axes = ctx.getInts(name);
  SmallVector<int64_t> result;
  if (!axes) {
    result.assign(ranks.size(), 0);
    return result;
  }
  if (axes->size() != ranks.size())
    return ctx.emitError() << "'" << name << "' has " << axes->size()
                           << " entries, expected " << ranks.size();
  for (auto [axis, rank] : llvm::zip_equal(*axes, ranks)) {
    FailureOr<int64_t> normalized =
        normalizeAxis(ctx.getLoc(), axis, rank, name);
    if (failed(normalized))
      return failure();
    result.push_back(*normalized);
  }
  return result;
}

/// Builds the loop of a Scan at the builder's insertion point: the body
/// `body` runs once per slice of `scanInputs` along `inputAxes` (the trip
/// count is the first scanned input's dimension), with `states` carried.
/// Returns the final states, then the scan outputs stacked along
/// `outputAxes` (one per body output after the states; empty means all 0).
FailureOr<SmallVector<Value>>
buildScanLoop(NodeContext &ctx, const onnx::GraphProto &body, ValueRange states,
              ValueRange scanInputs, ArrayRef<int64_t> inputAxes,
              ArrayRef<int64_t> outputAxes) {
  OpBuilder &b = ctx.getBuilder();
  if (scanInputs.empty())
    return ctx.emitError() << "expected at least one scanned input";
  if (body.input_size() != static_cast<int>(states.size() + scanInputs.size()))
    return ctx.emitError() << "the body has " << body.input_size()
                           << " inputs, expected " << states.size()
                           << " states and " << scanInputs.size()
                           << " scanned inputs";
  FailureOr<Value> tripCount = getDimension(ctx, scanInputs[0], inputAxes[0]);
  if (failed(tripCount))
    return failure();

  FailureOr<LoopOp> loop = createLoop(
      ctx, *tripCount, Value(), states,
      [&](Block &block) -> FailureOr<SmallVector<Value>> {
        SmallVector<Value> inputs(block.getArguments().drop_front(2));
        for (auto [input, axis] : llvm::zip_equal(scanInputs, inputAxes)) {
          FailureOr<GatherOp> slice = ctx.create<GatherOp>(
              input, block.getArgument(0), b.getI64IntegerAttr(axis));
          if (failed(slice))
            return failure();
          inputs.push_back(*slice);
        }
        FailureOr<SmallVector<Value>> outputs =
            ctx.importSubgraph(body, "body", inputs);
        if (failed(outputs))
          return failure();
        SmallVector<Value> yielded{block.getArgument(1)};
        llvm::append_range(yielded, *outputs);
        return yielded;
      });
  if (failed(loop))
    return failure();

  SmallVector<Value> results(loop->getResults());
  unsigned numScanOutputs = loop->getNumScanOutputs();
  if (!outputAxes.empty() && outputAxes.size() != numScanOutputs)
    return ctx.emitError() << "'scan_output_axes' has " << outputAxes.size()
                           << " entries, expected " << numScanOutputs;
  for (unsigned k = 0; k < numScanOutputs && !outputAxes.empty(); ++k) {
    Value &output = results[states.size() + k];
    int64_t rank = cast<RankedTensorType>(output.getType()).getRank();
    FailureOr<int64_t> axis =
        normalizeAxis(ctx.getLoc(), outputAxes[k], rank, "scan_output_axes");
    if (failed(axis))
      return failure();
    if (*axis == 0)
      continue;
    // The stacked dimension moves from the front to `axis`.
    SmallVector<int64_t> perm;
    for (int64_t i = 0; i < rank; ++i)
      perm.push_back(i < *axis ? i + 1 : (i == *axis ? 0 : i));
    FailureOr<TransposeOp> transposed =
        ctx.create<TransposeOp>(output, b.getDenseI64ArrayAttr(perm));
    if (failed(transposed))
      return failure();
    output = *transposed;
  }
  return results;
}

/// The ranks of `values`.
SmallVector<int64_t> getRanks(ValueRange values) {
  return llvm::map_to_vector(values, [](Value v) {
    return cast<RankedTensorType>(v.getType()).getRank();
  });
}

/// Scan (opset 9-21): a loop over slices of the scanned inputs.
LogicalResult importScan(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"body", kGraph},
                                  {"num_scan_inputs", kInt},
                                  {"scan_input_axes", kInts},
                                  {"scan_input_directions", kInts},
                                  {"scan_output_axes", kInts},
                                  {"scan_output_directions", kInts}})) ||
      failed(checkForwardDirections(ctx, "scan_input_directions")) ||
      failed(checkForwardDirections(ctx, "scan_output_directions")))
    return failure();
  std::optional<int64_t> numScanInputs = ctx.getOptionalInt("num_scan_inputs");
  if (!numScanInputs || *numScanInputs < 1 ||
      *numScanInputs > ctx.getNumInputs())
    return ctx.emitError() << "'num_scan_inputs' must be between 1 and the "
                           << ctx.getNumInputs() << " inputs";
  if (failed(ctx.checkInputs(ctx.getNumInputs(), ctx.getNumInputs())))
    return failure();
  FailureOr<const onnx::GraphProto *> body = getRequiredGraph(ctx, "body");
  if (failed(body))
    return failure();
  unsigned numStates = ctx.getNumInputs() - *numScanInputs;
  SmallVector<Value> states, scanInputs;
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i)
    (i < numStates ? states : scanInputs).push_back(ctx.getInput(i));
  FailureOr<SmallVector<int64_t>> inputAxes =
      getScanAxes(ctx, "scan_input_axes", getRanks(scanInputs));
  if (failed(inputAxes))
    return failure();
  SmallVector<int64_t> outputAxes =
      ctx.getInts("scan_output_axes").value_or(SmallVector<int64_t>{});
  FailureOr<SmallVector<Value>> results =
      buildScanLoop(ctx, **body, states, scanInputs, *inputAxes, outputAxes);
  if (failed(results))
    return failure();
  ctx.setResults(*results);
  return success();
}

/// Scan (opset 8): every input has a leading batch dimension and is scanned
/// along dimension 1; the scan of each batch entry is independent. Built as
/// a loop over the batch whose body is the scan loop of one entry; its scan
/// outputs (the entries' final states and scan outputs) stack back into the
/// batch.
LogicalResult importScan8(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"body", kGraph},
                                  {"num_scan_inputs", kInt},
                                  {"directions", kInts}})) ||
      failed(checkForwardDirections(ctx, "directions")))
    return failure();
  if (ctx.getNumInputs() < 2)
    return ctx.emitError() << "expected at least 2 inputs, got "
                           << ctx.getNumInputs();
  if (ctx.getInput(0))
    return ctx.emitError() << "input 'sequence_lens' is not supported";
  std::optional<int64_t> numScanInputs = ctx.getOptionalInt("num_scan_inputs");
  if (!numScanInputs || *numScanInputs < 1 ||
      *numScanInputs > ctx.getNumInputs() - 1)
    return ctx.emitError() << "'num_scan_inputs' must be between 1 and the "
                           << ctx.getNumInputs() - 1 << " inputs";
  FailureOr<const onnx::GraphProto *> body = getRequiredGraph(ctx, "body");
  if (failed(body))
    return failure();
  SmallVector<Value> batched;
  for (unsigned i = 1, e = ctx.getNumInputs(); i < e; ++i) {
    if (!ctx.getInput(i))
      return ctx.emitError() << "input #" << i << " is empty";
    if (cast<RankedTensorType>(ctx.getInput(i).getType()).getRank() < 1)
      return ctx.emitError() << "input #" << i << " has no batch dimension";
    batched.push_back(ctx.getInput(i));
  }
  unsigned numStates = batched.size() - *numScanInputs;

  OpBuilder &b = ctx.getBuilder();
  FailureOr<Value> batch = getDimension(ctx, batched[0], 0);
  if (failed(batch))
    return failure();
  FailureOr<LoopOp> loop = createLoop(
      ctx, *batch, Value(), ValueRange(),
      [&](Block &block) -> FailureOr<SmallVector<Value>> {
        SmallVector<Value> entries;
        for (Value input : batched) {
          FailureOr<GatherOp> entry = ctx.create<GatherOp>(
              input, block.getArgument(0), b.getI64IntegerAttr(0));
          if (failed(entry))
            return failure();
          entries.push_back(*entry);
        }
        ValueRange entryValues(entries);
        SmallVector<int64_t> timeAxes(*numScanInputs, 0);
        FailureOr<SmallVector<Value>> results = buildScanLoop(
            ctx, **body, entryValues.take_front(numStates),
            entryValues.drop_front(numStates), timeAxes, {});
        if (failed(results))
          return failure();
        SmallVector<Value> yielded{block.getArgument(1)};
        llvm::append_range(yielded, *results);
        return yielded;
      });
  if (failed(loop))
    return failure();
  ctx.setResults(loop->getResults());
  return success();
}

} // namespace

void onnx_import::registerOpImportersControlFlow(OpImporterRegistry &registry) {
  registry.add("If", 1, importIf);
  registry.add("Loop", 1, importLoop);
  registry.add("Scan", 8, importScan8);
  registry.add("Scan", 9, importScan);
}
