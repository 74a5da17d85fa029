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

// Tests that the buffers around loop nests that walk their channels in the
// innermost loop (`interchange-channels-innermost`) become NHWC: a
// convolution's result that a scale reads through a view of its spatial
// dimensions (retyped with NHWC strides), the scale's destination that
// another loop reads, and that loop's destination, which the next
// convolution reads.
// CHECK-LABEL: func @loops_between_kernels
// CHECK: %[[T:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 16, 8, 8], strides: [1024, 1, 128, 16]
// CHECK: kernel.conv2d {{.*}} outs(%[[T]] : memref<1x16x8x8xf32, strided<[1024, 1, 128, 16]>>)
// CHECK: %[[U:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 16, 8, 8], strides: [1024, 1, 128, 16]
// CHECK: %[[TC:.*]] = memref.collapse_shape %[[T]] {{\[}}[0], [1], [2, 3]] : memref<1x16x8x8xf32, strided<[1024, 1, 128, 16]>> into memref<1x16x64xf32, strided<[1024, 1, 16]>>
// CHECK: %[[UC:.*]] = memref.collapse_shape %[[U]] {{\[}}[0], [1], [2, 3]] : memref<1x16x8x8xf32, strided<[1024, 1, 128, 16]>> into memref<1x16x64xf32, strided<[1024, 1, 16]>>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[TC]] : memref<1x16xf32>, memref<1x16x64xf32, strided<[1024, 1, 16]>>) outs(%[[UC]] : memref<1x16x64xf32, strided<[1024, 1, 16]>>)
// CHECK: %[[V:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 16, 8, 8], strides: [1024, 1, 128, 16]
// CHECK: linalg.generic {{.*}} ins(%[[U]] : memref<1x16x8x8xf32, strided<[1024, 1, 128, 16]>>) outs(%[[V]] : memref<1x16x8x8xf32, strided<[1024, 1, 128, 16]>>)
// CHECK: kernel.conv2d ins(%[[V]], %{{.*}} : memref<1x16x8x8xf32, strided<[1024, 1, 128, 16]>>,
func.func @loops_between_kernels(%x: memref<1x3x8x8xf32>, %w: memref<16x3x3x3xf32>, %w2: memref<16x16x1x1xf32>,
                                 %s: memref<1x16xf32>, %y: memref<1x16x8x8xf32>) {
  %t = memref.alloc() : memref<1x16x8x8xf32>
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%t : memref<1x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {channels_last}
  %u = memref.alloc() : memref<1x16x8x8xf32>
  %tc = memref.collapse_shape %t [[0], [1], [2, 3]] : memref<1x16x8x8xf32> into memref<1x16x64xf32>
  %uc = memref.collapse_shape %u [[0], [1], [2, 3]] : memref<1x16x8x8xf32> into memref<1x16x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d2, d1)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s, %tc : memref<1x16xf32>, memref<1x16x64xf32>) outs(%uc : memref<1x16x64xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  }
  %v = memref.alloc() : memref<1x16x8x8xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%u : memref<1x16x8x8xf32>) outs(%v : memref<1x16x8x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  kernel.conv2d ins(%v, %w2 : memref<1x16x8x8xf32>, memref<16x16x1x1xf32>) outs(%y : memref<1x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last}
  return
}

// Tests that buffers keep their layout when a loop nest walks them along
// their width in its innermost loop, or views them in a way NHWC strides do
// not allow (batch and channels collapsed into one dimension).
// CHECK-LABEL: func @loops_along_width
// CHECK-NOT: memref.reinterpret_cast
// CHECK: return
func.func @loops_along_width(%x: memref<1x3x8x8xf32>, %w: memref<16x3x3x3xf32>, %y: memref<1x16x8x8xf32>,
                             %x2: memref<2x3x8x8xf32>, %y2: memref<2x16x8x8xf32>) {
  %t = memref.alloc() : memref<1x16x8x8xf32>
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%t : memref<1x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {channels_last}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%t : memref<1x16x8x8xf32>) outs(%y : memref<1x16x8x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  %u = memref.alloc() : memref<2x16x8x8xf32>
  kernel.conv2d ins(%x2, %w : memref<2x3x8x8xf32>, memref<16x3x3x3xf32>) outs(%u : memref<2x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {channels_last}
  %uc = memref.collapse_shape %u [[0, 1], [2, 3]] : memref<2x16x8x8xf32> into memref<32x64xf32>
  %yc = memref.collapse_shape %y2 [[0, 1], [2, 3]] : memref<2x16x8x8xf32> into memref<32x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d1, d0)>], iterator_types = ["parallel", "parallel"]}
      ins(%uc : memref<32x64xf32>) outs(%yc : memref<32x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  return
}

// Tests that the N x C x HW destination of a loop whose spatial loops were
// collapsed (`collapse-generic-loops`), expanded back into the NCHW input of
// a convolution, becomes an N x HW x C allocation seen with channels-last
// strides; the expand_shape then gives the convolution NHWC strides.
// CHECK-LABEL: func @collapsed_loop_destination
// CHECK: %[[A:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x64x16xf32>
// CHECK: %[[V:.*]] = memref.reinterpret_cast %[[A]] to offset: [0], sizes: [%{{.*}}, 16, 64], strides: [1024, 1, 16] : memref<?x64x16xf32> to memref<?x16x64xf32, strided<[1024, 1, 16]>>
// CHECK: linalg.generic {{.*}} outs(%[[V]] : memref<?x16x64xf32, strided<[1024, 1, 16]>>)
// CHECK: %[[E:.*]] = memref.expand_shape %[[V]] {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, 16, 8, 8] : memref<?x16x64xf32, strided<[1024, 1, 16]>> into memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>>
// CHECK: kernel.conv2d ins(%[[E]], %{{.*}} : memref<?x16x8x8xf32, strided<[1024, 1, 128, 16]>>,
func.func @collapsed_loop_destination(%s: memref<?x16xf32>, %w: memref<16x16x1x1xf32>, %y: memref<?x16x8x8xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %s, %c0 : memref<?x16xf32>
  %t = memref.alloc(%n) {alignment = 64 : i64} : memref<?x16x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2, d1)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : memref<?x16xf32>) outs(%t : memref<?x16x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  }
  %e = memref.expand_shape %t [[0], [1], [2, 3]] output_shape [%n, 16, 8, 8] : memref<?x16x64xf32> into memref<?x16x8x8xf32>
  kernel.conv2d ins(%e, %w : memref<?x16x8x8xf32>, memref<16x16x1x1xf32>) outs(%y : memref<?x16x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last}
  return
}
