// RUN: exaforge-opt %s --run-parallel-loops-on-threads --convert-scf-to-cf \
// RUN:   --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | env OMP_NUM_THREADS=2 mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%exaforge_runtime_lib,%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs outlined loops through the runtime's xf_parallel_for on two threads
// (each loop has enough work to fork): a 3-D loop that writes
// x[i,j,k] = 10000 i + 100 j + k (shared out as 4 * 100 linear iterations,
// delinearized) and a 1-D loop over i that takes the largest x[i,:,:] and
// scales it by a captured scalar. Every value is exact in f32, so the
// printed results are exact.

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c100 = arith.constant 100 : index
  %c64 = arith.constant 64 : index
  %c10000 = arith.constant 10000 : index
  %x = memref.alloc() : memref<4x100x64xf32>
  %sums = memref.alloc() : memref<4xf32>
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c4, %c100, %c64) step (%c1, %c1, %c1) {
    %a = arith.muli %i, %c10000 : index
    %b = arith.muli %j, %c100 : index
    %ab = arith.addi %a, %b : index
    %abc = arith.addi %ab, %k : index
    %int = arith.index_cast %abc : index to i64
    %value = arith.uitofp %int : i64 to f32
    memref.store %value, %x[%i, %j, %k] : memref<4x100x64xf32>
    scf.reduce
  }
  %scale = arith.constant 0.5 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %zero = arith.constant 0.0 : f32
    %largest = scf.for %j = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> f32 {
      %inner = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc2 = %acc) -> f32 {
        %v = memref.load %x[%i, %j, %k] : memref<4x100x64xf32>
        %s = arith.maximumf %acc2, %v : f32
        scf.yield %s : f32
      }
      scf.yield %inner : f32
    }
    %scaled = arith.mulf %largest, %scale : f32
    memref.store %scaled, %sums[%i] : memref<4xf32>
    scf.reduce
  }
  // x[0,0,0], x[0,0,63], x[1,2,3], x[3,99,63]
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c63 = arith.constant 63 : index
  %c99 = arith.constant 99 : index
  %v0 = memref.load %x[%c0, %c0, %c0] : memref<4x100x64xf32>
  %v1 = memref.load %x[%c0, %c0, %c63] : memref<4x100x64xf32>
  %v2 = memref.load %x[%c1, %c2, %c3] : memref<4x100x64xf32>
  %v3 = memref.load %x[%c3, %c99, %c63] : memref<4x100x64xf32>
  // CHECK: 0
  // CHECK-NEXT: 63
  // CHECK-NEXT: 10203
  // CHECK-NEXT: 39963
  vector.print %v0 : f32
  vector.print %v1 : f32
  vector.print %v2 : f32
  vector.print %v3 : f32
  // max x[i,:,:] = 10000 i + 9963, halved: 5000 i + 4981.5.
  // CHECK-NEXT: 4981.5
  // CHECK-NEXT: 9981.5
  // CHECK-NEXT: 14981.5
  // CHECK-NEXT: 19981.5
  %s0 = memref.load %sums[%c0] : memref<4xf32>
  %s1 = memref.load %sums[%c1] : memref<4xf32>
  %s2 = memref.load %sums[%c2] : memref<4xf32>
  %s3 = memref.load %sums[%c3] : memref<4xf32>
  vector.print %s0 : f32
  vector.print %s1 : f32
  vector.print %s2 : f32
  vector.print %s3 : f32
  memref.dealloc %x : memref<4x100x64xf32>
  memref.dealloc %sums : memref<4xf32>
  return
}
