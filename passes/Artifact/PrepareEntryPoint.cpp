//===- PrepareEntryPoint.cpp - @main as the library's entry point ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `artifact-prepare-entry-point` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Artifact/Passes.h"

#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"
#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace exaforge::artifact {
#define GEN_PASS_DEF_ARTIFACTPREPAREENTRYPOINT
#include "passes/Artifact/Passes.h.inc"
} // namespace exaforge::artifact

using namespace mlir;
using namespace exaforge;

namespace {

/// Whether `name` is an annotation the LLVM translation does not know and
/// the code of one rank does not need.
bool isModelAnnotation(StringAttr name) {
  return name.getValue().starts_with("graph.") ||
         name == dist::kShardingAttrName || name == dist::kProducedOnAttrName;
}

/// `attrs` without the model annotations.
SmallVector<NamedAttribute> withoutModelAnnotations(DictionaryAttr attrs) {
  SmallVector<NamedAttribute> kept;
  if (attrs)
    for (NamedAttribute attr : attrs)
      if (!isModelAnnotation(attr.getName()))
        kept.push_back(attr);
  return kept;
}

struct ArtifactPrepareEntryPointPass
    : exaforge::artifact::impl::ArtifactPrepareEntryPointBase<
          ArtifactPrepareEntryPointPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp entry = graph::lookupModelFunction(module);
    if (!entry) {
      module.emitError("the module has no @")
          << graph::kModelFunctionName << " function";
      return signalPassFailure();
    }
    Builder builder(&getContext());
    // Inputs and weights belong to the caller (weights are mapped
    // read-only): bufferization copies instead of writing into them.
    NamedAttribute notWritable = builder.getNamedAttr(
        "bufferization.writable", builder.getBoolAttr(false));
    for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
      NamedAttrList attrs(withoutModelAnnotations(entry.getArgAttrDict(i)));
      attrs.set(notWritable.getName(), notWritable.getValue());
      entry.setArgAttrs(i, attrs.getAttrs());
    }
    if (failed(addWeightArguments(entry, notWritable)))
      return signalPassFailure();
    for (unsigned i = 0, e = entry.getNumResults(); i < e; ++i)
      entry.setResultAttrs(i,
                           withoutModelAnnotations(entry.getResultAttrDict(i)));
    for (dist::MeshOp mesh : llvm::to_vector(module.getOps<dist::MeshOp>()))
      mesh.erase();
    for (NamedAttribute attr : llvm::to_vector(module->getAttrs()))
      if (isModelAnnotation(attr.getName()))
        module->removeAttr(attr.getName());
    entry.setSymName(artifact::kCompiledModelFunctionName);
    entry->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
  }

  /// Appends an argument to `entry` for each `graph.weight` of the module,
  /// in their order, marked constant and `notWritable`; the weight's reads
  /// become uses of the argument, and the weight goes.
  LogicalResult addWeightArguments(func::FuncOp entry,
                                   NamedAttribute notWritable) {
    ModuleOp module = getOperation();
    Builder builder(&getContext());
    DictionaryAttr attrs = builder.getDictionaryAttr(
        {builder.getNamedAttr(kConstantBufferAttrName, builder.getUnitAttr()),
         notWritable});
    llvm::StringMap<BlockArgument> arguments;
    for (auto weight : llvm::to_vector(module.getOps<graph::WeightOp>())) {
      unsigned index = entry.getNumArguments();
      if (failed(entry.insertArgument(index, weight.getType(), attrs,
                                      weight.getLoc())))
        return failure();
      arguments[weight.getSymName()] = entry.getArgument(index);
      weight.erase();
    }
    WalkResult walk = module.walk([&](graph::WeightRefOp read) {
      if (read->getParentOfType<func::FuncOp>() != entry) {
        read.emitOpError("reads a weight outside @")
            << graph::kModelFunctionName << ", the only function that "
            << "receives weights";
        return WalkResult::interrupt();
      }
      // (The verifier has checked that the weight exists.)
      BlockArgument argument = arguments.lookup(read.getWeight());
      read.replaceAllUsesWith(argument);
      read.erase();
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }
};

} // namespace
