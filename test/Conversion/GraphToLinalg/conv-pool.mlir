// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests a padded, strided 2-D Conv with bias and a dynamic batch: zero
// tensor.pad, linalg.conv_2d_nchw_fchw into a zero-filled output sized by
// the input's batch, then the bias added along dimension 1.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHAN:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv_pads_strides_bias
// CHECK-SAME: %[[X:.*]]: tensor<?x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<?x3x8x8xf32> to tensor<?x3x10x10xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x8x8xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x4x4x4xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?x4x4x4xf32>)
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : tensor<?x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%[[INIT]] : tensor<?x4x4x4xf32>)
// CHECK: %[[OUT:.*]] = tensor.empty(%[[N]]) : tensor<?x4x4x4xf32>
// CHECK: %[[RES:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[CHAN]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[CONV]], %[[B]] : tensor<?x4x4x4xf32>, tensor<4xf32>) outs(%[[OUT]] : tensor<?x4x4x4xf32>)
// CHECK: arith.addf
// CHECK: return %[[RES]]
func.func @conv_pads_strides_bias(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x4x4xf32> {
  %0 = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x4x4xf32>
  return %0 : tensor<?x4x4x4xf32>
}

// -----

// Tests dilations and asymmetric pads (begin pad of the first spatial
// dimension only).
// CHECK-LABEL: func.func @conv_dilations_asymmetric_pads
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 0] high[0, 0, 0, 0]
// CHECK: } : tensor<1x2x7x7xf32> to tensor<1x2x8x7xf32>
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PAD]], %{{.*}} : tensor<1x2x8x7xf32>, tensor<3x2x3x3xf32>) outs(%{{.*}} : tensor<1x3x4x3xf32>)
func.func @conv_dilations_asymmetric_pads(%x: tensor<1x2x7x7xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x4x3xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 1, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x4x3xf32>
  return %0 : tensor<1x3x4x3xf32>
}

// -----

// Tests that a dynamic channel count is cast to the weight's (no padding).
// CHECK-LABEL: func.func @conv_dynamic_channels
// CHECK-SAME: %[[X:.*]]: tensor<?x?x5x5xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[CAST:.*]] = tensor.cast %[[X]] : tensor<?x?x5x5xf32> to tensor<?x3x5x5xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[CAST]], %{{.*}} : tensor<?x3x5x5xf32>, tensor<2x3x1x1xf32>) outs(%{{.*}} : tensor<?x2x5x5xf32>)
func.func @conv_dynamic_channels(%x: tensor<?x?x5x5xf32>, %w: tensor<2x3x1x1xf32>) -> tensor<?x2x5x5xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<?x?x5x5xf32>, tensor<2x3x1x1xf32>) -> tensor<?x2x5x5xf32>
  return %0 : tensor<?x2x5x5xf32>
}

// -----

// Tests a depthwise Conv (group = channels) with bias: the input, weight
// and output gain a group dimension for linalg.conv_2d_ngchw_gfchw.
// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: %[[INIT:.*]] = linalg.fill
// CHECK: %[[GX:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [%{{.*}}, 4, 1, 7, 7] : tensor<?x4x7x7xf32> into tensor<?x4x1x7x7xf32>
// CHECK: %[[GW:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [4, 1, 1, 3, 3] : tensor<4x1x3x3xf32> into tensor<4x1x1x3x3xf32>
// CHECK: %[[GO:.*]] = tensor.expand_shape %[[INIT]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [%{{.*}}, 4, 1, 5, 5] : tensor<?x4x5x5xf32> into tensor<?x4x1x5x5xf32>
// CHECK: %[[CONV:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[GX]], %[[GW]] : tensor<?x4x1x7x7xf32>, tensor<4x1x1x3x3xf32>) outs(%[[GO]] : tensor<?x4x1x5x5xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[CONV]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<?x4x1x5x5xf32> into tensor<?x4x5x5xf32>
// CHECK: linalg.generic {{.*}} ins(%[[COL]], %{{.*}} : tensor<?x4x5x5xf32>, tensor<4xf32>)
func.func @conv_depthwise(%x: tensor<?x4x5x5xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x5x5xf32> {
  %0 = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<?x4x5x5xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x5x5xf32>
  return %0 : tensor<?x4x5x5xf32>
}

// -----

// Tests a grouped 2-D Conv with two groups of two channels and three filters.
// CHECK-LABEL: func.func @conv_grouped
// CHECK: tensor.expand_shape {{.*}} : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
// CHECK: tensor.expand_shape {{.*}} : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK: tensor.expand_shape {{.*}} : tensor<1x6x3x3xf32> into tensor<1x2x3x3x3xf32>
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
func.func @conv_grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// Tests a 1-D Conv: linalg.conv_1d_ncw_fcw.
// CHECK-LABEL: func.func @conv_1d
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x2x9xf32>, tensor<4x2x3xf32>) outs(%{{.*}} : tensor<?x4x4xf32>)
func.func @conv_1d(%x: tensor<?x2x9xf32>, %w: tensor<4x2x3xf32>) -> tensor<?x4x4xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0>, strides = array<i64: 2>, dilations = array<i64: 1>} : (tensor<?x2x9xf32>, tensor<4x2x3xf32>) -> tensor<?x4x4xf32>
  return %0 : tensor<?x4x4xf32>
}

// -----

// Tests a grouped 1-D Conv, which linalg has no named op for: a generic
// whose input map picks the channels of the output channel's group.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, (d1 floordiv 3) * 2 + d3, d2 + d4)>
// CHECK-DAG: #[[FILTER:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @conv_1d_grouped
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[FILTER]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @conv_1d_grouped(%x: tensor<1x4x9xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x7xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0>, strides = array<i64: 1>, dilations = array<i64: 1>, group = 2 : i64} : (tensor<1x4x9xf32>, tensor<6x2x3xf32>) -> tensor<1x6x7xf32>
  return %0 : tensor<1x6x7xf32>
}

// -----

// Tests a 3-D f16 Conv: linalg.conv_3d_ncdhw_fcdhw accumulating in f16.
// CHECK-LABEL: func.func @conv_3d
// CHECK: linalg.conv_3d_ncdhw_fcdhw {{.*}} outs(%{{.*}} : tensor<1x3x3x3x3xf16>)
func.func @conv_3d(%x: tensor<1x2x4x4x4xf16>, %w: tensor<3x2x2x2x2xf16>) -> tensor<1x3x3x3x3xf16> {
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1, 1>} : (tensor<1x2x4x4x4xf16>, tensor<3x2x2x2x2xf16>) -> tensor<1x3x3x3x3xf16>
  return %0 : tensor<1x3x3x3x3xf16>
}

// -----

// Tests a padded MaxPool with a dynamic batch: the pads and the initial
// value are -inf.
// CHECK-LABEL: func.func @max_pool_pads
// CHECK-SAME: %[[X:.*]]: tensor<?x16x32x32xf32>
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]] : f32
// CHECK: } : tensor<?x16x32x32xf32> to tensor<?x16x34x34xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x16x32x32xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x16x16x16xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[EMPTY]] : tensor<?x16x16x16xf32>)
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WIN]] : tensor<?x16x34x34xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<?x16x16x16xf32>)
func.func @max_pool_pads(%x: tensor<?x16x32x32xf32>) -> tensor<?x16x16x16xf32> {
  %0 = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<?x16x32x32xf32>) -> tensor<?x16x16x16xf32>
  return %0 : tensor<?x16x16x16xf32>
}

// -----

// Tests ceil_mode: the last windows overhang the input by one element, so
// the input gets one -inf end pad.
// CHECK-LABEL: func.func @max_pool_ceil_mode
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: } : tensor<1x1x4x4xf32> to tensor<1x1x5x5xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<3> : tensor<2xi64>} ins(%[[PAD]], %{{.*}} : tensor<1x1x5x5xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<1x1x2x2xf32>)
func.func @max_pool_ceil_mode(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Tests a 1-D MaxPool of i8 (signed maximum, starting at -128).
// CHECK-LABEL: func.func @max_pool_i8_1d
// CHECK: %[[LOW:.*]] = arith.constant -128 : i8
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : i8)
// CHECK: linalg.pooling_ncw_max {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x2x8xi8>, tensor<2xi8>) outs(%[[INIT]] : tensor<?x2x4xi8>)
func.func @max_pool_i8_1d(%x: tensor<?x2x8xi8>) -> tensor<?x2x4xi8> {
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<?x2x8xi8>) -> tensor<?x2x4xi8>
  return %0 : tensor<?x2x4xi8>
}

// -----

// Tests a MaxPool of ui8 with dilations: a generic with an unsigned maximum
// on the signless view, starting at 0.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4 * 2, d3 * 2 + d5 * 2)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool_ui8
// CHECK: %[[X:.*]] = tensor.bitcast %{{.*}} : tensor<1x2x6x6xui8> to tensor<1x2x6x6xi8>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : i8)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %{{.*}} : tensor<1x2x6x6xi8>, tensor<2x2xi8>) outs(%[[INIT]] : tensor<1x2x2x2xi8>)
// CHECK: arith.maxui
// CHECK: tensor.bitcast %[[R]] : tensor<1x2x2x2xi8> to tensor<1x2x2x2xui8>
func.func @max_pool_ui8(%x: tensor<1x2x6x6xui8>) -> tensor<1x2x2x2xui8> {
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>} : (tensor<1x2x6x6xui8>) -> tensor<1x2x2x2xui8>
  return %0 : tensor<1x2x2x2xui8>
}

// -----

// Tests an unpadded AveragePool: sum pooling then one division by the window
// size.
// CHECK-LABEL: func.func @average_pool
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x2x4x4xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<?x2x2x2xf32>)
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x2x2x2xf32>)
// CHECK: arith.divf %{{.*}}, %[[FOUR]] : f32
func.func @average_pool(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x2x2xf32> {
  %0 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<?x2x4x4xf32>) -> tensor<?x2x2x2xf32>
  return %0 : tensor<?x2x2x2xf32>
}

// -----

// Tests count_include_pad: padded positions count, so every window has
// 3 x 3 elements.
// CHECK-LABEL: func.func @average_pool_count_include_pad
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_sum
// CHECK: %[[NINE:.*]] = arith.constant 9.000000e+00 : f32
// CHECK: arith.divf %{{.*}}, %[[NINE]] : f32
func.func @average_pool_count_include_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Tests count_include_pad = 0 with pads on the first spatial dimension only:
// the rows of each window are counted per output row ([2, 3]), the columns
// are always 3.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-LABEL: func.func @average_pool_exclude_pad
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 0] high[0, 0, 1, 0]
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK: %[[ROWS:.*]] = arith.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[COLS:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], {{.*}}} ins(%[[SUM]], %[[ROWS]] : tensor<1x1x2x1xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[S:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[COUNT:.*]] = arith.mulf %[[COLS]], %[[R]] : f32
// CHECK: arith.divf %[[S]], %[[COUNT]] : f32
func.func @average_pool_exclude_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x1xf32> {
  %0 = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 0>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x1xf32>
  return %0 : tensor<1x1x2x1xf32>
}

// -----

// Tests ceil_mode with count_include_pad on f16 with dynamic batch and
// channels: the overhang is zero-padded but not counted ([2, 2, 1] per
// dimension), and the windows are summed in f32.
// CHECK-LABEL: func.func @average_pool_ceil_mode_f16
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: } : tensor<?x?x5x5xf16> to tensor<?x?x6x6xf16>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x?x3x3xf32>)
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {{.*}} ins(%[[PAD]], %{{.*}} : tensor<?x?x6x6xf16>, tensor<2x2xf16>) outs(%[[INIT]] : tensor<?x?x3x3xf32>)
// CHECK: %[[H:.*]] = arith.constant dense<[2.000000e+00, 2.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK: %[[W:.*]] = arith.constant dense<[2.000000e+00, 2.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[H]], %[[W]] : tensor<?x?x3x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<?x?x3x3xf16>)
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @average_pool_ceil_mode_f16(%x: tensor<?x?x5x5xf16>) -> tensor<?x?x3x3xf16> {
  %0 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = true} : (tensor<?x?x5x5xf16>) -> tensor<?x?x3x3xf16>
  return %0 : tensor<?x?x3x3xf16>
}

// -----

// Tests a 3-D AveragePool, which linalg has no NCDHW pooling op for.
// CHECK-LABEL: func.func @average_pool_3d
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x1x4x4x4xf32>, tensor<2x2x2xf32>)
// CHECK: arith.constant 8.000000e+00 : f32
func.func @average_pool_3d(%x: tensor<1x1x4x4x4xf32>) -> tensor<1x1x2x2x2xf32> {
  %0 = graph.average_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0, 0, 0>} : (tensor<1x1x4x4x4xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}

// -----

// Tests GlobalAveragePool with a dynamic batch: a sum over the spatial
// dimensions into N x C, a division by 64 and an expand_shape.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_average_pool
// CHECK-SAME: %[[X:.*]]: tensor<?x32x8x8xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x32x8x8xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x32xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<?x32xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<?x32x8x8xf32>) outs(%[[INIT]] : tensor<?x32xf32>)
// CHECK: %[[COUNT:.*]] = arith.constant 6.400000e+01 : f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x32xf32>)
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
// CHECK: tensor.expand_shape %[[MEAN]] {{\[\[}}0], [1, 2, 3]] output_shape [%{{.*}}, 32, 1, 1] : tensor<?x32xf32> into tensor<?x32x1x1xf32>
func.func @global_average_pool(%x: tensor<?x32x8x8xf32>) -> tensor<?x32x1x1xf32> {
  %0 = graph.global_average_pool %x : (tensor<?x32x8x8xf32>) -> tensor<?x32x1x1xf32>
  return %0 : tensor<?x32x1x1xf32>
}

// -----

// Tests GlobalAveragePool of bf16 with a dynamic spatial dimension: summed
// in f32, divided by tensor.dim x 4, truncated back.
// CHECK-LABEL: func.func @global_average_pool_dynamic_spatial
// CHECK-SAME: %[[X:.*]]: tensor<2x3x?x4xbf16>
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<2x3x?x4xbf16>
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: %[[HI:.*]] = arith.index_cast %[[H]] : index to i64
// CHECK: %[[HF:.*]] = arith.sitofp %[[HI]] : i64 to f32
// CHECK: %[[COUNT:.*]] = arith.mulf %[[HF]], %[[FOUR]] : f32
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: tensor.expand_shape {{.*}} : tensor<2x3xbf16> into tensor<2x3x1x1xbf16>
func.func @global_average_pool_dynamic_spatial(%x: tensor<2x3x?x4xbf16>) -> tensor<2x3x1x1xbf16> {
  %0 = graph.global_average_pool %x : (tensor<2x3x?x4xbf16>) -> tensor<2x3x1x1xbf16>
  return %0 : tensor<2x3x1x1xbf16>
}
