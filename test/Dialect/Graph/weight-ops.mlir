// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s
// RUN: exaforge-opt %s --emit-bytecode | exaforge-opt | FileCheck %s

// Round-trips the weight ops through the textual and bytecode forms: a weight
// of its global type, a sharded weight whose value keeps the global shape,
// and their reads.

// CHECK-LABEL: func @main
// CHECK-NEXT:  %[[W:.*]] = graph.weight_ref @fc.weight : tensor<4x8xf32>
// CHECK-NEXT:  %[[S:.*]] = graph.weight_ref @"onnx::MatMul_7" : tensor<8x2xf32>
// CHECK-NEXT:  graph.mat_mul %{{.*}}, %[[W]]
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = graph.weight_ref @fc.weight : tensor<4x8xf32>
  %s = graph.weight_ref @"onnx::MatMul_7" : tensor<8x2xf32>
  %0 = graph.mat_mul %x, %w : (tensor<2x4xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  %1 = graph.mat_mul %0, %s : (tensor<2x8xf32>, tensor<8x2xf32>) -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}
// CHECK:      graph.weight @fc.weight : tensor<4x8xf32> = dense_resource<fc.weight> : tensor<4x8xf32>
// CHECK-NEXT: graph.weight @"onnx::MatMul_7" : tensor<8x2xf32> = dense<1.000000e+00> : tensor<8x4xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}[], ["tp"]]>}
graph.weight @fc.weight : tensor<4x8xf32> = dense_resource<fc.weight> : tensor<4x8xf32>
graph.weight @"onnx::MatMul_7" : tensor<8x2xf32> = dense<1.0> : tensor<8x4xf32> {dist.sharding = #dist.sharding<@mesh, [[], ["tp"]]>}
