// RUN: exaforge-opt %s --expand-arith-for-llvm | FileCheck %s

// Tests that the ceiling and floor divisions and the bf16 conversions are
// expanded (convert-arith-to-llvm takes none of them), and that the float
// minimum and maximum, scalar and vector, stay for LLVM's intrinsics.

// CHECK-LABEL: func @divisions
// CHECK-NOT: arith.ceildivsi
// CHECK-NOT: arith.ceildivui
// CHECK-NOT: arith.floordivsi
// CHECK: arith.divsi
// CHECK: return
func.func @divisions(%a: i64, %b: i64) -> (i64, i64, i64) {
  %0 = arith.ceildivsi %a, %b : i64
  %1 = arith.ceildivui %a, %b : i64
  %2 = arith.floordivsi %a, %b : i64
  return %0, %1, %2 : i64, i64, i64
}

// CHECK-LABEL: func @bf16_conversions
// CHECK-NOT: arith.truncf
// CHECK-NOT: arith.extf
// CHECK: arith.bitcast
// CHECK: return
func.func @bf16_conversions(%x: f32, %h: bf16) -> (bf16, f32) {
  %0 = arith.truncf %x : f32 to bf16
  %1 = arith.extf %h : bf16 to f32
  return %0, %1 : bf16, f32
}

// CHECK-LABEL: func @bf16_f64_conversions_stay
// CHECK: arith.truncf %{{.*}} : f64 to bf16
// CHECK: arith.extf %{{.*}} : bf16 to f64
func.func @bf16_f64_conversions_stay(%x: f64, %h: bf16) -> (bf16, f64) {
  %0 = arith.truncf %x : f64 to bf16
  %1 = arith.extf %h : bf16 to f64
  return %0, %1 : bf16, f64
}

// CHECK-LABEL: func @f16_conversions_stay
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extf %{{.*}} : f16 to f32
func.func @f16_conversions_stay(%x: f32, %h: f16) -> (f16, f32) {
  %0 = arith.truncf %x : f32 to f16
  %1 = arith.extf %h : f16 to f32
  return %0, %1 : f16, f32
}

// CHECK-LABEL: func @extrema_stay
// CHECK: arith.maximumf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: arith.maxnumf %{{.*}}, %{{.*}} : f32
// CHECK: arith.minnumf %{{.*}}, %{{.*}} : f32
// CHECK-NOT: arith.select
func.func @extrema_stay(%x: f32, %y: f32, %v: vector<16xf32>, %w: vector<16xf32>) -> (f32, vector<16xf32>, f32, f32) {
  %0 = arith.maximumf %x, %y fastmath<reassoc> : f32
  %1 = arith.minimumf %v, %w : vector<16xf32>
  %2 = arith.maxnumf %x, %y : f32
  %3 = arith.minnumf %x, %y : f32
  return %0, %1, %2, %3 : f32, vector<16xf32>, f32, f32
}
