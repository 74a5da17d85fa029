// RUN: exaforge-opt %s --split-input-file --convert-graph-control-flow-to-scf | FileCheck %s

// Tests that graph.if becomes scf.if on the extracted condition, with a cast
// where a branch yields a more static type than the result.
// CHECK-LABEL: func.func @if_join
// CHECK: %[[C:.*]] = tensor.extract %arg0[] : tensor<i1>
// CHECK: %[[R:.*]] = scf.if %[[C]] -> (tensor<?xf32>) {
// CHECK:   %[[A:.*]] = tensor.cast %arg1 : tensor<5xf32> to tensor<?xf32>
// CHECK:   scf.yield %[[A]] : tensor<?xf32>
// CHECK: } else {
// CHECK:   %[[B:.*]] = graph.relu %arg2
// CHECK:   %[[BC:.*]] = tensor.cast %[[B]] : tensor<3xf32> to tensor<?xf32>
// CHECK:   scf.yield %[[BC]] : tensor<?xf32>
// CHECK: }
// CHECK: return %[[R]]
func.func @if_join(%c: tensor<i1>, %a: tensor<5xf32>, %b: tensor<3xf32>) -> tensor<?xf32> {
  %0 = graph.if %c : tensor<i1> -> (tensor<?xf32>) {
    graph.yield %a : tensor<5xf32>
  } else {
    %r = graph.relu %b : (tensor<3xf32>) -> tensor<3xf32>
    graph.yield %r : tensor<3xf32>
  }
  return %0 : tensor<?xf32>
}

// -----

// Tests that a loop with a condition becomes an scf.while that stops at the
// trip count or when the condition fails, and grows its scan output by one
// row per iteration.
// CHECK-LABEL: func.func @loop_with_condition
// CHECK: %[[M:.*]] = tensor.extract %arg0[] : tensor<i64>
// CHECK: %[[C0:.*]] = tensor.extract %arg1[] : tensor<i1>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<0x1xf32>
// CHECK: %[[ACC0:.*]] = tensor.cast %[[EMPTY]] : tensor<0x1xf32> to tensor<?x1xf32>
// CHECK: %[[W:.*]]:4 = scf.while (%[[I:.*]] = %{{.*}}, %[[C:.*]] = %[[C0]], %[[Y:.*]] = %arg2, %[[ACC:.*]] = %[[ACC0]]) : (i64, i1, tensor<1xf32>, tensor<?x1xf32>) -> (i64, i1, tensor<1xf32>, tensor<?x1xf32>) {
// CHECK:   %[[BELOW:.*]] = arith.cmpi slt, %[[I]], %[[M]] : i64
// CHECK:   %[[GO:.*]] = arith.andi %[[C]], %[[BELOW]] : i1
// CHECK:   scf.condition(%[[GO]]) %[[I]], %[[C]], %[[Y]], %[[ACC]]
// CHECK: } do {
// CHECK: ^bb0(%[[I2:.*]]: i64, %[[C2:.*]]: i1, %[[Y2:.*]]: tensor<1xf32>, %[[ACC2:.*]]: tensor<?x1xf32>):
// CHECK:   %[[IT:.*]] = tensor.from_elements %[[I2]] : tensor<i64>
// CHECK:   %[[CT:.*]] = tensor.from_elements %[[C2]] : tensor<i1>
// CHECK:   %[[NEXT:.*]] = graph.add %[[Y2]], %[[Y2]]
// CHECK:   %[[NI:.*]] = arith.addi %[[I2]], %{{.*}} : i64
// CHECK:   %[[NC:.*]] = tensor.extract %[[CT]][] : tensor<i1>
// CHECK:   %[[POS:.*]] = arith.index_cast %[[I2]] : i64 to index
// CHECK:   %[[GROWN:.*]] = tensor.empty(%{{.*}}) : tensor<?x1xf32>
// CHECK:   %[[COPY:.*]] = tensor.insert_slice %[[ACC2]] into %[[GROWN]]
// CHECK:   %[[ROW:.*]] = tensor.insert_slice %[[NEXT]] into %[[COPY]][%[[POS]], 0] [1, 1] [1, 1] : tensor<1xf32> into tensor<?x1xf32>
// CHECK:   scf.yield %[[NI]], %[[NC]], %[[NEXT]], %[[ROW]]
// CHECK: }
// CHECK: return %[[W]]#2, %[[W]]#3
func.func @loop_with_condition(%n: tensor<i64>, %c: tensor<i1>, %y0: tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  %0:2 = graph.loop max_trip_count %n : tensor<i64> condition %c : tensor<i1>
      iter_args(%y0 : tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %y: tensor<1xf32>):
    %next = graph.add %y, %y : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
    graph.yield %cond, %next, %next : tensor<i1>, tensor<1xf32>, tensor<1xf32>
  }
  return %0#0, %0#1 : tensor<1xf32>, tensor<?x1xf32>
}

// -----

// Tests that a loop without a condition preallocates its scan output with
// the trip count and runs exactly that many iterations.
// CHECK-LABEL: func.func @loop_trip_count
// CHECK: %[[M:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<1xi64>
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[CLAMPED:.*]] = arith.maxsi %[[M]], %{{.*}} : i64
// CHECK: %[[COUNT:.*]] = arith.index_cast %[[CLAMPED]] : i64 to index
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[COUNT]]) : tensor<?x2xf32>
// CHECK: scf.while (%{{.*}} = %{{.*}}, %{{.*}} = %[[TRUE]], %{{.*}} = %[[EMPTY]])
// CHECK-NOT: tensor.empty
// CHECK: tensor.insert_slice %arg1 into
// CHECK: %[[CAST:.*]] = tensor.cast %{{.*}}#2 : tensor<?x2xf32> to tensor<3x2xf32>
// CHECK: return %[[CAST]]
func.func @loop_trip_count(%n: tensor<1xi64>, %x: tensor<2xf32>) -> tensor<3x2xf32> {
  %0 = graph.loop max_trip_count %n : tensor<1xi64> -> (tensor<3x2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>):
    graph.yield %cond, %x : tensor<i1>, tensor<2xf32>
  }
  return %0 : tensor<3x2xf32>
}
