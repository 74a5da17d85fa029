// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Round-trips the ops with data-dependent sizes, the sampling ops and the
// signal ops, and checks that their result types are inferred (constant
// sizes give static dimensions).

// CHECK-LABEL: func.func @dynamic_shape
func.func @dynamic_shape(%x: tensor<2x3xf32>, %c: tensor<3xi1>, %b: tensor<1x6x4xf32>, %s: tensor<1x2x6xf32>, %m: tensor<1xi64>) {
  // CHECK: graph.non_zero %{{.*}} : (tensor<2x3xf32>) -> tensor<2x?xi64>
  %0 = graph.non_zero %x : (tensor<2x3xf32>) -> tensor<2x?xi64>
  // CHECK: graph.compress %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<2x?xf32>
  %1 = graph.compress %x, %c {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<2x?xf32>
  // CHECK: graph.unique %{{.*}} {axis = -1 : i64, sorted = false}
  %2:4 = graph.unique %x {axis = -1 : i64, sorted = false} : (tensor<2x3xf32>) -> (tensor<2x?xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
  // CHECK: graph.non_max_suppression %{{.*}}, %{{.*}} max_output %{{.*}} {center_point_box = 1 : i64}
  %3 = graph.non_max_suppression %b, %s max_output %m {center_point_box = 1 : i64} : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, tensor<1xi64>) -> tensor<?x3xi64>
  return
}

// CHECK-LABEL: func.func @sampling
func.func @sampling(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x5x2xf32>, %r: tensor<?x4xf32>, %i: tensor<?xi64>) {
  // CHECK: graph.grid_sample %{{.*}}, %{{.*}} {mode = "nearest", padding_mode = "border"} : (tensor<1x2x4x4xf32>, tensor<1x3x5x2xf32>) -> tensor<1x2x3x5xf32>
  %0 = graph.grid_sample %x, %g {mode = "nearest", padding_mode = "border"} : (tensor<1x2x4x4xf32>, tensor<1x3x5x2xf32>) -> tensor<1x2x3x5xf32>
  // CHECK: graph.roi_align %{{.*}}, %{{.*}}, %{{.*}} {mode = "max", output_height = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<?x4xf32>, tensor<?xi64>) -> tensor<?x2x2x1xf32>
  %1 = graph.roi_align %x, %r, %i {mode = "max", output_height = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<?x4xf32>, tensor<?xi64>) -> tensor<?x2x2x1xf32>
  return
}

// CHECK-LABEL: func.func @signal
func.func @signal(%x: tensor<2x16x1xf32>, %n: tensor<i64>) {
  %eight = graph.constant dense<8> : tensor<i64>
  %four = graph.constant dense<4> : tensor<i64>
  // CHECK: graph.dft %{{.*}} length %{{.*}} {onesided = true} : (tensor<2x16x1xf32>, tensor<i64>) -> tensor<2x5x2xf32>
  %0 = graph.dft %x length %eight {onesided = true} : (tensor<2x16x1xf32>, tensor<i64>) -> tensor<2x5x2xf32>
  // CHECK: graph.stft %{{.*}}, %{{.*}} frame_length %{{.*}} : (tensor<2x16x1xf32>, tensor<i64>, tensor<i64>) -> tensor<2x3x5x2xf32>
  %1 = graph.stft %x, %four frame_length %eight : (tensor<2x16x1xf32>, tensor<i64>, tensor<i64>) -> tensor<2x3x5x2xf32>
  // CHECK: graph.cosine_sum_window %{{.*}} {{.*}} : (tensor<i64>) -> tensor<8xf16>
  %2 = graph.cosine_sum_window %eight {a0 = 0.5, a1 = 0.5, a2 = 0.0, element_type = f16} : (tensor<i64>) -> tensor<8xf16>
  // CHECK: graph.mel_weight_matrix {{.*}} -> tensor<5x?xf32>
  %hz = graph.constant dense<100.0> : tensor<f32>
  %3 = graph.mel_weight_matrix %n, %eight, %n, %hz, %hz {element_type = f32} : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<5x?xf32>
  return
}
