// RUN: exaforge-opt %s --split-input-file --collapse-generic-loops | FileCheck %s

// A squeeze-and-excitation scale (an [N, C, 1, 1] operand broadcast over an
// NCHW activation): the size-1 dimensions of the scale go, then the batch
// and channel loops become one and the two spatial loops another, so the
// innermost loop runs over the 196 values of a channel, not the 14 of a row.

// CHECK-DAG:   #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[ALL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_scale
// CHECK-SAME:    %[[S:.*]]: tensor<8x672x1x1xf32>, %[[X:.*]]: tensor<8x672x14x14xf32>
// CHECK-DAG:     %[[S2:.*]] = tensor.collapse_shape %[[S]] {{\[}}[0, 1, 2, 3]] : tensor<8x672x1x1xf32> into tensor<5376xf32>
// CHECK-DAG:     %[[X2:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2, 3]] : tensor<8x672x14x14xf32> into tensor<5376x196xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #[[ALL]], #[[ALL]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[S2]], %[[X2]] : tensor<5376xf32>, tensor<5376x196xf32>)
// CHECK:           arith.mulf
// CHECK:         tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2, 3]] output_shape [8, 672, 14, 14] : tensor<5376x196xf32> into tensor<8x672x14x14xf32>
func.func @broadcast_scale(%s: tensor<8x672x1x1xf32>, %x: tensor<8x672x14x14xf32>) -> tensor<8x672x14x14xf32> {
  %init = tensor.empty() : tensor<8x672x14x14xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %x : tensor<8x672x1x1xf32>, tensor<8x672x14x14xf32>) outs(%init : tensor<8x672x14x14xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<8x672x14x14xf32>
  return %y : tensor<8x672x14x14xf32>
}

// -----

// A plain elementwise op: one loop over every value, with a static or a
// dynamic batch. With a dynamic shape, a body that reads its loop indices
// (`linalg.index`, as the broadcast of a dimension that may be 1 at run
// time reads its operand) is left alone: collapsed, it would recover every
// index through divisions.

// CHECK-LABEL: func.func @elementwise
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : tensor<4x16x64xf32> into tensor<4096xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel"]}
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2]] output_shape [4, 16, 64] : tensor<4096xf32> into tensor<4x16x64xf32>
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : tensor<?x16x64xf32> into tensor<?xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel"]}
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2]] output_shape [%{{.*}}, 16, 64] : tensor<?xf32> into tensor<?x16x64xf32>
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK:           linalg.index 0
// CHECK-NOT:     tensor.expand_shape
func.func @elementwise(%x: tensor<4x16x64xf32>, %d: tensor<?x16x64xf32>) -> (tensor<4x16x64xf32>, tensor<?x16x64xf32>, tensor<?x16x64xf32>) {
  %init = tensor.empty() : tensor<4x16x64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<4x16x64xf32>) outs(%init : tensor<4x16x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<4x16x64xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %d, %c0 : tensor<?x16x64xf32>
  %dinit = tensor.empty(%n) : tensor<?x16x64xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%d : tensor<?x16x64xf32>) outs(%dinit : tensor<?x16x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<?x16x64xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%d : tensor<?x16x64xf32>) outs(%dinit : tensor<?x16x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f32
    %s = arith.addf %a, %f : f32
    linalg.yield %s : f32
  } -> tensor<?x16x64xf32>
  return %y, %z, %w : tensor<4x16x64xf32>, tensor<?x16x64xf32>, tensor<?x16x64xf32>
}

// -----

// A transpose reads its loops in another order: nothing collapses. A
// reduction over the last two dimensions (a global average pool's sum)
// collapses them into one reduction loop, and its parallel loops into one.

// CHECK-LABEL: func.func @transpose_and_reduction
// CHECK-SAME:    %[[X:.*]]: tensor<8x16xf32>, %[[Y:.*]]: tensor<4x8x14x14xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<8x16xf32>)
// CHECK:         %[[Y2:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0, 1], [2, 3]] : tensor<4x8x14x14xf32> into tensor<32x196xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[Y2]] : tensor<32x196xf32>)
// CHECK:           arith.addf
func.func @transpose_and_reduction(%x: tensor<8x16xf32>, %y: tensor<4x8x14x14xf32>) -> (tensor<16x8xf32>, tensor<4x8xf32>) {
  %t0 = tensor.empty() : tensor<16x8xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x16xf32>) outs(%t0 : tensor<16x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<16x8xf32>
  %zero = arith.constant 0.0 : f32
  %r0 = tensor.empty() : tensor<4x8xf32>
  %r1 = linalg.fill ins(%zero : f32) outs(%r0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%y : tensor<4x8x14x14xf32>) outs(%r1 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %t, %r : tensor<16x8xf32>, tensor<4x8xf32>
}

// -----

// A window (a max pooling's d2 + d3) is left alone, size-1 dimensions too.

// CHECK-LABEL: func.func @window
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-NOT:     tensor.expand_shape
func.func @window(%x: tensor<1x4x9xf32>) -> tensor<1x4x8xf32> {
  %lowest = arith.constant 0xFF800000 : f32
  %w = tensor.empty() : tensor<2xf32>
  %r0 = tensor.empty() : tensor<1x4x8xf32>
  %r1 = linalg.fill ins(%lowest : f32) outs(%r0 : tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 + d3)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x4x9xf32>, tensor<2xf32>) outs(%r1 : tensor<1x4x8xf32>) {
  ^bb0(%a: f32, %unused: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<1x4x8xf32>
  return %r : tensor<1x4x8xf32>
}

// -----

// A static generic whose body reads the index of one loop (a Resize's row
// weights): that loop stays a loop of its own, so that what depends on the
// row alone leaves the inner loop and no index is recovered by a division;
// the loops before it, whose indices are not read, still become one.

// CHECK-LABEL: func.func @row_weights
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<4x16x28x64xf32> into tensor<64x28x64xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK:           linalg.index 1
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3]] output_shape [4, 16, 28, 64]
func.func @row_weights(%x: tensor<4x16x28x64xf32>) -> tensor<4x16x28x64xf32> {
  %init = tensor.empty() : tensor<4x16x28x64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<4x16x28x64xf32>) outs(%init : tensor<4x16x28x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    %h = linalg.index 2 : index
    %hi = arith.index_cast %h : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %s = arith.mulf %a, %hf : f32
    linalg.yield %s : f32
  } -> tensor<4x16x28x64xf32>
  return %y : tensor<4x16x28x64xf32>
}
