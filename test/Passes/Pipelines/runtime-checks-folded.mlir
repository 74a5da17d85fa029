// RUN: exaforge-opt %s --exaforge-graph-to-linalg -split-input-file | FileCheck %s

// Run-time checks that compare a size with itself fold away in the
// graph-to-linalg pipeline: canonicalization resolves each size to a
// `tensor.dim` of the same tensor, CSE merges those, and the canonicalize
// after CSE folds the comparisons to true and erases the checks (and the
// run-time broadcasts they guard). Checks of sizes that may differ stay.

// Tests that the broadcast checks of Add and Mul of a tensor and its Relu
// (one size, N) fold: 4 checks and 4 guarded reads without the canonicalize
// after CSE, none with it.
// CHECK-LABEL: func.func @same_size
// CHECK-NOT: cf.assert
// CHECK-NOT: scf.if
// CHECK: return
func.func @same_size(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = graph.relu %x : (tensor<?xf32>) -> tensor<?xf32>
  %1 = graph.add %0, %x : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %2 = graph.mul %1, %0 : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  return %2 : tensor<?xf32>
}

// -----

// Tests that the checks of two independent sizes stay, one per operand of
// each op.
// CHECK-LABEL: func.func @two_sizes
// CHECK-COUNT-4: cf.assert
// CHECK-NOT: cf.assert
// CHECK: return
func.func @two_sizes(%x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %0 = graph.relu %x : (tensor<?xf32>) -> tensor<?xf32>
  %1 = graph.add %0, %y : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %2 = graph.mul %1, %0 : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  return %2 : tensor<?xf32>
}
