//===- MakeTensorsSignless.cpp - Signless integer types for bufferization -===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `make-tensors-signless` (see Passes.td): rewrites every unsigned
// or signed integer type in the module to the signless integer of the same
// width, then erases the `tensor.bitcast` ops the graph-to-linalg lowering
// inserted around its generics, which have become casts of a type to itself.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/IR/AttrTypeSubElements.h"

namespace exaforge {
#define GEN_PASS_DEF_MAKETENSORSSIGNLESS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
struct MakeTensorsSignlessPass
    : exaforge::impl::MakeTensorsSignlessBase<MakeTensorsSignlessPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    AttrTypeReplacer replacer;
    replacer.addReplacement([](IntegerType type) -> std::optional<Type> {
      if (type.isSignless())
        return std::nullopt;
      return IntegerType::get(type.getContext(), type.getWidth());
    });
    // A dense constant keeps its raw data; its type is not a sub-element
    // the replacer would visit on its own.
    replacer.addReplacement(
        [](DenseIntElementsAttr attr) -> std::optional<Attribute> {
          auto type = dyn_cast<IntegerType>(attr.getElementType());
          if (!type || type.isSignless())
            return std::nullopt;
          return attr.bitcast(
              IntegerType::get(type.getContext(), type.getWidth()));
        });
    // Types nest in attributes (a function's type, constants), so both are
    // replaced, in every op, result and block argument.
    replacer.recursivelyReplaceElementsIn(module, /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
    module.walk([](tensor::BitcastOp bitcast) {
      if (bitcast.getSource().getType() != bitcast.getType())
        return;
      bitcast.replaceAllUsesWith(bitcast.getSource());
      bitcast.erase();
    });
  }
};
} // namespace
