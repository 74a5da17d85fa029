// RUN: exaforge-opt %s --convert-graph-to-linalg | FileCheck %s

// Tests the structure of the Resize and ConvTranspose lowerings; their
// numbers are checked by execution-nn-layers.mlir.

// The maps of the ConvTranspose generic below (input, then weight).
// CHECK-DAG: #[[INPUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5 + 1, d3 + d6 + 1)>
// CHECK-DAG: #[[WEIGHT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1 + d4, 0, -d5 + 2, -d6 + 2)>

// Resize with constant scales: only the last dimension (scale 2) gets a
// generic, whose elements read their two neighbours, clamped into the input.
// CHECK-LABEL: func.func @resize_linear
// CHECK-NOT: linalg.generic
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x2x8xf32>)
// CHECK: math.floor
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg0
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @resize_linear(%x: tensor<1x1x2x4xf32>) -> tensor<1x1x2x8xf32> {
  %s = graph.constant dense<[1.0, 1.0, 1.0, 2.0]> : tensor<4xf32>
  %0 = graph.resize %x scales(%s) {mode = "linear"} : (tensor<1x1x2x4xf32>, tensor<4xf32>) -> tensor<1x1x2x8xf32>
  return %0 : tensor<1x1x2x8xf32>
}

// Run-time sizes: every dimension is resized, the last one first; the
// output sizes are read from the operand and checked.
// CHECK-LABEL: func.func @resize_runtime_sizes
// CHECK-COUNT-4: tensor.extract %arg1
// CHECK: cf.assert
// CHECK-COUNT-4: linalg.generic
// CHECK: return
func.func @resize_runtime_sizes(%x: tensor<2x3x4x4xf32>, %sizes: tensor<4xi64>) -> tensor<?x?x?x?xf32> {
  %0 = graph.resize %x sizes(%sizes) {mode = "nearest", nearest_mode = "floor"} : (tensor<2x3x4x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// Sizes that keep a dimension's size leave it alone: the channels, whose
// static size shape inference proved, and the batch, whose size is an entry
// of Shape(x) (a segmentation head's Concat(Shape(x)[0:2], [H, W])). Only
// the two spatial dimensions get a generic.
// CHECK-LABEL: func.func @resize_kept_dims
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @resize_kept_dims(%x: tensor<?x21x4x4xf32>) -> tensor<?x21x8x8xf32> {
  %hw = graph.constant dense<[8, 8]> : tensor<2xi64>
  %nc = graph.shape %x {end = 2 : i64} : (tensor<?x21x4x4xf32>) -> tensor<2xi64>
  %sizes = graph.concat %nc, %hw {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  %0 = graph.resize %x sizes(%sizes) {mode = "linear", nearest_mode = "floor"} : (tensor<?x21x4x4xf32>, tensor<4xi64>) -> tensor<?x21x8x8xf32>
  return %0 : tensor<?x21x8x8xf32>
}

// ConvTranspose with group 2: the input is zero-stuffed by an
// insert_slice with the strides, the output starts as the bias, and the
// convolution reads the flipped kernel in its ONNX layout.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<?x2x8x8xf32>
// CHECK: %[[STUFFED:.*]] = tensor.insert_slice %arg0 into %[[ZERO]][0, 0, 2, 2] [%{{.*}}, 2, 3, 3] [1, 1, 2, 2]
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<2xf32>) outs(%{{.*}} : tensor<?x2x5x5xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[INPUT]], #[[WEIGHT]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[STUFFED]], %arg1, %{{.*}} : {{.*}}) outs(%[[BIAS]] : tensor<?x2x5x5xf32>)
func.func @conv_transpose(%x: tensor<?x2x3x3xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<?x2x5x5xf32> {
  %0 = graph.conv_transpose %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 2 : i64} : (tensor<?x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<?x2x5x5xf32>
  return %0 : tensor<?x2x5x5xf32>
}
