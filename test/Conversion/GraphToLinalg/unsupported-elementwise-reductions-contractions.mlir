// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests that Pow with a bool base (not an ONNX Pow type) is refused.
func.func @pow_bool_base(%a: tensor<4xi1>, %b: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+2 {{'graph.pow' op cannot be lowered to linalg: a bool base is not supported}}
  // expected-error @+1 {{failed to legalize operation 'graph.pow'}}
  %0 = graph.pow %a, %b : (tensor<4xi1>, tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Tests that ReduceSum with axes of a length known only at run time is
// refused (a static length is lowered: runtime-params.mlir).
func.func @reduce_sum_dynamic_length_axes(%a: tensor<2x3xf32>, %axes: tensor<?xi64>) -> tensor<?x?xf32> {
  // expected-error @+2 {{'graph.reduce_sum' op cannot be lowered to linalg: 'axes' must have a static length}}
  // expected-error @+1 {{failed to legalize operation 'graph.reduce_sum'}}
  %0 = graph.reduce_sum %a, %axes : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that ReduceSum with more axes than dimensions is refused (two of
// them would repeat).
func.func @reduce_sum_too_many_axes(%a: tensor<2x3xf32>, %axes: tensor<3xi64>) -> tensor<?x?xf32> {
  // expected-error @+2 {{'graph.reduce_sum' op cannot be lowered to linalg: more axes than dimensions}}
  // expected-error @+1 {{failed to legalize operation 'graph.reduce_sum'}}
  %0 = graph.reduce_sum %a, %axes : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that integer Gemm is refused.
func.func @gemm_int(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) -> tensor<2x4xi32> {
  // expected-error @+2 {{'graph.gemm' op cannot be lowered to linalg: integer Gemm is not supported}}
  // expected-error @+1 {{failed to legalize operation 'graph.gemm'}}
  %0 = graph.gemm %a, %b : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Tests that MatMul of unsigned integers is refused.
func.func @matmul_unsigned(%a: tensor<2x3xui8>, %b: tensor<3x4xui8>) -> tensor<2x4xui8> {
  // expected-error @+2 {{'graph.mat_mul' op cannot be lowered to linalg: signed or unsigned integer MatMul is not supported}}
  // expected-error @+1 {{failed to legalize operation 'graph.mat_mul'}}
  %0 = graph.mat_mul %a, %b : (tensor<2x3xui8>, tensor<3x4xui8>) -> tensor<2x4xui8>
  return %0 : tensor<2x4xui8>
}
