// RUN: exaforge-opt %s --graph-check-tensor-sizes="max-bytes=1000" -split-input-file -verify-diagnostics | FileCheck %s

// Tests that results within the limit, and dynamic ones, pass unchanged.
// CHECK-LABEL: func @within_the_limit
func.func @within_the_limit(%x: tensor<10x25xf32>, %y: tensor<?x1000xf32>) -> (tensor<10x25xf32>, tensor<?x1000xf32>) {
  %0 = graph.relu %x : (tensor<10x25xf32>) -> tensor<10x25xf32>
  %1 = graph.relu %y : (tensor<?x1000xf32>) -> tensor<?x1000xf32>
  return %0, %1 : tensor<10x25xf32>, tensor<?x1000xf32>
}

// -----

// Tests that a static result above the limit (Conv pads of 2^40) is refused,
// naming the op.
func.func @huge_pads(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x2199023255555x3xf32> {
  // expected-error @+1 {{its result #0 ('tensor<1x1x2199023255555x3xf32>') has 26388279066660 bytes, above the limit of 1000 bytes for one tensor (--max-tensor-bytes)}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1099511627776, 0, 1099511627776, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2199023255555x3xf32>
  return %0 : tensor<1x1x2199023255555x3xf32>
}

// -----

// Tests that a result whose byte count overflows 64 bits is refused.
func.func @overflow(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  // expected-error @+1 {{its result #0 ('tensor<4611686018427387904x4xf32>') has more bytes than fit in 64 bits}}
  %0 = graph.relu %x : (tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32>
  return %0 : tensor<4611686018427387904x4xf32>
}
