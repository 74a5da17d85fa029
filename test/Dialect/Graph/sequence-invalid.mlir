// Tests the verifiers of the sequence and optional types and ops.
// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{an optional holds a ranked tensor or a sequence}}
func.func @optional_of_unranked(%a: !graph.optional<tensor<*xf32>>)

// -----

func.func @construct_rank(%a: tensor<2xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+1 {{operand of type 'tensor<2x3xf32>' is not an element of '!graph.sequence<tensor<?xf32>>'}}
  %s = graph.sequence_construct %a, %b : tensor<2xf32>, tensor<2x3xf32>
      -> !graph.sequence<tensor<?xf32>>
  return
}

// -----

func.func @insert_element_type(%s: !graph.sequence<tensor<*xf32>>,
                               %x: tensor<3xi64>) {
  // expected-error @+1 {{inserted tensor of type 'tensor<3xi64>' is not an element of '!graph.sequence<tensor<*xf32>>'}}
  %t = graph.sequence_insert %s, %x : !graph.sequence<tensor<*xf32>>,
      tensor<3xi64> -> !graph.sequence<tensor<*xf32>>
  return
}

// -----

func.func @at_rank(%s: !graph.sequence<tensor<?xf32>>, %i: tensor<i64>) {
  // expected-error @+1 {{result of type 'tensor<?x?xf32>' is not an element of '!graph.sequence<tensor<?xf32>>'}}
  %x = graph.sequence_at %s, %i : !graph.sequence<tensor<?xf32>>, tensor<i64>
      -> tensor<?x?xf32>
  return
}

// -----

func.func @get_element(%o: !graph.optional<tensor<4xf32>>) {
  // expected-error @+1 {{result of type 'tensor<4xi32>' is not what '!graph.optional<tensor<4xf32>>' holds}}
  %x = graph.optional_get_element %o : !graph.optional<tensor<4xf32>>
      -> tensor<4xi32>
  return
}
