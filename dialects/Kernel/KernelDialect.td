//===- KernelDialect.td - Exaforge kernel dialect ----------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The `kernel` dialect holds the calls of a target's kernel library (oneDNN
// on the CPU) as ops on tensors or buffers, chosen before bufferization.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_KERNEL_KERNELDIALECT_TD
#define EXAFORGE_DIALECTS_KERNEL_KERNELDIALECT_TD

include "mlir/IR/OpBase.td"

def Kernel_Dialect : Dialect {
  let name = "kernel";
  let cppNamespace = "::exaforge::kernel";
  let summary = "Library kernels (matmul, convolution, pooling) chosen on "
                "tensors";
  let description = [{
    A kernel op stands for one call of a target's kernel library: a matmul,
    a 2-D convolution with its elementwise epilogue (bias, residual add,
    ReLU) and the zero padding of its input, or a 2-D max pooling.
    `select-kernels` creates them from linalg ops on tensors, folding the
    producers and consumers the library applies itself while values are
    still SSA tensors; one-shot bufferization turns them into the same ops on
    buffers (they implement `BufferizableOpInterface`); and
    `convert-kernels-to-calls` lowers them to calls of the target's library.

    The ops are destination-style (`DestinationStyleOpInterface`): the last
    operand, `outs(...)`, is the destination. On tensors the op returns the
    updated destination; on buffers it writes the destination and returns
    nothing. Unless the op is marked `accumulate`, the destination's values
    are not read: the kernel overwrites it.

    The dialect is target-independent: it states what is computed. Which
    element types, shapes and epilogues a library supports is a question for
    the target (`KernelTarget`, see passes/Conversion/KernelTarget).
  }];
}

#endif // EXAFORGE_DIALECTS_KERNEL_KERNELDIALECT_TD
