// RUN: exaforge-opt %s --split-input-file --select-kernels="target=cuda" | FileCheck %s
// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --convert-kernels-to-calls="target=cuda" -o /dev/null

// Tests that the CUDA target takes no library kernel yet: a matmul and a
// convolution on tensors stay linalg ops (they become generated kernels).

// CHECK-LABEL: func.func @contractions
// CHECK-NOT:     kernel.
// CHECK:         linalg.matmul
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

// Tests that a kernel op on buffers (chosen for another target) is an error
// for the CUDA target, which has no library call for it.

func.func @matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op has no CUDA library kernel}}
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}
