// RUN: exaforge-opt %s --use-channels-last-kernel-buffers | FileCheck %s

// Tests that a buffer (dynamic batch) that a convolution writes and a max
// pooling reads becomes an NHWC allocation seen with NHWC strides, whose
// memref.dim users follow, while a buffer that a linalg op also reads, and
// one with dynamic channels, keep their layouts.
// CHECK-LABEL: func @kernel_chain
// CHECK-SAME: (%[[X:.*]]: memref<?x3x8x8xf32>,
// CHECK: %[[N:.*]] = memref.dim %[[X]]
// CHECK: %[[A:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?x8x8x16xf32>
// CHECK: %[[V:.*]] = memref.reinterpret_cast %[[A]] to offset: [0], sizes: [%[[N]], 16, 8, 8], strides: [1024, 1, 128, 16] : memref<?x8x8x16xf32> to memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>>
// CHECK: kernel.conv2d {{.*}} outs(%[[V]] : memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>>)
// CHECK: kernel.max_pool2d ins(%[[V]] : memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>>)
// CHECK: memref.dim %[[V]]
// CHECK: %[[B:.*]] = memref.alloc(%[[N]]) : memref<?x16x8x8xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[B]] : memref<?x16x8x8xf32>)
// CHECK: memref.alloc(%{{.*}}) : memref<1x?x8x8xf32>
func.func @kernel_chain(%x: memref<?x3x8x8xf32>, %w: memref<16x3x3x3xf32>, %b: memref<16xf32>,
                        %y: memref<?x16x4x4xf32>, %c: index) -> index {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?x3x8x8xf32>
  %t = memref.alloc(%n) {alignment = 64 : i64} : memref<?x16x8x8xf32>
  kernel.conv2d ins(%x, %w : memref<?x3x8x8xf32>, memref<16x3x3x3xf32>) bias(%b : memref<16xf32>) outs(%t : memref<?x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {channels_last}
  kernel.max_pool2d ins(%t : memref<?x16x8x8xf32>) outs(%y : memref<?x16x4x4xf32>)
      window = [2, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last}
  %d = memref.dim %t, %c0 : memref<?x16x8x8xf32>
  %u = memref.alloc(%n) : memref<?x16x8x8xf32>
  linalg.fill ins(%zero : f32) outs(%u : memref<?x16x8x8xf32>)
  kernel.conv2d ins(%x, %w : memref<?x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%u : memref<?x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {accumulate, channels_last}
  %v = memref.alloc(%c) : memref<1x?x8x8xf32>
  kernel.conv2d ins(%x, %w : memref<?x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%v : memref<1x?x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {channels_last}
  return %d : index
}

// Tests that a buffer passed as convolution weights keeps its layout.
// CHECK-LABEL: func @weights_kept
// CHECK: memref.alloc() : memref<16x3x3x3xf32>
// CHECK-NOT: memref.reinterpret_cast
func.func @weights_kept(%x: memref<1x3x8x8xf32>, %b: memref<16xf32>, %y: memref<1x16x8x8xf32>) {
  %w = memref.alloc() : memref<16x3x3x3xf32>
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<16x3x3x3xf32>) bias(%b : memref<16xf32>) outs(%y : memref<1x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {channels_last}
  return
}

// Tests that the activations of kernel ops whose target does not prefer
// channels-last (no `channels_last`) keep their layout, and so does a buffer
// shared by such an op and one that prefers it.
// CHECK-LABEL: func @layout_not_preferred
// CHECK: memref.alloc() : memref<1x16x8x8xf32>
// CHECK: memref.alloc() : memref<1x16x8x8xf32>
// CHECK-NOT: memref.reinterpret_cast
func.func @layout_not_preferred(%x: memref<1x3x8x8xf32>, %w: memref<16x3x3x3xf32>, %y: memref<1x16x4x4xf32>) {
  %t = memref.alloc() : memref<1x16x8x8xf32>
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%t : memref<1x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1]
  %u = memref.alloc() : memref<1x16x8x8xf32>
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%u : memref<1x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1]
  kernel.max_pool2d ins(%u : memref<1x16x8x8xf32>) outs(%y : memref<1x16x4x4xf32>)
      window = [2, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last}
  return
}
