// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests that NonZero of a rank-0 tensor (deprecated in numpy, no column
// layout) is refused.
func.func @non_zero_scalar(%x: tensor<f32>) -> tensor<0x?xi64> {
  // expected-error @+2 {{'graph.non_zero' op cannot be lowered to linalg: a rank-0 input}}
  // expected-error @+1 {{failed to legalize operation 'graph.non_zero'}}
  %0 = graph.non_zero %x : (tensor<f32>) -> tensor<0x?xi64>
  return %0 : tensor<0x?xi64>
}

// -----

// Tests that a DFT whose real-or-complex dimension is dynamic is refused.
func.func @dft_dynamic_last(%x: tensor<1x10x?xf32>) -> tensor<1x10x2xf32> {
  // expected-error @+2 {{'graph.dft' op cannot be lowered to linalg: an input whose last dimension (real or complex) is dynamic}}
  // expected-error @+1 {{failed to legalize operation 'graph.dft'}}
  %0 = graph.dft %x : (tensor<1x10x?xf32>) -> tensor<1x10x2xf32>
  return %0 : tensor<1x10x2xf32>
}
