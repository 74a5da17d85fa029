// RUN: exaforge-opt %s --convert-graph-to-linalg --canonicalize --cse -split-input-file | FileCheck %s

// Run-time checks where the lowering would otherwise assume: indices inside
// their axis (Gather, GatherElements) and sizes the types leave dynamic
// equal (MatMul, Concat, Reshape, LayerNormalization). Where the types or
// constants already decide, no check is emitted. run-shape-checks.test runs
// them through `exaforge run`.

// CHECK-LABEL: func.func @gather_runtime_indices
// CHECK: linalg.generic
// CHECK: cf.assert %{{.*}}, "Gather: an index is outside [-4, 3]"
func.func @gather_runtime_indices(%t: tensor<4x2xf32>, %i: tensor<?xi64>) -> tensor<?x2xf32> {
  %0 = graph.gather %t, %i {axis = 0 : i64} : (tensor<4x2xf32>, tensor<?xi64>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

// Constant indices inside the axis need no check.
// CHECK-LABEL: func.func @gather_constant_indices
// CHECK-NOT: cf.assert
func.func @gather_constant_indices(%t: tensor<4x2xf32>) -> tensor<2x2xf32> {
  %i = graph.constant dense<[3, -4]> : tensor<2xi64>
  %0 = graph.gather %t, %i {axis = 0 : i64} : (tensor<4x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK: cf.assert %{{.*}}, "GatherElements: an index is outside [-3, 2]"
// CHECK: cf.assert %{{.*}}, "GatherElements: dimension 0 of 'indices' is larger than the data's"
// CHECK: arith.minui
func.func @gather_elements(%d: tensor<?x3xf32>, %i: tensor<?x2xi64>) -> tensor<?x2xf32> {
  %0 = graph.gather_elements %d, %i {axis = 1 : i64} : (tensor<?x3xf32>, tensor<?x2xi64>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_dynamic_k
// CHECK: cf.assert %{{.*}}, "MatMul: dimension 1 of A and dimension 0 of B (the contracted sizes) differ"
// CHECK: linalg.matmul
func.func @matmul_dynamic_k(%a: tensor<2x?xf32>, %b: tensor<?x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<2x?xf32>, tensor<?x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A dynamic batch on both sides is checked to broadcast (see
// matmul-symbolic-batch.mlir); a static K is not checked.
// CHECK-LABEL: func.func @matmul_dynamic_batch
// CHECK-NOT: contracted
// CHECK: cf.assert %{{.*}}, "MatMul: batch dimension 0 of A and 0 of B do not broadcast (they differ and neither is 1)"
// CHECK: linalg.batch_matmul
func.func @matmul_dynamic_batch(%a: tensor<?x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x2x4xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<?x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x2x4xf32>
  return %0 : tensor<?x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: cf.assert %{{.*}}, "Concat: dimension 1 of input 1 differs from input 0's (only the axis 0 may differ)"
// CHECK: tensor.extract_slice
// CHECK: tensor.insert_slice
func.func @concat(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// The same dynamic size on both sides needs no check.
// CHECK-LABEL: func.func @concat_same_other_dims
// CHECK-NOT: cf.assert
func.func @concat_same_other_dims(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_runtime_shape
// CHECK: cf.assert %{{.*}}, "Reshape: the shape does not have the input's element count (or has a negative entry other than -1)"
func.func @reshape_runtime_shape(%x: tensor<?xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = graph.reshape %x, %s : (tensor<?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// [d, 768] to [d, 12, 64] (0 copies d): the element counts are equal.
// CHECK-LABEL: func.func @reshape_copied_dim
// CHECK-NOT: cf.assert
func.func @reshape_copied_dim(%x: tensor<?x768xf32>) -> tensor<?x12x64xf32> {
  %s = graph.constant dense<[0, 12, 64]> : tensor<3xi64>
  %0 = graph.reshape %x, %s : (tensor<?x768xf32>, tensor<3xi64>) -> tensor<?x12x64xf32>
  return %0 : tensor<?x12x64xf32>
}

// -----

// CHECK-LABEL: func.func @layer_norm_dynamic_scale
// CHECK: cf.assert %{{.*}}, "LayerNormalization: dimension 0 of 'scale' differs from dimension 1 of the input"
// CHECK-NOT: 'bias'
func.func @layer_norm_dynamic_scale(%x: tensor<?x?xf32>, %g: tensor<?xf32>, %b: tensor<1xf32>) -> tensor<?x?xf32> {
  %0 = graph.layer_normalization %x, %g, %b {axis = -1 : i64} : (tensor<?x?xf32>, tensor<?xf32>, tensor<1xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @gemm_dynamic_k
// CHECK: cf.assert %{{.*}}, "Gemm: dimension 0 of A and dimension 0 of B (the contracted sizes) differ"
func.func @gemm_dynamic_k(%a: tensor<?x2xf32>, %b: tensor<?x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.gemm %a, %b {trans_a = true} : (tensor<?x2xf32>, tensor<?x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
