// RUN: exaforge-opt %s --exaforge-graph-to-linalg -split-input-file | FileCheck %s

// The fusion decisions of the graph-to-linalg pipeline
// (linalg-fuse-elementwise-ops after the lowering): a chain of elementwise
// ops becomes one loop nest; a contraction stays a named op (it becomes a
// oneDNN call) with its whole epilogue in the single generic that follows.

// Bias, activation and scale after a MatMul: one generic reads the product
// once; no intermediate tensor exists between the three ops.
// CHECK-LABEL: func.func @matmul_epilogue
// CHECK:       %[[MM:.*]] = linalg.matmul
// CHECK-NEXT:  %[[EPI:.*]] = linalg.generic
// CHECK-SAME:    ins(%[[MM]], %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<8xf32>, tensor<f32>)
// CHECK:         arith.addf
// CHECK-NEXT:    arith.maximumf
// CHECK-NEXT:    arith.mulf
// CHECK-NEXT:    linalg.yield
// CHECK-NOT:   linalg.generic
// CHECK:       return %[[EPI]]
func.func @matmul_epilogue(%x: tensor<?x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>, %s: tensor<f32>) -> tensor<?x8xf32> {
  %0 = graph.mat_mul %x, %w : (tensor<?x16xf32>, tensor<16x8xf32>) -> tensor<?x8xf32>
  %1 = graph.add %0, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %2 = graph.relu %1 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %3 = graph.mul %2, %s : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  return %3 : tensor<?x8xf32>
}

// -----

// GELU, a residual add and a cast fuse into one generic that reads the
// product and the residual and writes f16 directly.
// CHECK-LABEL: func.func @gelu_residual_cast
// CHECK:       linalg.matmul
// CHECK:       linalg.generic
// CHECK:         math.erf
// CHECK:         arith.addf
// CHECK:         arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @gelu_residual_cast(%x: tensor<?x8xf32>, %w: tensor<8x8xf32>) -> tensor<?x8xf16> {
  %0 = graph.mat_mul %x, %w : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  %1 = graph.gelu %0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %2 = graph.add %1, %x : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %3 = graph.cast %2 {to = f16} : (tensor<?x8xf32>) -> tensor<?x8xf16>
  return %3 : tensor<?x8xf16>
}

// -----

// A value with two elementwise users is computed once and not fused into
// either (fusing would compute the Add twice).
// CHECK-LABEL: func.func @shared_producer_is_not_duplicated
// CHECK:       %[[ADD:.*]] = linalg.generic
// CHECK:         arith.addf
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%[[ADD]] :
// CHECK:         arith.maximumf
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%[[ADD]] :
// CHECK:         math.exp
// CHECK-NOT:   linalg.generic
func.func @shared_producer_is_not_duplicated(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = graph.add %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = graph.relu %0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = graph.sigmoid %0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Softmax is two reductions and two elementwise steps; the exponentials
// fuse with the max subtraction, and a following scale fuses into the
// normalizing division: four generics in all.
// CHECK-LABEL: func.func @softmax_then_scale
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT:   linalg.generic
// CHECK:       arith.divf
// CHECK-NEXT:  arith.mulf
// CHECK-NEXT:  linalg.yield
func.func @softmax_then_scale(%x: tensor<2x8xf32>, %s: tensor<f32>) -> tensor<2x8xf32> {
  %0 = graph.softmax %x {axis = -1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = graph.mul %0, %s : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %1 : tensor<2x8xf32>
}
