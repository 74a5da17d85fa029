// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests ReduceSum over a negative constant axis with keepdims: a reduction
// into the kept dimensions, then tensor.expand_shape adding the unit
// dimension back, with the dynamic size read by tensor.dim.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[SUM]] {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, 1, 4] : tensor<?x4xf32> into tensor<?x1x4xf32>
func.func @reduce_sum_keepdims(%a: tensor<?x3x4xf32>) -> tensor<?x1x4xf32> {
  %axes = arith.constant dense<[-2]> : tensor<1xi64>
  %0 = graph.reduce_sum %a, %axes : (tensor<?x3x4xf32>, tensor<1xi64>) -> tensor<?x1x4xf32>
  return %0 : tensor<?x1x4xf32>
}

// -----

// Tests ReduceSum of integers over all axes without keepdims.
// CHECK-LABEL: func.func @reduce_sum_all_int
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: arith.addi %{{.*}}, %{{.*}} : i32
// CHECK-NOT: tensor.expand_shape
func.func @reduce_sum_all_int(%a: tensor<2x3xi32>) -> tensor<i32> {
  %0 = graph.reduce_sum %a {keepdims = false} : (tensor<2x3xi32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// Tests that empty axes with noop_with_empty_axes make the op the identity.
// CHECK-LABEL: func.func @reduce_sum_noop
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[A]]
func.func @reduce_sum_noop(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %axes = arith.constant dense<> : tensor<0xi64>
  %0 = graph.reduce_sum %a, %axes {noop_with_empty_axes = true} : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests ReduceMean of f16 with a dynamic reduced dimension: the sum is
// accumulated in f32 and divided by the element count computed from
// tensor.dim, then truncated.
// CHECK-LABEL: func.func @reduce_mean_f16
// CHECK: linalg.generic
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: %[[DIM:.*]] = tensor.dim
// CHECK: %[[COUNT:.*]] = arith.muli %[[DIM]], %{{.*}} : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[COUNT]] : index to i64
// CHECK: %[[N:.*]] = arith.sitofp %[[I64]] : i64 to f32
// CHECK: linalg.generic
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @reduce_mean_f16(%a: tensor<2x?xf16>) -> tensor<f16> {
  %0 = graph.reduce_mean %a {keepdims = false} : (tensor<2x?xf16>) -> tensor<f16>
  return %0 : tensor<f16>
}

// -----

// Tests integer ReduceMean (truncating division by a constant count).
// CHECK-LABEL: func.func @reduce_mean_int
// CHECK: arith.addi
// CHECK: %[[N:.*]] = arith.constant 3 : i64
// CHECK: arith.divsi %{{.*}}, %[[N]] : i64
func.func @reduce_mean_int(%a: tensor<2x3xi64>) -> tensor<2x1xi64> {
  %axes = arith.constant dense<[1]> : tensor<1xi64>
  %0 = graph.reduce_mean %a, %axes : (tensor<2x3xi64>, tensor<1xi64>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// Tests Softmax: max reduction from -inf, exp of the shifted input, sum
// reduction, division.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %[[MAX]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[EXP]] :
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK-SAME: ins(%[[EXP]], %[[SUM]] :
// CHECK: arith.divf
func.func @softmax(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = graph.softmax %x {axis = -1 : i64} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Tests LayerNormalization over the last two axes, with scale broadcast from
// the last axis and bias over both.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[SCALE:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[N:.*]] = arith.constant 1.200000e+01 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: arith.mulf
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]], #[[KEPT]], #[[SCALE]], #[[BIAS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %[[SUM]], %[[SQ]], %{{.*}}, %{{.*}} :
// CHECK: arith.addf %{{.*}}, %[[EPS]]
// CHECK: math.sqrt
func.func @layer_norm(%a: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.layer_normalization %a, %s, %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Tests that LayerNormalization of bf16 computes in f32.
// CHECK-LABEL: func.func @layer_norm_bf16
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @layer_norm_bf16(%a: tensor<2x4xbf16>, %s: tensor<4xbf16>) -> tensor<2x4xbf16> {
  %0 = graph.layer_normalization %a, %s : (tensor<2x4xbf16>, tensor<4xbf16>) -> tensor<2x4xbf16>
  return %0 : tensor<2x4xbf16>
}

// -----

// Tests BatchNormalization: one generic reading the parameters at the
// channel dimension.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK: math.sqrt
// CHECK: arith.subf
// CHECK: arith.divf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @batch_norm(%x: tensor<?x8x4x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<?x8x4x4xf32> {
  %0 = graph.batch_normalization %x, %s, %b, %m, %v {epsilon = 1.0e-03 : f32} : (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8x4x4xf32>
  return %0 : tensor<?x8x4x4xf32>
}
