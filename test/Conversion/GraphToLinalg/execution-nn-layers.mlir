// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the Resize, ConvTranspose and MaxUnpool lowerings end to end and compares the
// printed results with ONNX's reference implementation (onnx.reference,
// which onnxruntime matches except for tf_crop_and_resize). The cubic values
// are matched on their first 4 significant digits.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

// Linear, half_pixel, scales 2 on two dimensions given at run time.
// CHECK: {{\[\[\[\[}}1, 1.25, 1.75, 2],
// CHECK-NEXT: [1.5, 1.75, 2.25, 2.5],
// CHECK-NEXT: [2.5, 2.75, 3.25, 3.5],
// CHECK-NEXT: [3, 3.25, 3.75, 4]]]]
func.func @linear(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  %0 = graph.resize %x scales(%s) {mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// Cubic (A = -0.75), half_pixel, constant sizes 4 -> 6.
// CHECK: {{\[\[\[\[}}0.9131{{[0-9]*}}, 1.3125, 2.304{{[0-9]*}}, 3.383{{[0-9]*}}, 6.1875, 8.347{{[0-9]*}}]]]]
func.func @cubic(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x6xf32> {
  %z = graph.constant dense<[1, 1, 1, 6]> : tensor<4xi64>
  %0 = graph.resize %x sizes(%z) {mode = "cubic"} : (tensor<1x1x1x4xf32>, tensor<4xi64>) -> tensor<1x1x1x6xf32>
  return %0 : tensor<1x1x1x6xf32>
}

// tf_crop_and_resize of [0.5, 1.5] x (width - 1) of the last dimension:
// the coordinates 3.5 and 4.5 are outside and extrapolate.
// CHECK: {{\[\[\[\[}}3, 6, -1, -1]]]]
func.func @crop(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32> {
  %z = graph.constant dense<[1, 1, 1, 4]> : tensor<4xi64>
  %r = graph.constant dense<[0.0, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.5]> : tensor<8xf32>
  %0 = graph.resize %x roi(%r) sizes(%z) {mode = "linear", coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = -1.0 : f32} : (tensor<1x1x1x4xf32>, tensor<8xf32>, tensor<4xi64>) -> tensor<1x1x1x4xf32>
  return %0 : tensor<1x1x1x4xf32>
}

// Nearest, round_prefer_ceil, asymmetric, downsampling by 0.75.
// CHECK: {{\[\[\[\[}}1, 2, 8]]]]
func.func @nearest(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x3xf32> {
  %s = graph.constant dense<[1.0, 1.0, 1.0, 0.75]> : tensor<4xf32>
  %0 = graph.resize %x scales(%s) {nearest_mode = "round_prefer_ceil", coordinate_transformation_mode = "asymmetric"} : (tensor<1x1x1x4xf32>, tensor<4xf32>) -> tensor<1x1x1x3xf32>
  return %0 : tensor<1x1x1x3xf32>
}

// ConvTranspose with strides 2, uneven pads, output_padding and a bias.
// CHECK: {{\[\[\[\[}}0.5, 0.5, 4.5, 5.5, 14.5, 10.5],
// CHECK-NEXT: [3.5, 6.5, 20.5, 16.5, 40.5, 26.5],
// CHECK-NEXT: [12.5, 15.5, 34.5, 20.5, 44.5, 25.5],
// CHECK-NEXT: [27.5, 36.5, 80.5, 46.5, 100.5, 56.5],
// CHECK-NEXT: [24.5, 30.5, 64.5, 35.5, 74.5, 40.5],
// CHECK-NEXT: [42.5, 48.5, 103.5, 56.5, 119.5, 64.5],
// CHECK-NEXT: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]],
// CHECK-NEXT: {{\[\[}}-1, -1, -1, 0, -1, 1],
// CHECK-NEXT: [2, -1, -1, -1, -1, -1],
// CHECK-NEXT: [-1, 2, -1, 3, -1, 4],
// CHECK-NEXT: [2, -1, -1, -1, -1, -1],
// CHECK-NEXT: [-1, 5, -1, 6, -1, 7],
// CHECK-NEXT: [-7, -1, -2, -1, -2, -1],
// CHECK-NEXT: [-1, -1, -1, -1, -1, -1]]]]
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x7x6xf32> {
  %0 = graph.conv_transpose %x, %w, %b {pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 0>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x6xf32>
  return %0 : tensor<1x2x7x6xf32>
}

// MaxUnpool 2x2 / 2: each value lands at its flat index, the rest is zero.
// CHECK: {{\[\[\[\[}}0, 0, 0, 0],
// CHECK-NEXT: [0, 5, 0, 6],
// CHECK-NEXT: [0, 0, 0, 0],
// CHECK-NEXT: [7, 0, 0, 8]]]]
func.func @max_unpool(%x: tensor<?x1x2x2xf32>, %i: tensor<?x1x2x2xi64>) -> tensor<?x1x4x4xf32> {
  %0 = graph.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<?x1x2x2xf32>, tensor<?x1x2x2xi64>) -> tensor<?x1x4x4xf32>
  return %0 : tensor<?x1x4x4xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %s = arith.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = call @linear(%x, %s) : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  %p0 = tensor.cast %0 : tensor<?x?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()

  %x4 = arith.constant dense<[[[[1.0, 2.0, 4.0, 8.0]]]]> : tensor<1x1x1x4xf32>
  %1 = call @cubic(%x4) : (tensor<1x1x1x4xf32>) -> tensor<1x1x1x6xf32>
  %p1 = tensor.cast %1 : tensor<1x1x1x6xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()

  %2 = call @crop(%x4) : (tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32>
  %p2 = tensor.cast %2 : tensor<1x1x1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()

  %3 = call @nearest(%x4) : (tensor<1x1x1x4xf32>) -> tensor<1x1x1x3xf32>
  %p3 = tensor.cast %3 : tensor<1x1x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()

  %cx = arith.constant dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]]]> : tensor<1x1x3x3xf32>
  %cw = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
                               [[1.0, 0.0, -1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 1.0]]]]> : tensor<1x2x3x3xf32>
  %cb = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %4 = call @conv_transpose(%cx, %cw, %cb) : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x6xf32>
  %p4 = tensor.cast %4 : tensor<1x2x7x6xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()

  %ux = arith.constant dense<[[[[5.0, 6.0], [7.0, 8.0]]]]> : tensor<1x1x2x2xf32>
  %uxd = tensor.cast %ux : tensor<1x1x2x2xf32> to tensor<?x1x2x2xf32>
  %ui = arith.constant dense<[[[[5, 7], [12, 15]]]]> : tensor<1x1x2x2xi64>
  %uid = tensor.cast %ui : tensor<1x1x2x2xi64> to tensor<?x1x2x2xi64>
  %5 = call @max_unpool(%uxd, %uid) : (tensor<?x1x2x2xf32>, tensor<?x1x2x2xi64>) -> tensor<?x1x4x4xf32>
  %p5 = tensor.cast %5 : tensor<?x1x4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()
  return
}
