// RUN: exaforge-opt %s --convert-graph-to-linalg --make-tensors-signless \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs elementwise ops on unsigned integer tensors end to end, through
// make-tensors-signless and one-shot bufferization. The inputs are chosen so
// that a signed operation would give other results (values with the top bit
// set). The expected values were computed with onnxruntime (opset 16
// single-node models with the same inputs); the results are printed after a
// graph.cast to i64 (every printed value is below 2^63).

func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

func.func @max_u8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = graph.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
// max [200, 3, 255, 0], [100, 250, 1, 0]:
// CHECK: [200,  250,  255,  0]

func.func @min_u32(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xui32> {
  %0 = graph.min %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}
// min [4294967295, 7, 40000, 1], [1, 4294967000, 30000, 1]:
// CHECK: [1,  7,  30000,  1]

func.func @div_u8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = graph.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
// div [250, 7, 255, 9], [3, 2, 16, 10]:
// CHECK: [83,  3,  15,  0]

func.func @mod_u32(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xui32> {
  %0 = graph.mod %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}
// mod [4000000000, 10, 7, 3000000000], [7, 3, 7, 4000000000]:
// CHECK: [3,  1,  0,  3000000000]

func.func @shift_right_u64(%a: tensor<4xui64>, %b: tensor<4xui64>) -> tensor<4xui64> {
  %0 = graph.bit_shift %a, %b {direction = "RIGHT"} : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xui64>
  return %0 : tensor<4xui64>
}
// shift right [2^64 - 1, 256, 2^63, 5] by [1, 4, 63, 0]:
// CHECK: [9223372036854775807,  16,  1,  5]

func.func @shift_left_u16(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = graph.bit_shift %a, %b {direction = "LEFT"} : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  return %0 : tensor<4xui16>
}
// shift left [65535, 1, 3, 32769] by [1, 15, 2, 1]:
// CHECK: [65534,  32768,  12,  2]

func.func @less_u64(%a: tensor<4xui64>, %b: tensor<4xui64>) -> tensor<4xi1> {
  %0 = graph.less %a, %b : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
// less [2^63 + 1, 1, 5, 2^64 - 1], [1, 2^63 + 1, 5, 2^64 - 2]:
// CHECK: [0,  1,  0,  0]

func.func @cast_u32_to_i64(%a: tensor<4xui32>) -> tensor<4xi64> {
  %0 = graph.cast %a {to = i64} : (tensor<4xui32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
// cast [4294967295, 0, 2147483648, 1] to int64:
// CHECK: [4294967295,  0,  2147483648,  1]

/// Prints `x` after a graph.cast to i64.
func.func @print_u8(%x: tensor<4xui8>) {
  %0 = graph.cast %x {to = i64} : (tensor<4xui8>) -> tensor<4xi64>
  %1 = tensor.cast %0 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%1) : (tensor<*xi64>) -> ()
  return
}
func.func @print_u16(%x: tensor<4xui16>) {
  %0 = graph.cast %x {to = i64} : (tensor<4xui16>) -> tensor<4xi64>
  %1 = tensor.cast %0 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%1) : (tensor<*xi64>) -> ()
  return
}
func.func @print_u32(%x: tensor<4xui32>) {
  %0 = graph.cast %x {to = i64} : (tensor<4xui32>) -> tensor<4xi64>
  %1 = tensor.cast %0 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%1) : (tensor<*xi64>) -> ()
  return
}
func.func @print_u64(%x: tensor<4xui64>) {
  %0 = graph.cast %x {to = i64} : (tensor<4xui64>) -> tensor<4xi64>
  %1 = tensor.cast %0 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%1) : (tensor<*xi64>) -> ()
  return
}
func.func @print_i1(%x: tensor<4xi1>) {
  %0 = graph.cast %x {to = i64} : (tensor<4xi1>) -> tensor<4xi64>
  %1 = tensor.cast %0 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%1) : (tensor<*xi64>) -> ()
  return
}
func.func @print_i64(%x: tensor<4xi64>) {
  %1 = tensor.cast %x : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%1) : (tensor<*xi64>) -> ()
  return
}

func.func @main() {
  %a8 = arith.constant dense<[200, 3, 255, 0]> : tensor<4xui8>
  %b8 = arith.constant dense<[100, 250, 1, 0]> : tensor<4xui8>
  %r0 = call @max_u8(%a8, %b8) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  call @print_u8(%r0) : (tensor<4xui8>) -> ()

  %a32 = arith.constant dense<[4294967295, 7, 40000, 1]> : tensor<4xui32>
  %b32 = arith.constant dense<[1, 4294967000, 30000, 1]> : tensor<4xui32>
  %r1 = call @min_u32(%a32, %b32) : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  call @print_u32(%r1) : (tensor<4xui32>) -> ()

  %c8 = arith.constant dense<[250, 7, 255, 9]> : tensor<4xui8>
  %d8 = arith.constant dense<[3, 2, 16, 10]> : tensor<4xui8>
  %r2 = call @div_u8(%c8, %d8) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  call @print_u8(%r2) : (tensor<4xui8>) -> ()

  %c32 = arith.constant dense<[4000000000, 10, 7, 3000000000]> : tensor<4xui32>
  %d32 = arith.constant dense<[7, 3, 7, 4000000000]> : tensor<4xui32>
  %r3 = call @mod_u32(%c32, %d32) : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  call @print_u32(%r3) : (tensor<4xui32>) -> ()

  %a64 = arith.constant dense<[18446744073709551615, 256, 9223372036854775808, 5]> : tensor<4xui64>
  %b64 = arith.constant dense<[1, 4, 63, 0]> : tensor<4xui64>
  %r4 = call @shift_right_u64(%a64, %b64) : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xui64>
  call @print_u64(%r4) : (tensor<4xui64>) -> ()

  %a16 = arith.constant dense<[65535, 1, 3, 32769]> : tensor<4xui16>
  %b16 = arith.constant dense<[1, 15, 2, 1]> : tensor<4xui16>
  %r5 = call @shift_left_u16(%a16, %b16) : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  call @print_u16(%r5) : (tensor<4xui16>) -> ()

  %c64 = arith.constant dense<[9223372036854775809, 1, 5, 18446744073709551615]> : tensor<4xui64>
  %d64 = arith.constant dense<[1, 9223372036854775809, 5, 18446744073709551614]> : tensor<4xui64>
  %r6 = call @less_u64(%c64, %d64) : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  call @print_i1(%r6) : (tensor<4xi1>) -> ()

  %e32 = arith.constant dense<[4294967295, 0, 2147483648, 1]> : tensor<4xui32>
  %r7 = call @cast_u32_to_i64(%e32) : (tensor<4xui32>) -> tensor<4xi64>
  call @print_i64(%r7) : (tensor<4xi64>) -> ()
  return
}
