// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --dist-tensor-parallel-partition | FileCheck %s

// A column-parallel then row-parallel pair, with a Reshape of the split
// activations in between. Sharded constants become weights of the local type
// that keep the global value, read right before their users; the Reshape's
// shape gets the local size of its split dimension; the partial sum is
// reduced where a replicated value is needed.

// CHECK:       dist.mesh @mesh axes = ["tp"] shape = [2]
// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x8xf32> {graph.name = "x"})
// CHECK-SAME:    -> (tensor<?x8xf32> {graph.name = "y"})
// CHECK:       %[[W1:.*]] = graph.weight_ref @w1 : tensor<8x4xf32>
// CHECK:       %[[H:.*]] = graph.mat_mul %[[X]], %[[W1]] : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
// CHECK:       %[[S:.*]] = graph.constant dense<[-1, 1, 4]> : tensor<3xi64>
// CHECK:       %[[R:.*]] = graph.reshape %[[H]], %[[S]] : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x1x4xf32>
// CHECK:       %[[S2:.*]] = graph.constant dense<[-1, 4]> : tensor<2xi64>
// CHECK:       %[[M:.*]] = graph.reshape %[[R]], %[[S2]] : (tensor<?x1x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
// CHECK:       %[[W2:.*]] = graph.weight_ref @w2 : tensor<4x8xf32>
// CHECK:       %[[P:.*]] = graph.mat_mul %[[M]], %[[W2]] : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x8xf32>
// CHECK:       %[[B:.*]] = graph.weight_ref @tp_const : tensor<8xf32>
// CHECK:       %[[PB:.*]] = graph.add %[[P]], %[[B]] : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK:       %[[SUM:.*]] = dist.all_reduce %[[PB]] on @mesh axes = ["tp"] reduction = <sum> : tensor<?x8xf32>
// CHECK:       %[[Y:.*]] = graph.add %[[X]], %[[SUM]]
// CHECK:       return %[[Y]]
// CHECK:       graph.weight @w1 : tensor<8x4xf32> = dense_resource<w1> : tensor<8x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}[], ["tp"]]>}
// CHECK-NEXT:  graph.weight @w2 : tensor<4x8xf32> = dense_resource<w2> : tensor<8x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}["tp"], []]>}
// CHECK-NEXT:  graph.weight @tp_const : tensor<8xf32> = dense<5.000000e-01> : tensor<8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}[]], partial = ["tp"]>}
dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<?x8xf32> {graph.name = "x"}) -> (tensor<?x8xf32> {graph.name = "y"}) {
  %w1 = graph.constant dense_resource<w1> : tensor<8x8xf32>
  %w2 = graph.constant dense_resource<w2> : tensor<8x8xf32>
  %b = graph.constant dense<0.5> : tensor<8xf32>
  %shape = graph.constant dense<[-1, 2, 4]> : tensor<3xi64>
  %flat = graph.constant dense<[-1, 8]> : tensor<2xi64>
  %0 = graph.mat_mul %x, %w1 {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], ["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  %1 = graph.reshape %0, %shape {dist.operand_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>, #dist.sharding<@mesh, [[]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"], []]>]} : (tensor<?x8xf32>, tensor<3xi64>) -> tensor<?x2x4xf32>
  %2 = graph.reshape %1, %flat {dist.operand_shardings = [#dist.sharding<@mesh, [[], ["tp"], []]>, #dist.sharding<@mesh, [[]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<?x2x4xf32>, tensor<2xi64>) -> tensor<?x8xf32>
  %3 = graph.mat_mul %2, %w2 {dist.operand_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>, #dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []], partial = ["tp"]>]} : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  %4 = graph.add %3, %b {dist.operand_shardings = [#dist.sharding<@mesh, [[], []], partial = ["tp"]>, #dist.sharding<@mesh, [[]], partial = ["tp"]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []], partial = ["tp"]>]} : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %5 = graph.add %x, %4 {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []]>]} : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = []} %5 : tensor<?x8xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w1: "0x04000000",
      w2: "0x04000000"
    }
  }
#-}

// -----

// Other reshardings: a split value used whole is gathered, a partial sum used
// split is reduce-scattered, each once however many users need it. A result
// returned split gets its local type and records its sharding.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<2x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}["tp"], []]>})
// CHECK:       %[[W1:.*]] = graph.weight_ref @tp_const : tensor<8x4xf32>
// CHECK:       %[[A:.*]] = graph.mat_mul %arg0, %[[W1]] : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
// CHECK:       %[[G:.*]] = dist.all_gather %[[A]] on @mesh axes = ["tp"] dim = 1 : tensor<4x4xf32> -> tensor<4x8xf32>
// CHECK:       %[[W2:.*]] = graph.weight_ref @tp_const.1 : tensor<4x8xf32>
// CHECK:       %[[P:.*]] = graph.mat_mul %[[A]], %[[W2]] : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK:       %[[RS:.*]] = dist.reduce_scatter %[[P]] on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<4x8xf32> -> tensor<2x8xf32>
// CHECK:       graph.exp %[[G]]
// CHECK:       graph.exp %[[G]]
// CHECK:       graph.exp %[[RS]]
// CHECK-NOT:   dist.
// CHECK:       return
// CHECK:       graph.weight @tp_const : tensor<8x4xf32> = dense<1.000000e+00> : tensor<8x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}[], ["tp"]]>}
// CHECK-NEXT:  graph.weight @tp_const.1 : tensor<4x8xf32> = dense<2.000000e+00> : tensor<8x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}["tp"], []]>}
dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %w1 = graph.constant dense<1.0> : tensor<8x8xf32>
  %w2 = graph.constant dense<2.0> : tensor<8x8xf32>
  %0 = graph.mat_mul %x, %w1 {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], ["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = graph.mat_mul %0, %w2 {dist.operand_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>, #dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []], partial = ["tp"]>]} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %2 = graph.exp %0 {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = graph.exp %0 {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = graph.exp %1 {dist.operand_shardings = [#dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = [#dist.sharding<@mesh, [["tp"], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = []} %2, %3, %4 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A module without annotations is left alone.

// CHECK-LABEL: func.func @main
// CHECK-NEXT:  graph.relu
// CHECK-NEXT:  return
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.relu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'graph.relu' op cannot split the replicated operand at run time (sharding #dist.sharding<@mesh, [[], ["tp"]]>)}}
  %0 = graph.relu %x {dist.operand_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = []} %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = graph.constant dense<1.0> : tensor<5x8xf32>
  // expected-error @+1 {{'graph.gemm' op cannot split dimension 0 of size 5 over 2 tensor-parallel ranks}}
  %0 = graph.gemm %x, %w {trans_b = true, dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<4x8xf32>, tensor<5x8xf32>) -> tensor<4x5xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = []} %x : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.relu %x {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // expected-error @+1 {{'func.return' op has no 'dist.operand_shardings' annotation (run dist-tensor-parallel-sharding first)}}
  return %0 : tensor<4x8xf32>
}

// -----

// expected-error @+1 {{tensor-parallel annotations need a 'dist.mesh' @mesh with a "tp" axis}}
module {
  dist.mesh @mesh axes = ["dp"] shape = [2]
  func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %0 = graph.relu %x {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
    return %0 : tensor<4x8xf32>
  }
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = graph.constant dense<1.0> : tensor<8x8xf32>
  %0 = graph.mat_mul %x, %w {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], ["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  // expected-error @+1 {{'graph.relu' op cannot reshard an operand from #dist.sharding<@mesh, [[], ["tp"]]> to #dist.sharding<@mesh, [["tp"], []]>}}
  %1 = graph.relu %0 {dist.operand_shardings = [#dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = [#dist.sharding<@mesh, [["tp"], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [["tp"], []]>], dist.result_shardings = []} %1 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'graph.relu' op 'dist.operand_shardings' has 2 entries for 1 values}}
  %0 = graph.relu %x {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], []]>], dist.result_shardings = [#dist.sharding<@mesh, [[], []]>]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = []} %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'graph.relu' op 'dist.result_shardings' must hold #dist.sharding attributes, got 1 : i64}}
  %0 = graph.relu %x {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = [1]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>], dist.result_shardings = []} %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<4x6xf32>) -> tensor<4x3x2xf32> {
  %w = graph.constant dense<1.0> : tensor<6x6xf32>
  %shape = graph.constant dense<[4, 3, 2]> : tensor<3xi64>
  %0 = graph.mat_mul %x, %w {dist.operand_shardings = [#dist.sharding<@mesh, [[], []]>, #dist.sharding<@mesh, [[], ["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>]} : (tensor<4x6xf32>, tensor<6x6xf32>) -> tensor<4x6xf32>
  // expected-error @+1 {{'graph.reshape' op cannot split dimension 1 of size 3 over 2 tensor-parallel ranks}}
  %1 = graph.reshape %0, %shape {dist.operand_shardings = [#dist.sharding<@mesh, [[], ["tp"]]>, #dist.sharding<@mesh, [[]]>], dist.result_shardings = [#dist.sharding<@mesh, [[], ["tp"], []]>]} : (tensor<4x6xf32>, tensor<3xi64>) -> tensor<4x3x2xf32>
  return {dist.operand_shardings = [#dist.sharding<@mesh, [[], [], []]>], dist.result_shardings = []} %1 : tensor<4x3x2xf32>
}
