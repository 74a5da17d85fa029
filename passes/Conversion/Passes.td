//===- Passes.td - Exaforge conversion passes --------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_PASSES_TD
#define EXAFORGE_PASSES_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// GraphToLinalg
//===----------------------------------------------------------------------===//

def ConvertGraphToLinalg : Pass<"convert-graph-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower graph ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every graph op into upstream ops on tensors: elementwise ops and
    normalizations become `linalg.generic` nests, contractions become
    `linalg.matmul`/`linalg.batch_matmul`, convolutions and pooling become
    `linalg.conv_*`/`linalg.pooling_*`, and data movement becomes `tensor`
    ops. Dynamic dimensions are read with `tensor.dim`. The result is ready
    for one-shot bufferization. Fails on a graph op it cannot lower, naming
    the op.

    Before:
    ```mlir
    %0 = graph.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
    After:
    ```mlir
    %empty = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%empty : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %max = arith.maximumf %in, %zero : f32
      linalg.yield %max : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect",
  ];
}

//===----------------------------------------------------------------------===//
// LinalgToKernelCalls
//===----------------------------------------------------------------------===//

def ConvertLinalgToKernelCalls
    : Pass<"convert-linalg-to-kernel-calls", "mlir::ModuleOp"> {
  let summary = "Call the runtime's oneDNN kernels for f32 matmuls and "
                "convolutions on buffers";
  let description = [{
    Runs after bufferization. Replaces `linalg.matmul` (default indexing
    maps, or maps that read A and/or B transposed, which become
    `memref.transpose` views), `linalg.batch_matmul` (default maps) and
    `linalg.conv_2d_nchw_fchw` on f32 memrefs by calls to the kernels of
    `runtime/include/exaforge/runtime/kernels.h`. Each call passes a distinct
    call-site number, under which the runtime caches the oneDNN primitive it
    creates on first use, and flags:
    - `XF_KERNEL_ACCUMULATE` unless a `linalg.fill` of zero into exactly the
      output precedes the op with nothing that touches memory in between;
      that fill is then removed and the kernel overwrites its output;
    - `XF_KERNEL_CONSTANT_WEIGHTS` when the weights operand is (a view of) a
      function argument marked `exaforge.constant_buffer` (a model weight),
      so that the kernel may pre-pack it once. The marks are removed.
    Other ops are left to the loop lowering.

    Before:
    ```mlir
    linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>)
                  outs(%c : memref<4x16xf32>)
    ```
    After:
    ```mlir
    %site = arith.constant 0 : i64
    %a_ = memref.cast %a : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    ...
    %flags = arith.constant 1 : i64
    call @xf_kernel_matmul_f32(%site, %flags, %a_, %b_, %c_) : (i64, i64, ...) -> ()
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect",
  ];
}

#endif // EXAFORGE_PASSES_CONVERSION_PASSES_TD
