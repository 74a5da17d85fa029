// RUN: exaforge-opt %s --pass-pipeline="builtin.module(func.func(fuse-elementwise-around-kernels))" -split-input-file | FileCheck %s

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Tests that a matmul whose result is reshaped (rows split back into batch
// and sequence, as after a transformer projection) stays a linalg.matmul,
// and that the reshape is folded into the elementwise consumer instead.
// CHECK-LABEL: func @matmul_then_reshape
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK: tensor.expand_shape %[[MM]]
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-NOT: linalg.generic
func.func @matmul_then_reshape(%a: tensor<32x64xf32>, %b: tensor<64x64xf32>) -> tensor<2x16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<32x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<32x64xf32>) -> tensor<32x64xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<32x64xf32>, tensor<64x64xf32>) outs(%init : tensor<32x64xf32>) -> tensor<32x64xf32>
  %r = tensor.expand_shape %mm [[0, 1], [2]] output_shape [2, 16, 64] : tensor<32x64xf32> into tensor<2x16x64xf32>
  %e = tensor.empty() : tensor<2x16x64xf32>
  %relu = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r : tensor<2x16x64xf32>) outs(%e : tensor<2x16x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x16x64xf32>
  return %relu : tensor<2x16x64xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Tests that two elementwise generics still fuse into one (the producer has
// a single user).
// CHECK-LABEL: func @elementwise_chain
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
func.func @elementwise_chain(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %0 = arith.addf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<4x8xf32>
  %p = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %0 = arith.mulf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Tests that an elementwise producer is not fused into a named op (the
// matmul keeps reading a materialized operand).
// CHECK-LABEL: func @no_fusion_into_matmul
// CHECK: %[[SCALED:.*]] = linalg.generic
// CHECK: linalg.matmul ins(%[[SCALED]],
func.func @no_fusion_into_matmul(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %init: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %e = tensor.empty() : tensor<8x8xf32>
  %scaled = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %in : f32
    linalg.yield %0 : f32
  } -> tensor<8x8xf32>
  %mm = linalg.matmul ins(%scaled, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%init : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %mm : tensor<8x8xf32>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Tests that the reshapes around a grouped convolution stay next to it:
// the collapse of its result to NCHW is not folded into the elementwise
// generic after it (which stays 4-D), nor the expansion of its input into
// the generic before it, so that select-kernels sees an NCHW convolution.
// CHECK-LABEL: func @grouped_conv_reshapes
// CHECK: %[[PRE:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x8x6x6xf32>)
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[PRE]] {{\[}}[0], [1, 2], [3], [4]]{{.*}} into tensor<1x8x1x6x6xf32>
// CHECK: %[[C:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[XG]],
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]]
// CHECK: linalg.generic {{.*}} ins(%[[R]] : tensor<1x8x4x4xf32>)
func.func @grouped_conv_reshapes(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %ex = tensor.empty() : tensor<1x8x6x6xf32>
  %pre = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x6x6xf32>) outs(%ex : tensor<1x8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x6x6xf32>
  %xg = tensor.expand_shape %pre [[0], [1, 2], [3], [4]] output_shape [1, 8, 1, 6, 6] : tensor<1x8x6x6xf32> into tensor<1x8x1x6x6xf32>
  %e = tensor.empty() : tensor<1x8x1x4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x1x4x4xf32>) -> tensor<1x8x1x4x4xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x8x1x6x6xf32>, tensor<8x1x1x3x3xf32>) outs(%z : tensor<1x8x1x4x4xf32>) -> tensor<1x8x1x4x4xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x8x1x4x4xf32> into tensor<1x8x4x4xf32>
  %eo = tensor.empty() : tensor<1x8x4x4xf32>
  %o = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r : tensor<1x8x4x4xf32>) outs(%eo : tensor<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  return %o : tensor<1x8x4x4xf32>
}
