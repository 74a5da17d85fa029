// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the kernel ops.

func.func @mixed(%a: tensor<4x8xf32>, %b: memref<8x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects all operands to be tensors or all to be buffers}}
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, memref<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @no_result(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects a result of the destination's type 'tensor<4x16xf32>'}}
  kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>)
  return
}

// -----

func.func @matmul_bias_rank(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %bias: tensor<1x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects a 1-D bias, got rank 2}}
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) bias(%bias : tensor<1x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @matmul_bias_size(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %bias: tensor<4xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects the bias size and the destination's columns to match, got 4 and 16}}
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) bias(%bias : tensor<4xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @reduced_sizes(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects the reduced sizes of lhs and rhs to match, got 8 and 7}}
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<7x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @transposed_columns(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects the reduced sizes of lhs and rhs to match, got 8 and 16}}
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {transpose_rhs} -> tensor<4x16xf32>
  return
}

// -----

func.func @rank(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<1xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects rank 2 or 3 (batched), got 1}}
  %0 = kernel.matmul ins(%a, %b : tensor<8xf32>, tensor<8xf32>) outs(%c : tensor<1xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @batched_transpose(%a: memref<2x4x8xf32>, %b: memref<2x8x16xf32>, %c: memref<2x4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op transposes operands of rank 2 only}}
  kernel.matmul ins(%a, %b : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%c : memref<2x4x16xf32>) {transpose_lhs}
  return
}

// -----

func.func @batch(%a: memref<2x4x8xf32>, %b: memref<3x8x16xf32>, %c: memref<2x4x16xf32>) {
  // expected-error @+1 {{'kernel.matmul' op expects the batch sizes to match, got 3 and 2}}
  kernel.matmul ins(%a, %b : memref<2x4x8xf32>, memref<3x8x16xf32>) outs(%c : memref<2x4x16xf32>)
  return
}

// -----

func.func @strides(%x: memref<1x3x8x8xf32>, %f: memref<4x3x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects 2 values in 'strides', got 1}}
  kernel.conv2d ins(%x, %f : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x8x8xf32>)
      strides = [1] dilations = [1, 1] padding = [1, 1, 1, 1]
  return
}

// -----

func.func @negative_padding(%x: memref<1x3x8x8xf32>, %f: memref<4x3x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects every value in 'padding' to be at least 0, got -1}}
  kernel.conv2d ins(%x, %f : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, -1, 1]
  return
}

// -----

func.func @channels(%x: memref<1x2x8x8xf32>, %f: memref<4x3x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects the input channels per group of input and filter to match, got 2 and 3}}
  kernel.conv2d ins(%x, %f : memref<1x2x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1]
  return
}

// -----

func.func @bias(%x: memref<1x3x8x8xf32>, %f: memref<4x3x3x3xf32>, %b: memref<5xf32>, %y: memref<1x4x8x8xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op expects the bias size and the output channels to match, got 5 and 4}}
  kernel.conv2d ins(%x, %f : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) bias(%b : memref<5xf32>) outs(%y : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1]
  return
}

// -----

func.func @window_overhangs(%x: memref<1x3x8x8xf32>, %f: memref<4x3x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op has 8 output row positions, but windows fit the padded input (8) only 6 times}}
  kernel.conv2d ins(%x, %f : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0]
  return
}

// -----

func.func @pool_window(%x: memref<1x4x8x8xf32>, %y: memref<1x4x4x4xf32>) {
  // expected-error @+1 {{'kernel.max_pool2d' op expects every value in 'window' to be at least 1, got 0}}
  kernel.max_pool2d ins(%x : memref<1x4x8x8xf32>) outs(%y : memref<1x4x4x4xf32>)
      window = [0, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0]
  return
}

// -----

func.func @pool_channels(%x: memref<1x4x8x8xf32>, %y: memref<1x3x4x4xf32>) {
  // expected-error @+1 {{'kernel.max_pool2d' op expects the channels to match, got 4 and 3}}
  kernel.max_pool2d ins(%x : memref<1x4x8x8xf32>) outs(%y : memref<1x3x4x4xf32>)
      window = [2, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0]
  return
}

// -----

func.func @pool_columns(%x: memref<1x4x8x8xf32>, %y: memref<1x4x4x5xf32>) {
  // expected-error @+1 {{'kernel.max_pool2d' op has 5 output column positions, but windows fit the padded input (8) only 4 times}}
  kernel.max_pool2d ins(%x : memref<1x4x8x8xf32>) outs(%y : memref<1x4x4x5xf32>)
      window = [2, 2] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 0, 0]
  return
}
