// RUN: exaforge-opt %s -canonicalize -split-input-file | FileCheck %s

// Folds and canonicalization patterns of the graph dialect (GraphFolds.cpp).

//===----------------------------------------------------------------------===//
// Constants, identity, cast
//===----------------------------------------------------------------------===//

// Tests that equal constants are uniqued and unused ones erased.
// CHECK-LABEL: func @constant_uniqued
func.func @constant_uniqued() -> (tensor<2xi64>, tensor<2xi64>) {
  // CHECK-NEXT: %[[C:.*]] = graph.constant dense<[1, 2]> : tensor<2xi64>
  // CHECK-NEXT: return %[[C]], %[[C]]
  %0 = graph.constant dense<[1, 2]> : tensor<2xi64>
  %1 = graph.constant dense<[1, 2]> : tensor<2xi64>
  %2 = graph.constant dense<[3, 4]> : tensor<2xi64>
  return %0, %1 : tensor<2xi64>, tensor<2xi64>
}

// -----

// Tests that identity folds to its operand.
// CHECK-LABEL: func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK-NEXT: return %[[X]]
  %0 = graph.identity %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that identity does not fold when its result type is more static than its operand's.
// CHECK-LABEL: func @identity_refined_type
func.func @identity_refined_type(%x: tensor<?xf32>) -> tensor<4xf32> {
  // CHECK-NEXT: %[[R:.*]] = graph.identity %{{.*}} : (tensor<?xf32>) -> tensor<4xf32>
  // CHECK-NEXT: return %[[R]] : tensor<4xf32>
  %0 = "graph.identity"(%x) : (tensor<?xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that a cast to the operand's own type folds away.
// CHECK-LABEL: func @cast_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @cast_same_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK-NEXT: return %[[X]]
  %0 = graph.cast %x {to = f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that integer-to-integer casts of small constants fold (truncating, sign- and zero-extending).
// CHECK-LABEL: func @cast_int_constant
func.func @cast_int_constant() -> (tensor<3xi32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi8>) {
  // CHECK-DAG: %[[A:.*]] = graph.constant dense<[1, -2, 0]> : tensor<3xi32>
  // CHECK-DAG: %[[B:.*]] = graph.constant dense<[-1, 127]> : tensor<2xi64>
  // CHECK-DAG: %[[C:.*]] = graph.constant dense<[255, 127]> : tensor<2xi64>
  // CHECK-DAG: %[[D:.*]] = graph.constant dense<[1, 0]> : tensor<2xi8>
  // CHECK-NOT: graph.cast
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
  %a = graph.constant dense<[1, -2, 4294967296]> : tensor<3xi64>
  %0 = graph.cast %a {to = i32} : (tensor<3xi64>) -> tensor<3xi32>
  %b = graph.constant dense<[-1, 127]> : tensor<2xi8>
  %1 = graph.cast %b {to = i64} : (tensor<2xi8>) -> tensor<2xi64>
  %c = graph.constant dense<[255, 127]> : tensor<2xui8>
  %2 = graph.cast %c {to = i64} : (tensor<2xui8>) -> tensor<2xi64>
  %d = graph.constant dense<[true, false]> : tensor<2xi1>
  %3 = graph.cast %d {to = i8} : (tensor<2xi1>) -> tensor<2xi8>
  return %0, %1, %2, %3 : tensor<3xi32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi8>
}

// -----

// Tests that casts to bool, float casts and casts of large constants are not folded.
// CHECK-LABEL: func @cast_no_fold
func.func @cast_no_fold() -> (tensor<2xi1>, tensor<2xi64>, tensor<2048xi32>) {
  // CHECK: graph.cast %{{.*}} {to = i1} : (tensor<2xi64>) -> tensor<2xi1>
  // CHECK: graph.cast %{{.*}} {to = i64} : (tensor<2xf32>) -> tensor<2xi64>
  // CHECK: graph.cast %{{.*}} {to = i32} : (tensor<2048xi64>) -> tensor<2048xi32>
  %a = graph.constant dense<[0, 2]> : tensor<2xi64>
  %0 = graph.cast %a {to = i1} : (tensor<2xi64>) -> tensor<2xi1>
  %b = graph.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %1 = graph.cast %b {to = i64} : (tensor<2xf32>) -> tensor<2xi64>
  %c = graph.constant dense<7> : tensor<2048xi64>
  %2 = graph.cast %c {to = i32} : (tensor<2048xi64>) -> tensor<2048xi32>
  return %0, %1, %2 : tensor<2xi1>, tensor<2xi64>, tensor<2048xi32>
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

// -----

// Tests that adding an integer zero folds, with the zero on either side.
// CHECK-LABEL: func @add_int_zero
// CHECK-SAME: (%[[X:.*]]: tensor<3xi64>)
func.func @add_int_zero(%x: tensor<3xi64>) -> (tensor<3xi64>, tensor<3xi64>) {
  // CHECK-NEXT: return %[[X]], %[[X]]
  %zero = graph.constant dense<0> : tensor<1xi64>
  %0 = graph.add %x, %zero : (tensor<3xi64>, tensor<1xi64>) -> tensor<3xi64>
  %1 = graph.add %zero, %x : (tensor<1xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0, %1 : tensor<3xi64>, tensor<3xi64>
}

// -----

// Tests that float x + (-0.0) folds but x + 0.0 does not (-0.0 + 0.0 is +0.0).
// CHECK-LABEL: func @add_float_zero
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
func.func @add_float_zero(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[ZERO:.*]] = graph.constant dense<0.000000e+00> : tensor<f32>
  // CHECK: %[[SUM:.*]] = graph.add %[[X]], %[[ZERO]]
  // CHECK-NEXT: return %[[X]], %[[SUM]]
  %negzero = graph.constant dense<-0.0> : tensor<f32>
  %zero = graph.constant dense<0.0> : tensor<f32>
  %0 = graph.add %x, %negzero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = graph.add %x, %zero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests that adding zero does not fold when it broadcasts the other operand.
// CHECK-LABEL: func @add_zero_broadcasts
func.func @add_zero_broadcasts(%x: tensor<1xi64>) -> tensor<3xi64> {
  // CHECK: %[[R:.*]] = graph.add
  // CHECK-NEXT: return %[[R]]
  %zero = graph.constant dense<0> : tensor<3xi64>
  %0 = graph.add %x, %zero : (tensor<1xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Tests that subtracting 0.0 and multiplying or dividing by one fold.
// CHECK-LABEL: func @sub_mul_div_identities
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>)
func.func @sub_mul_div_identities(%x: tensor<3xf32>, %i: tensor<3xi32>)
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>) {
  // CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[I]], %[[I]]
  %zero = graph.constant dense<0.0> : tensor<f32>
  %one = graph.constant dense<1.0> : tensor<3xf32>
  %ione = graph.constant dense<1> : tensor<i32>
  %0 = graph.sub %x, %zero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = graph.mul %one, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %2 = graph.div %x, %one : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = graph.mul %i, %ione : (tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
  %4 = graph.div %i, %ione : (tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
  return %0, %1, %2, %3, %4 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>
}

// -----

// Tests that x - (-0.0), x * 0, 0 - x and 1 / x do not fold.
// CHECK-LABEL: func @sub_mul_div_no_identity
func.func @sub_mul_div_no_identity(%x: tensor<3xf32>)
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: graph.sub
  // CHECK: graph.mul
  // CHECK: graph.sub
  // CHECK: graph.div
  %negzero = graph.constant dense<-0.0> : tensor<f32>
  %zero = graph.constant dense<0.0> : tensor<f32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %0 = graph.sub %x, %negzero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = graph.mul %x, %zero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %2 = graph.sub %zero, %x : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = graph.div %one, %x : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests that integer arithmetic on small constants folds; division truncates toward zero.
// CHECK-LABEL: func @int_constant_arithmetic
func.func @int_constant_arithmetic() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) {
  // CHECK-DAG: %[[ADD:.*]] = graph.constant dense<[9, -1]> : tensor<2xi64>
  // CHECK-DAG: %[[SUB:.*]] = graph.constant dense<[5, -7]> : tensor<2xi64>
  // CHECK-DAG: %[[MUL:.*]] = graph.constant dense<[14, -12]> : tensor<2xi64>
  // CHECK-DAG: %[[DIV:.*]] = graph.constant dense<[3, -1]> : tensor<2xi64>
  // CHECK-DAG: %[[SPLAT:.*]] = graph.constant dense<4> : tensor<2xi64>
  // CHECK-NOT: graph.add
  // CHECK-NOT: graph.sub
  // CHECK-NOT: graph.mul
  // CHECK-NOT: graph.div
  // CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[SPLAT]]
  %a = graph.constant dense<[7, -4]> : tensor<2xi64>
  %b = graph.constant dense<[2, 3]> : tensor<2xi64>
  %two = graph.constant dense<2> : tensor<2xi64>
  %0 = graph.add %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = graph.sub %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %2 = graph.mul %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %3 = graph.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %4 = graph.add %two, %two : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1, %2, %3, %4 : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>
}

// -----

// Tests that integer division by a constant holding a zero is not folded.
// CHECK-LABEL: func @div_by_zero
func.func @div_by_zero() -> tensor<2xi64> {
  // CHECK: %[[R:.*]] = graph.div
  // CHECK-NEXT: return %[[R]]
  %a = graph.constant dense<[7, 4]> : tensor<2xi64>
  %b = graph.constant dense<[2, 0]> : tensor<2xi64>
  %0 = graph.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests that float arithmetic and large constants are not folded, and that
// broadcasting integer operands are (fold-shape-vectors.mlir has more).
// CHECK-LABEL: func @constant_arithmetic_no_fold
func.func @constant_arithmetic_no_fold() -> (tensor<2xf32>, tensor<2xi64>, tensor<2048xi64>) {
  // CHECK-DAG: graph.constant dense<[21, 12]> : tensor<2xi64>
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // CHECK-NOT: graph.mul
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<2048xi64>, tensor<2048xi64>) -> tensor<2048xi64>
  %f = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = graph.add %f, %f : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %a = graph.constant dense<[7, 4]> : tensor<2xi64>
  %b = graph.constant dense<3> : tensor<1xi64>
  %1 = graph.mul %a, %b : (tensor<2xi64>, tensor<1xi64>) -> tensor<2xi64>
  %big = graph.constant dense<1> : tensor<2048xi64>
  %2 = graph.add %big, %big : (tensor<2048xi64>, tensor<2048xi64>) -> tensor<2048xi64>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xi64>, tensor<2048xi64>
}

//===----------------------------------------------------------------------===//
// Shape computations
//===----------------------------------------------------------------------===//

// -----

// Tests that shape of a static input folds, with start/end (negative and clamped).
// CHECK-LABEL: func @shape_static
func.func @shape_static(%x: tensor<2x3x4xf32>) -> (tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<0xi64>) {
  // CHECK-DAG: %[[ALL:.*]] = graph.constant dense<[2, 3, 4]> : tensor<3xi64>
  // CHECK-DAG: %[[TAIL:.*]] = graph.constant dense<[3, 4]> : tensor<2xi64>
  // CHECK-DAG: %[[MID:.*]] = graph.constant dense<3> : tensor<1xi64>
  // CHECK-DAG: %[[NONE:.*]] = graph.constant dense<> : tensor<0xi64>
  // CHECK-NOT: graph.shape
  // CHECK: return %[[ALL]], %[[TAIL]], %[[MID]], %[[NONE]]
  %0 = graph.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %1 = graph.shape %x {start = -2 : i64, end = 10 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  %2 = graph.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<1xi64>
  %3 = graph.shape %x {start = 2 : i64, end = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<0xi64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<0xi64>
}

// -----

// Tests that shape folds when only the requested dimensions are static.
// CHECK-LABEL: func @shape_dynamic_input
func.func @shape_dynamic_input(%x: tensor<?x3x4xf32>) -> (tensor<3xi64>, tensor<2xi64>) {
  // CHECK: %[[TAIL:.*]] = graph.constant dense<[3, 4]> : tensor<2xi64>
  // CHECK: %[[ALL:.*]] = graph.shape %{{.*}} : (tensor<?x3x4xf32>) -> tensor<3xi64>
  // CHECK-NEXT: return %[[ALL]], %[[TAIL]]
  %0 = graph.shape %x : (tensor<?x3x4xf32>) -> tensor<3xi64>
  %1 = graph.shape %x {start = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  return %0, %1 : tensor<3xi64>, tensor<2xi64>
}

// -----

// Tests that shape does not fold to a constant when its declared result length is dynamic.
// CHECK-LABEL: func @shape_dynamic_result
func.func @shape_dynamic_result(%x: tensor<2x3xf32>) -> tensor<?xi64> {
  // CHECK-NEXT: %[[R:.*]] = graph.shape %{{.*}} : (tensor<2x3xf32>) -> tensor<?xi64>
  // CHECK-NEXT: return %[[R]]
  %0 = graph.shape %x : (tensor<2x3xf32>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

// Tests that gather picks entries of a constant shape vector, with scalar and negative indices.
// CHECK-LABEL: func @gather_constant_shape
func.func @gather_constant_shape() -> (tensor<i64>, tensor<2xi64>) {
  // CHECK-DAG: %[[A:.*]] = graph.constant dense<3> : tensor<i64>
  // CHECK-DAG: %[[B:.*]] = graph.constant dense<[4, 2]> : tensor<2xi64>
  // CHECK-NOT: graph.gather
  // CHECK: return %[[A]], %[[B]]
  %shape = graph.constant dense<[2, 3, 4]> : tensor<3xi64>
  %i = graph.constant dense<1> : tensor<i64>
  %0 = graph.gather %shape, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %j = graph.constant dense<[-1, 0]> : tensor<2xi32>
  %1 = graph.gather %shape, %j {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi32>) -> tensor<2xi64>
  return %0, %1 : tensor<i64>, tensor<2xi64>
}

// -----

// Tests that gather does not fold out-of-range indices, 2-D data or non-constant data.
// CHECK-LABEL: func @gather_no_fold
func.func @gather_no_fold(%v: tensor<3xi64>) -> (tensor<i64>, tensor<2xi64>, tensor<i64>) {
  // CHECK: graph.gather %{{.*}}, %{{.*}} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  // CHECK: graph.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x2xi64>, tensor<i64>) -> tensor<2xi64>
  // CHECK: graph.gather %{{.*}}, %{{.*}} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %shape = graph.constant dense<[2, 3, 4]> : tensor<3xi64>
  %i = graph.constant dense<3> : tensor<i64>
  %0 = graph.gather %shape, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %m = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %k = graph.constant dense<1> : tensor<i64>
  %1 = graph.gather %m, %k {axis = 1 : i64} : (tensor<2x2xi64>, tensor<i64>) -> tensor<2xi64>
  %2 = graph.gather %v, %k {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %0, %1, %2 : tensor<i64>, tensor<2xi64>, tensor<i64>
}

// -----

// Tests that concat joins small 1-D constants and folds a single input.
// CHECK-LABEL: func @concat_fold
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @concat_fold(%x: tensor<2x3xf32>) -> (tensor<4xi64>, tensor<2x3xf32>) {
  // CHECK-NEXT: %[[C:.*]] = graph.constant dense<[2, -1, 7, 7]> : tensor<4xi64>
  // CHECK-NEXT: return %[[C]], %[[X]]
  %a = graph.constant dense<[2, -1]> : tensor<2xi64>
  %b = graph.constant dense<7> : tensor<2xi64>
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  %1 = graph.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<4xi64>, tensor<2x3xf32>
}

// -----

// Tests that concat with a non-constant input, of 2-D constants or to a refined type is kept.
// CHECK-LABEL: func @concat_no_fold
func.func @concat_no_fold(%v: tensor<1xi64>, %y: tensor<?xf32>) -> (tensor<3xi64>, tensor<2x2xi64>, tensor<4xf32>) {
  // CHECK: graph.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  // CHECK: graph.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<2x2xi64>
  // CHECK: graph.concat %{{.*}} {axis = 0 : i64} : (tensor<?xf32>) -> tensor<4xf32>
  %a = graph.constant dense<[2, -1]> : tensor<2xi64>
  %0 = graph.concat %a, %v {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  %m = graph.constant dense<[[1, 2]]> : tensor<1x2xi64>
  %1 = graph.concat %m, %m {axis = 0 : i64} : (tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<2x2xi64>
  %2 = graph.concat %y {axis = 0 : i64} : (tensor<?xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<3xi64>, tensor<2x2xi64>, tensor<4xf32>
}

// -----

// Tests that squeeze and unsqueeze of small constants fold to reshaped constants.
// CHECK-LABEL: func @squeeze_unsqueeze_constant
func.func @squeeze_unsqueeze_constant() -> (tensor<2xi64>, tensor<1x1xi64>) {
  // CHECK-DAG: %[[S:.*]] = graph.constant dense<[5, 6]> : tensor<2xi64>
  // CHECK-DAG: %[[U:.*]] = graph.constant dense<9> : tensor<1x1xi64>
  // CHECK-NOT: squeeze
  // CHECK: return %[[S]], %[[U]]
  %a = graph.constant dense<[[5, 6]]> : tensor<1x2xi64>
  %axes0 = graph.constant dense<0> : tensor<1xi64>
  %0 = graph.squeeze %a, %axes0 : (tensor<1x2xi64>, tensor<1xi64>) -> tensor<2xi64>
  %s = graph.constant dense<9> : tensor<i64>
  %axes01 = graph.constant dense<[0, 1]> : tensor<2xi64>
  %1 = graph.unsqueeze %s, %axes01 : (tensor<i64>, tensor<2xi64>) -> tensor<1x1xi64>
  return %0, %1 : tensor<2xi64>, tensor<1x1xi64>
}

// -----

// Tests that squeeze and unsqueeze of non-constant, large or resource data are kept.
// CHECK-LABEL: func @squeeze_unsqueeze_no_fold
func.func @squeeze_unsqueeze_no_fold(%x: tensor<1x4xf32>) -> (tensor<4xf32>, tensor<1x2048xi64>, tensor<4x1xf32>) {
  // CHECK: graph.squeeze
  // CHECK: graph.unsqueeze %{{.*}}, %{{.*}} : (tensor<2048xi64>, tensor<1xi64>) -> tensor<1x2048xi64>
  // CHECK: graph.unsqueeze %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  %axes0 = graph.constant dense<0> : tensor<1xi64>
  %0 = graph.squeeze %x, %axes0 : (tensor<1x4xf32>, tensor<1xi64>) -> tensor<4xf32>
  %big = graph.constant dense<1> : tensor<2048xi64>
  %1 = graph.unsqueeze %big, %axes0 : (tensor<2048xi64>, tensor<1xi64>) -> tensor<1x2048xi64>
  %w = graph.constant dense_resource<weight> : tensor<4xf32>
  %axes1 = graph.constant dense<1> : tensor<1xi64>
  %2 = graph.unsqueeze %w, %axes1 : (tensor<4xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<1x2048xi64>, tensor<4x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

// -----

// Tests that a reshape to the operand's static type folds away and a constant reshape folds.
// CHECK-LABEL: func @reshape_fold
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @reshape_fold(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x2xi64>) {
  // CHECK-NEXT: %[[C:.*]] = graph.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
  // CHECK-NEXT: return %[[X]], %[[C]]
  %s = graph.constant dense<[0, -1]> : tensor<2xi64>
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %c = graph.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %s2 = graph.constant dense<2> : tensor<2xi64>
  %1 = graph.reshape %c, %s2 : (tensor<4xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<2x2xi64>
}

// -----

// Tests that a reshape between equal dynamic types is kept (the dynamic sizes may differ).
// CHECK-LABEL: func @reshape_dynamic_same_type
func.func @reshape_dynamic_same_type(%x: tensor<?x4xf32>, %s: tensor<2xi64>) -> tensor<?x4xf32> {
  // CHECK-NEXT: %[[R:.*]] = graph.reshape
  // CHECK-NEXT: return %[[R]]
  %0 = graph.reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Tests that a chain of reshapes collapses when the outer shape copies no dimension.
// CHECK-LABEL: func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>)
func.func @reshape_chain(%x: tensor<?x3x4xf32>) -> tensor<?x4xf32> {
  // CHECK-NEXT: %[[S:.*]] = graph.constant dense<[-1, 4]> : tensor<2xi64>
  // CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]], %[[S]] : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  // CHECK-NEXT: return %[[R]]
  %s1 = graph.constant dense<[-1]> : tensor<1xi64>
  %0 = graph.reshape %x, %s1 : (tensor<?x3x4xf32>, tensor<1xi64>) -> tensor<?xf32>
  %s2 = graph.constant dense<[-1, 4]> : tensor<2xi64>
  %1 = graph.reshape %0, %s2 : (tensor<?xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// Tests that a reshape chain keeps the outer op's allowzero.
// CHECK-LABEL: func @reshape_chain_allowzero
// CHECK-SAME: (%[[X:.*]]: tensor<?xf32>)
func.func @reshape_chain_allowzero(%x: tensor<?xf32>) -> tensor<0x?xf32> {
  // CHECK: %[[R:.*]] = graph.reshape %[[X]], %{{.*}} {allowzero = true} : (tensor<?xf32>, tensor<2xi64>) -> tensor<0x?xf32>
  // CHECK-NEXT: return %[[R]]
  %s1 = graph.constant dense<[-1, 1]> : tensor<2xi64>
  %0 = graph.reshape %x, %s1 : (tensor<?xf32>, tensor<2xi64>) -> tensor<?x1xf32>
  %s2 = graph.constant dense<[0, 5]> : tensor<2xi64>
  %1 = graph.reshape %0, %s2 {allowzero = true} : (tensor<?x1xf32>, tensor<2xi64>) -> tensor<0x?xf32>
  return %1 : tensor<0x?xf32>
}

// -----

// Tests that a reshape chain whose outer shape copies dimensions uses the static result shape.
// CHECK-LABEL: func @reshape_chain_copy_static
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @reshape_chain_copy_static(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  // CHECK-NEXT: %[[S:.*]] = graph.constant dense<[6, 4]> : tensor<2xi64>
  // CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]], %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  // CHECK-NEXT: return %[[R]]
  %s1 = graph.constant dense<[6, 2, 2]> : tensor<3xi64>
  %0 = graph.reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<6x2x2xf32>
  %s2 = graph.constant dense<[0, -1]> : tensor<2xi64>
  %1 = graph.reshape %0, %s2 : (tensor<6x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  return %1 : tensor<6x4xf32>
}

// -----

// Tests that a collapsed reshape chain with a zero-sized static result sets allowzero.
// CHECK-LABEL: func @reshape_chain_copy_zero_dim
// CHECK-SAME: (%[[X:.*]]: tensor<2x0xf32>)
func.func @reshape_chain_copy_zero_dim(%x: tensor<2x0xf32>) -> tensor<0x1x2xf32> {
  // CHECK-NEXT: %[[S:.*]] = graph.constant dense<[0, 1, 2]> : tensor<3xi64>
  // CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]], %[[S]] {allowzero = true} : (tensor<2x0xf32>, tensor<3xi64>) -> tensor<0x1x2xf32>
  // CHECK-NEXT: return %[[R]]
  %s1 = graph.constant dense<[0, 2]> : tensor<2xi64>
  %0 = graph.reshape %x, %s1 {allowzero = true} : (tensor<2x0xf32>, tensor<2xi64>) -> tensor<0x2xf32>
  %s2 = graph.constant dense<[0, 1, 2]> : tensor<3xi64>
  %1 = graph.reshape %0, %s2 : (tensor<0x2xf32>, tensor<3xi64>) -> tensor<0x1x2xf32>
  return %1 : tensor<0x1x2xf32>
}

// -----

// Tests that a reshape chain is kept when the outer shape copies dimensions and the result is dynamic.
// CHECK-LABEL: func @reshape_chain_copy_dynamic
func.func @reshape_chain_copy_dynamic(%x: tensor<?x12xf32>) -> tensor<?x?xf32> {
  // CHECK: %[[A:.*]] = graph.reshape %{{.*}}, %{{.*}} : (tensor<?x12xf32>, tensor<3xi64>) -> tensor<?x3x4xf32>
  // CHECK: %[[B:.*]] = graph.reshape %[[A]], %{{.*}} : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK-NEXT: return %[[B]]
  %s1 = graph.constant dense<[-1, 3, 4]> : tensor<3xi64>
  %0 = graph.reshape %x, %s1 : (tensor<?x12xf32>, tensor<3xi64>) -> tensor<?x3x4xf32>
  %s2 = graph.constant dense<[0, -1]> : tensor<2xi64>
  %1 = graph.reshape %0, %s2 : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Tests that a reshape chain is kept when the outer shape is not constant and the result is dynamic.
// CHECK-LABEL: func @reshape_chain_runtime_shape
func.func @reshape_chain_runtime_shape(%x: tensor<4x6xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  // CHECK: graph.reshape
  // CHECK: graph.reshape
  %s1 = graph.constant dense<[-1]> : tensor<1xi64>
  %0 = graph.reshape %x, %s1 : (tensor<4x6xf32>, tensor<1xi64>) -> tensor<24xf32>
  %1 = graph.reshape %0, %s : (tensor<24xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

// -----

// Tests that an identity transpose folds away.
// CHECK-LABEL: func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK-NEXT: return %[[X]]
  %0 = graph.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that an identity transpose to a more static type is kept.
// CHECK-LABEL: func @transpose_identity_refined_type
func.func @transpose_identity_refined_type(%x: tensor<?x3xf32>) -> tensor<2x3xf32> {
  // CHECK-NEXT: %[[R:.*]] = graph.transpose %{{.*}} {perm = array<i64: 0, 1>} : (tensor<?x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: return %[[R]]
  %0 = graph.transpose %x {perm = array<i64: 0, 1>} : (tensor<?x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that transposing a splat constant folds to a splat of the result type.
// CHECK-LABEL: func @transpose_splat
func.func @transpose_splat() -> tensor<3x2xf32> {
  // CHECK-NEXT: %[[C:.*]] = graph.constant dense<1.500000e+00> : tensor<3x2xf32>
  // CHECK-NEXT: return %[[C]]
  %c = graph.constant dense<1.5> : tensor<2x3xf32>
  %0 = graph.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Tests that transposes of non-splat constants and splats to a dynamic type are kept.
// CHECK-LABEL: func @transpose_constant_no_fold
func.func @transpose_constant_no_fold() -> (tensor<2x1xi64>, tensor<?x2xf32>) {
  // CHECK: graph.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<1x2xi64>) -> tensor<2x1xi64>
  // CHECK: graph.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<?x2xf32>
  %c = graph.constant dense<[[1, 2]]> : tensor<1x2xi64>
  %0 = graph.transpose %c {perm = array<i64: 1, 0>} : (tensor<1x2xi64>) -> tensor<2x1xi64>
  %s = graph.constant dense<1.5> : tensor<2x3xf32>
  %1 = graph.transpose %s {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<?x2xf32>
  return %0, %1 : tensor<2x1xi64>, tensor<?x2xf32>
}

// -----

// Tests that two transposes compose into one.
// CHECK-LABEL: func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // CHECK-NEXT: %[[R:.*]] = graph.transpose %[[X]] {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  // CHECK-NEXT: return %[[R]]
  %0 = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = graph.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<3x4x2xf32>) -> tensor<3x2x4xf32>
  return %1 : tensor<3x2x4xf32>
}

// -----

// Tests that two transposes that cancel out fold away.
// CHECK-LABEL: func @transpose_compose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @transpose_compose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // CHECK-NEXT: return %[[X]]
  %0 = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = graph.transpose %0 {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// Tests that a transpose whose operand is not a transpose is kept.
// CHECK-LABEL: func @transpose_no_compose
func.func @transpose_no_compose(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: graph.relu
  // CHECK-NEXT: %[[R:.*]] = graph.transpose
  // CHECK-NEXT: return %[[R]]
  %0 = graph.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.transpose %0 {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

//===----------------------------------------------------------------------===//
// Exporter shape chains
//===----------------------------------------------------------------------===//

// -----

// Tests that an exporter's Shape -> Gather -> Unsqueeze -> Concat chain folds into the reshape's constant shape.
// CHECK-LABEL: func @exporter_shape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @exporter_shape_chain(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  // CHECK-NEXT: %[[S:.*]] = graph.constant dense<[2, -1]> : tensor<2xi64>
  // CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]], %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK-NEXT: return %[[R]]
  %shape = graph.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i0 = graph.constant dense<0> : tensor<i64>
  %batch = graph.gather %shape, %i0 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %axes = graph.constant dense<0> : tensor<1xi64>
  %batch1 = graph.unsqueeze %batch, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %minus1 = graph.constant dense<-1> : tensor<1xi64>
  %target = graph.concat %batch1, %minus1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %0 = graph.reshape %x, %target : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
