// RUN: exaforge-opt %s --use-channels-last-kernel-buffers | FileCheck %s

!dyn4 = memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
!dyn1 = memref<?xf32, strided<[?], offset: ?>>
func.func private @xf_kernel_conv2d_nchw_f32(i64, i64, !dyn4, !dyn4, !dyn1, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64)
func.func private @xf_kernel_max_pool2d_nchw_f32(i64, i64, !dyn4, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)

// Tests that a buffer (dynamic batch) that a convolution writes and a max
// pooling reads becomes an NHWC allocation seen with NHWC strides, whose
// memref.dim users follow, while a buffer that a linalg op also reads, and
// one with dynamic channels, keep their layouts.
// CHECK-LABEL: func @kernel_chain
// CHECK-SAME: (%[[X:.*]]: memref<?x3x8x8xf32>,
// CHECK: %[[N:.*]] = memref.dim %[[X]]
// CHECK: %[[A:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?x8x8x16xf32>
// CHECK: %[[V:.*]] = memref.reinterpret_cast %[[A]] to offset: [0], sizes: [%[[N]], 16, 8, 8], strides: [1024, 1, 128, 16] : memref<?x8x8x16xf32> to memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>>
// CHECK: %[[C:.*]] = memref.cast %[[V]] : memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: call @xf_kernel_conv2d_nchw_f32({{.*}}, %[[C]],
// CHECK: %[[C2:.*]] = memref.cast %[[V]]
// CHECK: call @xf_kernel_max_pool2d_nchw_f32(%{{.*}}, %{{.*}}, %[[C2]],
// CHECK: memref.dim %[[V]]
// CHECK: %[[B:.*]] = memref.alloc(%[[N]]) : memref<?x16x8x8xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[B]] : memref<?x16x8x8xf32>)
// CHECK: memref.alloc(%{{.*}}) : memref<1x?x8x8xf32>
func.func @kernel_chain(%x: memref<?x3x8x8xf32>, %w: memref<16x3x3x3xf32>, %b: memref<16xf32>,
                        %y: memref<?x16x4x4xf32>, %c: index) -> index {
  %c0 = arith.constant 0 : index
  %i0 = arith.constant 0 : i64
  %i1 = arith.constant 1 : i64
  %i2 = arith.constant 2 : i64
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?x3x8x8xf32>
  %t = memref.alloc(%n) {alignment = 64 : i64} : memref<?x16x8x8xf32>
  %xc = memref.cast %x : memref<?x3x8x8xf32> to !dyn4
  %wc = memref.cast %w : memref<16x3x3x3xf32> to !dyn4
  %bc = memref.cast %b : memref<16xf32> to !dyn1
  %tc = memref.cast %t : memref<?x16x8x8xf32> to !dyn4
  call @xf_kernel_conv2d_nchw_f32(%i0, %i0, %xc, %wc, %bc, %tc, %i1, %i1, %i1, %i1, %i1, %i1, %i1, %i1) : (i64, i64, !dyn4, !dyn4, !dyn1, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %tc2 = memref.cast %t : memref<?x16x8x8xf32> to !dyn4
  %yc = memref.cast %y : memref<?x16x4x4xf32> to !dyn4
  call @xf_kernel_max_pool2d_nchw_f32(%i1, %i0, %tc2, %yc, %i2, %i2, %i2, %i2, %i1, %i1, %i0, %i0, %i0, %i0) : (i64, i64, !dyn4, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %d = memref.dim %t, %c0 : memref<?x16x8x8xf32>
  %u = memref.alloc(%n) : memref<?x16x8x8xf32>
  linalg.fill ins(%zero : f32) outs(%u : memref<?x16x8x8xf32>)
  %uc = memref.cast %u : memref<?x16x8x8xf32> to !dyn4
  call @xf_kernel_conv2d_nchw_f32(%i2, %i0, %xc, %wc, %bc, %uc, %i1, %i1, %i1, %i1, %i1, %i1, %i1, %i1) : (i64, i64, !dyn4, !dyn4, !dyn1, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %v = memref.alloc(%c) : memref<1x?x8x8xf32>
  %vc = memref.cast %v : memref<1x?x8x8xf32> to !dyn4
  call @xf_kernel_conv2d_nchw_f32(%i2, %i0, %xc, %wc, %bc, %vc, %i1, %i1, %i1, %i1, %i1, %i1, %i1, %i1) : (i64, i64, !dyn4, !dyn4, !dyn1, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  return %d : index
}

// Tests that a buffer passed as convolution weights keeps its layout.
// CHECK-LABEL: func @weights_kept
// CHECK: memref.alloc() : memref<16x3x3x3xf32>
// CHECK-NOT: memref.reinterpret_cast
func.func @weights_kept(%x: memref<1x3x8x8xf32>, %b: memref<16xf32>, %y: memref<1x16x8x8xf32>) {
  %i0 = arith.constant 0 : i64
  %i1 = arith.constant 1 : i64
  %w = memref.alloc() : memref<16x3x3x3xf32>
  %xc = memref.cast %x : memref<1x3x8x8xf32> to !dyn4
  %wc = memref.cast %w : memref<16x3x3x3xf32> to !dyn4
  %bc = memref.cast %b : memref<16xf32> to !dyn1
  %yc = memref.cast %y : memref<1x16x8x8xf32> to !dyn4
  call @xf_kernel_conv2d_nchw_f32(%i0, %i0, %xc, %wc, %bc, %yc, %i1, %i1, %i1, %i1, %i1, %i1, %i1, %i1) : (i64, i64, !dyn4, !dyn4, !dyn1, !dyn4, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  return
}
