// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the sampling lowerings (GridSample with three modes and padding
// modes, RoiAlign) and the signal lowerings (DFT, inverse DFT, STFT, a
// window of a run-time size, MelWeightMatrix) on small inputs and compares
// the printed results with the ONNX reference implementation's.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

func.func @grid_sample(%x: tensor<1x1x3x3xf32>, %g: tensor<1x1x3x2xf32>) -> (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>) {
  %0 = graph.grid_sample %x, %g : (tensor<1x1x3x3xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x1x3xf32>
  %1 = graph.grid_sample %x, %g {mode = "nearest", padding_mode = "border", align_corners = true} : (tensor<1x1x3x3xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x1x3xf32>
  %2 = graph.grid_sample %x, %g {mode = "bicubic", padding_mode = "reflection"} : (tensor<1x1x3x3xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x1x3xf32>
  return %0, %1, %2 : tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>
}

func.func @roi_align(%x: tensor<1x1x3x3xf32>, %r: tensor<2x4xf32>, %i: tensor<2xi64>) -> tensor<2x1x2x2xf32> {
  %0 = graph.roi_align %x, %r, %i {output_height = 2 : i64, output_width = 2 : i64} : (tensor<1x1x3x3xf32>, tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x1x2x2xf32>
  return %0 : tensor<2x1x2x2xf32>
}

func.func @signal(%s: tensor<1x4x1xf32>, %n: tensor<i64>, %step: tensor<i64>) -> (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x?x2x2xf32>, tensor<?xf32>, tensor<?x?xf32>) {
  %0 = graph.dft %s {onesided = true} : (tensor<1x4x1xf32>) -> tensor<1x3x2xf32>
  %full = graph.dft %s : (tensor<1x4x1xf32>) -> tensor<1x4x2xf32>
  %1 = graph.dft %full {inverse = true} : (tensor<1x4x2xf32>) -> tensor<1x4x2xf32>
  %two = graph.constant dense<2> : tensor<i64>
  %2 = graph.stft %s, %step frame_length %two : (tensor<1x4x1xf32>, tensor<i64>, tensor<i64>) -> tensor<1x?x2x2xf32>
  %3 = graph.cosine_sum_window %n {a0 = 0.5, a1 = 0.5, a2 = 0.0, element_type = f32} : (tensor<i64>) -> tensor<?xf32>
  %bins = graph.constant dense<2> : tensor<i64>
  %rate = graph.constant dense<8000> : tensor<i64>
  %lo = graph.constant dense<0.0> : tensor<f32>
  %hi = graph.constant dense<4000.0> : tensor<f32>
  %4 = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi {element_type = f32} : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  return %0, %1, %2, %3, %4 : tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x?x2x2xf32>, tensor<?xf32>, tensor<?x?xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %g = arith.constant dense<[[[[-0.9, -0.6], [0.25, 0.1], [1.3, 0.7]]]]> : tensor<1x1x3x2xf32>
  %g0, %g1, %g2 = call @grid_sample(%x, %g) : (tensor<1x1x3x3xf32>, tensor<1x1x3x2xf32>) -> (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>)
  %pg0 = tensor.cast %g0 : tensor<1x1x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pg0) : (tensor<*xf32>) -> ()
  %pg1 = tensor.cast %g1 : tensor<1x1x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pg1) : (tensor<*xf32>) -> ()
  %pg2 = tensor.cast %g2 : tensor<1x1x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pg2) : (tensor<*xf32>) -> ()

  %r = arith.constant dense<[[0.0, 0.0, 2.0, 2.0], [0.5, 1.0, 3.0, 2.5]]> : tensor<2x4xf32>
  %i = arith.constant dense<[0, 0]> : tensor<2xi64>
  %ra = call @roi_align(%x, %r, %i) : (tensor<1x1x3x3xf32>, tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x1x2x2xf32>
  %pra = tensor.cast %ra : tensor<2x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pra) : (tensor<*xf32>) -> ()

  %s = arith.constant dense<[[[1.0], [2.0], [0.0], [-1.0]]]> : tensor<1x4x1xf32>
  %n = arith.constant dense<4> : tensor<i64>
  %step = arith.constant dense<1> : tensor<i64>
  %d0, %d1, %st, %w, %mel = call @signal(%s, %n, %step) : (tensor<1x4x1xf32>, tensor<i64>, tensor<i64>) -> (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x?x2x2xf32>, tensor<?xf32>, tensor<?x?xf32>)
  %pd0 = tensor.cast %d0 : tensor<1x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pd0) : (tensor<*xf32>) -> ()
  %pd1 = tensor.cast %d1 : tensor<1x4x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pd1) : (tensor<*xf32>) -> ()
  %pst = tensor.cast %st : tensor<1x?x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pst) : (tensor<*xf32>) -> ()
  %pw = tensor.cast %w : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%pw) : (tensor<*xf32>) -> ()
  %pmel = tensor.cast %mel : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%pmel) : (tensor<*xf32>) -> ()
  return
}

// grid_sample: bilinear with zero padding, nearest with border padding and
// aligned corners, bicubic with reflection padding:
// CHECK: {{\[\[\[\[}}0.845,     5.825,     0.4275{{[0-9]*}}]]]]
// CHECK: {{\[\[\[\[}}1,     5,     9]]]]
// CHECK: {{\[\[\[\[}}1.0551{{[0-9]*}},     6.0971{{[0-9]*}},     9.1425]]]]
// roi_align, half_pixel, adaptive sampling ratio:
// CHECK: {{\[\[\[\[}}1,     2],
// CHECK-NEXT: [4,     5]]],
// CHECK-NEXT: {{\[\[\[}}4.25,     5.40625],
// CHECK-NEXT: [6.5,     7.65625]]]]
// one-sided DFT of [1, 2, 0, -1] (numpy.fft.rfft: 2, 1-3j, 0):
// CHECK: sizes = [1, 3, 2]
// CHECK: {{\[\[\[}}2,    0],
// CHECK-NEXT: [1,    -3],
// CHECK-NEXT: [0,    {{.*}}]]]
// inverse of the full DFT: the signal again
// CHECK: sizes = [1, 4, 2]
// CHECK: {{\[\[\[}}1,    0],
// CHECK-NEXT: [2,    {{.*}}],
// CHECK-NEXT: [0,    0],
// CHECK-NEXT: [-1,    {{.*}}]]]
// STFT, frames of 2 every sample, no window: 3 frames
// CHECK: sizes = [1, 3, 2, 2]
// CHECK: {{\[\[\[\[}}3,     0],
// CHECK-NEXT: [-1,     {{.*}}]],
// CHECK-NEXT: {{\[\[}}2,     0],
// CHECK-NEXT: [2,     0]],
// CHECK-NEXT: {{\[\[}}-1,     0],
// CHECK-NEXT: [1,     {{.*}}]]]]
// periodic Hann window of run-time size 4:
// CHECK: sizes = [4]
// CHECK: [0,  0.5,  1,  0.5]
// MelWeightMatrix(2 bins, dft_length 4, 8 kHz, 0 to 4000 Hz):
// CHECK: sizes = [3, 2]
// CHECK: {{\[\[}}1,   1],
// CHECK-NEXT: [0,   0],
// CHECK-NEXT: [0,   0]]
