// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(canonicalize),graph-infer-shapes)' -split-input-file | FileCheck %s

// Tests that a reshape whose shape came from a folded Shape chain gets a static result type, and the function signature follows.
// CHECK-LABEL: func @reshape_from_shape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>) -> tensor<2x12xf32>
func.func @reshape_from_shape_chain(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  // CHECK: %[[S:.*]] = graph.constant dense<[2, -1]> : tensor<2xi64>
  // CHECK: %[[R:.*]] = graph.reshape %[[X]], %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  // CHECK: return %[[R]] : tensor<2x12xf32>
  %shape = graph.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i0 = graph.constant dense<0> : tensor<i64>
  %batch = graph.gather %shape, %i0 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %axes = graph.constant dense<0> : tensor<1xi64>
  %batch1 = graph.unsqueeze %batch, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %minus1 = graph.constant dense<-1> : tensor<1xi64>
  %target = graph.concat %batch1, %minus1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %0 = graph.reshape %x, %target : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that refined static dimensions of a dynamic-batch model flow through later graph ops into the signature.
// CHECK-LABEL: func @dynamic_batch_flatten
// CHECK-SAME: -> tensor<?x12xf32>
func.func @dynamic_batch_flatten(%x: tensor<?x3x4xf32>, %bias: tensor<12xf32>) -> tensor<?x?xf32> {
  // CHECK: %[[S:.*]] = graph.constant dense<[-1, 12]> : tensor<2xi64>
  // CHECK: %[[R:.*]] = graph.reshape %{{.*}}, %[[S]] : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  // CHECK: %[[A:.*]] = graph.add %[[R]], %{{.*}} : (tensor<?x12xf32>, tensor<12xf32>) -> tensor<?x12xf32>
  // CHECK: %[[RELU:.*]] = graph.relu %[[A]] : (tensor<?x12xf32>) -> tensor<?x12xf32>
  // CHECK: return %[[RELU]] : tensor<?x12xf32>
  %dims = graph.shape %x {start = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  %i0 = graph.constant dense<0> : tensor<1xi64>
  %i1 = graph.constant dense<1> : tensor<1xi64>
  %d1 = graph.gather %dims, %i0 {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d2 = graph.gather %dims, %i1 {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %features = graph.mul %d1, %d2 : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %minus1 = graph.constant dense<-1> : tensor<1xi64>
  %target = graph.concat %minus1, %features {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %0 = graph.reshape %x, %target : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %1 = graph.add %0, %bias : (tensor<?x?xf32>, tensor<12xf32>) -> tensor<?x?xf32>
  %2 = graph.relu %1 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// Tests that a result used by a non-graph op keeps its type while one used only by graph ops and the return is refined.
func.func private @consume(tensor<?x?xf32>)

// CHECK-LABEL: func @non_graph_user
// CHECK-SAME: -> tensor<2x12xf32>
func.func @non_graph_user(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  // CHECK: %[[A:.*]] = graph.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK: call @consume(%[[A]]) : (tensor<?x?xf32>) -> ()
  // CHECK: %[[B:.*]] = graph.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  // CHECK: return %[[B]] : tensor<2x12xf32>
  %s = graph.constant dense<[2, -1]> : tensor<2xi64>
  %0 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  func.call @consume(%0) : (tensor<?x?xf32>) -> ()
  %1 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Tests that nothing changes when the shape is only known at run time.
// CHECK-LABEL: func @runtime_shape
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>, %[[S:.*]]: tensor<2xi64>) -> tensor<?x?xf32>
func.func @runtime_shape(%x: tensor<?x3x4xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  // CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]], %[[S]] : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK-NEXT: %[[RELU:.*]] = graph.relu %[[R]] : (tensor<?x?xf32>) -> tensor<?x?xf32>
  // CHECK-NEXT: return %[[RELU]] : tensor<?x?xf32>
  %0 = graph.reshape %x, %s : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %1 = graph.relu %0 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Tests that a called function keeps its signature (call sites stay valid)
// while its inner values are refined.
// CHECK-LABEL: func @callee
// CHECK-SAME: -> tensor<?x?xf32>
// CHECK: %[[R:.*]] = graph.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<12x2xf32>
// CHECK: %[[T:.*]] = graph.transpose %[[R]] {perm = array<i64: 1, 0>} : (tensor<12x2xf32>) -> tensor<?x?xf32>
// CHECK: return %[[T]] : tensor<?x?xf32>
// CHECK-LABEL: func @caller
// CHECK: call @callee(%{{.*}}) : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
func.func @callee(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[-1, 2]> : tensor<2xi64>
  %0 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %1 = graph.transpose %0 {perm = array<i64: 1, 0>} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}
func.func @caller(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  %0 = func.call @callee(%x) : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
