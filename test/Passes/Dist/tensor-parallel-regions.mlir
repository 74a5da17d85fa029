// RUN: exaforge-opt %s --dist-tensor-parallel-sharding=ranks=2 | FileCheck %s

// Tests that a graph.if is replicated as one op: the Gemm would be
// column-parallel, but its split result reaches the If's branches, which
// run whole on every rank, so it stays replicated, and so does the If.

// CHECK-LABEL: func.func @main
// CHECK:       graph.gemm {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]
// CHECK:       graph.relu {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]
// CHECK:       graph.if {{.*}} {
// CHECK:       dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]
func.func @main(%x: tensor<?x8xf32> {graph.name = "x"}, %c: tensor<i1> {graph.name = "c"}) -> (tensor<?x16xf32> {graph.name = "y"}) {
  %w1 = graph.constant dense<1.0> : tensor<16x8xf32>
  %b1 = graph.constant dense<0.5> : tensor<16xf32>
  %0 = graph.gemm %x, %w1, %b1 {trans_b = true} : (tensor<?x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %1 = graph.relu %0 : (tensor<?x16xf32>) -> tensor<?x16xf32>
  %2 = graph.if %c : tensor<i1> -> (tensor<?x16xf32>) {
    graph.yield %1 : tensor<?x16xf32>
  } else {
    %n = graph.neg %1 : (tensor<?x16xf32>) -> tensor<?x16xf32>
    graph.yield %n : tensor<?x16xf32>
  }
  return %2 : tensor<?x16xf32>
}
