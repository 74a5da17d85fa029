// RUN: exaforge-opt %s --dist-pipeline-partition="stages=2 microbatches=1" | FileCheck %s

// Tests that a graph.if is one op of the pipeline: the cut falls before it
// (the first MatMul costs about as much as the rest), and the value its
// then-branch uses from the first stage is received like an operand.

// CHECK-LABEL: func.func @main
// CHECK:       case 0 {
// CHECK:         %[[H:.*]] = graph.mat_mul
// CHECK-NEXT:    dist.send %[[H]] on @mesh axis = "pp" to = 1
// CHECK:       default {
// CHECK:         %[[R:.*]] = dist.recv on @mesh axis = "pp" from = 0 : tensor<?x32xf32>
// CHECK:         %[[IF:.*]] = graph.if %{{.*}} : tensor<i1> -> (tensor<?x32xf32>) {
// CHECK-NEXT:      %[[A:.*]] = graph.relu %[[R]]
// CHECK-NEXT:      graph.yield %[[A]]
// CHECK-NEXT:    } else {
// CHECK-NEXT:      graph.yield %[[R]]
// CHECK-NEXT:    }
// CHECK-NEXT:    graph.mat_mul %[[IF]]
func.func @main(%x: tensor<?x16xf32> {graph.name = "x"}) -> (tensor<?x4xf32> {graph.name = "y"}) {
  %c = graph.constant dense<true> : tensor<i1>
  %w1 = graph.constant dense<0.5> : tensor<16x32xf32>
  %w2 = graph.constant dense<0.125> : tensor<32x4xf32>
  %0 = graph.mat_mul %x, %w1 : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
  %1 = graph.if %c : tensor<i1> -> (tensor<?x32xf32>) {
    %r = graph.relu %0 : (tensor<?x32xf32>) -> tensor<?x32xf32>
    graph.yield %r : tensor<?x32xf32>
  } else {
    graph.yield %0 : tensor<?x32xf32>
  }
  %2 = graph.mat_mul %1, %w2 : (tensor<?x32xf32>, tensor<32x4xf32>) -> tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}
