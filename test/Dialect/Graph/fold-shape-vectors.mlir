// RUN: exaforge-opt %s -canonicalize -split-input-file | FileCheck %s

// Folds of the integer shape arithmetic exporters emit (GraphFolds.cpp), and
// of shape vectors that are known although they read a partly dynamic shape
// (ShapeVector.h).

// Tests that integer elementwise folds broadcast their operands.
// CHECK-LABEL: func @broadcasting_int_arithmetic
func.func @broadcasting_int_arithmetic() -> (tensor<1xi64>, tensor<2x2xi64>) {
  // CHECK-DAG: %[[A:.*]] = graph.constant dense<3> : tensor<1xi64>
  // CHECK-DAG: %[[B:.*]] = graph.constant dense<{{\[\[}}11, 21], [12, 22]]> : tensor<2x2xi64>
  // CHECK: return %[[A]], %[[B]]
  %rank = graph.constant dense<4> : tensor<i64>
  %one = graph.constant dense<1> : tensor<1xi64>
  %0 = graph.sub %rank, %one : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %row = graph.constant dense<[[10, 20]]> : tensor<1x2xi64>
  %col = graph.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %1 = graph.add %row, %col : (tensor<1x2xi64>, tensor<2x1xi64>) -> tensor<2x2xi64>
  return %0, %1 : tensor<1xi64>, tensor<2x2xi64>
}

// -----

// Tests Mod (the divisor's sign without fmod, the dividend's with it, 0 for a zero divisor), Max, Min, Neg and Abs of constants.
// CHECK-LABEL: func @int_mod_max_min_neg_abs
func.func @int_mod_max_min_neg_abs() -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) {
  // CHECK-DAG: graph.constant dense<[2, -1, 2, 0]> : tensor<4xi64>
  // CHECK-DAG: graph.constant dense<[-1, 3, 2, 0]> : tensor<4xi64>
  // CHECK-DAG: graph.constant dense<[3, 7, 5, 3]> : tensor<4xi64>
  // CHECK-DAG: graph.constant dense<[-7, 3, 3, 0]> : tensor<4xi64>
  // CHECK-DAG: graph.constant dense<[7, -7, -5, 0]> : tensor<4xi64>
  // CHECK-DAG: graph.constant dense<[7, 7, 5, 0]> : tensor<4xi64>
  // CHECK-NOT: graph.mod
  // CHECK-NOT: graph.max
  // CHECK-NOT: graph.min
  // CHECK-NOT: graph.neg
  // CHECK-NOT: graph.abs
  %a = graph.constant dense<[-7, 7, 5, 0]> : tensor<4xi64>
  %b = graph.constant dense<[3, -4, 3, 0]> : tensor<4xi64>
  %0 = graph.mod %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = graph.mod %a, %b {fmod = true} : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %three = graph.constant dense<3> : tensor<i64>
  %2 = graph.max %a, %three : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %3 = graph.min %a, %three : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %4 = graph.neg %a : (tensor<4xi64>) -> tensor<4xi64>
  %5 = graph.abs %a : (tensor<4xi64>) -> tensor<4xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>
}

// -----

// Tests that comparisons and logic of integer constants fold.
// CHECK-LABEL: func @int_comparisons_and_logic
func.func @int_comparisons_and_logic() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  // CHECK-DAG: %[[EQ:.*]] = graph.constant dense<[false, true, false]> : tensor<3xi1>
  // CHECK-DAG: %[[LT:.*]] = graph.constant dense<[true, false, false]> : tensor<3xi1>
  // CHECK-DAG: %[[LE:.*]] = graph.constant dense<[true, true, false]> : tensor<3xi1>
  // CHECK-DAG: %[[GE:.*]] = graph.constant dense<[false, true, true]> : tensor<3xi1>
  // CHECK-DAG: %[[ANY:.*]] = graph.constant dense<true> : tensor<3xi1>
  // CHECK-DAG: %[[NONE:.*]] = graph.constant dense<false> : tensor<3xi1>
  // CHECK: return %[[EQ]], %[[LT]], %[[LE]], %[[ANY]], %[[GE]], %[[NONE]], %[[ANY]], %[[GE]]
  %a = graph.constant dense<[-1, 2, 5]> : tensor<3xi64>
  %two = graph.constant dense<2> : tensor<i64>
  %0 = graph.equal %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %1 = graph.less %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %2 = graph.less_or_equal %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %4 = graph.greater_or_equal %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %3 = graph.or %1, %4 : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %5 = graph.and %1, %4 : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %6 = graph.not %5 : (tensor<3xi1>) -> tensor<3xi1>
  %7 = graph.not %1 : (tensor<3xi1>) -> tensor<3xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// Tests that where of constants folds, and that a splat condition selects one operand.
// CHECK-LABEL: func @where_fold
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>, %[[Y:.*]]: tensor<2xf32>)
func.func @where_fold(%x: tensor<2xf32>, %y: tensor<2xf32>) -> (tensor<2xi64>, tensor<2xf32>) {
  // CHECK: %[[W:.*]] = graph.constant dense<[1, 8]> : tensor<2xi64>
  // CHECK: return %[[W]], %[[Y]]
  %c = graph.constant dense<[true, false]> : tensor<2xi1>
  %one = graph.constant dense<1> : tensor<i64>
  %s = graph.constant dense<[-1, 8]> : tensor<2xi64>
  %0 = graph.where %c, %one, %s : (tensor<2xi1>, tensor<i64>, tensor<2xi64>) -> tensor<2xi64>
  %f = graph.constant dense<false> : tensor<i1>
  %1 = graph.where %f, %x, %y : (tensor<i1>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xi64>, tensor<2xf32>
}

// -----

// Tests that range of integer constants folds.
// CHECK-LABEL: func @range_fold
func.func @range_fold() -> tensor<3xi64> {
  // CHECK: %[[R:.*]] = graph.constant dense<[5, 3, 1]> : tensor<3xi64>
  // CHECK: return %[[R]]
  %start = graph.constant dense<5> : tensor<i64>
  %limit = graph.constant dense<0> : tensor<i64>
  %delta = graph.constant dense<-2> : tensor<i64>
  %0 = graph.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Tests that expand of a splat constant folds up to 1024 elements, and an expand to the input's static type folds away.
// CHECK-LABEL: func @expand_fold
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @expand_fold(%x: tensor<2x3xf32>) -> (tensor<4x8xf32>, tensor<64x64xf32>, tensor<2x3xf32>) {
  // CHECK-DAG: %[[SMALL:.*]] = graph.constant dense<1.000000e+00> : tensor<4x8xf32>
  // CHECK-DAG: %[[BIG:.*]] = graph.expand %{{.*}}, %{{.*}} : (tensor<f32>, tensor<2xi64>) -> tensor<64x64xf32>
  // CHECK: return %[[SMALL]], %[[BIG]], %[[X]]
  %one = graph.constant dense<1.0> : tensor<f32>
  %s = graph.constant dense<[4, 8]> : tensor<2xi64>
  %0 = graph.expand %one, %s : (tensor<f32>, tensor<2xi64>) -> tensor<4x8xf32>
  %b = graph.constant dense<[64, 64]> : tensor<2xi64>
  %1 = graph.expand %one, %b : (tensor<f32>, tensor<2xi64>) -> tensor<64x64xf32>
  %same = graph.constant dense<[2, 3]> : tensor<2xi64>
  %2 = graph.expand %x, %same : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<4x8xf32>, tensor<64x64xf32>, tensor<2x3xf32>
}

// -----

// Tests that an expand to the input's dynamic type is kept (the input may broadcast at run time).
// CHECK-LABEL: func @expand_dynamic_same_type
func.func @expand_dynamic_same_type(%x: tensor<?x3xf32>, %s: tensor<2xi64>) -> tensor<?x3xf32> {
  // CHECK: graph.expand
  %0 = graph.expand %x, %s : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Tests that static dimensions gathered or sliced out of a partly dynamic shape fold, and that the dynamic ones are kept.
// CHECK-LABEL: func @partly_dynamic_shape
func.func @partly_dynamic_shape(%x: tensor<?x8x14x14xf32>) -> (tensor<i64>, tensor<2xi64>, tensor<2xi64>) {
  // CHECK-DAG: %[[H:.*]] = graph.constant dense<14> : tensor<i64>
  // CHECK-DAG: %[[HW:.*]] = graph.constant dense<14> : tensor<2xi64>
  // CHECK-DAG: %[[NC:.*]] = graph.slice
  // CHECK: return %[[H]], %[[HW]], %[[NC]]
  %shape = graph.shape %x : (tensor<?x8x14x14xf32>) -> tensor<4xi64>
  %i2 = graph.constant dense<2> : tensor<i64>
  %0 = graph.gather %shape, %i2 {axis = 0 : i64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %two = graph.constant dense<2> : tensor<1xi64>
  %end = graph.constant dense<4> : tensor<1xi64>
  %1 = graph.slice %shape, %two, %end : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %zero = graph.constant dense<0> : tensor<1xi64>
  %2 = graph.slice %shape, %zero, %two : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  return %0, %1, %2 : tensor<i64>, tensor<2xi64>, tensor<2xi64>
}

// -----

// Tests that a dimension tested against -1 (never equal) folds, and where then selects known entries.
// CHECK-LABEL: func @equal_minus_one
func.func @equal_minus_one(%x: tensor<?x8xf32>) -> (tensor<3xi1>, tensor<3xi64>) {
  // CHECK-DAG: %[[EQ:.*]] = graph.constant dense<[false, true, false]> : tensor<3xi1>
  // CHECK-DAG: %[[W:.*]] = graph.where %[[EQ]]
  // CHECK: return %[[EQ]], %[[W]]
  %shape = graph.shape %x {end = 1 : i64} : (tensor<?x8xf32>) -> tensor<1xi64>
  %tail = graph.constant dense<[-1, 8]> : tensor<2xi64>
  %s = graph.concat %shape, %tail {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %minus = graph.constant dense<-1> : tensor<i64>
  %0 = graph.equal %s, %minus : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %one = graph.constant dense<1> : tensor<i64>
  %1 = graph.where %0, %one, %s : (tensor<3xi1>, tensor<i64>, tensor<3xi64>) -> tensor<3xi64>
  return %0, %1 : tensor<3xi1>, tensor<3xi64>
}
