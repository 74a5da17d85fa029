// Tests convert-graph-sequences-to-tensors: a sequence becomes its data,
// dims and elements tensors (an optional, its flag first), named after the
// value at the function boundary, and the sequence ops become tensor code
// with run-time checks.
// RUN: exaforge-opt %s -split-input-file -convert-graph-sequences-to-tensors | FileCheck %s

// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[D:.*]]: tensor<?xf32> {graph.name = "x#data"}, %[[S:.*]]: tensor<?xi64> {graph.name = "x#dims"}, %[[E:.*]]: tensor<?x2xi64> {graph.name = "x#elements"})
// CHECK-SAME: -> (tensor<?xf32> {graph.name = "y#data"}, tensor<?xi64> {graph.name = "y#dims"}, tensor<?x2xi64> {graph.name = "y#elements"})
// CHECK: return %[[D]], %[[S]], %[[E]]
func.func @identity(%x: !graph.sequence<tensor<*xf32>> {graph.name = "x"})
    -> (!graph.sequence<tensor<*xf32>> {graph.name = "y"}) {
  return %x : !graph.sequence<tensor<*xf32>>
}

// -----

// CHECK-LABEL: func.func @length
// CHECK: %[[N:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x2xi64>
// CHECK: %[[N64:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: tensor.from_elements %[[N64]] : tensor<i64>
func.func @length(%x: !graph.sequence<tensor<*xf32>>) -> tensor<i64> {
  %n = graph.sequence_length %x : !graph.sequence<tensor<*xf32>> -> tensor<i64>
  return %n : tensor<i64>
}

// -----

// Tests that an insert checks the position and splices each part.
// CHECK-LABEL: func.func @insert
// CHECK: cf.assert %{{.*}}, "SequenceInsert: 'position' is outside the sequence"
// CHECK: tensor.reshape %{{.*}}(%{{.*}}) : (tensor<3xi64>, tensor<1xindex>) -> tensor<?xi64>
// CHECK: scf.for
// CHECK-COUNT-9: tensor.insert_slice
// CHECK: return
func.func @insert(%s: !graph.sequence<tensor<*xi64>>, %x: tensor<3xi64>,
                  %p: tensor<1xi64>) -> !graph.sequence<tensor<*xi64>> {
  %t = graph.sequence_insert %s, %x, %p : !graph.sequence<tensor<*xi64>>,
      tensor<3xi64>, tensor<1xi64> -> !graph.sequence<tensor<*xi64>>
  return %t : !graph.sequence<tensor<*xi64>>
}

// -----

// Tests that an element read back checks its rank and static sizes.
// CHECK-LABEL: func.func @at
// CHECK: cf.assert %{{.*}}, "SequenceAt: the element is not of rank 1"
// CHECK: tensor.extract_slice
// CHECK: tensor.reshape
// CHECK: cf.assert
// CHECK: return %{{.*}} : tensor<4xf32>
func.func @at(%s: !graph.sequence<tensor<?xf32>>, %i: tensor<i64>)
    -> tensor<4xf32> {
  %x = graph.sequence_at %s, %i : !graph.sequence<tensor<?xf32>>, tensor<i64>
      -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @optional
// CHECK-SAME: (%[[H:.*]]: tensor<i1> {graph.name = "o#has_tensor"}, %{{.*}}: tensor<?xf32> {graph.name = "o#data"}
// CHECK: %[[B:.*]] = tensor.extract %[[H]][] : tensor<i1>
// CHECK: cf.assert %[[B]], "OptionalGetElement: the optional is empty"
// CHECK: return %[[H]], %{{.*}} : tensor<i1>, tensor<4xf32>
func.func @optional(%o: !graph.optional<tensor<4xf32>> {graph.name = "o"})
    -> (tensor<i1>, tensor<4xf32>) {
  %h = graph.optional_has_element %o : !graph.optional<tensor<4xf32>>
      -> tensor<i1>
  %v = graph.optional_get_element %o : !graph.optional<tensor<4xf32>>
      -> tensor<4xf32>
  return %h, %v : tensor<i1>, tensor<4xf32>
}

// -----

// Tests that a module without sequences is left as it is.
// CHECK-LABEL: func.func @no_sequences
// CHECK-NEXT: return %arg0
func.func @no_sequences(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
