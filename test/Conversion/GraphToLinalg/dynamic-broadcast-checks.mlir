// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// The zoo's Llama (TorchScript export, symbolic batch) adds a mask typed
// ?x?x?x? that is [1, 1, S, S] at run time to scores of 8 heads. The
// broadcast maps read a dynamic dimension as is, so each dynamic operand
// dimension is checked at run time against the result's size: a clean
// error instead of reads and writes out of bounds.
// CHECK-LABEL: func @dynamic_operand_against_static_result
// CHECK-SAME: (%[[A:.*]]: tensor<2x8xf32>, %[[B:.*]]: tensor<?x?xf32>)
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[B]], %{{.*}}
// CHECK: %[[EQ0:.*]] = arith.cmpi eq, %[[D0]], %[[C2]]
// CHECK: cf.assert %[[EQ0]], "node 'scores': Add: dimension 0 of operand 1 does not have the result's size (broadcasting a dimension whose size is known only at run time is not supported yet)"
// CHECK: %[[C8:.*]] = arith.constant 8 : index
// CHECK: %[[D1:.*]] = tensor.dim %[[B]], %{{.*}}
// CHECK: %[[EQ1:.*]] = arith.cmpi eq, %[[D1]], %[[C8]]
// CHECK: cf.assert %[[EQ1]], "node 'scores': Add: dimension 1 of operand 1
// CHECK: linalg.generic
func.func @dynamic_operand_against_static_result(%a: tensor<2x8xf32>, %b: tensor<?x?xf32>) -> tensor<2x8xf32> {
  %0 = graph.add %a, %b : (tensor<2x8xf32>, tensor<?x?xf32>) -> tensor<2x8xf32> loc("scores")
  return %0 : tensor<2x8xf32>
}

// -----

// Two inputs with a dynamic batch: the result takes the first one's size,
// the second is checked against it.
// CHECK-LABEL: func @two_dynamic_batches
// CHECK-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>)
// CHECK: %[[DA:.*]] = tensor.dim %[[A]]
// CHECK: %[[DB:.*]] = tensor.dim %[[B]]
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[DB]], %[[DA]]
// CHECK: cf.assert %[[EQ]], "Add: dimension 0 of operand 1 does not have the result's size
// CHECK: linalg.generic
func.func @two_dynamic_batches(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.add %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// One dynamic input (the one the result's size comes from) and static ones:
// nothing to check.
// CHECK-LABEL: func @one_dynamic_input
// CHECK-NOT: cf.assert
// CHECK: linalg.generic
func.func @one_dynamic_input(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = graph.add %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
