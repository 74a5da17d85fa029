// RUN: exaforge-opt %s --convert-graph-to-linalg --canonicalize --cse -split-input-file | FileCheck %s

// MatMul batch dimensions whose broadcast depends on sizes known only at
// run time (ONNX broadcasting): a run-time check that the sizes are equal
// or one is 1, then per operand an scf.if on whether it has the broadcast
// size: taken as is (the common case), else copied broadcast (reading index
// 0 of its size-1 batch). One product follows.
// test/BadInputs/matmul-batch-broadcast.test runs them.

// Tests both batches symbolic.
// CHECK-LABEL: func.func @both_symbolic
// CHECK-SAME: %[[A:.*]]: tensor<?x2x3xf32>, %[[B:.*]]: tensor<?x3x4xf32>
// CHECK-DAG: %[[LB:.*]] = tensor.dim %[[A]], %c0
// CHECK-DAG: %[[RB:.*]] = tensor.dim %[[B]], %c0
// CHECK-DAG: %[[L1:.*]] = arith.cmpi eq, %[[LB]], %c1
// CHECK: cf.assert %{{.*}}, "MatMul: batch dimension 0 of A and 0 of B do not broadcast (they differ and neither is 1)"
// CHECK: %[[SIZE:.*]] = arith.select %[[L1]], %[[RB]], %[[LB]]
// CHECK: %[[LHAS:.*]] = arith.cmpi eq, %[[LB]], %[[SIZE]]
// CHECK: %[[L:.*]] = scf.if %[[LHAS]] -> (tensor<?x2x3xf32>) {
// CHECK-NEXT: scf.yield %[[A]]
// CHECK-NEXT: } else {
// CHECK: tensor.empty(%[[SIZE]]) : tensor<?x2x3xf32>
// CHECK: linalg.generic
// CHECK: arith.select %[[L1]], %c0
// CHECK: tensor.extract %[[A]]
// CHECK: %[[RHAS:.*]] = arith.cmpi eq, %[[RB]], %[[SIZE]]
// CHECK: %[[R:.*]] = scf.if %[[RHAS]] -> (tensor<?x3x4xf32>) {
// CHECK-NEXT: scf.yield %[[B]]
// CHECK: tensor.extract %[[B]]
// CHECK: linalg.batch_matmul ins(%[[L]], %[[R]] : tensor<?x2x3xf32>, tensor<?x3x4xf32>)
// CHECK-NOT: linalg.batch_matmul
func.func @both_symbolic(%a: tensor<?x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x2x4xf32>
  return %0 : tensor<?x2x4xf32>
}

// -----

// Tests a symbolic batch against a static one at rank 4 (it used to build
// an invalid tensor.expand_shape): the symbolic side is cast to the static
// size, or copied broadcast to it; the static side is taken as is.
// CHECK-LABEL: func.func @symbolic_against_static
// CHECK-SAME: %[[X:.*]]: tensor<?x2x2x3xf32>, %[[W:.*]]: tensor<3x2x3x5xf32>
// CHECK: cf.assert %{{.*}}, "MatMul: batch dimension 0 of A and 0 of B do not broadcast (they differ and neither is 1)"
// CHECK: %[[L:.*]] = scf.if %{{.*}} -> (tensor<3x2x2x3xf32>) {
// CHECK-NEXT: tensor.cast %[[X]] : tensor<?x2x2x3xf32> to tensor<3x2x2x3xf32>
// CHECK: } else {
// CHECK: tensor.empty() : tensor<3x2x2x3xf32>
// CHECK: tensor.extract %[[X]]
// CHECK-NOT: scf.if
// CHECK: tensor.collapse_shape %[[L]] {{\[\[}}0, 1], [2], [3]] : tensor<3x2x2x3xf32> into tensor<6x2x3xf32>
// CHECK: tensor.collapse_shape %[[W]]
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x2x3xf32>, tensor<6x3x5xf32>)
// CHECK: tensor.expand_shape %{{.*}} output_shape [3, 2, 2, 5]
func.func @symbolic_against_static(%x: tensor<?x2x2x3xf32>, %w: tensor<3x2x3x5xf32>) -> tensor<3x2x2x5xf32> {
  %0 = graph.mat_mul %x, %w : (tensor<?x2x2x3xf32>, tensor<3x2x3x5xf32>) -> tensor<3x2x2x5xf32>
  return %0 : tensor<3x2x2x5xf32>
}

// -----

// Tests that a batch statically 1 on one side needs no run-time decision:
// the broadcast is in the contraction's indexing maps.
// CHECK-LABEL: func.func @static_one
// CHECK-NOT: scf.if
// CHECK-NOT: cf.assert
// CHECK: linalg.generic
func.func @static_one(%a: tensor<1x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<1x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x2x4xf32>
  return %0 : tensor<?x2x4xf32>
}

// -----

// Tests a batch only the left operand has next to one both have: only the
// shared one is decided at run time.
// CHECK-LABEL: func.func @different_ranks
// CHECK-COUNT-1: cf.assert
// CHECK-NOT: cf.assert
// CHECK-COUNT-2: scf.if %{{.*}} -> (tensor<
// CHECK-NOT: scf.if %{{.*}} -> (tensor<
// CHECK: linalg.generic
func.func @different_ranks(%a: tensor<?x?x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x?x2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x?x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x?x2x4xf32>
  return %0 : tensor<?x?x2x4xf32>
}
