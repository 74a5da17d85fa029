//===- KernelOps.h - Exaforge kernel dialect operations ---------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the kernel ops (generated from KernelOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_KERNEL_KERNELOPS_H
#define EXAFORGE_DIALECTS_KERNEL_KERNELOPS_H

#include "dialects/Kernel/KernelDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Kernel/KernelOps.h.inc"

namespace exaforge::kernel {

/// Whether `use` passes an activation (not weights or a bias) to a window
/// kernel op whose target prefers channels-last activations (the op's
/// `channels_last`, set by `select-kernels`): the input or the destination
/// of such a convolution or max pooling, on tensors or on buffers.
bool isChannelsLastActivation(mlir::OpOperand &use);

} // namespace exaforge::kernel

#endif // EXAFORGE_DIALECTS_KERNEL_KERNELOPS_H
