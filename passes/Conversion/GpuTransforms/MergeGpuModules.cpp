//===- MergeGpuModules.cpp - One gpu.module for all kernels ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `merge-gpu-modules` (see Passes.td): the kernels that
// `gpu-kernel-outlining` put into one gpu.module each move into a single
// `@xf_kernels`, renamed after their former module, and the launches name
// them there.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace exaforge {
#define GEN_PASS_DEF_MERGEGPUMODULES
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// The name of the merged module.
constexpr llvm::StringLiteral kMergedModuleName = "xf_kernels";

struct MergeGpuModules
    : exaforge::impl::MergeGpuModulesBase<MergeGpuModules> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> sources(module.getOps<gpu::GPUModuleOp>());
    if (sources.empty())
      return;
    if (module.lookupSymbol(kMergedModuleName)) {
      module.emitError("the module already has a symbol @")
          << kMergedModuleName;
      return signalPassFailure();
    }
    OpBuilder builder(sources.front());
    auto merged = gpu::GPUModuleOp::create(builder, sources.front().getLoc(),
                                           kMergedModuleName,
                                           sources.front().getTargetsAttr());
    Block &body = merged.getBodyRegion().front();

    // The new name of each kernel, keyed by its old reference.
    llvm::DenseMap<SymbolRefAttr, SymbolRefAttr> renamed;
    auto mergedName = StringAttr::get(&getContext(), kMergedModuleName);
    for (gpu::GPUModuleOp source : sources) {
      // Each kernel is named after its module (unique in the parent); a
      // module with several functions keeps the others' names suffixed.
      unsigned index = 0;
      for (Operation &op :
           llvm::make_early_inc_range(source.getBodyRegion().front())) {
        auto symbol = dyn_cast<SymbolOpInterface>(&op);
        if (!symbol) {
          source.emitError("holds an op that is no symbol: ") << op.getName();
          return signalPassFailure();
        }
        std::string name = source.getName().str();
        if (index++ > 0)
          name += "_" + std::to_string(index - 1);
        if (failed(SymbolTable::replaceAllSymbolUses(
                symbol, StringAttr::get(&getContext(), name), source))) {
          source.emitError("cannot rename @") << symbol.getName();
          return signalPassFailure();
        }
        auto oldRef = SymbolRefAttr::get(
            source.getNameAttr(), {FlatSymbolRefAttr::get(symbol.getNameAttr())});
        symbol.setName(name);
        renamed[oldRef] =
            SymbolRefAttr::get(mergedName, {FlatSymbolRefAttr::get(
                                               &getContext(), name)});
        op.moveBefore(&body, body.end());
      }
    }
    for (gpu::GPUModuleOp source : sources)
      source.erase();

    WalkResult result = module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(launch.getKernel());
      if (it == renamed.end()) {
        launch.emitOpError("launches a kernel of no outlined module");
        return WalkResult::interrupt();
      }
      launch.setKernelAttr(it->second);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
