// RUN: exaforge-opt %s --split-input-file --select-kernels="target=cuda" | FileCheck %s
// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --convert-kernels-to-calls="target=cuda" | FileCheck %s --check-prefix=CALLS

// Tests that the CUDA target takes f32 matmuls for cuBLASLt and no
// convolution yet: the convolution stays a linalg op (it becomes a
// generated kernel).

// CHECK-LABEL: func.func @contractions
// CHECK:         kernel.matmul
// CHECK-NOT:     kernel.
// CHECK:         linalg.conv_2d_nchw_fchw
func.func @contractions(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                        %x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>)
    -> (tensor<4x16xf32>, tensor<1x4x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%z : tensor<4x16xf32>) -> tensor<4x16xf32>
  %ce = tensor.empty() : tensor<1x4x6x6xf32>
  %cz = linalg.fill ins(%zero : f32) outs(%ce : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %1 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%cz : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<1x4x6x6xf32>
}

// -----

// Tests that matmuls on buffers become calls of the runtime's cuBLASLt
// kernels, with the arguments of the CPU's (a transposed operand as a
// transposed view, the flags, one declaration per kernel).

// CALLS-LABEL: func.func @matmuls
// CALLS:         %[[T:.*]] = memref.transpose
// CALLS:         %[[B:.*]] = memref.cast %[[T]]
// CALLS:         call @xf_cuda_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[B]], %{{.*}})
// CALLS:         call @xf_cuda_batch_matmul_f32(
// CALLS-NOT:     kernel.
// CALLS:       func.func private @xf_cuda_matmul_f32({{.*}}) attributes {llvm.emit_c_interface}
// CALLS:       func.func private @xf_cuda_batch_matmul_f32({{.*}}) attributes {llvm.emit_c_interface}
func.func @matmuls(%a: memref<4x8xf32>, %bt: memref<16x8xf32>, %c: memref<4x16xf32>,
                   %ba: memref<2x4x8xf32>, %bb: memref<2x8x16xf32>, %bc: memref<2x4x16xf32>) {
  kernel.matmul ins(%a, %bt : memref<4x8xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>) {transpose_rhs}
  kernel.matmul ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%bc : memref<2x4x16xf32>)
  return
}

// -----

// Tests that a convolution on buffers (chosen for another target) is an
// error for the CUDA target, which has no library call for it yet.

func.func @conv(%x: memref<1x3x9x16xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x7x14xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op has no CUDA library kernel}}
  kernel.conv2d ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x7x14xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0]
  return
}
