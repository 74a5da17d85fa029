// RUN: exaforge-opt %s --convert-math-to-polynomials | FileCheck %s

// Tests that the exponential of a sigmoid, 1 / (1 + exp(-x)), is the short
// form (a clamp that lets NaN through, the power of two from the bits of a
// single rounding, no float-to-integer conversion, no NaN select), for
// scalars and vectors, with `1 + e` in either order.
// CHECK-LABEL: func @sigmoid
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-NOT: math.exp
// CHECK-NOT: arith.negf
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[LO:.*]] : f32
// CHECK: %[[CLAMPED:.*]] = arith.select %[[BELOW]], %[[LO]], %[[X]] : f32
// CHECK: arith.cmpf ogt, %[[CLAMPED]]
// CHECK: %[[ROUNDED:.*]] = math.fma %{{.*}}, %{{.*}}, %[[SHIFT:.*]] : f32
// CHECK: arith.subf %[[ROUNDED]], %[[SHIFT]] : f32
// CHECK: %[[BITS:.*]] = arith.bitcast %[[ROUNDED]] : f32 to i32
// CHECK: %[[EXPONENT:.*]] = arith.shli %[[BITS]], %{{.*}} : i32
// CHECK: %[[POWER:.*]] = arith.bitcast %[[EXPONENT]] : i32 to f32
// CHECK: %[[E:.*]] = arith.mulf %{{.*}}, %[[POWER]] : f32
// CHECK: %[[SUM:.*]] = arith.addf {{.*}}%[[E]]
// CHECK: arith.divf %{{.*}}, %[[SUM]] : f32
// CHECK-NOT: arith.fptosi
// CHECK-NOT: arith.cmpf uno
// CHECK: return
func.func @sigmoid(%x: f32) -> f32 {
  %one = arith.constant 1.0 : f32
  %n = arith.negf %x : f32
  %e = math.exp %n : f32
  %d = arith.addf %one, %e : f32
  %s = arith.divf %one, %d : f32
  return %s : f32
}

// CHECK-LABEL: func @sigmoid_vector
// CHECK-NOT: math.exp
// CHECK: arith.bitcast %{{.*}} : vector<8xf32> to vector<8xi32>
// CHECK: arith.shli %{{.*}} : vector<8xi32>
// CHECK-NOT: arith.fptosi
// CHECK: return
func.func @sigmoid_vector(%x: vector<8xf32>) -> vector<8xf32> {
  %one = arith.constant dense<1.0> : vector<8xf32>
  %n = arith.negf %x : vector<8xf32>
  %e = math.exp %n : vector<8xf32>
  %d = arith.addf %e, %one : vector<8xf32>
  %s = arith.divf %one, %d : vector<8xf32>
  return %s : vector<8xf32>
}

// An exponential with another use, or not divided into 1, may be needed
// beyond the sigmoid's range: the general polynomial (its fptosi, and the
// NaN select after it).
// CHECK-LABEL: func @not_only_a_sigmoid
// CHECK: arith.fptosi
// CHECK: arith.cmpf uno
// CHECK: arith.fptosi
// CHECK: arith.cmpf uno
// CHECK: return
func.func @not_only_a_sigmoid(%x: f32) -> (f32, f32, f32) {
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  %n = arith.negf %x : f32
  %e = math.exp %n : f32
  %d = arith.addf %one, %e : f32
  %s = arith.divf %one, %d : f32
  %e2 = math.exp %n : f32
  %d2 = arith.addf %one, %e2 : f32
  %s2 = arith.divf %two, %d2 : f32
  return %s, %e, %s2 : f32, f32, f32
}

// f64 has no polynomial: the sigmoid stays a call of exp.
// CHECK-LABEL: func @f64_sigmoid
// CHECK: math.exp %{{.*}} : f64
func.func @f64_sigmoid(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %n = arith.negf %x : f64
  %e = math.exp %n : f64
  %d = arith.addf %one, %e : f64
  %s = arith.divf %one, %d : f64
  return %s : f64
}
