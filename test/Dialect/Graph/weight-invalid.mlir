// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the weight ops.

// Tests that a weight's value has the element type of the weight.
// expected-error @+1 {{'graph.weight' op value of type 'tensor<4xi32>' does not have the element type and rank of 'tensor<4xf32>'}}
graph.weight @w : tensor<4xf32> = dense<1> : tensor<4xi32>

// -----

// Tests that a weight's value has the rank of the weight (a shard keeps the
// rank of the global value).
// expected-error @+1 {{'graph.weight' op value of type 'tensor<8xf32>' does not have the element type and rank of 'tensor<2x4xf32>'}}
graph.weight @w : tensor<2x4xf32> = dense<1.0> : tensor<8xf32>

// -----

// Tests that a read names a weight.
func.func @main() -> tensor<4xf32> {
  // expected-error @+1 {{'graph.weight_ref' op 'missing' does not name a graph.weight}}
  %w = graph.weight_ref @missing : tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

// Tests that a symbol of another kind is not a weight.
func.func @main() -> tensor<4xf32> {
  // expected-error @+1 {{'graph.weight_ref' op 'main' does not name a graph.weight}}
  %w = graph.weight_ref @main : tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

// Tests that a read has the type of its weight.
graph.weight @w : tensor<4xf32> = dense<1.0> : tensor<4xf32>
func.func @main() -> tensor<2xf32> {
  // expected-error @+1 {{'graph.weight_ref' op result type 'tensor<2xf32>' does not match the type 'tensor<4xf32>' of weight 'w'}}
  %w = graph.weight_ref @w : tensor<2xf32>
  return %w : tensor<2xf32>
}
