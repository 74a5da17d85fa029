// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Layout parameters known only at run time are lowered (runtime-params.mlir)
// when their length is static: the length fixes how many axes or pieces
// there are. (The graph verifier already requires a static length for
// Slice's, Squeeze's, Unsqueeze's and Pad's parameters.)

// Tests that Split with sizes of a length known only at run time is refused.
func.func @split_dynamic_length(%x: tensor<6xf32>, %split: tensor<?xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  // expected-error @+2 {{'graph.split' op cannot be lowered to linalg: 'split' must have a static length}}
  // expected-error @+1 {{failed to legalize operation 'graph.split'}}
  %0:2 = graph.split %x, %split {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<6xf32>, tensor<?xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}
