// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm \
// RUN:   --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the elementwise, reduction, normalization and contraction lowerings
// end to end and compares the printed results with values computed by numpy
// (float64 reference on the same f32 inputs). printMemrefF32 prints 6
// significant digits; the checks match the first 4 significant digits of
// the numpy value (a relative tolerance of about 1e-3), integers exactly.
// `--math-expand-ops` is left out on purpose: it rewrites math.fpowi and
// math.powf as exp(y * log(x)), which is NaN for negative bases.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

func.func @add(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %0 = graph.add %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @div_int(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xf32> {
  %0 = graph.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = graph.cast %0 {to = f32} : (tensor<4xi32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

func.func @unary(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %0 = graph.gelu %x : (tensor<?xf32>) -> tensor<?xf32>
  %1 = graph.gelu %x {approximate = "tanh"} : (tensor<?xf32>) -> tensor<?xf32>
  %2 = graph.sigmoid %x : (tensor<?xf32>) -> tensor<?xf32>
  %3 = graph.tanh %x : (tensor<?xf32>) -> tensor<?xf32>
  %4 = graph.erf %x : (tensor<?xf32>) -> tensor<?xf32>
  return %0, %1, %2, %3, %4 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

func.func @pow(%x: tensor<3xf32>, %e: tensor<3xi64>, %f: tensor<3xf32>, %h: tensor<f32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = graph.pow %x, %e : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  %1 = graph.pow %f, %h : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %e32 = graph.cast %e {to = i32} : (tensor<3xi64>) -> tensor<3xi32>
  %2 = graph.pow %x, %e32 : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

func.func @cast(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.cast %x {to = i32} : (tensor<4xf32>) -> tensor<4xi32>
  %1 = graph.cast %0 {to = f32} : (tensor<4xi32>) -> tensor<4xf32>
  %2 = graph.cast %x {to = i1} : (tensor<4xf32>) -> tensor<4xi1>
  %3 = graph.cast %2 {to = f32} : (tensor<4xi1>) -> tensor<4xf32>
  return %1, %3 : tensor<4xf32>, tensor<4xf32>
}

func.func @where(%a: tensor<3xf32>, %b: tensor<3xf32>, %x: tensor<3xf32>, %y: tensor<f32>) -> tensor<3xf32> {
  %0 = graph.equal %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %1 = graph.where %0, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

func.func @normalize(%s: tensor<?x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %0 = graph.softmax %s {axis = 1 : i64} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = graph.layer_normalization %s, %g, %b {axis = -1 : i64} : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0, %1 : tensor<?x3xf32>, tensor<?x3xf32>
}

func.func @reduce(%a: tensor<?x3xf32>) -> (tensor<?x1xf32>, tensor<f32>) {
  %axes = arith.constant dense<[1]> : tensor<1xi64>
  %0 = graph.reduce_mean %a, %axes : (tensor<?x3xf32>, tensor<1xi64>) -> tensor<?x1xf32>
  %1 = graph.reduce_sum %a {keepdims = false} : (tensor<?x3xf32>) -> tensor<f32>
  return %0, %1 : tensor<?x1xf32>, tensor<f32>
}

func.func @batch_norm(%x: tensor<1x2x2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.batch_normalization %x, %s, %b, %m, %v : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

func.func @contract(%a: tensor<2x1x2x3xf32>, %b: tensor<3x3x2xf32>, %ga: tensor<3x2xf32>, %gb: tensor<4x2xf32>, %gc: tensor<4xf32>) -> (tensor<2x3x2x2xf32>, tensor<3x4xf32>) {
  %0 = graph.mat_mul %a, %b : (tensor<2x1x2x3xf32>, tensor<3x3x2xf32>) -> tensor<2x3x2x2xf32>
  %1 = graph.gemm %ga, %gb, %gc {trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<3x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0, %1 : tensor<2x3x2x2xf32>, tensor<3x4xf32>
}

// add, [2,3] + [3] broadcast, dynamic rows:
// CHECK: {{\[\[}}1.5{{[0-9]*}}, -1.75{{[0-9]*}}, 2],
// CHECK-NEXT: [-3.5{{[0-9]*}}, 5.25{{[0-9]*}}, -7]]
// div on i32 truncates toward zero (then cast to f32):
// CHECK: [-3, -3, -2, 2]
// gelu (approximate none):
// CHECK: [-0.1002{{[0-9]*}}, -0.1542{{[0-9]*}}, 0, 0.5800{{[0-9]*}}, 1.954{{[0-9]*}}]
// gelu (approximate tanh):
// CHECK: [-0.1004{{[0-9]*}}, -0.1542{{[0-9]*}}, 0, 0.5799{{[0-9]*}}, 1.954{{[0-9]*}}]
// sigmoid:
// CHECK: [0.1824{{[0-9]*}}, 0.3775{{[0-9]*}}, 0.5{{[0-9]*}}, 0.6791{{[0-9]*}}, 0.8807{{[0-9]*}}]
// tanh:
// CHECK: [-0.9051{{[0-9]*}}, -0.4621{{[0-9]*}}, 0, 0.6351{{[0-9]*}}, 0.9640{{[0-9]*}}]
// erf:
// CHECK: [-0.9661{{[0-9]*}}, -0.5205{{[0-9]*}}, 0, 0.7111{{[0-9]*}}, 0.9953{{[0-9]*}}]
// pow, i64 exponent (powf path):
// CHECK: [2.25{{[0-9]*}}, -8, 0.3333{{[0-9]*}}]
// pow, f32 scalar exponent:
// CHECK: [1.224{{[0-9]*}}, 1.414{{[0-9]*}}, 2]
// pow, i32 exponent (fpowi path):
// CHECK: [2.25{{[0-9]*}}, -8, 0.3333{{[0-9]*}}]
// cast f32 -> i32 -> f32 truncates toward zero:
// CHECK: [-1, 0, 0, 2]
// cast f32 -> i1 -> f32 is x != 0:
// CHECK: [1, 1, 0, 1]
// equal + where with scalar broadcast:
// CHECK: [10, -1, 30]
// softmax over axis 1:
// CHECK: {{\[\[}}0.09003{{[0-9]*}}, 0.2447{{[0-9]*}}, 0.6652{{[0-9]*}}],
// CHECK-NEXT: [0.002456{{[0-9]*}}, 0.006676{{[0-9]*}}, 0.9908{{[0-9]*}}]]
// layer_normalization over the last axis with scale and bias:
// CHECK: {{\[\[}}-1.224{{[0-9]*}}, 1, -0.3876{{[0-9]*}}],
// CHECK-NEXT: [-0.889{{[0-9]*}}, -0.01600{{[0-9]*}}, -0.3015{{[0-9]*}}]]
// reduce_mean over axis 1, keepdims:
// CHECK: {{\[\[}}0.6666{{[0-9]*}}],
// CHECK-NEXT: [-1.666{{[0-9]*}}]]
// reduce_sum over all axes, keepdims = false:
// CHECK: [-3]
// batch_normalization per channel:
// CHECK: {{\[\[\[\[}}0.25{{[0-9]*}}, 0.75{{[0-9]*}}],
// CHECK-NEXT: [1.25{{[0-9]*}}, 1.75{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}-4.499{{[0-9]*}}, -0.5{{[0-9]*}}],
// CHECK-NEXT: [3.499{{[0-9]*}}, 7.499{{[0-9]*}}]]]]
// mat_mul [2,1,2,3] x [3,3,2] with batch broadcast:
// CHECK: {{\[\[\[\[}}-0.5{{[0-9]*}}, 0.25{{[0-9]*}}],
// CHECK-NEXT: [-5, -2]],
// CHECK-NEXT: {{\[\[}}4, 4.75{{[0-9]*}}],
// CHECK-NEXT: [13, 16]],
// CHECK-NEXT: {{\[\[}}8.5{{[0-9]*}}, 9.25{{[0-9]*}}],
// CHECK-NEXT: [31, 34]]],
// CHECK-NEXT: {{\[\[\[}}-9.5{{[0-9]*}}, -4.25{{[0-9]*}}],
// CHECK-NEXT: [-14, -6.5{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}22, 27.25{{[0-9]*}}],
// CHECK-NEXT: [31, 38.5{{[0-9]*}}]],
// CHECK-NEXT: {{\[\[}}53.5{{[0-9]*}}, 58.75{{[0-9]*}}],
// CHECK-NEXT: [76, 83.5{{[0-9]*}}]]]]
// gemm trans_b, alpha 0.5, beta 2, C broadcast:
// CHECK: {{\[\[}}2.5{{[0-9]*}}, 5, 7.5{{[0-9]*}}, 8],
// CHECK-NEXT: [3.5{{[0-9]*}}, 6, 9.5{{[0-9]*}}, 9],
// CHECK-NEXT: [4.5{{[0-9]*}}, 7, 11.5{{[0-9]*}}, 10]]
func.func @matmul_forms(%a: tensor<?x2x3xf32>, %b: tensor<3x2xf32>, %c: tensor<2x1x3x2xf32>, %v: tensor<3xf32>) -> (tensor<?x2x2xf32>, tensor<2x1x2x2xf32>, tensor<?x2xf32>) {
  %0 = graph.mat_mul %a, %b : (tensor<?x2x3xf32>, tensor<3x2xf32>) -> tensor<?x2x2xf32>
  %as = tensor.cast %a : tensor<?x2x3xf32> to tensor<2x2x3xf32>
  %a4 = tensor.expand_shape %as [[0, 1], [2], [3]] output_shape [2, 1, 2, 3] : tensor<2x2x3xf32> into tensor<2x1x2x3xf32>
  %1 = graph.mat_mul %a4, %c : (tensor<2x1x2x3xf32>, tensor<2x1x3x2xf32>) -> tensor<2x1x2x2xf32>
  %2 = graph.mat_mul %a, %v : (tensor<?x2x3xf32>, tensor<3xf32>) -> tensor<?x2xf32>
  return %0, %1, %2 : tensor<?x2x2xf32>, tensor<2x1x2x2xf32>, tensor<?x2xf32>
}

// mat_mul [?,2,3] x [3,2] (batch folded into rows of linalg.matmul):
// CHECK: {{\[\[\[}}5, 9],
// CHECK-NEXT: [14, 16.5]],
// CHECK-NEXT: {{\[\[}}0, 7.25],
// CHECK-NEXT: [2, -8.5]]]
// mat_mul [2,1,2,3] x [2,1,3,2] (equal batches, linalg.batch_matmul):
// CHECK: {{\[\[\[\[}}4, 5],
// CHECK-NEXT: [10, 11]]],
// CHECK-NEXT: {{\[\[\[}}-1.5, 3],
// CHECK-NEXT: [-2.5, -6]]]]
// mat_mul [?,2,3] x [3] (1-D right operand):
// CHECK: {{\[\[}}-1.5, -3],
// CHECK-NEXT: [-1, -3.5]]
func.func @main() {
  %a = arith.constant dense<[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]> : tensor<2x3xf32>
  %ad = tensor.cast %a : tensor<2x3xf32> to tensor<?x3xf32>
  %b = arith.constant dense<[0.5, 0.25, -1.0]> : tensor<3xf32>
  %add = call @add(%ad, %b) : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %p0 = tensor.cast %add : tensor<?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()

  %n = arith.constant dense<[-7, 7, -8, 9]> : tensor<4xi32>
  %d = arith.constant dense<[2, -2, 3, 4]> : tensor<4xi32>
  %div = call @div_int(%n, %d) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xf32>
  %p1 = tensor.cast %div : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()

  %x = arith.constant dense<[-1.5, -0.5, 0.0, 0.75, 2.0]> : tensor<5xf32>
  %xd = tensor.cast %x : tensor<5xf32> to tensor<?xf32>
  %u:5 = call @unary(%xd) : (tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>)
  %p2 = tensor.cast %u#0 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  %p3 = tensor.cast %u#1 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()
  %p4 = tensor.cast %u#2 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()
  %p5 = tensor.cast %u#3 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()
  %p6 = tensor.cast %u#4 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%p6) : (tensor<*xf32>) -> ()

  %pb = arith.constant dense<[1.5, -2.0, 3.0]> : tensor<3xf32>
  %pe = arith.constant dense<[2, 3, -1]> : tensor<3xi64>
  %pf = arith.constant dense<[1.5, 2.0, 4.0]> : tensor<3xf32>
  %ph = arith.constant dense<0.5> : tensor<f32>
  %pw:3 = call @pow(%pb, %pe, %pf, %ph) : (tensor<3xf32>, tensor<3xi64>, tensor<3xf32>, tensor<f32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  %p7 = tensor.cast %pw#0 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%p7) : (tensor<*xf32>) -> ()
  %p8 = tensor.cast %pw#1 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%p8) : (tensor<*xf32>) -> ()
  %p8b = tensor.cast %pw#2 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%p8b) : (tensor<*xf32>) -> ()

  %cx = arith.constant dense<[-1.7, -0.2, 0.0, 2.9]> : tensor<4xf32>
  %cs:2 = call @cast(%cx) : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  %p9 = tensor.cast %cs#0 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%p9) : (tensor<*xf32>) -> ()
  %p10 = tensor.cast %cs#1 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%p10) : (tensor<*xf32>) -> ()

  %wa = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %wb = arith.constant dense<[1.0, 0.0, 3.0]> : tensor<3xf32>
  %wx = arith.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %wy = arith.constant dense<-1.0> : tensor<f32>
  %w = call @where(%wa, %wb, %wx, %wy) : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %p11 = tensor.cast %w : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%p11) : (tensor<*xf32>) -> ()

  %s = arith.constant dense<[[1.0, 2.0, 3.0], [-1.0, 0.0, 5.0]]> : tensor<2x3xf32>
  %sd = tensor.cast %s : tensor<2x3xf32> to tensor<?x3xf32>
  %g = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %lb = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %nm:2 = call @normalize(%sd, %g, %lb) : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>)
  %p12 = tensor.cast %nm#0 : tensor<?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p12) : (tensor<*xf32>) -> ()
  %p13 = tensor.cast %nm#1 : tensor<?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p13) : (tensor<*xf32>) -> ()

  %rd:2 = call @reduce(%ad) : (tensor<?x3xf32>) -> (tensor<?x1xf32>, tensor<f32>)
  %p14 = tensor.cast %rd#0 : tensor<?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p14) : (tensor<*xf32>) -> ()
  %p15 = tensor.cast %rd#1 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%p15) : (tensor<*xf32>) -> ()

  %bx = arith.constant dense<[[[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]]> : tensor<1x2x2x2xf32>
  %bs = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %bb = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %bm = arith.constant dense<[0.5, 5.0]> : tensor<2xf32>
  %bv = arith.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %bn = call @batch_norm(%bx, %bs, %bb, %bm, %bv) : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %p16 = tensor.cast %bn : tensor<1x2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p16) : (tensor<*xf32>) -> ()

  %ma = arith.constant dense<[[[[0.0, 0.25, 0.5], [0.75, 1.0, 1.25]]], [[[1.5, 1.75, 2.0], [2.25, 2.5, 2.75]]]]> : tensor<2x1x2x3xf32>
  %mb = arith.constant dense<[[[-4.0, -3.0], [-2.0, -1.0], [0.0, 1.0]], [[2.0, 3.0], [4.0, 5.0], [6.0, 7.0]], [[8.0, 9.0], [10.0, 11.0], [12.0, 13.0]]]> : tensor<3x3x2xf32>
  %ga = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %gb = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]]> : tensor<4x2xf32>
  %gc = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %ct:2 = call @contract(%ma, %mb, %ga, %gb, %gc) : (tensor<2x1x2x3xf32>, tensor<3x3x2xf32>, tensor<3x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> (tensor<2x3x2x2xf32>, tensor<3x4xf32>)
  %p17 = tensor.cast %ct#0 : tensor<2x3x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p17) : (tensor<*xf32>) -> ()
  %p18 = tensor.cast %ct#1 : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p18) : (tensor<*xf32>) -> ()
  %mfa = arith.constant dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[-1.0, 0.5, 2.0], [0.0, 1.0, -3.0]]]> : tensor<2x2x3xf32>
  %mfad = tensor.cast %mfa : tensor<2x2x3xf32> to tensor<?x2x3xf32>
  %mfb = arith.constant dense<[[1.0, -1.0], [2.0, 0.5], [0.0, 3.0]]> : tensor<3x2xf32>
  %mfc = arith.constant dense<[[[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]], [[[2.0, 1.0], [-1.0, 0.0], [0.5, 2.0]]]]> : tensor<2x1x3x2xf32>
  %mfv = arith.constant dense<[1.0, -2.0, 0.5]> : tensor<3xf32>
  %mf:3 = call @matmul_forms(%mfad, %mfb, %mfc, %mfv) : (tensor<?x2x3xf32>, tensor<3x2xf32>, tensor<2x1x3x2xf32>, tensor<3xf32>) -> (tensor<?x2x2xf32>, tensor<2x1x2x2xf32>, tensor<?x2xf32>)
  %p19 = tensor.cast %mf#0 : tensor<?x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p19) : (tensor<*xf32>) -> ()
  %p20 = tensor.cast %mf#1 : tensor<2x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p20) : (tensor<*xf32>) -> ()
  %p21 = tensor.cast %mf#2 : tensor<?x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p21) : (tensor<*xf32>) -> ()
  return
}
