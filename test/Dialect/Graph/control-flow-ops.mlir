// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Tests that graph.if, graph.loop and graph.yield print and parse back.

// CHECK-LABEL: func.func @if_join
// CHECK: %[[R:.*]] = graph.if %{{.*}} : tensor<i1> -> (tensor<?xf32>) {
// CHECK:   graph.yield %{{.*}} : tensor<5xf32>
// CHECK: } else {
// CHECK:   graph.yield %{{.*}} : tensor<3xf32>
// CHECK: }
func.func @if_join(%c: tensor<i1>, %a: tensor<5xf32>, %b: tensor<3xf32>) -> tensor<?xf32> {
  %0 = graph.if %c : tensor<i1> -> (tensor<?xf32>) {
    graph.yield %a : tensor<5xf32>
  } else {
    graph.yield %b : tensor<3xf32>
  }
  return %0 : tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @loop
// CHECK: graph.loop max_trip_count %{{.*}} : tensor<i64> condition %{{.*}} : tensor<i1> iter_args(%{{.*}} : tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
// CHECK: ^bb0(%{{.*}}: tensor<i64>, %[[C:.*]]: tensor<i1>, %[[Y:.*]]: tensor<1xf32>):
// CHECK:   graph.yield %[[C]], %{{.*}}, %{{.*}} : tensor<i1>, tensor<1xf32>, tensor<1xf32>
func.func @loop(%n: tensor<i64>, %c: tensor<i1>, %y0: tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  %0:2 = graph.loop max_trip_count %n : tensor<i64> condition %c : tensor<i1>
      iter_args(%y0 : tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %y: tensor<1xf32>):
    %next = graph.add %y, %y : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
    graph.yield %cond, %next, %next : tensor<i1>, tensor<1xf32>, tensor<1xf32>
  }
  return %0#0, %0#1 : tensor<1xf32>, tensor<?x1xf32>
}

// CHECK-LABEL: func.func @loop_trip_count_only
// CHECK: graph.loop max_trip_count %{{.*}} : tensor<1xi64> -> (tensor<3x2xf32>) {
func.func @loop_trip_count_only(%n: tensor<1xi64>, %x: tensor<2xf32>) -> tensor<3x2xf32> {
  %0 = graph.loop max_trip_count %n : tensor<1xi64> -> (tensor<3x2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>):
    graph.yield %cond, %x : tensor<i1>, tensor<2xf32>
  }
  return %0 : tensor<3x2xf32>
}
