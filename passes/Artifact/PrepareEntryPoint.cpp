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
    for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
      NamedAttrList attrs(withoutModelAnnotations(entry.getArgAttrDict(i)));
      if (graph::isWeightArgument(entry, i))
        attrs.set(kConstantBufferAttrName, builder.getUnitAttr());
      // Inputs and weights belong to the caller (weights are mapped
      // read-only): bufferization copies instead of writing into them.
      attrs.set("bufferization.writable", builder.getBoolAttr(false));
      entry.setArgAttrs(i, attrs.getAttrs());
    }
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
};

} // namespace
