// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests that Slice with starts known only at run time is refused.
func.func @slice_runtime_starts(%x: tensor<8x16xf32>, %starts: tensor<1xi64>) -> tensor<8x?xf32> {
  %ends = graph.constant dense<[4]> : tensor<1xi64>
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  // expected-error @+1 {{failed to legalize operation 'graph.slice'}}
  %0 = graph.slice %x, %starts, %ends axes %axes : (tensor<8x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<8x?xf32>
  return %0 : tensor<8x?xf32>
}

// -----

// Tests that Slice with a negative step on a dynamic dimension is refused.
func.func @slice_negative_step_dynamic(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %starts = graph.constant dense<[-1]> : tensor<1xi64>
  %ends = graph.constant dense<[-9223372036854775807]> : tensor<1xi64>
  %axes = graph.constant dense<[0]> : tensor<1xi64>
  %steps = graph.constant dense<[-1]> : tensor<1xi64>
  // expected-error @+1 {{failed to legalize operation 'graph.slice'}}
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<?x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// Tests that Unsqueeze with axes known only at run time is refused.
func.func @unsqueeze_runtime_axes(%x: tensor<4xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{failed to legalize operation 'graph.unsqueeze'}}
  %0 = graph.unsqueeze %x, %axes : (tensor<4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that Squeeze with axes known only at run time is refused.
func.func @squeeze_runtime_axes(%x: tensor<1x4xf32>, %axes: tensor<1xi64>) -> tensor<?xf32> {
  // expected-error @+1 {{failed to legalize operation 'graph.squeeze'}}
  %0 = graph.squeeze %x, %axes : (tensor<1x4xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Tests that Split with sizes known only at run time is refused.
func.func @split_runtime_sizes(%x: tensor<6xf32>, %split: tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  // expected-error @+1 {{failed to legalize operation 'graph.split'}}
  %0:2 = graph.split %x, %split {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<6xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// Tests that Pad with axes known only at run time is refused.
func.func @pad_runtime_axes(%x: tensor<3x4xf32>, %pads: tensor<2xi64>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{failed to legalize operation 'graph.pad'}}
  %0 = graph.pad %x, %pads axes %axes : (tensor<3x4xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
