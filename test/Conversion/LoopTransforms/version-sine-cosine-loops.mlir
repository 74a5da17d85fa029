// RUN: exaforge-opt %s --version-sine-cosine-loops -split-input-file | FileCheck %s

// Tests that an scf.for computing a sine runs in chunks of 1024 iterations:
// a check loop recomputes the argument from the load and ors |x| > 32 (NaN
// included: ugt), then the chunk runs the body as it was when some argument
// is large, and otherwise with the sine marked as within the polynomial's
// range.
// CHECK-LABEL: func @sine_loop
// CHECK-SAME: (%[[IN:.*]]: memref<?xf32>, %[[OUT:.*]]: memref<?xf32>, %[[LB:.*]]: index, %[[UB:.*]]: index)
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK: %[[STEP:.*]] = arith.muli %[[C1]], %[[C1024]] : index
// CHECK: scf.for %[[C:.*]] = %[[LB]] to %[[UB]] step %[[STEP]] {
// CHECK:   %[[NEXT:.*]] = arith.addi %[[C]], %[[STEP]] : index
// CHECK:   %[[END:.*]] = arith.minsi %[[NEXT]], %[[UB]] : index
// CHECK:   %[[FALSE:.*]] = arith.constant false
// CHECK:   %[[LARGE:.*]] = scf.for %[[I:.*]] = %[[C]] to %[[END]] step %[[C1]] iter_args(%[[ANY:.*]] = %[[FALSE]]) -> (i1) {
// CHECK:     %[[X:.*]] = memref.load %[[IN]][%[[I]]] : memref<?xf32>
// CHECK:     %[[LIMIT:.*]] = arith.constant 3.200000e+01 : f32
// CHECK:     %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK:     %[[IS_LARGE:.*]] = arith.cmpf ugt, %[[ABS]], %[[LIMIT]] : f32
// CHECK:     %[[OR:.*]] = arith.ori %[[ANY]], %[[IS_LARGE]] : i1
// CHECK:     scf.yield %[[OR]] : i1
// CHECK:   scf.if %[[LARGE]] {
// CHECK:     scf.for %[[J:.*]] = %[[C]] to %[[END]] step %[[C1]] {
// CHECK:       %[[XL:.*]] = memref.load %[[IN]][%[[J]]] : memref<?xf32>
// CHECK:       %[[SL:.*]] = math.sin %[[XL]] : f32
// CHECK:       memref.store %[[SL]], %[[OUT]][%[[J]]] : memref<?xf32>
// CHECK:   } else {
// CHECK:     scf.for %[[K:.*]] = %[[C]] to %[[END]] step %[[C1]] {
// CHECK:       %[[XS:.*]] = memref.load %[[IN]][%[[K]]] : memref<?xf32>
// CHECK:       %[[SS:.*]] = math.sin %[[XS]] {exaforge.within_polynomial_range} : f32
// CHECK:       memref.store %[[SS]], %[[OUT]][%[[K]]] : memref<?xf32>
// CHECK-NOT: scf.for
// CHECK: return
func.func @sine_loop(%in: memref<?xf32>, %out: memref<?xf32>, %lb: index, %ub: index) {
  %c1 = arith.constant 1 : index
  scf.for %i = %lb to %ub step %c1 {
    %x = memref.load %in[%i] : memref<?xf32>
    %y = math.sin %x : f32
    memref.store %y, %out[%i] : memref<?xf32>
  }
  return
}

// -----

// Tests the innermost one-dimensional scf.parallel of a nest, whose cosine
// and sine (as RoPE computes) take an argument computed from two loads:
// the check repeats the computation and ors both; the chunks are scf.for
// loops. The outer loop stays as it is.
// CHECK-LABEL: func @parallel_sine_cosine
// CHECK: scf.for %[[ROW:.*]] =
// CHECK:   scf.for %[[C:.*]] =
// CHECK:     scf.for %[[I:.*]] = %[[C]] to %{{.*}} iter_args(%[[ANY:.*]] = %{{.*}}) -> (i1) {
// CHECK:       %[[A:.*]] = memref.load %{{.*}}[%[[ROW]], %[[I]]]
// CHECK:       %[[B:.*]] = memref.load %{{.*}}[%[[I]]]
// CHECK:       %[[X:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK:       math.absf %[[X]]
// CHECK:       %[[L1:.*]] = arith.cmpf ugt
// CHECK:       %[[O1:.*]] = arith.ori %[[ANY]], %[[L1]]
// CHECK:       math.absf %[[X]]
// CHECK:       %[[L2:.*]] = arith.cmpf ugt
// CHECK:       %[[O2:.*]] = arith.ori %[[O1]], %[[L2]]
// CHECK:       scf.yield %[[O2]]
// CHECK:     scf.if
// CHECK:       math.cos %{{.*}} : f32
// CHECK:       math.sin %{{.*}} : f32
// CHECK:     } else {
// CHECK:       math.cos %{{.*}} {exaforge.within_polynomial_range} : f32
// CHECK:       math.sin %{{.*}} {exaforge.within_polynomial_range} : f32
// CHECK-NOT: scf.parallel
func.func @parallel_sine_cosine(%pos: memref<?x64xf32>, %freq: memref<64xf32>, %out: memref<?x128xf32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %r = %c0 to %rows step %c1 {
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %a = memref.load %pos[%r, %i] : memref<?x64xf32>
      %b = memref.load %freq[%i] : memref<64xf32>
      %x = arith.mulf %a, %b : f32
      %c = math.cos %x : f32
      %s = math.sin %x : f32
      %j = arith.addi %i, %c64 : index
      memref.store %c, %out[%r, %i] : memref<?x128xf32>
      memref.store %s, %out[%r, %j] : memref<?x128xf32>
      scf.reduce
    }
  }
  return
}

// -----

// Tests the loops left as they are: no sine; an f64 sine (libm's already);
// an argument the check could not repeat (a call); a loop with results.
// CHECK-LABEL: func @left_alone
// CHECK-NOT: arith.minsi
// CHECK-NOT: within_polynomial_range
// CHECK: return
func.func private @produce(index) -> f32
func.func @left_alone(%in: memref<?xf32>, %wide: memref<?xf64>, %out: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %in[%i] : memref<?xf32>
    %y = math.exp %x : f32
    memref.store %y, %out[%i] : memref<?xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %wide[%i] : memref<?xf64>
    %y = math.sin %x : f64
    memref.store %y, %wide[%i] : memref<?xf64>
  }
  scf.for %i = %c0 to %n step %c1 {
    %x = func.call @produce(%i) : (index) -> f32
    %y = math.sin %x : f32
    memref.store %y, %out[%i] : memref<?xf32>
  }
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %in[%i] : memref<?xf32>
    %y = math.sin %x : f32
    %next = arith.addf %acc, %y : f32
    scf.yield %next : f32
  }
  return %sum : f32
}
