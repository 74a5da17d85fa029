//===- NodeLocation.h - The ONNX node a location names ----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The importer makes each ONNX node's location a NameLoc of the node's name
// (compiler/Import/ONNX/OnnxImporter.cpp); the ops it becomes, and the
// linalg and kernel ops they lower to, keep that location (sometimes fused
// with others). getOnnxNodeName reads the name back, for the messages that
// compiled code reports at run time.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_NODELOCATION_H
#define EXAFORGE_DIALECTS_GRAPH_NODELOCATION_H

#include "mlir/IR/Location.h"

namespace exaforge::graph {

/// Returns the ONNX node name that `loc` carries, looking into fused
/// locations; empty when there is none.
inline llvm::StringRef getOnnxNodeName(mlir::Location loc) {
  if (auto nameLoc = llvm::dyn_cast<mlir::NameLoc>(loc))
    return nameLoc.getName().getValue();
  if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(loc))
    for (mlir::Location inner : fused.getLocations())
      if (llvm::StringRef name = getOnnxNodeName(inner); !name.empty())
        return name;
  return {};
}

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_NODELOCATION_H
