// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Verifier errors of grouped kernel.conv2d ops and of their activations.

func.func @channels_not_divisible(%x: memref<1x6x8x8xf32>, %f: memref<4x1x3x3xf32>, %y: memref<1x4x6x6xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects the input channels (6) to be divisible by the 4 groups}}
  kernel.conv2d ins(%x, %f : memref<1x6x8x8xf32>, memref<4x1x3x3xf32>) outs(%y : memref<1x4x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 4
  return
}

// -----

func.func @filters_not_divisible(%x: memref<1x8x8x8xf32>, %f: memref<6x2x3x3xf32>, %y: memref<1x6x6x6xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects the output channels (6) to be divisible by the 4 groups}}
  kernel.conv2d ins(%x, %f : memref<1x8x8x8xf32>, memref<6x2x3x3xf32>) outs(%y : memref<1x6x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 4
  return
}

// -----

func.func @channels_per_group(%x: memref<1x8x8x8xf32>, %f: memref<8x1x3x3xf32>, %y: memref<1x8x6x6xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects the input channels per group of input and filter to match, got 2 and 1}}
  kernel.conv2d ins(%x, %f : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 4
  return
}

// -----

func.func @no_groups(%x: memref<1x8x8x8xf32>, %f: memref<8x1x3x3xf32>, %y: memref<1x8x6x6xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects at least 1 group, got 0}}
  kernel.conv2d ins(%x, %f : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 0
  return
}

// -----

func.func @two_activations(%x: memref<1x8x8x8xf32>, %f: memref<8x1x3x3xf32>, %y: memref<1x8x6x6xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects at most one of 'relu', 'swish' and 'hard_swish'}}
  kernel.conv2d ins(%x, %f : memref<1x8x8x8xf32>, memref<8x1x3x3xf32>) outs(%y : memref<1x8x6x6xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 8 {relu, swish}
  return
}
