// RUN: exaforge-opt %s --convert-graph-to-linalg --canonicalize --cse -split-input-file | FileCheck %s

// MatMul batch dimensions whose broadcast depends on sizes known only at
// run time (ONNX broadcasting): a run-time check that the sizes are equal
// or one is 1, then an scf.if on whether they are equal. Equal sizes take
// the product as is; otherwise the operand whose size is 1 is broadcast
// by a copy first. test/BadInputs/matmul-batch-broadcast.test runs them.

// Tests both batches symbolic: the check, the branch on equal sizes (one
// linalg.batch_matmul on the operands), and the broadcast branch (copies
// that read index 0 of a size-1 batch, then the same product).
// CHECK-LABEL: func.func @both_symbolic
// CHECK-SAME: %[[A:.*]]: tensor<?x2x3xf32>, %[[B:.*]]: tensor<?x3x4xf32>
// CHECK-DAG: %[[LB:.*]] = tensor.dim %[[A]], %c0
// CHECK-DAG: %[[RB:.*]] = tensor.dim %[[B]], %c0
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[LB]], %[[RB]]
// CHECK: cf.assert %{{.*}}, "MatMul: batch dimension 0 of A and 0 of B do not broadcast (they differ and neither is 1)"
// CHECK: %[[R:.*]] = scf.if %[[EQ]] -> (tensor<?x2x4xf32>)
// CHECK: linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<?x2x3xf32>, tensor<?x3x4xf32>)
// CHECK: } else {
// CHECK: %[[LCOPY:.*]] = linalg.generic
// CHECK: tensor.extract %[[A]]
// CHECK: %[[RCOPY:.*]] = linalg.generic
// CHECK: tensor.extract %[[B]]
// CHECK: linalg.batch_matmul ins(%[[LCOPY]], %[[RCOPY]] : tensor<?x2x3xf32>, tensor<?x3x4xf32>)
// CHECK: return %[[R]]
func.func @both_symbolic(%a: tensor<?x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x2x4xf32>
  return %0 : tensor<?x2x4xf32>
}

// -----

// Tests a symbolic batch against a static one at rank 4 (it used to build
// an invalid tensor.expand_shape): the operands are cast to the static
// size in both branches, only the symbolic side is broadcast.
// CHECK-LABEL: func.func @symbolic_against_static
// CHECK-SAME: %[[X:.*]]: tensor<?x2x2x3xf32>, %[[W:.*]]: tensor<3x2x3x5xf32>
// CHECK: cf.assert %{{.*}}, "MatMul: batch dimension 0 of A and 0 of B do not broadcast (they differ and neither is 1)"
// CHECK: scf.if %{{.*}} -> (tensor<3x2x2x5xf32>)
// CHECK: tensor.cast %[[X]] : tensor<?x2x2x3xf32> to tensor<3x2x2x3xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x2x3xf32>, tensor<6x3x5xf32>)
// CHECK: } else {
// CHECK: linalg.generic
// CHECK: tensor.extract %[[X]]
// CHECK-NOT: tensor.extract %[[W]]
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x2x3xf32>, tensor<6x3x5xf32>)
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
// CHECK: scf.if
func.func @different_ranks(%a: tensor<?x?x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x?x2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x?x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x?x2x4xf32>
  return %0 : tensor<?x?x2x4xf32>
}
