//===- GraphProgramWriter.cpp - graph.mlir of an artifact -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/GraphProgramWriter.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// Elements attributes with more elements than this are elided.
static constexpr int64_t kLargeElementLimit = 16;
/// The name of the blob-less resource that elided attributes refer to.
static constexpr const char *kElidedResourceName = "__elided__";

/// The blob-less resource `__elided__` of `module`'s context.
static DenseResourceElementsHandle getElidedResourceHandle(ModuleOp module) {
  MLIRContext *context = module.getContext();
  auto &manager = DenseResourceElementsHandle::getManagerInterface(context);
  if (DialectResourceBlobManager::BlobEntry *entry =
          manager.getBlobManager().lookup(kElidedResourceName))
    return DenseResourceElementsHandle(
        entry, context->getLoadedDialect<BuiltinDialect>());
  return manager.insert(kElidedResourceName);
}

void exaforge::printGraphProgram(ModuleOp module, raw_ostream &os) {
  // The printer does not elide dense_resource attributes (it would write
  // their blobs): a copy refers to a resource without a blob instead,
  // `dense_resource<__elided__>`, as the printer writes an elided attribute.
  OwningOpRef<ModuleOp> copy = module.clone();
  DenseResourceElementsHandle elided = getElidedResourceHandle(*copy);
  AttrTypeReplacer replacer;
  replacer.addReplacement(
      [&](DenseResourceElementsAttr attr) -> std::optional<Attribute> {
        if (attr.getNumElements() <= kLargeElementLimit)
          return std::nullopt;
        return DenseResourceElementsAttr::get(attr.getType(), elided);
      });
  replacer.recursivelyReplaceElementsIn(copy->getOperation(),
                                        /*replaceAttrs=*/true,
                                        /*replaceLocs=*/false,
                                        /*replaceTypes=*/false);
  OpPrintingFlags flags;
  flags.elideLargeElementsAttrs(kLargeElementLimit);
  copy->print(os, flags);
  os << "\n";
}
