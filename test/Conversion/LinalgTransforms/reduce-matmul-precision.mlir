// RUN: exaforge-opt %s --split-input-file --reduce-matmul-precision | FileCheck %s
// RUN: exaforge-opt %s --split-input-file --reduce-matmul-precision=element-type=f16 \
// RUN: | FileCheck %s --check-prefix=F16
// RUN: not exaforge-opt %s --split-input-file --reduce-matmul-precision=element-type=f8 2>&1 \
// RUN: | FileCheck %s --check-prefix=BAD

// A weight that only matmuls read is stored in bf16; the activation is
// converted by an elementwise loop; the destination stays f32. A constant
// operand is converted at compile time, rounded to nearest even: 1 + 2^-8
// (halfway between 1 and 1 + 2^-7) to 1, 1 + 3 * 2^-8 to 1 + 2^-6.

// CHECK-LABEL: func.func @weight_and_constant
// CHECK:         %[[W:.*]] = graph.weight_ref @w : tensor<4x2xbf16>
// CHECK:         %[[XL:.*]] = linalg.generic
// CHECK-SAME:        ins(%{{.*}} : tensor<3x4xf32>) outs(%{{.*}} : tensor<3x4xbf16>)
// CHECK:           arith.truncf %{{.*}} : f32 to bf16
// CHECK:         %[[Y:.*]] = linalg.matmul ins(%[[XL]], %[[W]] : tensor<3x4xbf16>, tensor<4x2xbf16>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK:         %[[YL:.*]] = linalg.generic
// CHECK:         %[[C:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 1.015630e+00], [2.000000e+00, -3.000000e+00]]> : tensor<2x2xbf16>
// CHECK:         linalg.matmul ins(%[[YL]], %[[C]] : tensor<3x2xbf16>, tensor<2x2xbf16>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK:       graph.weight @w : tensor<4x2xbf16> = dense<{{\[\[}}1.000000e+00, 5.000000e-01], [2.500000e-01, 1.250000e-01], [-1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<4x2xbf16>
// F16-LABEL:   func.func @weight_and_constant
// F16:         graph.weight_ref @w : tensor<4x2xf16>
// F16:         linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x4xf16>, tensor<4x2xf16>) outs(%{{.*}} : tensor<3x2xf32>)
// BAD: error: reduce-matmul-precision: element-type must be bf16 or f16, got 'f8'
func.func @weight_and_constant(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = graph.weight_ref @w : tensor<4x2xf32>
  %c = arith.constant dense<[[1.00390625, 1.01171875], [2.0, -3.0]]> : tensor<2x2xf32>
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %z = linalg.matmul ins(%y, %c : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %z : tensor<3x2xf32>
}
graph.weight @w : tensor<4x2xf32> = dense<[[1.0, 0.5], [0.25, 0.125], [-1.0, 2.0], [3.0, 4.0]]> : tensor<4x2xf32>

// -----

// A weight that another op reads too stays f32 and is converted before the
// product; Gemm's transposed operand keeps its indexing maps; a batched
// product is converted as well.

// CHECK-LABEL: func.func @shared_weight
// CHECK:         %[[W:.*]] = graph.weight_ref @shared : tensor<2x4xf32>
// CHECK:         %[[WL:.*]] = linalg.generic {{.*}} ins(%[[W]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<2x4xbf16>)
// CHECK:         linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%{{.*}}, %[[WL]] : tensor<3x4xbf16>, tensor<2x4xbf16>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x3x4xbf16>, tensor<2x4x5xbf16>) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK:       graph.weight @shared : tensor<2x4xf32>
func.func @shared_weight(%x: tensor<3x4xf32>, %a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %bi: tensor<2x3x5xf32>) -> (tensor<3x2xf32>, tensor<2x4xf32>, tensor<2x3x5xf32>) {
  %w = graph.weight_ref @shared : tensor<2x4xf32>
  %init = tensor.empty() : tensor<3x2xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : tensor<3x4xf32>, tensor<2x4xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %empty = tensor.empty() : tensor<2x4xf32>
  %doubled = linalg.add ins(%w, %w : tensor<2x4xf32>, tensor<2x4xf32>) outs(%empty : tensor<2x4xf32>) -> tensor<2x4xf32>
  %p = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%bi : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %y, %doubled, %p : tensor<3x2xf32>, tensor<2x4xf32>, tensor<2x3x5xf32>
}
graph.weight @shared : tensor<2x4xf32> = dense<1.0> : tensor<2x4xf32>

// -----

// Matmuls that are not f32 stay as they are.

// CHECK-LABEL: func.func @f64_matmul
// CHECK:         linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x2xf64>, tensor<2x2xf64>) outs(%{{.*}} : tensor<2x2xf64>)
func.func @f64_matmul(%x: tensor<2x2xf64>, %y: tensor<2x2xf64>, %init: tensor<2x2xf64>) -> tensor<2x2xf64> {
  %z = linalg.matmul ins(%x, %y : tensor<2x2xf64>, tensor<2x2xf64>) outs(%init : tensor<2x2xf64>) -> tensor<2x2xf64>
  return %z : tensor<2x2xf64>
}
