// RUN: exaforge-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(copy-constant-globals-to-buffers))' \
// RUN: | FileCheck %s

// A constant global that a loop reads (as a GPU kernel will) is read from a
// copy in a buffer of the run; the copy is the global's only other use.

memref.global "private" constant @positions : memref<4xi64> = dense<[0, 1, 2, 3]>
memref.global "private" @scratch : memref<4xi64> = uninitialized

// CHECK-LABEL: func.func @reads
// CHECK:         %[[GLOBAL:.*]] = memref.get_global @positions : memref<4xi64>
// CHECK-NEXT:    %[[BUFFER:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xi64>
// CHECK-NEXT:    memref.copy %[[GLOBAL]], %[[BUFFER]] : memref<4xi64> to memref<4xi64>
// CHECK:         memref.load %[[BUFFER]][%{{.*}}] : memref<4xi64>
// A global that is not constant stays as it is.
// CHECK:         %[[SCRATCH:.*]] = memref.get_global @scratch : memref<4xi64>
// CHECK-NOT:     memref.copy
// CHECK:         memref.store %{{.*}}, %[[SCRATCH]]
func.func @reads(%out: memref<4xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %positions = memref.get_global @positions : memref<4xi64>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %value = memref.load %positions[%i] : memref<4xi64>
    memref.store %value, %out[%i] : memref<4xi64>
    scf.reduce
  }
  %scratch = memref.get_global @scratch : memref<4xi64>
  %zero = arith.constant 0 : i64
  memref.store %zero, %scratch[%c0] : memref<4xi64>
  return
}
