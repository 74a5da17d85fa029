// RUN: exaforge-opt %s --graph-outline-weights -split-input-file | FileCheck %s
// RUN: exaforge-opt %s --graph-outline-weights=max-inline-elements=2 -split-input-file | FileCheck %s --check-prefix=SMALL

// Tests that dense resources become weight symbols at the end of the module,
// holding their name and value and read right before the first user of each
// constant, that equal constants share one weight, and that small dense
// constants stay in the code.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %[[S:.*]] = graph.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: %[[W:.*]] = graph.weight_ref @w : tensor<4xf32>
// CHECK-NEXT: %[[A:.*]] = graph.add %[[X]], %[[W]]
// CHECK-NEXT: %[[W2:.*]] = graph.weight_ref @w : tensor<4xf32>
// CHECK-NEXT: %[[B:.*]] = graph.mul %[[A]], %[[W2]]
// CHECK-NEXT: %[[C:.*]] = graph.sub %[[B]], %[[S]]
// CHECK-NEXT: return %[[C]]
// CHECK-NEXT: }
// CHECK-NEXT: graph.weight @w : tensor<4xf32> = dense_resource<w> : tensor<4xf32>
// CHECK-NOT: graph.weight
// SMALL-LABEL: func @main
// SMALL-SAME: (%{{.*}}: tensor<2x4xf32>) -> tensor<2x4xf32>
// SMALL: graph.weight_ref @const_1 : tensor<4xf32>
// SMALL-NOT: graph.constant
// SMALL: graph.weight @w : tensor<4xf32> = dense_resource<w> : tensor<4xf32>
// SMALL-NEXT: graph.weight @const_1 : tensor<4xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = graph.constant dense_resource<w> : tensor<4xf32>
  %w2 = graph.constant dense_resource<w> : tensor<4xf32>
  %s = graph.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = graph.add %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = graph.mul %0, %w2 : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %2 = graph.sub %1, %s : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// Tests that private functions keep their constants.
// CHECK-LABEL: func private @helper
// CHECK-SAME: (%{{.*}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK: graph.constant dense_resource<v>
// CHECK-NOT: graph.weight
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  %v = graph.constant dense_resource<v> : tensor<4xf32>
  %0 = graph.add %x, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      v: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// With max-inline-float-elements=0 (the CUDA target), every float constant
// becomes a weight, while small integer constants (shape data) stay.
// RUN: exaforge-opt %s --graph-outline-weights=max-inline-float-elements=0 -split-input-file \
// RUN: | FileCheck %s --check-prefix=FLOATS
// FLOATS-LABEL: func @mixed
// FLOATS:         %[[SHAPE:.*]] = graph.constant dense<2> : tensor<2xi64>
// FLOATS:         %[[BIAS:.*]] = graph.weight_ref @const_0 : tensor<2xf32>
// FLOATS:       graph.weight @const_0 : tensor<2xf32> = dense<[5.000000e-01, 2.500000e-01]>
func.func @mixed(%x: tensor<4xf32>) -> tensor<2x2xf32> {
  %shape = graph.constant dense<[2, 2]> : tensor<2xi64>
  %bias = graph.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %0 = graph.reshape %x, %shape : (tensor<4xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %1 = graph.add %0, %bias : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}
