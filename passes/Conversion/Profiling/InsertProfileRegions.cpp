//===- InsertProfileRegions.cpp - Profile regions of compiled code --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `insert-profile-regions` (see Passes.td): each library kernel
// call and each outermost loop nest that calls no function is enclosed in
// calls of the runtime's xf_profile_begin / xf_profile_end with the number
// of its region, one region per ONNX node and kind, listed in the module
// attribute `artifact.profile_regions`.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "dialects/Graph/NodeLocation.h"
#include "exaforge/abi/Contract.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

#include <map>

namespace exaforge {
#define GEN_PASS_DEF_INSERTPROFILEREGIONS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// The name of a region whose ops carry no ONNX node name (code the
/// compiler added, as the copies of bufferization).
constexpr llvm::StringLiteral kUnnamedRegion = "(compiler)";

/// Numbers the regions of one module and encloses them in profile calls.
class RegionInserter {
public:
  explicit RegionInserter(ModuleOp module) : module(module), symbols(module) {}

  /// Encloses the regions among the ops of `block` (and, inside ops that
  /// are not regions themselves, of their blocks).
  void visitBlock(Block &block);

  /// The regions numbered so far, as the module attribute lists them.
  ArrayAttr getRegionsAttr();

private:
  /// Encloses `op` in begin and end calls of the region of its node and
  /// `kind`.
  void enclose(Operation *op, StringRef kind);
  /// Declares `name(i64)` (once).
  func::FuncOp getOrDeclare(StringRef name);

  ModuleOp module;
  SymbolTable symbols;
  /// (node name, kind) -> region number.
  std::map<std::pair<std::string, std::string>, int64_t> numbers;
  SmallVector<std::pair<std::string, std::string>> regions;
};

/// Whether `op` calls a library kernel.
bool isKernelCall(Operation *op) {
  auto call = dyn_cast<func::CallOp>(op);
  return call &&
         call.getCallee().starts_with(exaforge::abi::kKernelFunctionPrefix);
}

/// Whether `op` is a loop of compiled code.
bool isLoop(Operation *op) {
  return isa<scf::ForOp, scf::ParallelOp, scf::WhileOp>(op);
}

/// Whether `op` contains a call of a function.
bool containsCall(Operation *op) {
  return op->walk([](CallOpInterface) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

func::FuncOp RegionInserter::getOrDeclare(StringRef name) {
  if (auto existing = symbols.lookup<func::FuncOp>(name))
    return existing;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto type = builder.getFunctionType({builder.getI64Type()}, {});
  auto declaration = func::FuncOp::create(builder, module.getLoc(), name, type);
  declaration.setPrivate();
  symbols.insert(declaration);
  return declaration;
}

void RegionInserter::enclose(Operation *op, StringRef kind) {
  std::string name = exaforge::graph::getOnnxNodeName(op->getLoc()).str();
  if (name.empty())
    name = kUnnamedRegion.str();
  auto key = std::make_pair(name, kind.str());
  auto [it, inserted] =
      numbers.try_emplace(key, static_cast<int64_t>(regions.size()));
  if (inserted)
    regions.push_back(key);

  Location loc = op->getLoc();
  OpBuilder builder(op);
  Value number = arith::ConstantIntOp::create(builder, loc, it->second, 64);
  func::CallOp::create(builder, loc,
                       getOrDeclare(exaforge::abi::kProfileBeginFunction),
                       ValueRange{number});
  builder.setInsertionPointAfter(op);
  func::CallOp::create(builder, loc,
                       getOrDeclare(exaforge::abi::kProfileEndFunction),
                       ValueRange{number});
}

void RegionInserter::visitBlock(Block &block) {
  for (Operation &op : llvm::make_early_inc_range(block)) {
    if (isKernelCall(&op)) {
      enclose(&op, exaforge::abi::kRegionKindKernel);
      continue;
    }
    if (isLoop(&op) && !containsCall(&op)) {
      enclose(&op, exaforge::abi::kRegionKindLoop);
      continue;
    }
    for (Region &region : op.getRegions())
      for (Block &inner : region)
        visitBlock(inner);
  }
}

ArrayAttr RegionInserter::getRegionsAttr() {
  Builder builder(module.getContext());
  SmallVector<Attribute> entries;
  for (const auto &[name, kind] : regions)
    entries.push_back(builder.getDictionaryAttr(
        {builder.getNamedAttr(exaforge::abi::kKeyKind,
                              builder.getStringAttr(kind)),
         builder.getNamedAttr(exaforge::abi::kKeyName,
                              builder.getStringAttr(name))}));
  return builder.getArrayAttr(entries);
}

struct InsertProfileRegionsPass
    : exaforge::impl::InsertProfileRegionsBase<InsertProfileRegionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    RegionInserter inserter(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions)
      for (Block &block : function.getBody())
        inserter.visitBlock(block);
    module->setAttr(exaforge::kProfileRegionsAttrName,
                    inserter.getRegionsAttr());
  }
};

} // namespace
