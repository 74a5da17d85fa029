// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// A grouped kernel.conv2d prints its groups after the padding (and not at
// all for the default, 1) and round-trips, on tensors and on buffers:
// depthwise (groups = channels, a filter of one input channel), depthwise
// with a channel multiplier (16 filters over 8 channels), 4 groups of 3
// input channels, and a dynamic batch and channel count; the swish and
// HardSwish activations.

// CHECK-LABEL: func @grouped
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) bias(%{{.*}} : tensor<8xf32>) outs(%{{.*}} : tensor<1x8x8x8xf32>) strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {channels_last, constant_weights} -> tensor<1x8x8x8xf32>
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x8x8x8xf32>, tensor<16x1x5x5xf32>) outs(%{{.*}} : tensor<1x16x4x4xf32>) strides = [2, 2] dilations = [1, 1] padding = [2, 2, 1, 1] groups = 8 -> tensor<1x16x4x4xf32>
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x12x6x6xf32>, tensor<8x3x1x1xf32>) outs(%{{.*}} : tensor<1x8x6x6xf32>) strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 4 {accumulate} -> tensor<1x8x6x6xf32>
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<?x?x8x8xf32>, tensor<8x1x3x3xf32>) outs(%{{.*}} : tensor<?x8x6x6xf32>) strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 8 -> tensor<?x8x6x6xf32>
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x12x6x6xf32>, tensor<8x12x1x1xf32>) outs(%{{.*}} : tensor<1x8x6x6xf32>) strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] -> tensor<1x8x6x6xf32>
func.func @grouped(%x: tensor<1x8x8x8xf32>, %dw: tensor<8x1x3x3xf32>, %b: tensor<8xf32>, %y: tensor<1x8x8x8xf32>,
                   %dw2: tensor<16x1x5x5xf32>, %y2: tensor<1x16x4x4xf32>,
                   %x3: tensor<1x12x6x6xf32>, %w3: tensor<8x3x1x1xf32>, %y3: tensor<1x8x6x6xf32>,
                   %dx: tensor<?x?x8x8xf32>, %dy: tensor<?x8x6x6xf32>, %w1: tensor<8x12x1x1xf32>) {
  %0 = kernel.conv2d ins(%x, %dw : tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) bias(%b : tensor<8xf32>) outs(%y : tensor<1x8x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {channels_last, constant_weights} -> tensor<1x8x8x8xf32>
  %1 = kernel.conv2d ins(%x, %dw2 : tensor<1x8x8x8xf32>, tensor<16x1x5x5xf32>) outs(%y2 : tensor<1x16x4x4xf32>)
      strides = [2, 2] dilations = [1, 1] padding = [2, 2, 1, 1] groups = 8 -> tensor<1x16x4x4xf32>
  %2 = kernel.conv2d ins(%x3, %w3 : tensor<1x12x6x6xf32>, tensor<8x3x1x1xf32>) outs(%y3 : tensor<1x8x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 4 {accumulate} -> tensor<1x8x6x6xf32>
  %3 = kernel.conv2d ins(%dx, %dw : tensor<?x?x8x8xf32>, tensor<8x1x3x3xf32>) outs(%dy : tensor<?x8x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 8 -> tensor<?x8x6x6xf32>
  %4 = kernel.conv2d ins(%x3, %w1 : tensor<1x12x6x6xf32>, tensor<8x12x1x1xf32>) outs(%y3 : tensor<1x8x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 -> tensor<1x8x6x6xf32>
  return
}

// CHECK-LABEL: func @activations
// CHECK: kernel.conv2d {{.*}} groups = 8 {swish}{{$}}
// CHECK: kernel.conv2d {{.*}} groups = 8 {hard_swish}{{$}}
func.func @activations(%x: memref<1x8x8x8xf32>, %dw: memref<8x1x3x3xf32>, %y: memref<1x8x8x8xf32>) {
  kernel.conv2d ins(%x, %dw : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {swish}
  kernel.conv2d ins(%x, %dw : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {hard_swish}
  return
}

// CHECK-LABEL: func @grouped_buffers
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%{{.*}} : memref<1x8x8x8xf32>) strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {relu}{{$}}
func.func @grouped_buffers(%x: memref<1x8x8x8xf32>, %dw: memref<8x1x3x3xf32>, %y: memref<1x8x8x8xf32>) {
  kernel.conv2d ins(%x, %dw : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {relu}
  return
}
