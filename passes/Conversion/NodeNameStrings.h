//===- NodeNameStrings.h - Node names as strings of model.so ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Runtime calls that may fail at run time name the ONNX node they serve, so
// that the failure's message can say which node failed: the library kernels
// (a oneDNN error) and xf_alloc (a buffer the system refuses). Each such
// call passes the address of a constant NUL-terminated string holding the
// node's name, one global per distinct name in the module.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_NODENAMESTRINGS_H
#define EXAFORGE_PASSES_CONVERSION_NODENAMESTRINGS_H

#include "mlir/IR/PatternMatch.h"

namespace exaforge {

/// The name of the global strings holding node names (numbered by the
/// symbol table when there are several: `xf_node_name`, `xf_node_name_0`,
/// ...).
inline constexpr char kNodeNameGlobal[] = "xf_node_name";

/// Returns, at `rewriter`'s insertion point, the address (`!llvm.ptr`) of a
/// constant NUL-terminated string holding the ONNX node name of `op`'s
/// location ("" when it names none; graph::getOnnxNodeName), creating the
/// global at the end of `op`'s module on first use of the name.
mlir::Value getNodeNameAddress(mlir::Operation *op,
                               mlir::RewriterBase &rewriter);

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_NODENAMESTRINGS_H
