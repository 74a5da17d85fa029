// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs MaxPool with indices and the training-mode lowerings end to end and
// compares the printed results with numpy evaluations of the ONNX
// specification's formulas (the reference implementations of ONNX's node
// tests), as printed with 6 significant digits. The
// Dropout draws are those of the documented generator (SplitMix64 of seed
// and index), recomputed in Python.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

// Kernel 5, pads 2: every window holds the whole row span it can reach; the
// indices are row-major.
// CHECK: {{\[\[\[\[}}13, 14, 15, 15, 15],
// CHECK-NEXT: [18, 19, 20, 20, 20],
// CHECK-NEXT: [23, 24, 25, 25, 25],
// CHECK-NEXT: [23, 24, 25, 25, 25],
// CHECK-NEXT: [23, 24, 25, 25, 25]]]]
// CHECK: {{\[\[\[\[}}12, 13, 14, 14, 14],
// CHECK-NEXT: [17, 18, 19, 19, 19],
// CHECK-NEXT: [22, 23, 24, 24, 24],
// CHECK-NEXT: [22, 23, 24, 24, 24],
// CHECK-NEXT: [22, 23, 24, 24, 24]]]]
func.func @pool_pads(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>) {
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 5, 5>, strides = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 1, 1>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
  return %y, %i : tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>
}

// Kernel 2, strides 2, column-major indices (storage_order = 1).
// CHECK: {{\[\[\[\[}}7, 9],
// CHECK-NEXT: [17, 19]]]]
// CHECK: {{\[\[\[\[}}6, 16],
// CHECK-NEXT: [8, 18]]]]
func.func @pool_column_major(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, column_major_indices = true} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// A dynamic batch of two images: the second image's indices start at 4,
// and of two equal maxima the first wins.
// CHECK: {{\[\[\[\[}}1]]],
// CHECK-NEXT: {{\[\[\[}}6]]]]
func.func @pool_batch(%x: tensor<?x1x2x2xf32>) -> tensor<?x1x1x1xi64> {
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<?x1x2x2xf32>) -> (tensor<?x1x1x1xf32>, tensor<?x1x1x1xi64>)
  return %i : tensor<?x1x1x1xi64>
}

// BatchNormalization in training mode, epsilon 0.01, momentum 0.9.
// CHECK: {{\[\[\[}}-1.21125, -0.726752],
// CHECK-NEXT: [-1.3042, -0.46631]],
// CHECK-NEXT: {{\[\[}}0.726752, 1.21125],
// CHECK-NEXT: [2.04736, 3.72315]]]
// CHECK: [0.35, 1.475]
// CHECK: [1.325, 1.46875]
func.func @batch_norm(%x: tensor<2x2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %y, %rm, %rv = graph.batch_normalization_training %x, %s, %b, %m, %v {epsilon = 0.01 : f32, momentum = 0.9 : f32} : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return %y, %rm, %rv : tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>
}

// Adagrad (step 1), Adam (step 1), Momentum (standard at step 0, Nesterov
// at step 1).
// CHECK: [0.95928, 2.05242]
// CHECK: [1.251, 2.996]
// CHECK: [0.601002, 1.74613]
// CHECK: [0.12005, 0.1401]
// CHECK: [0.325901, 1.0964]
// CHECK: [0.9404, 2.0808]
// CHECK: [0.596, -0.808]
// CHECK: [0.936116, 2.09123]
// CHECK: [0.1451, 0.0902]
func.func @optimizers(%r: tensor<f32>, %t0: tensor<i64>, %t1: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %h: tensor<2xf32>, %v: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %x1, %h1 = graph.adagrad %r, %t1, %x, %g, %h {decay_factor = 0.1 : f32, epsilon = 1.0e-05 : f32, norm_coefficient = 0.001 : f32} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %x2, %v2, %h2 = graph.adam %r, %t1, %x, %g, %v, %h {alpha = 0.95 : f32, beta = 0.1 : f32, epsilon = 1.0e-07 : f32, norm_coefficient = 0.001 : f32} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
  %x3, %v3 = graph.momentum %r, %t0, %x, %g, %v {alpha = 0.95 : f32, beta = 0.1 : f32, norm_coefficient = 0.001 : f32} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %x4, %v4 = graph.momentum %r, %t1, %x, %g, %v {alpha = 0.95 : f32, beta = 0.1 : f32, norm_coefficient = 0.001 : f32, nesterov = true} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %x1, %h1, %x2, %v2, %h2, %x3, %v3, %x4, %v4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// Dropout of ones with ratio 0.5 and seed 0 (the draws are 0.883, 0.432,
// 0.026, 0.971, 0.106, 0.327, 0.174, 0.772), then out of training mode.
// CHECK: {{\[\[}}2, 0, 0, 2, 0, 0, 0, 2]]
// CHECK: {{\[\[}}1, 1, 1, 1, 1, 1, 1, 1]]
func.func @dropout(%x: tensor<1x8xf32>, %r: tensor<f32>, %t: tensor<i1>) -> tensor<1x8xf32> {
  %y, %mask = graph.dropout %x, %r training %t {seed = 0 : i64} : (tensor<1x8xf32>, tensor<f32>, tensor<i1>) -> (tensor<1x8xf32>, tensor<1x8xi1>)
  return %y : tensor<1x8xf32>
}

func.func @main() {
  %px = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0], [11.0, 12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0, 20.0], [21.0, 22.0, 23.0, 24.0, 25.0]]]]> : tensor<1x1x5x5xf32>
  %y0, %i0 = call @pool_pads(%px) : (tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
  %py0 = tensor.cast %y0 : tensor<1x1x5x5xf32> to tensor<*xf32>
  call @printMemrefF32(%py0) : (tensor<*xf32>) -> ()
  %pi0 = tensor.cast %i0 : tensor<1x1x5x5xi64> to tensor<*xi64>
  call @printMemrefI64(%pi0) : (tensor<*xi64>) -> ()

  %y1, %i1 = call @pool_column_major(%px) : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  %py1 = tensor.cast %y1 : tensor<1x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%py1) : (tensor<*xf32>) -> ()
  %pi1 = tensor.cast %i1 : tensor<1x1x2x2xi64> to tensor<*xi64>
  call @printMemrefI64(%pi1) : (tensor<*xi64>) -> ()

  %bx = arith.constant dense<[[[[1.0, 4.0], [3.0, 2.0]]], [[[5.0, 5.0], [8.0, 8.0]]]]> : tensor<2x1x2x2xf32>
  %bxd = tensor.cast %bx : tensor<2x1x2x2xf32> to tensor<?x1x2x2xf32>
  %i2 = call @pool_batch(%bxd) : (tensor<?x1x2x2xf32>) -> tensor<?x1x1x1xi64>
  %pi2 = tensor.cast %i2 : tensor<?x1x1x1xi64> to tensor<*xi64>
  call @printMemrefI64(%pi2) : (tensor<*xi64>) -> ()

  %nx = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 9.0]]]> : tensor<2x2x2xf32>
  %ns = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %nb = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %nm = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %nv = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %ny, %nrm, %nrv = call @batch_norm(%nx, %ns, %nb, %nm, %nv) : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>)
  %pny = tensor.cast %ny : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%pny) : (tensor<*xf32>) -> ()
  %pnrm = tensor.cast %nrm : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pnrm) : (tensor<*xf32>) -> ()
  %pnrv = tensor.cast %nrv : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pnrv) : (tensor<*xf32>) -> ()

  %r = arith.constant dense<0.1> : tensor<f32>
  %t0 = arith.constant dense<0> : tensor<i64>
  %t1 = arith.constant dense<1> : tensor<i64>
  %ox = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %og = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %oh = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %ov = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %o:9 = call @optimizers(%r, %t0, %t1, %ox, %og, %oh, %ov) : (tensor<f32>, tensor<i64>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
  %po0 = tensor.cast %o#0 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po0) : (tensor<*xf32>) -> ()
  %po1 = tensor.cast %o#1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po1) : (tensor<*xf32>) -> ()
  %po2 = tensor.cast %o#2 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po2) : (tensor<*xf32>) -> ()
  %po3 = tensor.cast %o#3 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po3) : (tensor<*xf32>) -> ()
  %po4 = tensor.cast %o#4 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po4) : (tensor<*xf32>) -> ()
  %po5 = tensor.cast %o#5 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po5) : (tensor<*xf32>) -> ()
  %po6 = tensor.cast %o#6 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po6) : (tensor<*xf32>) -> ()
  %po7 = tensor.cast %o#7 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po7) : (tensor<*xf32>) -> ()
  %po8 = tensor.cast %o#8 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%po8) : (tensor<*xf32>) -> ()

  %dx = arith.constant dense<1.0> : tensor<1x8xf32>
  %dr = arith.constant dense<0.5> : tensor<f32>
  %dt = arith.constant dense<true> : tensor<i1>
  %dy = call @dropout(%dx, %dr, %dt) : (tensor<1x8xf32>, tensor<f32>, tensor<i1>) -> tensor<1x8xf32>
  %pdy = tensor.cast %dy : tensor<1x8xf32> to tensor<*xf32>
  call @printMemrefF32(%pdy) : (tensor<*xf32>) -> ()
  %df = arith.constant dense<false> : tensor<i1>
  %dy2 = call @dropout(%dx, %dr, %df) : (tensor<1x8xf32>, tensor<f32>, tensor<i1>) -> tensor<1x8xf32>
  %pdy2 = tensor.cast %dy2 : tensor<1x8xf32> to tensor<*xf32>
  call @printMemrefF32(%pdy2) : (tensor<*xf32>) -> ()
  return
}
