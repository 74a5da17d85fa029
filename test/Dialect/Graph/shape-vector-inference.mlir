// RUN: exaforge-opt %s --pass-pipeline='builtin.module(graph-infer-shapes)' -split-input-file | FileCheck %s

// Type inference of the ops whose shape operand is a partly known shape
// vector (ShapeVector.h): the known entries give static dimensions.

// Tests that a reshape to [N, 8, -1], N read from the input itself, infers the -1 entry.
// CHECK-LABEL: func @reshape_batch_then_inferred
// CHECK: graph.reshape {{.*}} -> tensor<?x8x196xf32>
func.func @reshape_batch_then_inferred(%x: tensor<?x8x14x14xf32>) -> tensor<?x?x?xf32> {
  %n = graph.shape %x {end = 1 : i64} : (tensor<?x8x14x14xf32>) -> tensor<1xi64>
  %rest = graph.constant dense<[8, -1]> : tensor<2xi64>
  %s = graph.concat %n, %rest {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %0 = graph.reshape %x, %s : (tensor<?x8x14x14xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// Tests that a batch read from another tensor stays dynamic and keeps the -1 entry dynamic.
// CHECK-LABEL: func @reshape_foreign_batch
// CHECK: graph.reshape {{.*}} -> tensor<?x8x?xf32>
func.func @reshape_foreign_batch(%x: tensor<?x8x14x14xf32>, %y: tensor<?x3xf32>) -> tensor<?x?x?xf32> {
  %n = graph.shape %y {end = 1 : i64} : (tensor<?x3xf32>) -> tensor<1xi64>
  %rest = graph.constant dense<[8, -1]> : tensor<2xi64>
  %s = graph.concat %n, %rest {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %0 = graph.reshape %x, %s : (tensor<?x8x14x14xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// Tests that resize sizes made of the input's batch and channels and constant spatial sizes give static spatial dimensions.
// CHECK-LABEL: func @resize_partial_sizes
// CHECK: graph.resize {{.*}} -> tensor<?x8x28x28xf32>
func.func @resize_partial_sizes(%x: tensor<?x8x14x14xf32>) -> tensor<?x?x?x?xf32> {
  %nc = graph.shape %x {end = 2 : i64} : (tensor<?x8x14x14xf32>) -> tensor<2xi64>
  %hw = graph.constant dense<28> : tensor<2xi64>
  %sizes = graph.concat %nc, %hw {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  %0 = graph.resize %x sizes(%sizes) {mode = "linear"} : (tensor<?x8x14x14xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// Tests that expand and tile with partly known shape vectors keep the known dimensions static.
// CHECK-LABEL: func @expand_tile_partial
// CHECK: graph.expand {{.*}} -> tensor<?x1x8xf32>
// CHECK: graph.tile {{.*}} -> tensor<?x6xf32>
func.func @expand_tile_partial(%x: tensor<?x4xf32>, %tok: tensor<1x1x8xf32>, %t: tensor<2x3xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>) {
  %n = graph.shape %x {end = 1 : i64} : (tensor<?x4xf32>) -> tensor<1xi64>
  %tail = graph.constant dense<[1, 8]> : tensor<2xi64>
  %s = graph.concat %n, %tail {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %0 = graph.expand %tok, %s : (tensor<1x1x8xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %two = graph.constant dense<2> : tensor<1xi64>
  %r = graph.concat %n, %two {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %1 = graph.tile %t, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?x?xf32>, tensor<?x?xf32>
}
