//===- KernelDialect.cpp - Kernel dialect registration --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Registers the kernel ops with the dialect.
//
//===----------------------------------------------------------------------===//

#include "dialects/Kernel/KernelDialect.h"
#include "dialects/Kernel/KernelOps.h"

using namespace mlir;
using namespace exaforge::kernel;

#include "dialects/Kernel/KernelOpsDialect.cpp.inc"

void KernelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Kernel/KernelOps.cpp.inc"
      >();
}
