// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests a matrix product with dynamic M and N: linalg.matmul into a
// zero-filled tensor sized by tensor.dim.
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: %[[A:.*]]: tensor<?x8xf32>, %[[B:.*]]: tensor<8x?xf32>
// CHECK-DAG: %[[M:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x8xf32>
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[B]], %{{.*}} : tensor<8x?xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[M]], %[[N]]) : tensor<?x?xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<?x?xf32>)
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<?x8xf32>, tensor<8x?xf32>) outs(%[[INIT]] : tensor<?x?xf32>)
func.func @matmul_2d(%a: tensor<?x8xf32>, %b: tensor<8x?xf32>) -> tensor<?x?xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x8xf32>, tensor<8x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that a batched left operand times a matrix folds the batch into the
// rows of one linalg.matmul.
// CHECK-LABEL: func.func @matmul_batch_times_matrix
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<?x4x8xf32> into tensor<?x8xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[ROWS]], %{{.*}} : tensor<?x8xf32>, tensor<8x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, 4, 16] : tensor<?x16xf32> into tensor<?x4x16xf32>
func.func @matmul_batch_times_matrix(%a: tensor<?x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<?x4x16xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x4x8xf32>, tensor<8x16xf32>) -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// Tests that equal batch dimensions are collapsed for linalg.batch_matmul.
// CHECK-LABEL: func.func @matmul_equal_batches
// CHECK: %[[L:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<2x3x4x8xf32> into tensor<6x4x8xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<2x3x8x16xf32> into tensor<6x8x16xf32>
// CHECK: %[[BMM:.*]] = linalg.batch_matmul ins(%[[L]], %[[R]] : tensor<6x4x8xf32>, tensor<6x8x16xf32>)
// CHECK: tensor.expand_shape %[[BMM]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 4, 16]
func.func @matmul_equal_batches(%a: tensor<2x3x4x8xf32>, %b: tensor<2x3x8x16xf32>) -> tensor<2x3x4x16xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<2x3x4x8xf32>, tensor<2x3x8x16xf32>) -> tensor<2x3x4x16xf32>
  return %0 : tensor<2x3x4x16xf32>
}

// -----

// Tests that rank-3 operands with equal batches use linalg.batch_matmul
// directly.
// CHECK-LABEL: func.func @matmul_rank3
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<?x4x8xf32>, tensor<?x8x16xf32>)
func.func @matmul_rank3(%a: tensor<?x4x8xf32>, %b: tensor<?x8x16xf32>) -> tensor<?x4x16xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x4x8xf32>, tensor<?x8x16xf32>) -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// Tests broadcast batch dimensions: a linalg.generic contraction whose lhs
// map reads index 0 of its size-1 batch dimension.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @matmul_broadcast_batch(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<2x1x4x8xf32>, tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32>
  return %0 : tensor<2x3x4x16xf32>
}

// -----

// Tests 1-D promotion of the left operand: expanded to 1xK, the unit row
// collapsed away at the end.
// CHECK-LABEL: func.func @matmul_vector_lhs
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK: linalg.generic
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<3x1x16xf32> into tensor<3x16xf32>
func.func @matmul_vector_lhs(%a: tensor<8xf32>, %b: tensor<3x8x16xf32>) -> tensor<3x16xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<8xf32>, tensor<3x8x16xf32>) -> tensor<3x16xf32>
  return %0 : tensor<3x16xf32>
}

// -----

// Tests the integer dot product of two vectors (both promoted).
// CHECK-LABEL: func.func @matmul_dot_int
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 8]
// CHECK: tensor.expand_shape %{{.*}} output_shape [8, 1]
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} -> tensor<1x1xi32>
// CHECK: tensor.collapse_shape %[[MM]] [] : tensor<1x1xi32> into tensor<i32>
func.func @matmul_dot_int(%a: tensor<8xi32>, %b: tensor<8xi32>) -> tensor<i32> {
  %0 = graph.mat_mul %a, %b : (tensor<8xi32>, tensor<8xi32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// Tests Gemm without transposes or C: a plain linalg.matmul.
// CHECK-LABEL: func.func @gemm_plain
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[MM]]
func.func @gemm_plain(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.gemm %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Tests Gemm with both transposes, alpha, beta and a broadcast C: the
// transposes are indexing maps of linalg.matmul (it stays a named op, which
// becomes a oneDNN call).
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm_transposed
// CHECK: %[[AB:.*]] = linalg.matmul indexing_maps = [#[[A]], #[[B]], #[[MN]]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[C]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[AB]], %{{.*}} : tensor<?x16xf32>, tensor<16xf32>)
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: arith.addf
func.func @gemm_transposed(%a: tensor<8x?xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>) -> tensor<?x16xf32> {
  %0 = graph.gemm %a, %b, %c {trans_a = true, trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32}
      : (tensor<8x?xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// Tests that a MatMul whose right operand is a transposed matrix (a tied
// embedding, x @ W^T) reads the matrix through a transposed indexing map
// instead of using the transposed copy, which is left dead.
// CHECK-DAG: #[[MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_transposed_weight
// CHECK-SAME: %[[X:.*]]: tensor<?x4x8xf32>, %[[W:.*]]: tensor<16x8xf32>
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]]
// CHECK: linalg.matmul indexing_maps = [#[[MK]], #[[NK]], #[[MN]]] ins(%[[ROWS]], %[[W]] : tensor<?x8xf32>, tensor<16x8xf32>)
func.func @matmul_transposed_weight(%x: tensor<?x4x8xf32>, %w: tensor<16x8xf32>) -> tensor<?x4x16xf32> {
  %wt = graph.transpose %w {perm = array<i64: 1, 0>} : (tensor<16x8xf32>) -> tensor<8x16xf32>
  %0 = graph.mat_mul %x, %wt : (tensor<?x4x8xf32>, tensor<8x16xf32>) -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}
