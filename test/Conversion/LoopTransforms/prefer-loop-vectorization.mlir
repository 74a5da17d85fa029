// RUN: exaforge-opt %s --prefer-loop-vectorization | FileCheck %s
// RUN: exaforge-opt %s --prefer-loop-vectorization --convert-scf-to-cf \
// RUN:   --convert-to-llvm --reconcile-unrealized-casts \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM

// Tests that an inner scf.parallel becomes an scf.for nest and that the
// innermost loops of a known trip count of at least 8 are annotated (the
// 16-channel loop of a squeeze-and-excitation product; the channel loop of a
// sum over pixels), and that the annotation reaches LLVM as
// llvm.loop.unroll.disable.
// CHECK-LABEL: func @channel_loops
// CHECK-NOT: scf.parallel
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 {
// CHECK: memref.store
// CHECK: } {loop_annotation = #[[NO_UNROLL:.*]]}
// CHECK: scf.for %{{.*}} = %c0 to %c3136 step %c1 {
// CHECK:   scf.for %{{.*}} = %c0 to %c16 step %c1 {
// CHECK:   } {loop_annotation = #[[NO_UNROLL]]}
// CHECK-NOT: loop_annotation
// CHECK: return

// LLVM-LABEL: define void @channel_loops
// LLVM: br label %{{.*}}, !llvm.loop ![[LOOP:[0-9]+]]
// LLVM: ![[LOOP]] = distinct !{![[LOOP]], ![[DISABLE:[0-9]+]]}
// LLVM: ![[DISABLE]] = !{!"llvm.loop.unroll.disable"}
func.func @channel_loops(%begin: index, %end: index, %scale: memref<?x16xf32>,
                         %x: memref<?x3136x16xf32>, %y: memref<?x3136x16xf32>,
                         %sums: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c3136 = arith.constant 3136 : index
  scf.for %p = %begin to %end step %c1 {
    scf.parallel (%c) = (%c0) to (%c16) step (%c1) {
      %s = memref.load %scale[%c0, %c] : memref<?x16xf32>
      %v = memref.load %x[%c0, %p, %c] : memref<?x3136x16xf32>
      %m = arith.mulf %s, %v : f32
      memref.store %m, %y[%c0, %p, %c] : memref<?x3136x16xf32>
      scf.reduce
    }
  }
  scf.for %p = %c0 to %c3136 step %c1 {
    scf.for %c = %c0 to %c16 step %c1 {
      %v = memref.load %x[%c0, %p, %c] : memref<?x3136x16xf32>
      %a = memref.load %sums[%c] : memref<16xf32>
      %s = arith.addf %a, %v : f32
      memref.store %s, %sums[%c] : memref<16xf32>
    }
  }
  return
}

// Short loops (3 input channels, a 3-wide window) and loops whose trip count
// is known only at run time are left to LLVM's unrolling.
// CHECK-LABEL: func @left_to_unrolling
// CHECK-NOT: loop_annotation
// CHECK: return
func.func @left_to_unrolling(%n: index, %x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %cst = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c3 step %c1 {
    memref.store %cst, %x[%i] : memref<?xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    memref.store %cst, %x[%i] : memref<?xf32>
  }
  return
}
