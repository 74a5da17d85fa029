// RUN: exaforge-opt %s --graph-outline-weights -split-input-file | FileCheck %s
// RUN: exaforge-opt %s --graph-outline-weights=max-inline-elements=2 -split-input-file | FileCheck %s --check-prefix=SMALL

// Tests that dense resources become trailing arguments carrying their name
// and value, that equal constants share one argument, and that small dense
// constants stay in the code.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[W:.*]]: tensor<4xf32> {graph.weight_name = "w", graph.weight_value = dense_resource<w> : tensor<4xf32>})
// CHECK-NEXT: %[[S:.*]] = graph.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: %[[A:.*]] = graph.add %[[X]], %[[W]]
// CHECK-NEXT: %[[B:.*]] = graph.mul %[[A]], %[[W]]
// CHECK-NEXT: %[[C:.*]] = graph.sub %[[B]], %[[S]]
// CHECK-NEXT: return %[[C]]
// SMALL-LABEL: func @main
// SMALL-SAME: %{{.*}}: tensor<4xf32> {graph.weight_name = "w", graph.weight_value = dense_resource<w> : tensor<4xf32>}, %{{.*}}: tensor<4xf32> {graph.weight_name = "const_1", graph.weight_value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>})
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
