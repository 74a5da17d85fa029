// Tests that the sequence and optional types and ops round-trip.
// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// CHECK-LABEL: func.func @sequences
// CHECK: graph.sequence_empty : <tensor<*xf32>>
// CHECK: graph.sequence_construct %{{.*}}, %{{.*}} : tensor<2xf32>, tensor<3xf32> -> <tensor<?xf32>>
// CHECK: graph.sequence_insert %{{.*}}, %{{.*}}, %{{.*}} : <tensor<?xf32>>, tensor<2xf32>, tensor<1xi64> -> <tensor<?xf32>>
// CHECK: graph.sequence_at %{{.*}}, %{{.*}} : <tensor<?xf32>>, tensor<i64> -> tensor<?xf32>
// CHECK: graph.sequence_erase %{{.*}} : <tensor<?xf32>> -> <tensor<?xf32>>
// CHECK: graph.sequence_length %{{.*}} : <tensor<?xf32>> -> tensor<i64>
// CHECK: return %{{.*}} : !graph.sequence<tensor<*xf32>>, tensor<?xf32>, tensor<i64>
func.func @sequences(%a: tensor<2xf32>, %b: tensor<3xf32>, %p: tensor<1xi64>,
                     %i: tensor<i64>)
    -> (!graph.sequence<tensor<*xf32>>, tensor<?xf32>, tensor<i64>) {
  %e = graph.sequence_empty : !graph.sequence<tensor<*xf32>>
  %s = graph.sequence_construct %a, %b : tensor<2xf32>, tensor<3xf32>
      -> !graph.sequence<tensor<?xf32>>
  %t = graph.sequence_insert %s, %a, %p : !graph.sequence<tensor<?xf32>>,
      tensor<2xf32>, tensor<1xi64> -> !graph.sequence<tensor<?xf32>>
  %x = graph.sequence_at %t, %i : !graph.sequence<tensor<?xf32>>, tensor<i64>
      -> tensor<?xf32>
  %u = graph.sequence_erase %t : !graph.sequence<tensor<?xf32>>
      -> !graph.sequence<tensor<?xf32>>
  %n = graph.sequence_length %u : !graph.sequence<tensor<?xf32>> -> tensor<i64>
  return %e, %x, %n : !graph.sequence<tensor<*xf32>>, tensor<?xf32>, tensor<i64>
}

// CHECK-LABEL: func.func @optionals
// CHECK: graph.optional %{{.*}} : tensor<4xf32> -> <tensor<4xf32>>
// CHECK: graph.optional <!graph.sequence<tensor<?xf32>>>
// CHECK: graph.optional_has_element %{{.*}} : <tensor<4xf32>> -> tensor<i1>
// CHECK: graph.optional_get_element %{{.*}} : <tensor<4xf32>> -> tensor<4xf32>
func.func @optionals(%a: tensor<4xf32>)
    -> (tensor<i1>, tensor<4xf32>, !graph.optional<!graph.sequence<tensor<?xf32>>>) {
  %o = graph.optional %a : tensor<4xf32> -> !graph.optional<tensor<4xf32>>
  %none = graph.optional !graph.optional<!graph.sequence<tensor<?xf32>>>
  %h = graph.optional_has_element %o : !graph.optional<tensor<4xf32>>
      -> tensor<i1>
  %g = graph.optional_get_element %o : !graph.optional<tensor<4xf32>>
      -> tensor<4xf32>
  return %h, %g, %none : tensor<i1>, tensor<4xf32>,
      !graph.optional<!graph.sequence<tensor<?xf32>>>
}
