// RUN: exaforge-opt %s --convert-math-to-polynomials | FileCheck %s

// Tests that f32 sine and cosine take the polynomial only for |x| <= 32
// and libm in f64 otherwise (NaN and infinities included): a scalar in a
// function body branches to a call of libm's `sin` (declared once), a
// vector selects; f16 goes the same way and f64 is left to libm as it is.
// CHECK-LABEL: func.func private @sin(f64) -> f64

// CHECK-LABEL: func @scalar_sine
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK: %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK: %[[SMALL:.*]] = arith.cmpf ole, %[[ABS]], %{{.*}} : f32
// CHECK: cf.cond_br %[[SMALL]], ^[[POLY:.*]], ^[[LIBM:[^ ]*]]
// CHECK: ^[[POLY]]:
// CHECK-NOT: math.sin
// CHECK: cf.br ^[[REST:.*]](%{{.*}} : f32)
// CHECK: ^[[LIBM]]:
// CHECK: %[[WIDE:.*]] = arith.extf %[[X]] : f32 to f64
// CHECK: %[[SIN:.*]] = call @sin(%[[WIDE]]) : (f64) -> f64
// CHECK: %[[NARROW:.*]] = arith.truncf %[[SIN]] : f64 to f32
// CHECK: cf.br ^[[REST]](%[[NARROW]] : f32)
// CHECK: ^[[REST]](%[[Y:.*]]: f32):
// CHECK: %[[TWICE:.*]] = arith.addf %[[Y]], %[[Y]] : f32
// CHECK: return %[[TWICE]]
func.func @scalar_sine(%x: f32) -> f32 {
  %0 = math.sin %x : f32
  %1 = arith.addf %0, %0 : f32
  return %1 : f32
}

// CHECK-LABEL: func @scalar_cosine
// CHECK: cf.cond_br
// CHECK: call @cos(%{{.*}}) : (f64) -> f64
// CHECK-NOT: math.cos
func.func @scalar_cosine(%x: f32) -> f32 {
  %0 = math.cos %x : f32
  return %0 : f32
}

// CHECK-LABEL: func @vector_sine
// CHECK-SAME: (%[[X:.*]]: vector<8xf32>)
// CHECK-NOT: cf.cond_br
// CHECK: %[[WIDE:.*]] = arith.extf %[[X]] : vector<8xf32> to vector<8xf64>
// CHECK: math.sin %[[WIDE]] : vector<8xf64>
// CHECK: arith.select %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK-NOT: math.sin %{{.*}} : vector<8xf32>
func.func @vector_sine(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = math.sin %x : vector<8xf32>
  return %0 : vector<8xf32>
}

// CHECK-LABEL: func @f16_sine
// CHECK: cf.cond_br
// CHECK: arith.extf %{{.*}} : f16 to f64
// CHECK: call @sin(%{{.*}}) : (f64) -> f64
// CHECK: arith.truncf %{{.*}} : f64 to f16
func.func @f16_sine(%x: f16) -> f16 {
  %0 = math.sin %x : f16
  return %0 : f16
}

// CHECK-LABEL: func @f64_sine_left_alone
// CHECK-NOT: cf.cond_br
// CHECK: math.sin %{{.*}} : f64
func.func @f64_sine_left_alone(%x: f64) -> f64 {
  %0 = math.sin %x : f64
  return %0 : f64
}

// Tests that a sine and a cosine whose argument version-sine-cosine-loops
// proved within the range take the polynomial alone: no branch, no libm.
// CHECK-LABEL: func @sine_within_range
// CHECK-NOT: cf.cond_br
// CHECK-NOT: call @
// CHECK-NOT: math.sin
// CHECK-NOT: math.cos
// CHECK: return
func.func @sine_within_range(%x: f32) -> (f32, f32) {
  %0 = math.sin %x {exaforge.within_polynomial_range} : f32
  %1 = math.cos %x {exaforge.within_polynomial_range} : f32
  return %0, %1 : f32, f32
}

// Tests that the other functions pass a NaN argument through a select after
// the polynomial (LLVM folds the polynomial's integer conversion of a NaN
// it can prove to poison).
// CHECK-LABEL: func @exp_passes_nan
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-NOT: math.exp
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: %[[Y:.*]] = arith.select %[[NAN]], %[[X]], %{{.*}} : f32
// CHECK: return %[[Y]]
func.func @exp_passes_nan(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}
