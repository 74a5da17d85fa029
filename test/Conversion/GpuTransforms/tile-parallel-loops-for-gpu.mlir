// RUN: exaforge-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu{block-size=256}))' \
// RUN: | FileCheck %s

// Tests that a 2-D loop is collapsed into one dimension (the innermost
// fastest) and tiled by the block size: an outer loop over blocks, an inner
// one over the threads of a block, the last block guarded.

// CHECK-LABEL: func.func @elementwise
// CHECK-DAG:     %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG:     %[[C4000:.*]] = arith.constant 4000 : index
// CHECK-DAG:     %[[C1000:.*]] = arith.constant 1000 : index
// CHECK:         scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[C4000]]) step (%[[C256]]) {
// CHECK:           scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[C256]]) step (%{{.*}}) {
// CHECK:             %[[K:.*]] = arith.addi %[[T]], %[[B]] : index
// CHECK:             %[[K2:.*]] = arith.addi %[[T]], %[[B]] : index
// CHECK:             %[[IN:.*]] = arith.cmpi ult, %[[K2]], %[[C4000]] : index
// CHECK:             scf.if %[[IN]] {
// CHECK-DAG:           %[[J:.*]] = arith.remsi %[[K]], %[[C1000]] : index
// CHECK-DAG:           %[[I:.*]] = arith.divsi %[[K]], %[[C1000]] : index
// CHECK:               memref.load %{{.*}}[%[[I]], %[[J]]]
// CHECK:               arith.addf
// CHECK:               memref.store
// CHECK-NOT:     scf.parallel
// CHECK:         return
func.func @elementwise(%a: memref<4x1000xf32>, %b: memref<4x1000xf32>,
                       %c: memref<4x1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c1000 = arith.constant 1000 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c1000) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<4x1000xf32>
    %y = memref.load %b[%i, %j] : memref<4x1000xf32>
    %z = arith.addf %x, %y : f32
    memref.store %z, %c[%i, %j] : memref<4x1000xf32>
    scf.reduce
  }
  return
}

// -----

// Tests that a loop of dynamic size is collapsed and tiled by the block
// size, its bounds computed at run time.

// CHECK-LABEL: func.func @dynamic
// CHECK:         %[[N:.*]] = memref.dim
// CHECK:         %[[TOTAL:.*]] = arith.muli %[[N]], %{{.*}} : index
// CHECK:         scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[TOTAL]]) step (%[[C256:.*]]) {
// CHECK:           scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[C256]])
func.func @dynamic(%a: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %n = memref.dim %a, %c0 : memref<?x64xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c64) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<?x64xf32>
    %y = arith.mulf %x, %x : f32
    memref.store %y, %a[%i, %j] : memref<?x64xf32>
    scf.reduce
  }
  return
}

// -----

// Tests that a row reduction keeps its reduction loop sequential inside
// each thread, and that a 1-D loop of 4 iterations gets a block of 4
// threads, without a collapse.

// CHECK-LABEL: func.func @row_sum
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[C4]]) step (%[[C4]]) {
// CHECK:           scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[C4]])
// CHECK-NOT:         arith.divsi
// CHECK:             scf.for
// CHECK:               arith.addf
func.func @row_sum(%a: memref<4x1000xf32>, %s: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c1000 = arith.constant 1000 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %j = %c0 to %c1000 step %c1 {
      %x = memref.load %a[%i, %j] : memref<4x1000xf32>
      %acc = memref.load %s[%i] : memref<4xf32>
      %sum = arith.addf %x, %acc : f32
      memref.store %sum, %s[%i] : memref<4xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Tests that a serial loop nest at the top level of the function (a sum of
// a whole tensor) is wrapped into a parallel loop of one iteration, which
// becomes one block of one thread, while a loop with a call and a loop with
// results stay on the host.

// CHECK-LABEL: func.func @total
// CHECK:         scf.parallel (%{{.*}}) = (%[[C0:.*]]) to (%[[C1:.*]]) step (%[[C1]]) {
// CHECK:           scf.parallel (%{{.*}}) = (%[[C0]]) to (%[[C1]]) step (%[[C1]]) {
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                 arith.addf
// CHECK:         scf.for
// CHECK-NEXT:      func.call @host
// CHECK:         scf.for {{.*}} iter_args
func.func private @host()
func.func @total(%a: memref<4x1000xf32>, %s: memref<f32>) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c1000 = arith.constant 1000 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c1000 step %c1 {
      %x = memref.load %a[%i, %j] : memref<4x1000xf32>
      %acc = memref.load %s[] : memref<f32>
      %sum = arith.addf %x, %acc : f32
      memref.store %sum, %s[] : memref<f32>
    }
  }
  scf.for %i = %c0 to %c4 step %c1 {
    func.call @host() : () -> ()
  }
  %n = scf.for %i = %c0 to %c4 step %c1 iter_args(%k = %c0) -> index {
    %k1 = arith.addi %k, %c1 : index
    scf.yield %k1 : index
  }
  return %n : index
}
