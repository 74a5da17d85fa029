// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(expand-shapes-to-reshapes))' -split-input-file | FileCheck %s
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(expand-shapes-to-reshapes),one-shot-bufferize{bufferize-function-boundaries},expand-strided-metadata)' -split-input-file | FileCheck %s --check-prefix=LOWERED

// A batched MatMul's result expanded back into batch x heads, both dynamic
// (transformers exported with a symbolic batch): MLIR 22's
// expand-strided-metadata crashes on the memref.expand_shape this would
// bufferize to, so it becomes a tensor.reshape.
// CHECK-LABEL: func @two_dynamic_sizes_in_a_group
// CHECK-SAME: (%[[T:.*]]: tensor<?x?x64xf32>, %[[A:.*]]: index, %[[B:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[A]], %[[B]], %[[S]], %[[C64]] : tensor<4xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[T]](%[[SHAPE]]) : (tensor<?x?x64xf32>, tensor<4xindex>) -> tensor<?x?x?x64xf32>
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[R]]
// LOWERED-LABEL: func @two_dynamic_sizes_in_a_group
// LOWERED: memref.reshape
// LOWERED-NOT: memref.expand_shape
func.func @two_dynamic_sizes_in_a_group(%t: tensor<?x?x64xf32>, %a: index, %b: index, %s: index) -> tensor<?x?x?x64xf32> {
  %e = tensor.expand_shape %t [[0, 1], [2], [3]] output_shape [%a, %b, %s, 64]
      : tensor<?x?x64xf32> into tensor<?x?x?x64xf32>
  return %e : tensor<?x?x?x64xf32>
}

// -----

// A dynamic size next to a constant one that the type does not know (the
// `%c1` of the zoo's Llama): still two dynamic sizes in the type.
// CHECK-LABEL: func @dynamic_and_unknown_constant
// CHECK: tensor.reshape
// CHECK-NOT: tensor.expand_shape
func.func @dynamic_and_unknown_constant(%t: tensor<?x?xf32>, %a: index) -> tensor<?x?x?xf32> {
  %c1 = arith.constant 1 : index
  %d = arith.constant 1 : index
  %n = tensor.dim %t, %d : tensor<?x?xf32>
  %e = tensor.expand_shape %t [[0, 1], [2]] output_shape [%a, %c1, %n]
      : tensor<?x?xf32> into tensor<?x?x?xf32>
  return %e : tensor<?x?x?xf32>
}

// -----

// At most one dynamic size per group: left alone (expand-strided-metadata
// handles it, and the fusion patterns keep seeing an expand_shape).
// CHECK-LABEL: func @one_dynamic_size_per_group
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [%{{.*}}, 12, 64]
// CHECK-NOT: tensor.reshape
func.func @one_dynamic_size_per_group(%t: tensor<?x64xf32>, %a: index) -> tensor<?x12x64xf32> {
  %e = tensor.expand_shape %t [[0, 1], [2]] output_shape [%a, 12, 64]
      : tensor<?x64xf32> into tensor<?x12x64xf32>
  return %e : tensor<?x12x64xf32>
}
