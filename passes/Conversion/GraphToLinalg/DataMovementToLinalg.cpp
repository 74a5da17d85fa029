//===- DataMovementToLinalg.cpp - Graph DataMovement ops to linalg ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// (being written)
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "mlir/IR/PatternMatch.h"

void exaforge::populateGraphDataMovementToLinalgPatterns(mlir::RewritePatternSet &) {}
