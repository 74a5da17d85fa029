//===- DistAttrs.cpp - Dist dialect attributes ----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The reduction kind enum and `#dist.sharding`: its structural verifier (the
// checks against the mesh need the symbol table and run in the ops that use
// a sharding, DistOps.cpp) and its accessors; registers the attributes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Dist/DistDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace exaforge::dist;

#include "dialects/Dist/DistEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Dist/DistAttrs.cpp.inc"

void DistDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Dist/DistAttrs.cpp.inc"
      >();
}

/// The strings of `list`, or failure (reported) when an element is not a
/// string.
static FailureOr<SmallVector<StringRef>>
getAxisNames(ArrayAttr list, StringRef what,
             function_ref<InFlightDiagnostic()> emitError) {
  SmallVector<StringRef> names;
  for (Attribute element : list) {
    auto name = dyn_cast<StringAttr>(element);
    if (!name) {
      emitError() << what << " must list mesh axis names (strings), got "
                  << element;
      return failure();
    }
    names.push_back(name.getValue());
  }
  return names;
}

LogicalResult ShardingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   FlatSymbolRefAttr mesh, ArrayAttr dims,
                                   ArrayAttr partial) {
  llvm::StringSet<> used;
  auto useAxes = [&](ArrayAttr list, StringRef what) -> LogicalResult {
    FailureOr<SmallVector<StringRef>> names =
        getAxisNames(list, what, emitError);
    if (failed(names))
      return failure();
    for (StringRef name : *names) {
      if (!used.insert(name).second)
        return emitError() << "mesh axis '" << name
                           << "' appears more than once in the sharding";
    }
    return success();
  };
  for (auto [index, dim] : llvm::enumerate(dims)) {
    auto axes = dyn_cast<ArrayAttr>(dim);
    if (!axes)
      return emitError() << "sharding of dimension " << index
                         << " must be a list of mesh axes, got " << dim;
    if (failed(useAxes(axes, "the sharding of a dimension")))
      return failure();
  }
  return useAxes(partial, "'partial'");
}

SmallVector<StringRef> ShardingAttr::getDimAxes(unsigned dim) const {
  SmallVector<StringRef> names;
  for (Attribute axis : cast<ArrayAttr>(getDims()[dim]))
    names.push_back(cast<StringAttr>(axis).getValue());
  return names;
}

SmallVector<StringRef> ShardingAttr::getPartialAxes() const {
  SmallVector<StringRef> names;
  for (Attribute axis : getPartial())
    names.push_back(cast<StringAttr>(axis).getValue());
  return names;
}
