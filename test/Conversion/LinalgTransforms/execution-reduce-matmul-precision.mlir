// RUN: exaforge-opt %s --reduce-matmul-precision --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --arith-expand="include-bf16=true" \
// RUN:   --expand-strided-metadata --lower-affine --convert-scf-to-cf \
// RUN:   --finalize-memref-to-llvm --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs a matmul rewritten by reduce-matmul-precision on the CPU's loops:
// the operands are rounded to bf16 (ties to even) and the products summed
// in f32. x = [1 + 2^-8, 3] rounds to [1, 3] and w = [1 + 3 * 2^-8, 0.5] to
// [1 + 2^-6, 0.5], so the result is 1.015625 + 1.5 = 2.515625 exactly
// (2.51566 in f32); x * 2^-10 stays exact in bf16 and gives 2^-10 * 2.515625.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

func.func @product(%x: tensor<2x2xf32>) -> tensor<2x1xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.01171875], [0.5]]> : tensor<2x1xf32>
  %empty = tensor.empty() : tensor<2x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x1xf32>) outs(%init : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

func.func @main() {
  %x = arith.constant dense<[[1.00390625, 3.0], [0.0009765625, 0.0029296875]]> : tensor<2x2xf32>
  %y = call @product(%x) : (tensor<2x2xf32>) -> tensor<2x1xf32>
  %printed = tensor.cast %y : tensor<2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%printed) : (tensor<*xf32>) -> ()
  return
}
// CHECK: rank = 2 offset = 0 sizes = [2, 1]
// CHECK-NEXT: {{\[\[}}2.51562],
// CHECK-NEXT: [0.00245667]]
