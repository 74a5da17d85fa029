// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the convolution and pooling lowerings end to end on small inputs and
// compares the printed results with onnxruntime's (opset 19). Every
// expected value is exact in f32 and printed exactly by printMemrefF32,
// except the thirds of the count_include_pad average, matched on their
// first 4 significant digits.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

// Conv 3x3, pads 1, strides 2, bias, dynamic batch (linalg.conv_2d_nchw_fchw).
func.func @conv(%x: tensor<?x1x4x4xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<?x2x2x2xf32> {
  %0 = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>} : (tensor<?x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  return %0 : tensor<?x2x2x2xf32>
}

// Conv 2x2 with group 2 (linalg.conv_2d_ngchw_gfchw).
func.func @grouped_conv(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// Depthwise 1-D Conv, pads 1, strides 2 (grouped linalg.generic).
func.func @depthwise_conv_1d(%x: tensor<1x2x5xf32>, %w: tensor<2x1x3xf32>) -> tensor<1x2x3xf32> {
  %0 = graph.conv %x, %w {pads = array<i64: 1, 1>, strides = array<i64: 2>, dilations = array<i64: 1>, group = 2 : i64} : (tensor<1x2x5xf32>, tensor<2x1x3xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// MaxPool 3x3, pads 1, strides 2 on negative values; MaxPool 2x2, strides 3,
// ceil_mode (the last windows overhang the input).
func.func @max_pool(%x: tensor<?x1x4x4xf32>) -> (tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>) {
  %0 = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<?x1x4x4xf32>) -> tensor<?x1x2x2xf32>
  %1 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<?x1x4x4xf32>) -> tensor<?x1x2x2xf32>
  return %0, %1 : tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>
}

// AveragePool 3x3, pads 1, strides 2 with count_include_pad 0 and 1; 2x2,
// begin pads 1, strides 2, ceil_mode with count_include_pad 1 and 0.
func.func @average_pool(%x: tensor<?x1x4x4xf32>) -> (tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>, tensor<?x1x3x3xf32>, tensor<?x1x3x3xf32>) {
  %0 = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x1x4x4xf32>) -> tensor<?x1x2x2xf32>
  %1 = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<?x1x4x4xf32>) -> tensor<?x1x2x2xf32>
  %2 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true, count_include_pad = true} : (tensor<?x1x4x4xf32>) -> tensor<?x1x3x3xf32>
  %3 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true} : (tensor<?x1x4x4xf32>) -> tensor<?x1x3x3xf32>
  return %0, %1, %2, %3 : tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>, tensor<?x1x3x3xf32>, tensor<?x1x3x3xf32>
}

// 3-D MaxPool with ceil_mode (a generic; the last windows overhang).
func.func @max_pool_3d(%x: tensor<1x1x3x3x3xf32>) -> tensor<1x1x2x2x2xf32> {
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, ceil_mode = true} : (tensor<1x1x3x3x3xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}

func.func @global_average_pool(%x: tensor<?x2x2x3xf32>) -> tensor<?x2x1x1xf32> {
  %0 = graph.global_average_pool %x : (tensor<?x2x2x3xf32>) -> tensor<?x2x1x1xf32>
  return %0 : tensor<?x2x1x1xf32>
}

// conv, batch 2:
// CHECK: {{\[\[\[\[}}7.5, 17.5],
// CHECK-NEXT: [29.5, 55.5]],
// CHECK-NEXT: {{\[\[}}-5, -3],
// CHECK-NEXT: [3, 5]]],
// CHECK-NEXT: {{\[\[\[}}39.5, 65.5],
// CHECK-NEXT: [77.5, 135.5]],
// CHECK-NEXT: {{\[\[}}11, 13],
// CHECK-NEXT: [19, 21]]]]
// grouped_conv:
// CHECK: {{\[\[\[\[}}54, 60],
// CHECK-NEXT: [72, 78]],
// CHECK-NEXT: {{\[\[}}10, 12],
// CHECK-NEXT: [16, 18]],
// CHECK-NEXT: {{\[\[}}102, 106],
// CHECK-NEXT: [114, 118]],
// CHECK-NEXT: {{\[\[}}6, 7],
// CHECK-NEXT: [9, 10]]]]
// depthwise_conv_1d:
// CHECK: {{\[\[\[}}-2, -2, 4],
// CHECK-NEXT: [-1.5, -4.5, -4.5]]]
// max_pool, padded:
// CHECK: {{\[\[\[\[}}-1, -1],
// CHECK-NEXT: [-2, -4]]]]
// max_pool, ceil_mode:
// CHECK: {{\[\[\[\[}}-1, -3],
// CHECK-NEXT: [-13, -16]]]]
// average_pool, count_include_pad 0:
// CHECK: {{\[\[\[\[}}3.5, 5],
// CHECK-NEXT: [9.5, 11]]]]
// average_pool, count_include_pad 1:
// CHECK: {{\[\[\[\[}}1.555{{[0-9]*}}, 3.333{{[0-9]*}}],
// CHECK-NEXT: [6.333{{[0-9]*}}, 11]]]]
// average_pool, ceil_mode, count_include_pad 1 (the overhang is not counted):
// CHECK: {{\[\[\[\[}}0.25, 1.25, 2],
// CHECK-NEXT: [3.5, 8.5, 10],
// CHECK-NEXT: [6.5, 14.5, 16]]]]
// average_pool, ceil_mode, count_include_pad 0:
// CHECK: {{\[\[\[\[}}1, 2.5, 4],
// CHECK-NEXT: [7, 8.5, 10],
// CHECK-NEXT: [13, 14.5, 16]]]]
// max_pool, 3-D, ceil_mode:
// CHECK: {{\[\[\[\[\[}}12, 14],
// CHECK-NEXT: [16, 8]],
// CHECK-NEXT: {{\[\[}}22, 20],
// CHECK-NEXT: [24, 26]]]]]
// global_average_pool, batch 2:
// CHECK: {{\[\[\[\[}}3.5]],
// CHECK-NEXT: {{\[\[}}9.5]]],
// CHECK-NEXT: {{\[\[\[}}15.5]],
// CHECK-NEXT: {{\[\[}}21.5]]]]
func.func @main() {
  %cx = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]],
                               [[[17.0, 18.0, 19.0, 20.0], [21.0, 22.0, 23.0, 24.0], [25.0, 26.0, 27.0, 28.0], [29.0, 30.0, 31.0, 32.0]]]]> : tensor<2x1x4x4xf32>
  %cxd = tensor.cast %cx : tensor<2x1x4x4xf32> to tensor<?x1x4x4xf32>
  %cw = arith.constant dense<[[[[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]],
                               [[[0.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, -1.0]]]]> : tensor<2x1x3x3xf32>
  %cb = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %c = call @conv(%cxd, %cw, %cb) : (tensor<?x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  %p0 = tensor.cast %c : tensor<?x2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()

  %gx = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
                               [[10.0, 11.0, 12.0], [13.0, 14.0, 15.0], [16.0, 17.0, 18.0]],
                               [[19.0, 20.0, 21.0], [22.0, 23.0, 24.0], [25.0, 26.0, 27.0]],
                               [[28.0, 29.0, 30.0], [31.0, 32.0, 33.0], [34.0, 35.0, 36.0]]]]> : tensor<1x4x3x3xf32>
  %gw = arith.constant dense<[[[[1.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]],
                               [[[0.0, 1.0], [1.0, 0.0]], [[-1.0, 0.0], [0.0, 1.0]]],
                               [[[1.0, 1.0], [0.0, 0.0]], [[0.0, 0.0], [1.0, 1.0]]],
                               [[[2.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, -1.0]]]]> : tensor<4x2x2x2xf32>
  %g = call @grouped_conv(%gx, %gw) : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  %p1 = tensor.cast %g : tensor<1x4x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()

  %dx = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0, 5.0], [-1.0, -2.0, -3.0, -4.0, -5.0]]]> : tensor<1x2x5xf32>
  %dw = arith.constant dense<[[[1.0, 0.0, -1.0]], [[0.5, 0.5, 0.5]]]> : tensor<2x1x3xf32>
  %d = call @depthwise_conv_1d(%dx, %dw) : (tensor<1x2x5xf32>, tensor<2x1x3xf32>) -> tensor<1x2x3xf32>
  %p2 = tensor.cast %d : tensor<1x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()

  %mx = arith.constant dense<[[[[-5.0, -1.0, -7.0, -3.0], [-2.0, -8.0, -4.0, -6.0], [-9.0, -10.0, -11.0, -12.0], [-13.0, -14.0, -15.0, -16.0]]]]> : tensor<1x1x4x4xf32>
  %mxd = tensor.cast %mx : tensor<1x1x4x4xf32> to tensor<?x1x4x4xf32>
  %m:2 = call @max_pool(%mxd) : (tensor<?x1x4x4xf32>) -> (tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>)
  %p3 = tensor.cast %m#0 : tensor<?x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()
  %p4 = tensor.cast %m#1 : tensor<?x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()

  %ax = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]]]> : tensor<1x1x4x4xf32>
  %axd = tensor.cast %ax : tensor<1x1x4x4xf32> to tensor<?x1x4x4xf32>
  %a:4 = call @average_pool(%axd) : (tensor<?x1x4x4xf32>) -> (tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>, tensor<?x1x3x3xf32>, tensor<?x1x3x3xf32>)
  %p5 = tensor.cast %a#0 : tensor<?x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()
  %p6 = tensor.cast %a#1 : tensor<?x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p6) : (tensor<*xf32>) -> ()
  %p7 = tensor.cast %a#2 : tensor<?x1x3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p7) : (tensor<*xf32>) -> ()
  %p8 = tensor.cast %a#3 : tensor<?x1x3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p8) : (tensor<*xf32>) -> ()

  %tx = arith.constant dense<[[[[[0.0, -1.0, 2.0], [-3.0, 4.0, -5.0], [6.0, -7.0, 8.0]],
                                [[-9.0, 10.0, -11.0], [12.0, -13.0, 14.0], [-15.0, 16.0, -17.0]],
                                [[18.0, -19.0, 20.0], [-21.0, 22.0, -23.0], [24.0, -25.0, 26.0]]]]]> : tensor<1x1x3x3x3xf32>
  %mm = call @max_pool_3d(%tx) : (tensor<1x1x3x3x3xf32>) -> tensor<1x1x2x2x2xf32>
  %p9 = tensor.cast %mm : tensor<1x1x2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p9) : (tensor<*xf32>) -> ()

  %qx = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]],
                               [[[13.0, 14.0, 15.0], [16.0, 17.0, 18.0]], [[19.0, 20.0, 21.0], [22.0, 23.0, 24.0]]]]> : tensor<2x2x2x3xf32>
  %qxd = tensor.cast %qx : tensor<2x2x2x3xf32> to tensor<?x2x2x3xf32>
  %q = call @global_average_pool(%qxd) : (tensor<?x2x2x3xf32>) -> tensor<?x2x1x1xf32>
  %p10 = tensor.cast %q : tensor<?x2x1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p10) : (tensor<*xf32>) -> ()
  return
}
