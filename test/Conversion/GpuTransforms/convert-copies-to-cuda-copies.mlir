// RUN: exaforge-opt %s --convert-copies-to-cuda-copies --split-input-file | FileCheck %s

// Tests that a copy between contiguous buffers becomes a call of
// xf_cuda_copy with the target's and the source's addresses (aligned
// pointer plus offset, in bytes) and the bytes of the source.

// CHECK-LABEL: func.func @contiguous
// CHECK-SAME:    (%[[A:.*]]: memref<?x8xf32>, %[[B:.*]]: memref<?x8xf32>)
// CHECK:         %[[BBASE:.*]], %[[BOFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[B]]
// CHECK:         %[[BPTR:.*]] = memref.extract_aligned_pointer_as_index %[[BBASE]]
// CHECK:         %[[FOUR:.*]] = arith.constant 4 : index
// CHECK:         %[[BBYTES:.*]] = arith.muli %[[BOFF]], %[[FOUR]]
// CHECK:         %[[BADDR:.*]] = arith.addi %[[BPTR]], %[[BBYTES]]
// CHECK:         %[[TARGET:.*]] = arith.index_cast %[[BADDR]] : index to i64
// CHECK:         memref.extract_strided_metadata %[[A]]
// CHECK:         %[[SOURCE:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:         %[[ROWS:.*]] = memref.dim %[[A]], %{{.*}}
// CHECK:         %[[R4:.*]] = arith.muli %{{.*}}, %[[ROWS]]
// CHECK:         %[[COLS:.*]] = memref.dim %[[A]], %{{.*}}
// CHECK:         %[[ALL:.*]] = arith.muli %[[R4]], %[[COLS]]
// CHECK:         %[[BYTES:.*]] = arith.index_cast %[[ALL]] : index to i64
// CHECK:         call @xf_cuda_copy(%[[TARGET]], %[[SOURCE]], %[[BYTES]]) : (i64, i64, i64) -> ()
// CHECK-NOT:     memref.copy
// CHECK:       func.func private @xf_cuda_copy(i64, i64, i64)
func.func @contiguous(%a: memref<?x8xf32>, %b: memref<?x8xf32>) {
  memref.copy %a, %b : memref<?x8xf32> to memref<?x8xf32>
  return
}

// -----

// Tests that a copy out of a constant global (host memory, which
// cuMemcpyAsync reads) becomes a call too, and that a copy inside a
// parallel loop (part of its kernel) and one between strided buffers
// (which convert-strided-copies-to-linalg makes a loop nest) stay.

// CHECK-LABEL: func.func @others
// CHECK:         memref.get_global @indices
// CHECK:         call @xf_cuda_copy
// CHECK:         scf.parallel
// CHECK:           memref.copy
// CHECK:         memref.copy %{{.*}}, %{{.*}} : memref<4xi64, strided<[2]>> to memref<4xi64>
memref.global "private" constant @indices : memref<4xi64> = dense<[0, 1, 2, 3]>
func.func @others(%b: memref<4xi64>, %s: memref<4xi64, strided<[2]>>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %g = memref.get_global @indices : memref<4xi64>
  memref.copy %g, %b : memref<4xi64> to memref<4xi64>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.copy %g, %b : memref<4xi64> to memref<4xi64>
    scf.reduce
  }
  memref.copy %s, %b : memref<4xi64, strided<[2]>> to memref<4xi64>
  return
}
