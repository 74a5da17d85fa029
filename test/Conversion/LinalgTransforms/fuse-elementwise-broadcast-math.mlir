// RUN: exaforge-opt %s --pass-pipeline="builtin.module(func.func(fuse-elementwise-around-kernels{recompute-broadcast-math=false}))" | FileCheck %s
// RUN: exaforge-opt %s --pass-pipeline="builtin.module(func.func(fuse-elementwise-around-kernels))" | FileCheck %s --check-prefix=RECOMPUTE

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scale = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>

// A squeeze-and-excitation scale: the sigmoid of an [N, C, 1, 1] tensor,
// broadcast over an [N, C, H, W] activation by a Mul. Without
// recompute-broadcast-math the sigmoid stays its own loop (computed once per
// channel, not once per pixel); a cheap producer (an Add) broadcast the same
// way is still fused, and so is a sigmoid that is not broadcast. By default
// (the CUDA target), every producer is fused.

// CHECK-LABEL: func.func @broadcast_sigmoid
// CHECK:         %[[SIG:.*]] = linalg.generic
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}} ins(%[[SIG]], %{{.*}} : tensor<2x8x1x1xf32>, tensor<2x8x4x4xf32>)
// CHECK-NOT:       math.exp
// CHECK:           arith.mulf
// CHECK:         return
// RECOMPUTE-LABEL: func.func @broadcast_sigmoid
// RECOMPUTE-COUNT-1: linalg.generic
// RECOMPUTE-NOT:   linalg.generic
func.func @broadcast_sigmoid(%s: tensor<2x8x1x1xf32>, %x: tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32> {
  %one = arith.constant 1.0 : f32
  %e1 = tensor.empty() : tensor<2x8x1x1xf32>
  %sig = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x8x1x1xf32>) outs(%e1 : tensor<2x8x1x1xf32>) {
  ^bb0(%v: f32, %out: f32):
    %n = arith.negf %v : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<2x8x1x1xf32>
  %e4 = tensor.empty() : tensor<2x8x4x4xf32>
  %y = linalg.generic {indexing_maps = [#scale, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sig, %x : tensor<2x8x1x1xf32>, tensor<2x8x4x4xf32>) outs(%e4 : tensor<2x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4x4xf32>
  return %y : tensor<2x8x4x4xf32>
}

// CHECK-LABEL: func.func @cheap_or_not_broadcast
// RECOMPUTE-LABEL: func.func @cheap_or_not_broadcast
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT:     linalg.generic
func.func @cheap_or_not_broadcast(%s: tensor<2x8x1x1xf32>, %x: tensor<2x8x4x4xf32>) -> (tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>) {
  %one = arith.constant 1.0 : f32
  %e1 = tensor.empty() : tensor<2x8x1x1xf32>
  %shifted = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x8x1x1xf32>) outs(%e1 : tensor<2x8x1x1xf32>) {
  ^bb0(%v: f32, %out: f32):
    %a = arith.addf %v, %one : f32
    linalg.yield %a : f32
  } -> tensor<2x8x1x1xf32>
  %e4 = tensor.empty() : tensor<2x8x4x4xf32>
  %y = linalg.generic {indexing_maps = [#scale, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%shifted, %x : tensor<2x8x1x1xf32>, tensor<2x8x4x4xf32>) outs(%e4 : tensor<2x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4x4xf32>
  %sig = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x8x4x4xf32>) outs(%e4 : tensor<2x8x4x4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %n = arith.negf %v : f32
    %e = math.exp %n : f32
    linalg.yield %e : f32
  } -> tensor<2x8x4x4xf32>
  %z = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sig, %x : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>) outs(%e4 : tensor<2x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4x4xf32>
  return %y, %z : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>
}
