// RUN: exaforge-opt %s -test-op-cost=dynamic-dim-size=4 -verify-diagnostics -split-input-file

// Tests the FLOPs and bytes estimateOpCost counts. A dynamic dimension counts
// as 4 (the option). MatMul: 2 x (4 x 32 results) x 16 reduced = 4096 FLOPs;
// reads 4x16 + 16x32 floats, writes 4x32.
func.func @matmul_then_relu(%x: tensor<?x16xf32>, %w: tensor<16x32xf32>) -> tensor<?x32xf32> {
  // expected-remark @below {{flops = 4096, read = 2304 B, written = 512 B}}
  %0 = graph.mat_mul %x, %w : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
  // expected-remark @below {{flops = 128, read = 512 B, written = 512 B}}
  %1 = graph.relu %0 : (tensor<?x32xf32>) -> tensor<?x32xf32>
  // An identity reinterprets its buffer: free.
  // expected-remark @below {{flops = 0, read = 0 B, written = 0 B}}
  %2 = graph.identity %1 : (tensor<?x32xf32>) -> tensor<?x32xf32>
  return %2 : tensor<?x32xf32>
}

// -----

// Gemm with a transposed A reduces over A's first dimension (8):
// 2 x (2 x 3) x 8 = 96 FLOPs.
func.func @gemm_transposed(%a: tensor<8x2xf32>, %b: tensor<8x3xf32>) -> tensor<2x3xf32> {
  // expected-remark @below {{flops = 96, read = 160 B, written = 24 B}}
  %0 = graph.gemm %a, %b {trans_a = true} : (tensor<8x2xf32>, tensor<8x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Conv: each of the 1x16x8x8 outputs sums 3 channels x 3x3 = 27 products:
// 2 x 1024 x 27 = 55296 FLOPs.
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) -> tensor<1x16x8x8xf32> {
  // expected-remark @below {{flops = 55296, read = 2496 B, written = 4096 B}}
  %0 = graph.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// GlobalMaxPool compares each input element once: 1x8x4x4 = 128 operations;
// reads 128 floats, writes 8.
func.func @global_max_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32> {
  // expected-remark @below {{flops = 128, read = 512 B, written = 32 B}}
  %0 = graph.global_max_pool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}
