// RUN: exaforge-opt %s --convert-graph-to-linalg | FileCheck %s

// Tests the structure of the lowerings of MaxPool with indices and of the
// training-mode ops; their numbers are checked by execution-training.mlir.

// One pooling generic with two results over the padded input.
// CHECK-LABEL: func.func @max_pool_with_indices
// CHECK: tensor.pad
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: arith.select
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_pool_with_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>) {
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 5, 5>, strides = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 1, 1>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
  return %y, %i : tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>
}

// Two per-channel reductions (mean, variance), the normalization, and one
// elementwise generic per running statistic.
// CHECK-LABEL: func.func @batch_normalization_training
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: math.sqrt
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
func.func @batch_normalization_training(%x: tensor<?x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = graph.batch_normalization_training %x, %s, %b, %m, %v : (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// The element's row-major index feeds the generator; the mask is the second
// result.
// CHECK-LABEL: func.func @dropout
// CHECK: %[[R:.*]]:2 = linalg.generic
// CHECK-DAG: linalg.index 0
// CHECK-DAG: linalg.index 1
// CHECK: arith.shrui
// CHECK: arith.cmpf oge
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @dropout(%x: tensor<3x4xf16>, %r: tensor<f32>, %t: tensor<i1>) -> (tensor<3x4xf16>, tensor<3x4xi1>) {
  %y, %mask = graph.dropout %x, %r training %t {seed = 5 : i64} : (tensor<3x4xf16>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf16>, tensor<3x4xi1>)
  return %y, %mask : tensor<3x4xf16>, tensor<3x4xi1>
}

// Adam reads its scalars once, ahead of one generic with three results.
// CHECK-LABEL: func.func @adam
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg1
// CHECK: math.powf
// CHECK: %[[R:.*]]:3 = linalg.generic
// CHECK: return %[[R]]#0, %[[R]]#1, %[[R]]#2
func.func @adam(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<?xf32>, %g: tensor<?xf32>, %v: tensor<?xf32>, %h: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %x1, %v1, %h1 = graph.adam %r, %t, %x, %g, %v, %h : (tensor<f32>, tensor<i64>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %x1, %v1, %h1 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}
