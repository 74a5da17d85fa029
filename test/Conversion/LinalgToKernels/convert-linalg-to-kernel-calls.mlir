// RUN: exaforge-opt %s --convert-linalg-to-kernel-calls -split-input-file | FileCheck %s

// Tests that f32 matmuls, batch matmuls and NCHW convolutions on buffers
// become kernel calls with distinct call-site numbers, flags
// (XF_KERNEL_ACCUMULATE = 1: nothing zeroed the output right before),
// operands cast to fully dynamic strided memrefs, and one C-interface
// declaration per kernel.
// CHECK-LABEL: func @contractions
// CHECK: %[[S0:.*]] = arith.constant 0 : i64
// CHECK: %[[F0:.*]] = arith.constant 1 : i64
// CHECK: %[[A:.*]] = memref.cast %{{.*}} : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[B:.*]] = memref.cast %{{.*}} : memref<8x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[C:.*]] = memref.cast %{{.*}} : memref<4x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @xf_kernel_matmul_f32(%[[S0]], %[[F0]], %[[A]], %[[B]], %[[C]])
// CHECK: %[[S1:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_matmul_f32(%[[S1]],
// CHECK: %[[S2:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_batch_matmul_f32(%[[S2]],
// CHECK-NOT: linalg.matmul
// CHECK-NOT: linalg.batch_matmul
// CHECK: func.func private @xf_kernel_matmul_f32(i64, i64, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK: func.func private @xf_kernel_batch_matmul_f32(i64, i64, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
func.func @contractions(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>,
                        %ba: memref<2x4x8xf32>, %bb: memref<2x8x16xf32>, %bc: memref<2x4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.batch_matmul ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%bc : memref<2x4x16xf32>)
  return
}

// -----

// Tests that a zero fill of exactly the output right before the matmul
// (pure ops in between are fine) is removed and the kernel overwrites
// (flags 0), and that a weight marked exaforge.constant_buffer (through a
// view) sets XF_KERNEL_CONSTANT_WEIGHTS = 2; the mark is removed afterwards.
// CHECK-LABEL: func @overwrite_constant_weights
// CHECK-SAME: (%{{[^:]*}}: memref<4x8xf32>, %{{[^:]*}}: memref<8x16xf32>, %{{[^:]*}}: memref<4x16xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[F:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[F]],
func.func @overwrite_constant_weights(%a: memref<4x8xf32>, %w: memref<8x16xf32> {exaforge.constant_buffer}, %c: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  %view = memref.cast %w : memref<8x16xf32> to memref<8x?xf32>
  %unused = arith.constant 7 : index
  linalg.matmul ins(%a, %view : memref<4x8xf32>, memref<8x?xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests that a fill of another value, or of zero followed by a write the
// kernel cannot see past, keeps the fill and accumulates (flags 1).
// CHECK-LABEL: func @fill_kept
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[C:.*]] : memref<4x16xf32>)
// CHECK: %[[F:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[F]],
// CHECK: linalg.fill
// CHECK: memref.store
// CHECK: %[[S2:.*]] = arith.constant 1 : i64
// CHECK: %[[F2:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_matmul_f32(%[[S2]], %[[F2]],
func.func @fill_kept(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %i = arith.constant 0 : index
  linalg.fill ins(%one : f32) outs(%c : memref<4x16xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  memref.store %one, %c[%i, %i] : memref<4x16xf32>
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests that transposed operands (Gemm's transA/transB as matmul indexing
// maps) are passed as transposed views.
// CHECK-LABEL: func @transposed
// CHECK: %[[AT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<8x4xf32> to memref<4x8xf32, strided<[1, 4]>>
// CHECK: %[[BT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<16x8xf32> to memref<8x16xf32, strided<[1, 8]>>
// CHECK: %[[A:.*]] = memref.cast %[[AT]]
// CHECK: %[[B:.*]] = memref.cast %[[BT]]
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %{{.*}}, %[[A]], %[[B]],
func.func @transposed(%at: memref<8x4xf32>, %bt: memref<16x8xf32>, %c: memref<4x16xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%at, %bt : memref<8x4xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests that a convolution passes its strides and dilations after the
// buffers.
// CHECK-LABEL: func @conv
// CHECK: %[[SH:.*]] = arith.constant 2 : i64
// CHECK: %[[SW:.*]] = arith.constant 1 : i64
// CHECK: %[[DH:.*]] = arith.constant 1 : i64
// CHECK: %[[DW:.*]] = arith.constant 3 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SH]], %[[SW]], %[[DH]], %[[DW]])
func.func @conv(%x: memref<1x3x9x16xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x10xf32>) {
  linalg.conv_2d_nchw_fchw {strides = dense<[2, 1]> : tensor<2xi64>, dilations = dense<[1, 3]> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x10xf32>)
  return
}

// -----

// Tests that other element types, other indexing maps and tensors are left
// to the loop lowering.
// CHECK-LABEL: func @left_alone
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x8xf64>
// CHECK: linalg.matmul indexing_maps
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>
// CHECK-NOT: call
func.func @left_alone(%a: memref<4x8xf64>, %b: memref<8x16xf64>, %c: memref<4x16xf64>,
                      %v: memref<8xf32>, %bf: memref<8x16xf32>, %cf: memref<4x16xf32>,
                      %ta: tensor<4x8xf32>, %tb: tensor<8x16xf32>, %tc: tensor<4x16xf32>) -> tensor<4x16xf32> {
  linalg.matmul ins(%a, %b : memref<4x8xf64>, memref<8x16xf64>) outs(%c : memref<4x16xf64>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%v, %bf : memref<8xf32>, memref<8x16xf32>) outs(%cf : memref<4x16xf32>)
  %r = linalg.matmul ins(%ta, %tb : tensor<4x8xf32>, tensor<8x16xf32>) outs(%tc : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
