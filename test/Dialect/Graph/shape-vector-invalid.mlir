// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Errors of the type inference that reads partly known shape vectors
// (ShapeVector.h).

// Tests that a reshape whose shape repeats a dynamic input dimension still checks the other elements.
func.func @reshape_shared_dim_mismatch(%x: tensor<?x10xf32>) {
  %n = graph.shape %x {end = 1 : i64} : (tensor<?x10xf32>) -> tensor<1xi64>
  %three = graph.constant dense<3> : tensor<1xi64>
  %s = graph.concat %n, %three {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  // expected-error @+2 {{cannot reshape 10 elements (besides the dimensions both shapes share) to [?, 3]}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<?x10xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return
}
