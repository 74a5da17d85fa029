//===- KernelDialect.h - Exaforge kernel dialect ----------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the `kernel` dialect class. Include KernelOps.h for the ops.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_KERNEL_KERNELDIALECT_H
#define EXAFORGE_DIALECTS_KERNEL_KERNELDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Kernel/KernelOpsDialect.h.inc"

#endif // EXAFORGE_DIALECTS_KERNEL_KERNELDIALECT_H
