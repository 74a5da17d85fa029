// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --dist-data-parallel=ranks=2

// Tests that data parallelism refuses the ops whose results on a slice of
// the batch are not slices of their results on the whole batch.

// Batch statistics are over every sample.
func.func @main(%x: tensor<?x3x4xf32> {graph.name = "x"}) -> (tensor<?x3x4xf32> {graph.name = "y"}) {
  %p = graph.constant dense<1.000000e+00> : tensor<3xf32>
  // expected-error @+1 {{data parallelism cannot split the batch of 'graph.batch_normalization_training': its statistics are over every sample}}
  %y, %m, %v = graph.batch_normalization_training %x, %p, %p, %p, %p : (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<?x3x4xf32>
}

// -----

// MaxPool's indices count from the first sample.
func.func @main(%x: tensor<?x1x4x4xf32> {graph.name = "x"}) -> (tensor<?x1x2x2xi64> {graph.name = "i"}) {
  // expected-error @+1 {{data parallelism cannot split the batch of 'graph.max_pool_with_indices': its indices count from the start of the whole batch}}
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<?x1x4x4xf32>) -> (tensor<?x1x2x2xf32>, tensor<?x1x2x2xi64>)
  return %i : tensor<?x1x2x2xi64>
}

// -----

// Dropout's draws are numbered across the batch.
func.func @main(%x: tensor<?x8xf32> {graph.name = "x"}) -> (tensor<?x8xf32> {graph.name = "y"}) {
  %r = graph.constant dense<5.000000e-01> : tensor<f32>
  // expected-error @+1 {{data parallelism cannot split the batch of 'graph.dropout': its random draws are numbered across the whole batch}}
  %y, %mask = graph.dropout %x, %r {seed = 1 : i64} : (tensor<?x8xf32>, tensor<f32>) -> (tensor<?x8xf32>, tensor<?x8xi1>)
  return %y : tensor<?x8xf32>
}
