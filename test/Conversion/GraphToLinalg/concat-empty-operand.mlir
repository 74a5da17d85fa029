// RUN: exaforge-opt %s --convert-graph-to-linalg | FileCheck %s

// Tests that a concat operand empty along the axis (a folded slice past the
// end of a shape vector, as exported attention layers compute) inserts
// nothing, instead of a slice that starts past the end of the result.
// CHECK-LABEL: func @concat_empty_operand
// CHECK-SAME: (%[[A:.*]]: tensor<2xi64>, %[[B:.*]]: tensor<2xi64>)
func.func @concat_empty_operand(%a: tensor<2xi64>, %b: tensor<2xi64>) -> tensor<4xi64> {
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi64>
  // CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0] [2] [1]
  // CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][2] [2] [1]
  // CHECK-NOT: tensor.insert_slice
  // CHECK: return %[[I1]]
  %empty = graph.constant dense<> : tensor<0xi64>
  %0 = graph.concat %a, %b, %empty {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>, tensor<0xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
