// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Every kernel op prints in the form it parses (round trip), on tensors and
// on buffers.

// CHECK-LABEL: func @on_tensors
// CHECK: kernel.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<16x8xf32>) outs(%{{.*}} : tensor<4x16xf32>) {constant_weights, transpose_rhs} -> tensor<4x16xf32>
// CHECK: kernel.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%{{.*}} : tensor<2x4x16xf32>) {accumulate} -> tensor<2x4x16xf32>
// CHECK: kernel.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<16x8xf32>) bias(%{{.*}} : tensor<16xf32>) outs(%{{.*}} : tensor<4x16xf32>) {accumulate, relu, transpose_rhs} -> tensor<4x16xf32>
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) bias(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<1x4x8x8xf32>) strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {accumulate, channels_last, relu} -> tensor<1x4x8x8xf32>
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<?x4x3x3xf32>) strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0] -> tensor<?x4x3x3xf32>
// CHECK: kernel.max_pool2d ins(%{{.*}} : tensor<1x4x8x8xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>) window = [3, 3] strides = [2, 2] dilations = [1, 1] padding = [1, 1, 0, 0] {channels_last} -> tensor<1x4x4x4xf32>
func.func @on_tensors(%a: tensor<4x8xf32>, %w: tensor<16x8xf32>, %c: tensor<4x16xf32>,
                      %ba: tensor<2x4x8xf32>, %bb: tensor<2x8x16xf32>, %bc: tensor<2x4x16xf32>,
                      %x: tensor<1x3x8x8xf32>, %f: tensor<4x3x3x3xf32>, %b: tensor<4xf32>,
                      %r: tensor<1x4x8x8xf32>, %dx: tensor<?x3x8x8xf32>, %dy: tensor<?x4x3x3xf32>,
                      %p: tensor<1x4x4x4xf32>, %mb: tensor<16xf32>) {
  %0 = kernel.matmul ins(%a, %w : tensor<4x8xf32>, tensor<16x8xf32>) outs(%c : tensor<4x16xf32>) {transpose_rhs, constant_weights} -> tensor<4x16xf32>
  %1 = kernel.matmul ins(%ba, %bb : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%bc : tensor<2x4x16xf32>) {accumulate} -> tensor<2x4x16xf32>
  %5 = kernel.matmul ins(%a, %w : tensor<4x8xf32>, tensor<16x8xf32>) bias(%mb : tensor<16xf32>) outs(%c : tensor<4x16xf32>) {transpose_rhs, accumulate, relu} -> tensor<4x16xf32>
  %2 = kernel.conv2d ins(%x, %f : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) bias(%b : tensor<4xf32>) outs(%r : tensor<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {accumulate, relu, channels_last} -> tensor<1x4x8x8xf32>
  %3 = kernel.conv2d ins(%dx, %f : tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%dy : tensor<?x4x3x3xf32>)
      strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0] -> tensor<?x4x3x3xf32>
  %4 = kernel.max_pool2d ins(%2 : tensor<1x4x8x8xf32>) outs(%p : tensor<1x4x4x4xf32>)
      window = [3, 3] strides = [2, 2] dilations = [1, 1] padding = [1, 1, 0, 0] {channels_last} -> tensor<1x4x4x4xf32>
  return
}

// CHECK-LABEL: func @on_buffers
// CHECK: kernel.matmul ins(%{{.*}}, %{{.*}} : memref<4x8xf32>, memref<8x16xf32>) outs(%{{.*}} : memref<4x16xf32>){{$}}
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%{{.*}} : memref<1x4x8x8xf32>) strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {relu}{{$}}
// CHECK: kernel.max_pool2d ins(%{{.*}} : memref<1x4x8x8xf32>) outs(%{{.*}} : memref<1x4x4x4xf32>) window = [2, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0]{{$}}
func.func @on_buffers(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>,
                      %x: memref<1x3x8x8xf32>, %f: memref<4x3x3x3xf32>, %y: memref<1x4x8x8xf32>,
                      %p: memref<1x4x4x4xf32>) {
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  kernel.conv2d ins(%x, %f : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {relu}
  kernel.max_pool2d ins(%y : memref<1x4x8x8xf32>) outs(%p : memref<1x4x4x4xf32>)
      window = [2, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0]
  return
}
