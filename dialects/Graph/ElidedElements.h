//===- ElidedElements.h - Constants whose values were not loaded -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// An elided elements attribute is a `dense_resource` whose resource has no
// blob: it has a type and a name but no values. The importer makes them for
// the weights of a shapes-only import (`OnnxImportOptions::shapesOnly`), so
// that planning a model never reads its weights, and the textual form
// `dense_resource<name>` without a `dialect_resources` entry parses to one.
//
// Graph folds read only `dense` attributes and therefore leave elided
// constants alone; passes that need the values (slicing a weight for tensor
// parallelism, folding BatchNormalization into a Conv) make elided results
// or skip them; code generation refuses them (see `findElidedElements`).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_ELIDEDELEMENTS_H
#define EXAFORGE_DIALECTS_GRAPH_ELIDEDELEMENTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace exaforge::graph {

/// Returns a `dense_resource` attribute of `type` with no values, named
/// after `name` (made unique among the context's resources).
mlir::DenseResourceElementsAttr getElidedElementsAttr(mlir::ShapedType type,
                                                      llvm::StringRef name);

/// Returns true when `attr` is a `dense_resource` attribute whose resource
/// has no data.
bool isElidedElementsAttr(mlir::Attribute attr);

/// Returns the first elided elements attribute held by an op under `root`
/// (in inherent or discardable attributes, function argument attributes
/// included), or null.
mlir::DenseResourceElementsAttr findElidedElements(mlir::Operation *root);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_ELIDEDELEMENTS_H
