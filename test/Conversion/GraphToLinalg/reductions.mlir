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

// -----

// Tests ReduceMax (init -inf, maximumf) and ReduceMin of unsigned integers
// (init the unsigned maximum, minui on the signless view).
// CHECK-LABEL: func.func @reduce_max_min
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: arith.maximumf
// CHECK: %[[UMAX:.*]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[UMAX]] : i8)
// CHECK: arith.minui
func.func @reduce_max_min(%a: tensor<2x3xf32>, %b: tensor<2x3xui8>) -> (tensor<2x1xf32>, tensor<ui8>) {
  %axes = arith.constant dense<[1]> : tensor<1xi64>
  %0 = graph.reduce_max %a, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %1 = graph.reduce_min %b {keepdims = false} : (tensor<2x3xui8>) -> tensor<ui8>
  return %0, %1 : tensor<2x1xf32>, tensor<ui8>
}

// -----

// Tests ReduceLogSumExp: a max reduction, a sum of exp(x - max) reading the
// maximum through the kept-dimensions map, then log(sum) + max.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]]
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]], #[[KEPT]]], iterator_types = ["parallel", "reduction"]} ins(%{{.*}}, %[[MAX]] :
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[MAX]] :
// CHECK: math.log
// CHECK: arith.addf
func.func @reduce_log_sum_exp(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %axes = arith.constant dense<[1]> : tensor<1xi64>
  %0 = graph.reduce_log_sum_exp %a, %axes {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests that an axes operand of static length 0 reduces every dimension
// even when it is not a constant.
// CHECK-LABEL: func.func @reduce_sum_empty_runtime_axes
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
func.func @reduce_sum_empty_runtime_axes(%a: tensor<2x3xf32>, %axes: tensor<0xi64>) -> tensor<1x1xf32> {
  %0 = graph.reduce_sum %a, %axes : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// Tests ArgMax with select_last_index: one reduction carrying the value and
// its i64 index (linalg.index of the axis), `>=` keeping the last maximum.
// CHECK-LABEL: func.func @arg_max
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: linalg.index 1 : index
// CHECK: arith.cmpf oge
// CHECK: tensor.expand_shape %[[R]]#1
func.func @arg_max(%a: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = graph.arg_max %a {axis = -1 : i64, select_last_index = true} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// Tests LogSoftmax: max, a sum of exponentials fused into its reduction,
// then x - max - log(sum).
// CHECK-LABEL: func.func @log_softmax
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: math.log
// CHECK: arith.subf
func.func @log_softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.log_softmax %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests NegativeLogLikelihoodLoss with weights, ignore_index and mean: one
// reduction over the target gathering input[n, c, d] and weight[c] with
// tensor.extract (class 0 read for ignored elements), summing losses and
// weights, then their quotient.
// CHECK-LABEL: func.func @nll_mean
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK-SAME: ins(%{{.*}} : tensor<2x4xi32>)
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<2x3x4xf32>
// CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[R]]#0, %[[R]]#1 : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
func.func @nll_mean(%x: tensor<2x3x4xf32>, %t: tensor<2x4xi32>, %w: tensor<3xf32>) -> tensor<f32> {
  %0 = graph.negative_log_likelihood_loss %x, %t, %w {ignore_index = -1 : i64} : (tensor<2x3x4xf32>, tensor<2x4xi32>, tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests CumSum (reverse, exclusive) with a constant axis: an extra
// reduction loop d2 reads the input along the axis, elements with d2 > d1
// are added.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cum_sum
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: arith.cmpi ugt, %[[J]], %[[I]] : index
func.func @cum_sum(%a: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %axis = arith.constant dense<-1> : tensor<i64>
  %0 = graph.cum_sum %a, %axis {exclusive = true, reverse = true} : (tensor<?x5xf32>, tensor<i64>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// Tests GlobalMaxPool with a dynamic batch: a max reduction from -inf over
// the spatial dimensions into N x C, then the unit spatial dimensions added
// back.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_max_pool
// CHECK: %[[LOWEST:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOWEST]] : f32) outs(%{{.*}} : tensor<?x8xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[KEPT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<?x8xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %[[MAX]] {{\[\[}}0], [1, 2, 3]] output_shape [%{{.*}}, 8, 1, 1] : tensor<?x8xf32> into tensor<?x8x1x1xf32>
func.func @global_max_pool(%x: tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32> {
  %0 = graph.global_max_pool %x : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
  return %0 : tensor<?x8x1x1xf32>
}
