//===- ElidedElements.cpp - Constants whose values were not loaded --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/ElidedElements.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

DenseResourceElementsAttr
exaforge::graph::getElidedElementsAttr(ShapedType type, StringRef name) {
  auto &manager =
      DenseResourceElementsHandle::getManagerInterface(type.getContext());
  return DenseResourceElementsAttr::get(type, manager.insert(name));
}

bool exaforge::graph::isElidedElementsAttr(Attribute attr) {
  auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(attr);
  return resource && !resource.getRawHandle().getBlob();
}

DenseResourceElementsAttr exaforge::graph::findElidedElements(Operation *root) {
  DenseResourceElementsAttr found;
  root->walk([&](Operation *op) {
    op->getAttrDictionary().walk([&](DenseResourceElementsAttr attr) {
      if (!found && isElidedElementsAttr(attr))
        found = attr;
    });
    return found ? WalkResult::interrupt() : WalkResult::advance();
  });
  return found;
}
