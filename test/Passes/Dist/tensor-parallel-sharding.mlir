// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --dist-tensor-parallel-sharding=ranks=2 | FileCheck %s
// RUN: not exaforge-opt %s --split-input-file \
// RUN:   --dist-tensor-parallel-sharding=ranks=0 2>&1 | FileCheck %s --check-prefix=ZERO

// ZERO: error: tensor parallelism needs at least one rank, got 0

// A 3-layer MLP: the first Gemm is column-parallel (weight and bias split by
// output features), the second row-parallel (weight split by input features,
// bias a partial constant: added on one rank), so the pair needs one sum. The
// third layer's split would have to be gathered for the output: it stays
// replicated.

// CHECK:       dist.mesh @mesh axes = ["tp"] shape = [2]
// CHECK-LABEL: func.func @main
// CHECK:       graph.gemm %arg0, {{.*}} {dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>, #dist.sharding<@mesh, {{\[}}["tp"], []]>, #dist.sharding<@mesh, {{\[}}["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"]]>]
// CHECK:       graph.relu {{.*}} {dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"]]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"]]>]}
// CHECK:       graph.gemm {{.*}} {dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"]]>, #dist.sharding<@mesh, {{\[}}[], ["tp"]]>, #dist.sharding<@mesh, {{\[}}[]], partial = ["tp"]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []], partial = ["tp"]>]
// CHECK:       graph.relu {{.*}} {dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]}
// CHECK:       graph.gemm {{.*}} {dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>, #dist.sharding<@mesh, {{\[}}[], []]>, #dist.sharding<@mesh, {{\[}}[]]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]
// CHECK:       return {dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]
func.func @main(%x: tensor<?x8xf32> {graph.name = "x"}) -> (tensor<?x4xf32> {graph.name = "y"}) {
  %w1 = graph.constant dense<1.0> : tensor<16x8xf32>
  %b1 = graph.constant dense<0.5> : tensor<16xf32>
  %w2 = graph.constant dense<2.0> : tensor<8x16xf32>
  %b2 = graph.constant dense<0.25> : tensor<8xf32>
  %w3 = graph.constant dense<3.0> : tensor<4x8xf32>
  %b3 = graph.constant dense<0.125> : tensor<4xf32>
  %0 = graph.gemm %x, %w1, %b1 {trans_b = true} : (tensor<?x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %1 = graph.relu %0 : (tensor<?x16xf32>) -> tensor<?x16xf32>
  %2 = graph.gemm %1, %w2, %b2 {trans_b = true} : (tensor<?x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %3 = graph.relu %2 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %4 = graph.gemm %3, %w3, %b3 {trans_b = true} : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %4 : tensor<?x4xf32>
}

// -----

// Attention: q, k and v are column-parallel; the Reshape to heads carries the
// split to the head dimension, Transpose, the batched MatMuls, Where and
// Softmax keep it; the merge Reshape brings it back to the hidden dimension,
// where the output projection is row-parallel. Its bias is added to the
// partial sum on one rank; the residual Add needs the whole sum.

// CHECK-LABEL: func.func @main
// CHECK-COUNT-3: graph.mat_mul %arg0, {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], ["tp"]]>]
// CHECK-COUNT-3: graph.reshape {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], ["tp"], []]>]
// CHECK-COUNT-3: graph.transpose {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>]
// CHECK:       graph.mat_mul {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>, #dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>]
// CHECK:       graph.where {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>, #dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>, #dist.sharding<@mesh, []>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>]
// CHECK:       graph.softmax {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>]
// CHECK:       graph.mat_mul {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], ["tp"], [], []]>]
// CHECK:       graph.transpose {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], ["tp"], []]>]
// CHECK:       graph.reshape {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], ["tp"]]>]
// CHECK:       graph.mat_mul {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], [], ["tp"]]>, #dist.sharding<@mesh, {{\[}}["tp"], []]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], []], partial = ["tp"]>]
// CHECK:       graph.add {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], [], []], partial = ["tp"]>, #dist.sharding<@mesh, {{\[}}[]], partial = ["tp"]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], []], partial = ["tp"]>]
// CHECK:       graph.add %arg0, {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], [], []]>, #dist.sharding<@mesh, {{\[}}[], [], []]>], dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], []]>]
// CHECK:       graph.layer_normalization {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], [], []]>]
func.func @main(%x: tensor<?x4x8xf32> {graph.name = "x"}) -> (tensor<?x4x8xf32> {graph.name = "y"}) {
  %wq = graph.constant dense<0.1> : tensor<8x8xf32>
  %wk = graph.constant dense<0.2> : tensor<8x8xf32>
  %wv = graph.constant dense<0.3> : tensor<8x8xf32>
  %bq = graph.constant dense<0.01> : tensor<8xf32>
  %wo = graph.constant dense<0.4> : tensor<8x8xf32>
  %bo = graph.constant dense<0.02> : tensor<8xf32>
  %heads = graph.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %merged = graph.constant dense<[0, 0, 8]> : tensor<3xi64>
  %mask = graph.constant dense<true> : tensor<4x4xi1>
  %neg = graph.constant dense<-1.0e9> : tensor<f32>
  %gamma = graph.constant dense<1.0> : tensor<8xf32>
  %q0 = graph.mat_mul %x, %wq : (tensor<?x4x8xf32>, tensor<8x8xf32>) -> tensor<?x4x8xf32>
  %q1 = graph.add %q0, %bq : (tensor<?x4x8xf32>, tensor<8xf32>) -> tensor<?x4x8xf32>
  %k0 = graph.mat_mul %x, %wk : (tensor<?x4x8xf32>, tensor<8x8xf32>) -> tensor<?x4x8xf32>
  %v0 = graph.mat_mul %x, %wv : (tensor<?x4x8xf32>, tensor<8x8xf32>) -> tensor<?x4x8xf32>
  %q2 = graph.reshape %q1, %heads : (tensor<?x4x8xf32>, tensor<4xi64>) -> tensor<?x4x2x4xf32>
  %k2 = graph.reshape %k0, %heads : (tensor<?x4x8xf32>, tensor<4xi64>) -> tensor<?x4x2x4xf32>
  %v2 = graph.reshape %v0, %heads : (tensor<?x4x8xf32>, tensor<4xi64>) -> tensor<?x4x2x4xf32>
  %q3 = graph.transpose %q2 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x2x4xf32>) -> tensor<?x2x4x4xf32>
  %k3 = graph.transpose %k2 {perm = array<i64: 0, 2, 3, 1>} : (tensor<?x4x2x4xf32>) -> tensor<?x2x4x4xf32>
  %v3 = graph.transpose %v2 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x2x4xf32>) -> tensor<?x2x4x4xf32>
  %s0 = graph.mat_mul %q3, %k3 : (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %s1 = graph.where %mask, %s0, %neg : (tensor<4x4xi1>, tensor<?x2x4x4xf32>, tensor<f32>) -> tensor<?x2x4x4xf32>
  %p = graph.softmax %s1 {axis = -1 : i64} : (tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %c0 = graph.mat_mul %p, %v3 : (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %c1 = graph.transpose %c0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x2x4x4xf32>) -> tensor<?x4x2x4xf32>
  %c2 = graph.reshape %c1, %merged : (tensor<?x4x2x4xf32>, tensor<3xi64>) -> tensor<?x4x8xf32>
  %o0 = graph.mat_mul %c2, %wo : (tensor<?x4x8xf32>, tensor<8x8xf32>) -> tensor<?x4x8xf32>
  %o1 = graph.add %o0, %bo : (tensor<?x4x8xf32>, tensor<8xf32>) -> tensor<?x4x8xf32>
  %r = graph.add %x, %o1 : (tensor<?x4x8xf32>, tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  %n = graph.layer_normalization %r, %gamma {axis = -1 : i64} : (tensor<?x4x8xf32>, tensor<8xf32>) -> tensor<?x4x8xf32>
  return %n : tensor<?x4x8xf32>
}

// -----

// An op the pass does not know (Concat) takes its operands replicated: the
// layer that would feed it a split stays whole, so nothing is gathered.

// CHECK-LABEL: func.func @main
// CHECK:       graph.mat_mul {{.*}}dist.result_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>]
// CHECK:       graph.concat {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>, #dist.sharding<@mesh, {{\[}}[], []]>]
// expected-warning @below {{tensor parallelism over 2 ranks splits nothing}}
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x16xf32> {
  %w = graph.constant dense<1.0> : tensor<8x8xf32>
  %0 = graph.mat_mul %x, %w : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  %1 = graph.concat %0, %x {axis = 1 : i64} : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x16xf32>
  return %1 : tensor<?x16xf32>
}

// -----

// A weight whose output features do not divide by the ranks stays whole.

// CHECK-LABEL: func.func @main
// CHECK:       graph.mat_mul {{.*}}dist.operand_shardings = [#dist.sharding<@mesh, {{\[}}[], []]>, #dist.sharding<@mesh, {{\[}}[], []]>]
// expected-warning @below {{tensor parallelism over 2 ranks splits nothing}}
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %w1 = graph.constant dense<1.0> : tensor<8x5xf32>
  %w2 = graph.constant dense<1.0> : tensor<5x8xf32>
  %0 = graph.mat_mul %x, %w1 : (tensor<?x8xf32>, tensor<8x5xf32>) -> tensor<?x5xf32>
  %1 = graph.mat_mul %0, %w2 : (tensor<?x5xf32>, tensor<5x8xf32>) -> tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}

// -----

// The "tp" axis of a mesh declared by dist-declare-mesh is used as it is.

// CHECK: dist.mesh @mesh axes = ["dp", "tp"] shape = [3, 2]
dist.mesh @mesh axes = ["dp", "tp"] shape = [3, 2]
// expected-warning @below {{tensor parallelism over 2 ranks splits nothing}}
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{the mesh has no "tp" axis (dist-declare-mesh declares the axes of every parallelism the module is compiled for)}}
dist.mesh @mesh axes = ["dp"] shape = [3]
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{the "tp" axis of the mesh has size 4, but the pass partitions over 2}}
dist.mesh @mesh axes = ["tp"] shape = [4]
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{tensor parallelism needs a @main function with a body}}
module {
  func.func @other(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
    return %x : tensor<?x8xf32>
  }
}

// -----

// expected-error @+1 {{tensor parallelism needs @main to have a single block}}
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  cf.br ^next
^next:
  return %x : tensor<?x8xf32>
}
