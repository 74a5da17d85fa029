// RUN: exaforge-opt %s --convert-math-to-polynomials | FileCheck %s

// Tests that f32 exp, erf and tanh (scalars and vectors) become arith
// polynomials with no math call left, that f16 goes through f32, and that
// f64 (no approximation upstream) is left to libm.
// CHECK-LABEL: func @f32_functions
// CHECK-NOT: math.exp
// CHECK-NOT: math.erf
// CHECK-NOT: math.tanh
// CHECK: arith.mulf
// CHECK: return
func.func @f32_functions(%x: f32, %v: vector<8xf32>) -> (f32, f32, vector<8xf32>) {
  %0 = math.exp %x : f32
  %1 = math.erf %0 : f32
  %2 = math.tanh %v : vector<8xf32>
  return %0, %1, %2 : f32, f32, vector<8xf32>
}

// CHECK-LABEL: func @f16_through_f32
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK-NOT: math.exp
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @f16_through_f32(%x: f16) -> f16 {
  %0 = math.exp %x : f16
  return %0 : f16
}

// CHECK-LABEL: func @f64_left_alone
// CHECK: math.exp %{{.*}} : f64
func.func @f64_left_alone(%x: f64) -> f64 {
  %0 = math.exp %x : f64
  return %0 : f64
}
