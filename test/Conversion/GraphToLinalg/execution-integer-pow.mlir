// RUN: exaforge-opt %s --convert-graph-to-linalg --make-tensors-signless \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm \
// RUN:   --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs Pow with integer bases end to end. The expected values were computed
// with onnxruntime (opset 15 single-node models with the same inputs),
// except where noted: onnxruntime computes integer powers in double, which
// is inexact above 2^53 and undefined on overflow, so those cases use
// numpy.power (exact, wrapping around). Results are printed after a
// graph.cast to i64.

func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

func.func @pow_i32_i32(%x: tensor<8xi32>, %y: tensor<8xi32>) -> tensor<8xi32> {
  %0 = graph.pow %x, %y : (tensor<8xi32>, tensor<8xi32>) -> tensor<8xi32>
  return %0 : tensor<8xi32>
}
// [2, -3, 7, 1, -1, -1, 5, -2] ** [10, 3, 0, -2, -3, -4, -1, -5]:
// CHECK: [1024,  -27,  1,  1,  -1,  1,  0,  0]

func.func @pow_i64_i64(%x: tensor<4xi64>, %y: tensor<4xi64>) -> tensor<4xi64> {
  %0 = graph.pow %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
// [3, -2, 10, -7] ** [4, 5, 6, 3]:
// CHECK: [81,  -32,  1000000,  -343]
// [3, -2, 10, -7] ** [39, 63, 18, 22] (numpy; onnxruntime gives
// 4052555153018976256 and 3909821048582988288 for the first and last):
// CHECK: [4052555153018976267,  -9223372036854775808,  1000000000000000000,  3909821048582988049]

func.func @pow_i32_wraps(%x: tensor<2xi32>, %y: tensor<i32>) -> tensor<2xi32> {
  %0 = graph.pow %x, %y : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}
// [3, 2] ** 31, wrapping around (numpy):
// CHECK: [1264544299,  -2147483648]

func.func @pow_i32_f32(%x: tensor<6xi32>, %y: tensor<6xf32>) -> tensor<6xi32> {
  %0 = graph.pow %x, %y : (tensor<6xi32>, tensor<6xf32>) -> tensor<6xi32>
  return %0 : tensor<6xi32>
}
// [2, 4, 9, 5, -2, 7] ** [0.5, 1.5, 0.5, -1.0, 3.0, 2.0]:
// CHECK: [1,  8,  3,  0,  -8,  49]

func.func @pow_i64_f32(%x: tensor<4xi64>, %y: tensor<4xf32>) -> tensor<4xi64> {
  %0 = graph.pow %x, %y : (tensor<4xi64>, tensor<4xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
// [2, 4, 9, -3] ** [0.5, 2.5, -0.5, 3.0]:
// CHECK: [1,  32,  0,  -27]

func.func @pow_u8_i32(%x: tensor<5xui8>, %y: tensor<5xi32>) -> tensor<5xui8> {
  %0 = graph.pow %x, %y : (tensor<5xui8>, tensor<5xi32>) -> tensor<5xui8>
  return %0 : tensor<5xui8>
}
// [1, 255, 2, 3, 16] ** [-1, -1, 7, 5, 2] (not an ONNX Pow type, so numpy;
// 255 is not -1 for an unsigned base):
// CHECK: [1,  0,  128,  243,  0]

func.func @main() {
  %x0 = arith.constant dense<[2, -3, 7, 1, -1, -1, 5, -2]> : tensor<8xi32>
  %y0 = arith.constant dense<[10, 3, 0, -2, -3, -4, -1, -5]> : tensor<8xi32>
  %r0 = call @pow_i32_i32(%x0, %y0) : (tensor<8xi32>, tensor<8xi32>) -> tensor<8xi32>
  %w0 = graph.cast %r0 {to = i64} : (tensor<8xi32>) -> tensor<8xi64>
  %u0 = tensor.cast %w0 : tensor<8xi64> to tensor<*xi64>
  call @printMemrefI64(%u0) : (tensor<*xi64>) -> ()

  %x1 = arith.constant dense<[3, -2, 10, -7]> : tensor<4xi64>
  %y1 = arith.constant dense<[4, 5, 6, 3]> : tensor<4xi64>
  %r1 = call @pow_i64_i64(%x1, %y1) : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %u1 = tensor.cast %r1 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%u1) : (tensor<*xi64>) -> ()
  %y2 = arith.constant dense<[39, 63, 18, 22]> : tensor<4xi64>
  %r2 = call @pow_i64_i64(%x1, %y2) : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %u2 = tensor.cast %r2 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%u2) : (tensor<*xi64>) -> ()

  %x3 = arith.constant dense<[3, 2]> : tensor<2xi32>
  %y3 = arith.constant dense<31> : tensor<i32>
  %r3 = call @pow_i32_wraps(%x3, %y3) : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
  %w3 = graph.cast %r3 {to = i64} : (tensor<2xi32>) -> tensor<2xi64>
  %u3 = tensor.cast %w3 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%u3) : (tensor<*xi64>) -> ()

  %x4 = arith.constant dense<[2, 4, 9, 5, -2, 7]> : tensor<6xi32>
  %y4 = arith.constant dense<[0.5, 1.5, 0.5, -1.0, 3.0, 2.0]> : tensor<6xf32>
  %r4 = call @pow_i32_f32(%x4, %y4) : (tensor<6xi32>, tensor<6xf32>) -> tensor<6xi32>
  %w4 = graph.cast %r4 {to = i64} : (tensor<6xi32>) -> tensor<6xi64>
  %u4 = tensor.cast %w4 : tensor<6xi64> to tensor<*xi64>
  call @printMemrefI64(%u4) : (tensor<*xi64>) -> ()

  %x5 = arith.constant dense<[2, 4, 9, -3]> : tensor<4xi64>
  %y5 = arith.constant dense<[0.5, 2.5, -0.5, 3.0]> : tensor<4xf32>
  %r5 = call @pow_i64_f32(%x5, %y5) : (tensor<4xi64>, tensor<4xf32>) -> tensor<4xi64>
  %u5 = tensor.cast %r5 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%u5) : (tensor<*xi64>) -> ()

  %x6 = arith.constant dense<[1, 255, 2, 3, 16]> : tensor<5xui8>
  %y6 = arith.constant dense<[-1, -1, 7, 5, 2]> : tensor<5xi32>
  %r6 = call @pow_u8_i32(%x6, %y6) : (tensor<5xui8>, tensor<5xi32>) -> tensor<5xui8>
  %w6 = graph.cast %r6 {to = i64} : (tensor<5xui8>) -> tensor<5xi64>
  %u6 = tensor.cast %w6 : tensor<5xi64> to tensor<*xi64>
  call @printMemrefI64(%u6) : (tensor<*xi64>) -> ()
  return
}
