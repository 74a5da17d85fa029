// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s
// RUN: exaforge-opt %s --emit-bytecode | exaforge-opt | FileCheck %s

// Round-trips every graph op through the textual and bytecode forms.

// CHECK-LABEL: func @elementwise
func.func @elementwise(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %i: tensor<2x3xi64>)
    -> (tensor<2x3xf32>, tensor<2x3xi1>) {
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = graph.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.sub
  %1 = graph.sub %0, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.mul
  %2 = graph.mul %1, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.div
  %3 = graph.div %2, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.pow %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  %4 = graph.pow %3, %i : (tensor<2x3xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  // CHECK: graph.sqrt %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = graph.sqrt %4 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.erf
  %6 = graph.erf %5 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.relu
  %7 = graph.relu %6 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.sigmoid
  %8 = graph.sigmoid %7 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.tanh
  %9 = graph.tanh %8 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.gelu %{{.*}} {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %10 = graph.gelu %9 {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.identity
  %11 = graph.identity %10 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.cast %{{.*}} {to = i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  %12 = graph.cast %11 {to = i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  // CHECK: graph.equal %{{.*}}, %{{.*}} : (tensor<2x3xi64>, tensor<2x3xi64>) -> tensor<2x3xi1>
  %13 = graph.equal %12, %i : (tensor<2x3xi64>, tensor<2x3xi64>) -> tensor<2x3xi1>
  // CHECK: graph.where
  %14 = graph.where %13, %11, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %14, %13 : tensor<2x3xf32>, tensor<2x3xi1>
}

// CHECK-LABEL: func @linear_algebra
func.func @linear_algebra(%a: tensor<?x4x8xf32>, %b: tensor<8x16xf32>,
                          %m: tensor<4x8xf32>, %w: tensor<16x8xf32>,
                          %c: tensor<16xf32>) -> (tensor<?x4x16xf32>, tensor<4x16xf32>) {
  // CHECK: graph.mat_mul %{{.*}}, %{{.*}} : (tensor<?x4x8xf32>, tensor<8x16xf32>) -> tensor<?x4x16xf32>
  %0 = graph.mat_mul %a, %b : (tensor<?x4x8xf32>, tensor<8x16xf32>) -> tensor<?x4x16xf32>
  // CHECK: graph.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, trans_b = true}
  %1 = graph.gemm %m, %w, %c {alpha = 0.5 : f32, trans_b = true}
      : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0, %1 : tensor<?x4x16xf32>, tensor<4x16xf32>
}

// CHECK-LABEL: func @normalization
func.func @normalization(%x: tensor<2x8x16xf32>, %g: tensor<16xf32>,
                         %img: tensor<1x8x4x4xf32>, %p: tensor<8xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<1x8x4x4xf32>) {
  // CHECK: graph.softmax %{{.*}} {axis = 1 : i64} : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  %0 = graph.softmax %x {axis = 1 : i64} : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  // CHECK: graph.layer_normalization
  %1 = graph.layer_normalization %x, %g, %g {epsilon = 1.0e-06 : f32}
      : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  // CHECK: graph.batch_normalization
  %2 = graph.batch_normalization %img, %p, %p, %p, %p
      : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
      -> tensor<1x8x4x4xf32>
  return %0, %1, %2 : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func @convolution
func.func @convolution(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>)
    -> (tensor<?x16x1x1xf32>, tensor<?x16x8x8xf32>) {
  // CHECK: graph.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                              strides = array<i64: 1, 1>}
      : (tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<?x16x32x32xf32>
  // CHECK: graph.max_pool
  %1 = graph.max_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<?x16x32x32xf32>) -> tensor<?x16x16x16xf32>
  // CHECK: graph.average_pool
  %2 = graph.average_pool %1 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                              pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
      : (tensor<?x16x16x16xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: graph.global_average_pool
  %3 = graph.global_average_pool %2 : (tensor<?x16x8x8xf32>) -> tensor<?x16x1x1xf32>
  // CHECK: graph.global_max_pool
  %4 = graph.global_max_pool %3 : (tensor<?x16x1x1xf32>) -> tensor<?x16x1x1xf32>
  return %4, %2 : tensor<?x16x1x1xf32>, tensor<?x16x8x8xf32>
}

// CHECK-LABEL: func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) -> (tensor<2x1x4xf32>, tensor<f32>) {
  %axes = graph.constant dense<1> : tensor<1xi64>
  // CHECK: graph.reduce_sum %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %0 = graph.reduce_sum %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_mean %{{.*}} {keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  %1 = graph.reduce_mean %x {keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  return %0, %1 : tensor<2x1x4xf32>, tensor<f32>
}

// CHECK-LABEL: func @more_reductions
func.func @more_reductions(%x: tensor<2x3x4xf32>, %t: tensor<2x4xi64>, %w: tensor<3xf32>) {
  %axes = graph.constant dense<1> : tensor<1xi64>
  // CHECK: graph.reduce_max %{{.*}}, %{{.*}} {keepdims = false} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x4xf32>
  %0 = graph.reduce_max %x, %axes {keepdims = false} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x4xf32>
  // CHECK: graph.reduce_min
  %1 = graph.reduce_min %x : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  // CHECK: graph.reduce_prod
  %2 = graph.reduce_prod %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_l1
  %3 = graph.reduce_l1 %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_l2
  %4 = graph.reduce_l2 %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_log_sum %
  %5 = graph.reduce_log_sum %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_log_sum_exp
  %6 = graph.reduce_log_sum_exp %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.reduce_sum_square
  %7 = graph.reduce_sum_square %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  // CHECK: graph.arg_max %{{.*}} {axis = 1 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  %8 = graph.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  // CHECK: graph.arg_min %{{.*}} {axis = -1 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  %9 = graph.arg_min %x {axis = -1 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  // CHECK: graph.log_softmax %{{.*}} {axis = 1 : i64}
  %10 = graph.log_softmax %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK: graph.hardmax %{{.*}} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %11 = graph.hardmax %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK: graph.negative_log_likelihood_loss %{{.*}}, %{{.*}}, %{{.*}} {ignore_index = 0 : i64, reduction = "none"} : (tensor<2x3x4xf32>, tensor<2x4xi64>, tensor<3xf32>) -> tensor<2x4xf32>
  %12 = graph.negative_log_likelihood_loss %10, %t, %w {ignore_index = 0 : i64, reduction = "none"} : (tensor<2x3x4xf32>, tensor<2x4xi64>, tensor<3xf32>) -> tensor<2x4xf32>
  // CHECK: graph.cum_sum %{{.*}}, %{{.*}} {exclusive = true} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x3x4xf32>
  %a = graph.constant dense<0> : tensor<i32>
  %13 = graph.cum_sum %x, %a {exclusive = true} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x3x4xf32>
  return
}

// CHECK-LABEL: func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %ids: tensor<5xi64>, %s: tensor<2xi64>)
    -> (tensor<2x12xf32>, tensor<4x3x2xf32>, tensor<2x12xf32>, tensor<4x3x4xf32>,
        tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x3x2xf32>, tensor<5x3x4xf32>,
        tensor<2x3x4x1xf32>, tensor<2x3x4xf32>, tensor<?x?xf32>, tensor<3xi64>) {
  %shape = graph.constant dense<[0, -1]> : tensor<2xi64>
  // CHECK: graph.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  %0 = graph.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  // CHECK: graph.transpose %{{.*}} {perm = array<i64: 2, 1, 0>}
  %1 = graph.transpose %x {perm = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  // CHECK: graph.flatten
  %2 = graph.flatten %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  // CHECK: graph.concat %{{.*}}, %{{.*}} {axis = 0 : i64}
  %3 = graph.concat %x, %x {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<4x3x4xf32>
  %sizes = graph.constant dense<[1, 2]> : tensor<2xi64>
  // CHECK: graph.split %{{.*}}, %{{.*}} {axis = 1 : i64, num_outputs = 2 : i64}
  %4:2 = graph.split %x, %sizes {axis = 1 : i64, num_outputs = 2 : i64}
      : (tensor<2x3x4xf32>, tensor<2xi64>) -> (tensor<2x1x4xf32>, tensor<2x2x4xf32>)
  %starts = graph.constant dense<1> : tensor<1xi64>
  %ends = graph.constant dense<3> : tensor<1xi64>
  %axis2 = graph.constant dense<2> : tensor<1xi64>
  // CHECK: graph.slice %{{.*}}, %{{.*}}, %{{.*}} axes %{{.*}} :
  %5 = graph.slice %x, %starts, %ends axes %axis2
      : (tensor<2x3x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3x2xf32>
  // CHECK: graph.gather
  %6 = graph.gather %x, %ids {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<5x3x4xf32>
  %axis3 = graph.constant dense<3> : tensor<1xi64>
  // CHECK: graph.unsqueeze
  %7 = graph.unsqueeze %x, %axis3 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x4x1xf32>
  // CHECK: graph.squeeze
  %8 = graph.squeeze %7, %axis3 : (tensor<2x3x4x1xf32>, tensor<1xi64>) -> tensor<2x3x4xf32>
  // CHECK: graph.expand %{{.*}}, %{{.*}} : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %9 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %10 = graph.expand %9, %s : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK: graph.shape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %11 = graph.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  return %0, %1, %2, %3, %4#0, %4#1, %5, %6, %7, %8, %10, %11
      : tensor<2x12xf32>, tensor<4x3x2xf32>, tensor<2x12xf32>, tensor<4x3x4xf32>,
        tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x3x2xf32>, tensor<5x3x4xf32>,
        tensor<2x3x4x1xf32>, tensor<2x3x4xf32>, tensor<?x?xf32>, tensor<3xi64>
}

// CHECK-LABEL: func @constants
func.func @constants() -> (tensor<2xf32>, tensor<4xf32>) {
  // CHECK: graph.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: graph.constant dense_resource<weight> : tensor<4xf32>
  %1 = graph.constant dense_resource<weight> : tensor<4xf32>
  return %0, %1 : tensor<2xf32>, tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}
