//===- RunParallelLoopsOnThreads.cpp - scf.parallel on runtime threads ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `run-parallel-loops-on-threads` (see Passes.td).
//
// For each outermost `scf.parallel` (without reductions) the pass
//  1. chooses how many leading loop dimensions to share out among threads
//     (all but the innermost, so that it stays a vectorizable inner loop);
//  2. outlines the loop nest into a function `@<func>_parallel_<N>(ctx,
//     begin, end)` that runs the linear iterations [begin, end) of those
//     dimensions; the values the loop uses from above travel in a struct on
//     the caller's stack that `ctx` points to (memrefs as their LLVM
//     descriptors, through `builtin.unrealized_conversion_cast`, which
//     `reconcile-unrealized-casts` removes after the LLVM conversion);
//  3. replaces the loop by a call of `xf_parallel_for(@outlined, ctx, 0,
//     iterations, cost)`, where `cost` estimates the work of one iteration
//     so that the runtime runs small loops on the calling thread.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "exaforge/abi/Contract.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace exaforge {
#define GEN_PASS_DEF_RUNPARALLELLOOPSONTHREADS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// The runtime function that shares out the iterations
/// (exaforge/abi/parallel.h).
constexpr llvm::StringLiteral kParallelForName =
    exaforge::abi::kParallelForFunction;

/// Estimated cost of one innermost loop iteration whose trip count is not
/// known at compile time, as a multiple of one iteration.
constexpr int64_t kUnknownTripCount = 16;

/// The number of iterations of `loop` (of all its dimensions), when its
/// bounds and steps are constants.
std::optional<int64_t> getStaticIterationCount(LoopLikeOpInterface loop) {
  std::optional<SmallVector<OpFoldResult>> lowers = loop.getLoopLowerBounds();
  std::optional<SmallVector<OpFoldResult>> uppers = loop.getLoopUpperBounds();
  std::optional<SmallVector<OpFoldResult>> steps = loop.getLoopSteps();
  if (!lowers || !uppers || !steps)
    return std::nullopt;
  int64_t iterations = 1;
  for (auto [lower, upper, step] : llvm::zip_equal(*lowers, *uppers, *steps)) {
    std::optional<int64_t> lowerValue = getConstantIntValue(lower);
    std::optional<int64_t> upperValue = getConstantIntValue(upper);
    std::optional<int64_t> stepValue = getConstantIntValue(step);
    if (!lowerValue || !upperValue || !stepValue || *stepValue <= 0)
      return std::nullopt;
    iterations *= llvm::divideCeil(
        std::max<int64_t>(*upperValue - *lowerValue, 0), *stepValue);
  }
  return iterations;
}

/// The number of operations `region` runs, counting each iteration of a
/// nested loop (an unknown trip count counts as kUnknownTripCount).
int64_t estimateOperationCount(Region &region) {
  int64_t count = 0;
  for (Operation &op : region.getOps()) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    int64_t nested = 0;
    for (Region &inner : op.getRegions())
      nested += estimateOperationCount(inner);
    int64_t trips = 1;
    if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
      trips = getStaticIterationCount(loop).value_or(kUnknownTripCount);
    count += 1 + trips * nested;
  }
  return count;
}

/// `ceil((upper - lower) / step)` in index arithmetic (`upper >= lower`
/// holds for every loop the linalg lowerings produce; a negative range gives
/// zero iterations).
Value buildTripCount(OpBuilder &builder, Location loc, Value lower, Value upper,
                     Value step) {
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value range = arith::SubIOp::create(builder, loc, upper, lower);
  Value positive = arith::MaxSIOp::create(builder, loc, range, zero);
  return arith::CeilDivSIOp::create(builder, loc, positive, step);
}

/// Whether a value of `type` can travel to the outlined function in the
/// context struct.
bool isCapturable(Type type) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return memref.isStrided();
  // Pointers: the execution context (`pass-exec-context`), the addresses of
  // global strings.
  return isa<IndexType, IntegerType, FloatType, VectorType,
             LLVM::LLVMPointerType>(type);
}

/// Outlines parallel loops of one module; see the file comment.
class ParallelLoopOutliner {
public:
  explicit ParallelLoopOutliner(ModuleOp module)
      : module(module), symbols(module), typeConverter(module.getContext()) {}

  /// Outlines `loop`, or leaves it when a value it uses cannot be passed
  /// (then it stays a serial loop).
  void outline(scf::ParallelOp loop);

private:
  /// Declares xf_parallel_for in the module (once).
  func::FuncOp getOrDeclareParallelFor(OpBuilder &builder);

  /// What the outlined function needs from above the loop: the values
  /// passed in the context struct, and the constants cloned into it.
  struct LoopInputs {
    SmallVector<Value> captures;
    SmallVector<Operation *> constants;
  };

  /// The inputs of `loop` (its bounds and the values its body uses from
  /// above), or failure when one cannot be passed.
  FailureOr<LoopInputs> collectInputs(scf::ParallelOp loop);

  /// Builds the outlined function running the linear iterations [begin,
  /// end) of the first `sharedDims` dimensions of `loop`.
  func::FuncOp buildOutlinedFunction(scf::ParallelOp loop,
                                     const LoopInputs &inputs,
                                     LLVM::LLVMStructType contextType,
                                     unsigned sharedDims);

  ModuleOp module;
  SymbolTable symbols;
  LLVMTypeConverter typeConverter;
};

func::FuncOp ParallelLoopOutliner::getOrDeclareParallelFor(OpBuilder &builder) {
  if (auto existing = symbols.lookup<func::FuncOp>(kParallelForName))
    return existing;
  MLIRContext *context = module.getContext();
  Type pointer = LLVM::LLVMPointerType::get(context);
  Type i64 = IntegerType::get(context, 64);
  auto bodyType = builder.getFunctionType({pointer, i64, i64}, {});
  auto type = builder.getFunctionType({bodyType, pointer, i64, i64, i64},
                                      /*results=*/{});
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  auto declaration =
      func::FuncOp::create(builder, module.getLoc(), kParallelForName, type);
  declaration.setPrivate();
  symbols.insert(declaration);
  return declaration;
}

FailureOr<ParallelLoopOutliner::LoopInputs>
ParallelLoopOutliner::collectInputs(scf::ParallelOp loop) {
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  used.insert(loop->getOperands().begin(), loop->getOperands().end());
  LoopInputs inputs;
  for (Value value : used) {
    Operation *producer = value.getDefiningOp();
    if (producer && producer->hasTrait<OpTrait::ConstantLike>()) {
      inputs.constants.push_back(producer);
      continue;
    }
    if (!isCapturable(value.getType()))
      return failure();
    inputs.captures.push_back(value);
  }
  return inputs;
}

func::FuncOp ParallelLoopOutliner::buildOutlinedFunction(
    scf::ParallelOp loop, const LoopInputs &inputs,
    LLVM::LLVMStructType contextType, unsigned sharedDims) {
  MLIRContext *context = module.getContext();
  Location loc = loop.getLoc();
  auto parent = loop->getParentOfType<func::FuncOp>();
  OpBuilder builder(context);
  builder.setInsertionPointAfter(parent);

  Type pointer = LLVM::LLVMPointerType::get(context);
  Type i64 = builder.getI64Type();
  auto function = func::FuncOp::create(
      builder, loc, (parent.getSymName() + "_parallel").str(),
      builder.getFunctionType({pointer, i64, i64}, {}));
  function.setPrivate();
  symbols.insert(function); // Renames it when the name is taken.
  Block *entry = function.addEntryBlock();
  builder.setInsertionPointToStart(entry);

  // Unpack the captures; clone the constants the loop uses.
  IRMapping mapping;
  Value packed =
      LLVM::LoadOp::create(builder, loc, contextType, entry->getArgument(0));
  for (auto [index, capture] : llvm::enumerate(inputs.captures)) {
    Value field = LLVM::ExtractValueOp::create(builder, loc, packed, index);
    if (field.getType() != capture.getType())
      field = UnrealizedConversionCastOp::create(builder, loc,
                                                 capture.getType(), field)
                  .getResult(0);
    mapping.map(capture, field);
  }
  for (Operation *constant : inputs.constants)
    builder.clone(*constant, mapping);

  // for %linear = begin to end: delinearize into the shared dimensions'
  // induction variables, then run the remaining dimensions (if any) as a
  // parallel loop and the body.
  Value begin = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                           entry->getArgument(1));
  Value end = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                         entry->getArgument(2));
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  SmallVector<Value> lowers, uppers, steps;
  for (unsigned dim = 0; dim < loop.getNumLoops(); ++dim) {
    lowers.push_back(mapping.lookup(loop.getLowerBound()[dim]));
    uppers.push_back(mapping.lookup(loop.getUpperBound()[dim]));
    steps.push_back(mapping.lookup(loop.getStep()[dim]));
  }
  // The trip counts that delinearization divides by (not the first one).
  SmallVector<Value> tripCounts(sharedDims);
  for (unsigned dim = 1; dim < sharedDims; ++dim)
    tripCounts[dim] =
        buildTripCount(builder, loc, lowers[dim], uppers[dim], steps[dim]);
  auto linearLoop = scf::ForOp::create(builder, loc, begin, end, one);
  builder.setInsertionPointToStart(linearLoop.getBody());

  SmallVector<Value> inductionVars(loop.getNumLoops());
  Value remaining = linearLoop.getInductionVar();
  for (int dim = sharedDims - 1; dim >= 0; --dim) {
    Value position = remaining;
    if (dim > 0) {
      position =
          arith::RemUIOp::create(builder, loc, remaining, tripCounts[dim]);
      remaining =
          arith::DivUIOp::create(builder, loc, remaining, tripCounts[dim]);
    }
    Value offset = arith::MulIOp::create(builder, loc, position, steps[dim]);
    inductionVars[dim] =
        arith::AddIOp::create(builder, loc, lowers[dim], offset);
  }
  if (sharedDims < loop.getNumLoops()) {
    auto innerLoop = scf::ParallelOp::create(
        builder, loc, ArrayRef(lowers).drop_front(sharedDims),
        ArrayRef(uppers).drop_front(sharedDims),
        ArrayRef(steps).drop_front(sharedDims));
    for (auto [dim, var] : llvm::enumerate(innerLoop.getInductionVars()))
      inductionVars[sharedDims + dim] = var;
    builder.setInsertionPoint(innerLoop.getBody()->getTerminator());
  }
  for (auto [original, replacement] :
       llvm::zip_equal(loop.getInductionVars(), inductionVars))
    mapping.map(original, replacement);
  for (Operation &op : loop.getBody()->without_terminator())
    builder.clone(op, mapping);

  builder.setInsertionPointToEnd(entry);
  func::ReturnOp::create(builder, loc);
  return function;
}

void ParallelLoopOutliner::outline(scf::ParallelOp loop) {
  FailureOr<LoopInputs> inputs = collectInputs(loop);
  if (failed(inputs))
    return;
  MLIRContext *context = module.getContext();
  Location loc = loop.getLoc();
  SmallVector<Type> fieldTypes;
  for (Value capture : inputs->captures)
    fieldTypes.push_back(typeConverter.convertType(capture.getType()));
  if (llvm::any_of(fieldTypes, [](Type type) { return !type; }))
    return;
  auto contextType = LLVM::LLVMStructType::getLiteral(context, fieldTypes);

  // Share out every dimension but the innermost (all of a 1-D loop).
  unsigned sharedDims = std::max<unsigned>(1, loop.getNumLoops() - 1);
  func::FuncOp outlined =
      buildOutlinedFunction(loop, *inputs, contextType, sharedDims);

  // In the caller: the context struct on the stack (allocated once, in the
  // entry block), the iteration count and cost, and the call.
  OpBuilder builder(loop);
  auto parent = loop->getParentOfType<func::FuncOp>();
  Type pointer = LLVM::LLVMPointerType::get(context);
  Type i64 = builder.getI64Type();
  Value contextPointer;
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(&parent.front());
    Value count = LLVM::ConstantOp::create(builder, loc, i64, 1);
    contextPointer =
        LLVM::AllocaOp::create(builder, loc, pointer, contextType, count);
  }
  Value packed = LLVM::UndefOp::create(builder, loc, contextType);
  for (auto [index, capture] : llvm::enumerate(inputs->captures)) {
    Value field = capture;
    if (fieldTypes[index] != capture.getType())
      field = UnrealizedConversionCastOp::create(builder, loc,
                                                 fieldTypes[index], capture)
                  .getResult(0);
    packed = LLVM::InsertValueOp::create(builder, loc, packed, field, index);
  }
  LLVM::StoreOp::create(builder, loc, packed, contextPointer);

  Value iterations = arith::ConstantIndexOp::create(builder, loc, 1);
  Value innerIterations = iterations;
  for (unsigned dim = 0; dim < loop.getNumLoops(); ++dim) {
    Value trips =
        buildTripCount(builder, loc, loop.getLowerBound()[dim],
                       loop.getUpperBound()[dim], loop.getStep()[dim]);
    Value &product = dim < sharedDims ? iterations : innerIterations;
    product = arith::MulIOp::create(builder, loc, product, trips);
  }
  Value bodyCost = arith::ConstantIndexOp::create(
      builder, loc, estimateOperationCount(loop.getRegion()));
  Value cost = arith::MulIOp::create(builder, loc, innerIterations, bodyCost);
  auto toI64 = [&](Value index) -> Value {
    return arith::IndexCastOp::create(builder, loc, i64, index);
  };
  func::FuncOp parallelFor = getOrDeclareParallelFor(builder);
  Value body = func::ConstantOp::create(
      builder, loc, outlined.getFunctionType(), outlined.getSymName());
  Value zero = LLVM::ConstantOp::create(builder, loc, i64, 0);
  func::CallOp::create(
      builder, loc, parallelFor,
      ValueRange{body, contextPointer, zero, toI64(iterations), toI64(cost)});
  loop.erase();
}

struct RunParallelLoopsOnThreadsPass
    : exaforge::impl::RunParallelLoopsOnThreadsBase<
          RunParallelLoopsOnThreadsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) {
      if (loop.getNumReductions() == 0 &&
          !loop->getParentOfType<scf::ParallelOp>() &&
          loop->getParentOfType<func::FuncOp>())
        loops.push_back(loop);
    });
    ParallelLoopOutliner outliner(module);
    for (scf::ParallelOp loop : loops)
      outliner.outline(loop);
  }
};

} // namespace
