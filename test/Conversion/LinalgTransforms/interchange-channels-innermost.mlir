// RUN: exaforge-opt %s --split-input-file --interchange-channels-innermost | FileCheck %s

// A squeeze-and-excitation block between two channels-last convolutions: the
// global sum (through a 6-D expand_shape that keeps the reduced dimensions)
// and the scale walk the channels innermost, so that the activations they
// share with the convolutions can be NHWC buffers. The reduction loops keep
// their order; the [N, C, 1, 1] scale is left as it is.

// CHECK-DAG:   #[[SUM_IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d1, d2, d3, d4)>
// CHECK-DAG:   #[[SUM_OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d1, d2)>
// CHECK-DAG:   #[[SCALE:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, 0, 0)>
// CHECK-DAG:   #[[NHWC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-LABEL: func.func @squeeze_excitation
// CHECK:         linalg.generic {indexing_maps = [#[[SUM_IN]], #[[SUM_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
// CHECK:         linalg.generic {indexing_maps = [#[[SCALE]], #[[NHWC]], #[[NHWC]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
func.func @squeeze_excitation(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %a = kernel.conv2d ins(%x, %w : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e : tensor<1x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x8x4x4xf32>
  %a6 = tensor.expand_shape %a [[0], [1, 2, 3], [4], [5]] output_shape [1, 8, 1, 1, 4, 4] : tensor<1x8x4x4xf32> into tensor<1x8x1x1x4x4xf32>
  %z = tensor.empty() : tensor<1x8x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%z : tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%a6 : tensor<1x8x1x1x4x4xf32>) outs(%f : tensor<1x8x1x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8x1x1xf32>
  %e2 = tensor.empty() : tensor<1x8x4x4xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum, %a : tensor<1x8x1x1xf32>, tensor<1x8x4x4xf32>) outs(%e2 : tensor<1x8x4x4xf32>) {
  ^bb0(%s: f32, %v: f32, %out: f32):
    %m = arith.mulf %s, %v : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  %e3 = tensor.empty() : tensor<1x8x4x4xf32>
  %y = kernel.conv2d ins(%scaled, %w : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e3 : tensor<1x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// A chain of three loops between two convolutions: the middle one touches no
// kernel activation, and follows its neighbours.

// CHECK-DAG:   #[[NHWC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-LABEL: func.func @loop_chain
// CHECK-COUNT-3: linalg.generic {indexing_maps = [#[[NHWC]], #[[NHWC]]]
func.func @loop_chain(%x: tensor<?x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) -> tensor<?x8x4x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8x4x4xf32>
  %e = tensor.empty(%n) : tensor<?x8x4x4xf32>
  %a = kernel.conv2d ins(%x, %w : tensor<?x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e : tensor<?x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<?x8x4x4xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : tensor<?x8x4x4xf32>) outs(%e : tensor<?x8x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<?x8x4x4xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<?x8x4x4xf32>) outs(%e : tensor<?x8x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %r = math.sqrt %v : f32
    linalg.yield %r : f32
  } -> tensor<?x8x4x4xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<?x8x4x4xf32>) outs(%e : tensor<?x8x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %r = math.tanh %v : f32
    linalg.yield %r : f32
  } -> tensor<?x8x4x4xf32>
  %y = kernel.conv2d ins(%d, %w : tensor<?x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e : tensor<?x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<?x8x4x4xf32>
  return %y : tensor<?x8x4x4xf32>
}

// -----

// Loops left alone: around a convolution whose target does not prefer
// channels-last; a reduction over the channels; a 1 x 1 activation (its
// layout is the same either way); a transpose whose operands disagree on
// which loop walks their channels.

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @left_alone
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ID]]]
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #{{.*}}], iterator_types = ["parallel", "reduction", "parallel", "parallel"]}
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ID]]]
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
func.func @left_alone(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %p: tensor<1x8x1x1xf32>, %pw: tensor<8x8x1x1xf32>, %w4: tensor<4x8x1x1xf32>, %w8: tensor<8x4x1x1xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x8x1x1xf32>, tensor<1x8x4x4xf32>) {
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %a = kernel.conv2d ins(%x, %w : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e : tensor<1x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] -> tensor<1x8x4x4xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  %c = kernel.conv2d ins(%x, %w : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e : tensor<1x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x8x4x4xf32>
  %z = tensor.empty() : tensor<1x1x4x4xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>], iterator_types = ["parallel", "reduction", "parallel", "parallel"]} ins(%c : tensor<1x8x4x4xf32>) outs(%z : tensor<1x1x4x4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x1x4x4xf32>
  %pe = tensor.empty() : tensor<1x8x1x1xf32>
  %pc = kernel.conv2d ins(%p, %pw : tensor<1x8x1x1xf32>, tensor<8x8x1x1xf32>) outs(%pe : tensor<1x8x1x1xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x8x1x1xf32>
  %pg = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%pc : tensor<1x8x1x1xf32>) outs(%pe : tensor<1x8x1x1xf32>) {
  ^bb0(%v: f32, %out: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<1x8x1x1xf32>
  %e4 = tensor.empty() : tensor<1x4x4x4xf32>
  %c4 = kernel.conv2d ins(%x, %w4 : tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32>) outs(%e4 : tensor<1x4x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x4x4x4xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d2, d1, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c4 : tensor<1x4x4x4xf32>) outs(%e4 : tensor<1x4x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    linalg.yield %v : f32
  } -> tensor<1x4x4x4xf32>
  %y = kernel.conv2d ins(%t, %w8 : tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) outs(%e : tensor<1x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x8x4x4xf32>
  return %b, %sum, %pg, %y : tensor<1x8x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x8x1x1xf32>, tensor<1x8x4x4xf32>
}

// -----

// A global sum of a loop's result (a SiLU after a convolution) through a
// 6-D expand_shape: the sum follows the loop it reads.

// CHECK-DAG:   #[[SUM_IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d5, d1, d2, d3, d4)>
// CHECK-DAG:   #[[NHWC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-LABEL: func.func @sum_of_a_loop
// CHECK:         linalg.generic {indexing_maps = [#[[NHWC]], #[[NHWC]]]
// CHECK:         linalg.generic {indexing_maps = [#[[SUM_IN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
func.func @sum_of_a_loop(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) -> tensor<1x8x1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %a = kernel.conv2d ins(%x, %w : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) outs(%e : tensor<1x8x4x4xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {channels_last} -> tensor<1x8x4x4xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  %b6 = tensor.expand_shape %b [[0], [1, 2, 3], [4], [5]] output_shape [1, 8, 1, 1, 4, 4] : tensor<1x8x4x4xf32> into tensor<1x8x1x1x4x4xf32>
  %z = tensor.empty() : tensor<1x8x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%z : tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%b6 : tensor<1x8x1x1x4x4xf32>) outs(%f : tensor<1x8x1x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8x1x1xf32>
  return %sum : tensor<1x8x1x1xf32>
}
