// RUN: exaforge-opt %s --split-input-file --dist-split-fused-projections | FileCheck %s

// A fused projection cut into two by a Split along its last axis becomes one
// MatMul + Add per piece, with the matching columns of the weight and bias.

// CHECK-LABEL: func.func @fused
// CHECK:       %[[W0:.*]] = graph.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK:       %[[M0:.*]] = graph.mat_mul %arg0, %[[W0]] : (tensor<?x3x2xf32>, tensor<2x2xf32>) -> tensor<?x3x2xf32>
// CHECK:       %[[B0:.*]] = graph.constant dense<[1.000000e-01, 2.000000e-01]> : tensor<2xf32>
// CHECK:       %[[A0:.*]] = graph.add %[[M0]], %[[B0]]
// CHECK:       %[[W1:.*]] = graph.constant dense<{{\[}}[3.000000e+00, 4.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK:       %[[M1:.*]] = graph.mat_mul %arg0, %[[W1]]
// CHECK:       %[[B1:.*]] = graph.constant dense<[3.000000e-01, 4.000000e-01]> : tensor<2xf32>
// CHECK:       %[[A1:.*]] = graph.add %[[M1]], %[[B1]]
// CHECK-NOT:   graph.split
// CHECK:       return %[[A0]], %[[A1]]
func.func @fused(%x: tensor<?x3x2xf32>) -> (tensor<?x3x2xf32>, tensor<?x3x2xf32>) {
  %w = graph.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %b = graph.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %s = graph.constant dense<2> : tensor<2xi64>
  %0 = graph.mat_mul %x, %w : (tensor<?x3x2xf32>, tensor<2x4xf32>) -> tensor<?x3x4xf32>
  %1 = graph.add %0, %b : (tensor<?x3x4xf32>, tensor<4xf32>) -> tensor<?x3x4xf32>
  %2:2 = graph.split %1, %s {axis = -1 : i64, num_outputs = 2 : i64} : (tensor<?x3x4xf32>, tensor<2xi64>) -> (tensor<?x3x2xf32>, tensor<?x3x2xf32>)
  return %2#0, %2#1 : tensor<?x3x2xf32>, tensor<?x3x2xf32>
}

// -----

// Without a bias, and with unequal sizes; a dense_resource weight is cut into
// new resources named after it.

// CHECK-LABEL: func.func @resource
// CHECK:       graph.constant dense_resource<w.part0> : tensor<2x1xf32>
// CHECK:       graph.constant dense_resource<w.part1> : tensor<2x3xf32>
// CHECK-NOT:   graph.split
// CHECK:       w.part0: "0x{{[0-9A-F]*}}0000803F00004040"
// CHECK:       w.part1: "0x{{[0-9A-F]*}}000000400000000000000000000000400000A0400000E040"
func.func @resource(%x: tensor<?x2xf32>) -> (tensor<?x1xf32>, tensor<?x3xf32>) {
  %w = graph.constant dense_resource<w> : tensor<2x4xf32>
  %s = graph.constant dense<[1, 3]> : tensor<2xi64>
  %0 = graph.mat_mul %x, %w : (tensor<?x2xf32>, tensor<2x4xf32>) -> tensor<?x4xf32>
  %1:2 = graph.split %0, %s {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<?x4xf32>, tensor<2xi64>) -> (tensor<?x1xf32>, tensor<?x3xf32>)
  return %1#0, %1#1 : tensor<?x1xf32>, tensor<?x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040000000000000000000004040000000400000A0400000E040"
    }
  }
#-}

// -----

// Splits along another axis or of a non-constant product are left alone.

// CHECK-LABEL: func.func @untouched
// CHECK-COUNT-2: graph.split
func.func @untouched(%x: tensor<4x2xf32>, %y: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<4x2xf32>) {
  %w = graph.constant dense<1.0> : tensor<2x4xf32>
  %s = graph.constant dense<2> : tensor<2xi64>
  %0 = graph.mat_mul %x, %w : (tensor<4x2xf32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  %1:2 = graph.split %0, %s {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<4x4xf32>, tensor<2xi64>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  %2 = graph.mat_mul %x, %y : (tensor<4x2xf32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  %3:2 = graph.split %2, %s {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<4x4xf32>, tensor<2xi64>) -> (tensor<4x2xf32>, tensor<4x2xf32>)
  return %1#0, %3#1 : tensor<2x4xf32>, tensor<4x2xf32>
}
