// RUN: exaforge-opt %s --split-input-file --exaforge-graph-optimize | FileCheck %s
// RUN: exaforge-opt %s --split-input-file --exaforge-graph-optimize --graph-outline-weights | FileCheck %s --check-prefix=OUTLINE
// RUN: exaforge-opt %s --split-input-file --dist-split-fused-projections | FileCheck %s --check-prefix=SPLIT

// Elided weights (a dense_resource whose resource has no data, as a
// shapes-only import makes them, see dialects/Graph/ElidedElements.h) pass
// through the graph and tensor-parallel passes untouched: nothing folds or
// merges them, and none of them gets data (no dialect_resources section).

// Tests that folds and CSE leave distinct elided constants apart, and that a
// Transpose of an elided weight is not folded.
// CHECK-LABEL: func.func @no_fold
// CHECK-DAG:   %[[A:.*]] = graph.constant dense_resource<a> : tensor<8xf32>
// CHECK-DAG:   %[[B:.*]] = graph.constant dense_resource<b> : tensor<8xf32>
// CHECK-DAG:   %[[W:.*]] = graph.constant dense_resource<w> : tensor<8x8xf32>
// CHECK:       %[[S:.*]] = graph.add %[[A]], %[[B]]
// CHECK:       graph.mul %[[S]], %[[B]]
// CHECK:       graph.transpose %[[W]]
// CHECK-NOT:   dialect_resources
// OUTLINE-LABEL: func.func @no_fold
// OUTLINE-NEXT: %[[A:.*]] = graph.weight_ref @a : tensor<8xf32>
// OUTLINE-NEXT: %[[B:.*]] = graph.weight_ref @b : tensor<8xf32>
// OUTLINE-NEXT: graph.add %[[A]], %[[B]]
// OUTLINE: graph.weight_ref @w : tensor<8x8xf32>
// OUTLINE: graph.weight @a : tensor<8xf32> = dense_resource<a> : tensor<8xf32>
// OUTLINE-NEXT: graph.weight @b : tensor<8xf32> = dense_resource<b> : tensor<8xf32>
// OUTLINE-NEXT: graph.weight @w : tensor<8x8xf32> = dense_resource<w> : tensor<8x8xf32>
// OUTLINE-NOT: dialect_resources
func.func @no_fold(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %a = graph.constant dense_resource<a> : tensor<8xf32>
  %b = graph.constant dense_resource<b> : tensor<8xf32>
  %w = graph.constant dense_resource<w> : tensor<8x8xf32>
  %0 = graph.add %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %1 = graph.mul %0, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %t = graph.transpose %w {perm = array<i64: 1, 0>} : (tensor<8x8xf32>) -> tensor<8x8xf32>
  %2 = graph.mat_mul %x, %t : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %3 = graph.add %2, %1 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %3 : tensor<2x8xf32>
}

// -----

// Tests that a BatchNormalization after a Conv whose weight is elided is not
// folded into it (folding needs the weight's values).
// CHECK-LABEL: func.func @batch_norm
// CHECK:       %[[W:.*]] = graph.constant dense_resource<conv_w> : tensor<2x1x1x1xf32>
// CHECK:       %[[C:.*]] = graph.conv %{{.*}}, %[[W]]
// CHECK:       graph.batch_normalization %[[C]]
// CHECK-NOT:   dialect_resources
func.func @batch_norm(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = graph.constant dense_resource<conv_w> : tensor<2x1x1x1xf32>
  %s = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %v = graph.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.batch_normalization %0, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Tests that cutting a fused projection with an elided weight and bias gives
// elided parts of the right shapes, named after them.
// SPLIT-LABEL: func.func @fused
// SPLIT:       %[[W0:.*]] = graph.constant dense_resource<qkv.weight.part0> : tensor<4x4xf32>
// SPLIT:       %[[M0:.*]] = graph.mat_mul %arg0, %[[W0]]
// SPLIT:       %[[B0:.*]] = graph.constant dense_resource<qkv.bias.part0> : tensor<4xf32>
// SPLIT:       graph.add %[[M0]], %[[B0]]
// SPLIT:       graph.constant dense_resource<qkv.weight.part1> : tensor<4x4xf32>
// SPLIT:       graph.constant dense_resource<qkv.bias.part1> : tensor<4xf32>
// SPLIT:       graph.constant dense_resource<qkv.weight.part2> : tensor<4x4xf32>
// SPLIT:       graph.constant dense_resource<qkv.bias.part2> : tensor<4xf32>
// SPLIT-NOT:   graph.split
// SPLIT-NOT:   dialect_resources
func.func @fused(%x: tensor<?x3x4xf32>) -> (tensor<?x3x4xf32>, tensor<?x3x4xf32>, tensor<?x3x4xf32>) {
  %w = graph.constant dense_resource<qkv.weight> : tensor<4x12xf32>
  %b = graph.constant dense_resource<qkv.bias> : tensor<12xf32>
  %s = graph.constant dense<4> : tensor<3xi64>
  %0 = graph.mat_mul %x, %w : (tensor<?x3x4xf32>, tensor<4x12xf32>) -> tensor<?x3x12xf32>
  %1 = graph.add %0, %b : (tensor<?x3x12xf32>, tensor<12xf32>) -> tensor<?x3x12xf32>
  %2:3 = graph.split %1, %s {axis = -1 : i64, num_outputs = 3 : i64} : (tensor<?x3x12xf32>, tensor<3xi64>) -> (tensor<?x3x4xf32>, tensor<?x3x4xf32>, tensor<?x3x4xf32>)
  return %2#0, %2#1, %2#2 : tensor<?x3x4xf32>, tensor<?x3x4xf32>, tensor<?x3x4xf32>
}
