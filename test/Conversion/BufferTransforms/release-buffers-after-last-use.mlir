// RUN: exaforge-opt %s --release-buffers-after-last-use -split-input-file | FileCheck %s

// Tests that a buffer is freed right after the last op that reads it, here
// through a view (collapse_shape), before unrelated later work.
// CHECK-LABEL: func @freed_after_last_view_use
// CHECK: %[[A:.*]] = memref.alloc() : memref<4x8xf32>
// CHECK: %[[VIEW:.*]] = memref.collapse_shape %[[A]]
// CHECK: %[[B:.*]] = memref.alloc() : memref<32xf32>
// CHECK-NEXT: memref.copy %[[VIEW]], %[[B]]
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK-NEXT: %[[C:.*]] = memref.alloc() : memref<32xf32>
// CHECK-NEXT: memref.copy %[[B]], %[[C]]
// CHECK-NEXT: memref.dealloc %[[B]]
// CHECK-NEXT: return %[[C]]
func.func @freed_after_last_view_use(%x: memref<4x8xf32>) -> memref<32xf32> {
  %a = memref.alloc() : memref<4x8xf32>
  memref.copy %x, %a : memref<4x8xf32> to memref<4x8xf32>
  %view = memref.collapse_shape %a [[0, 1]] : memref<4x8xf32> into memref<32xf32>
  %b = memref.alloc() : memref<32xf32>
  memref.copy %view, %b : memref<32xf32> to memref<32xf32>
  %c = memref.alloc() : memref<32xf32>
  memref.copy %b, %c : memref<32xf32> to memref<32xf32>
  memref.dealloc %a : memref<4x8xf32>
  memref.dealloc %b : memref<32xf32>
  return %c : memref<32xf32>
}

// -----

// Tests that a use nested in a region (a loop body) counts as a use by the
// op of the dealloc's block that holds it.
// CHECK-LABEL: func @use_inside_loop
// CHECK: scf.for
// CHECK: memref.load %[[A:.*]][
// CHECK: }
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK-NEXT: memref.alloc() : memref<8xf32>
func.func @use_inside_loop(%x: memref<8xf32>) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %a = memref.alloc() : memref<8xf32>
  memref.copy %x, %a : memref<8xf32> to memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %a[%i] : memref<8xf32>
    memref.store %v, %x[%i] : memref<8xf32>
  }
  %b = memref.alloc() : memref<8xf32>
  memref.copy %x, %b : memref<8xf32> to memref<8xf32>
  memref.dealloc %a : memref<8xf32>
  return %b : memref<8xf32>
}

// -----

// Tests that a buffer nothing uses is freed right after its allocation.
// CHECK-LABEL: func @unused_buffer
// CHECK: memref.alloc() : memref<16xf32>
// CHECK-NEXT: memref.dealloc
// CHECK-NEXT: memref.alloc() : memref<8xf32>
func.func @unused_buffer(%x: memref<8xf32>) -> memref<8xf32> {
  %a = memref.alloc() : memref<16xf32>
  %b = memref.alloc() : memref<8xf32>
  memref.copy %x, %b : memref<8xf32> to memref<8xf32>
  memref.dealloc %a : memref<16xf32>
  return %b : memref<8xf32>
}

// -----

// Tests that a use through a memref.transpose (a transposed matmul operand
// of a kernel call) counts as a use of the buffer.
// CHECK-LABEL: func @freed_after_transposed_use
// CHECK: %[[A:.*]] = memref.alloc() : memref<4x8xf32>
// CHECK: %[[T:.*]] = memref.transpose %[[A]]
// CHECK: %[[C:.*]] = memref.cast %[[T]]
// CHECK-NEXT: call @use(%[[C]])
// CHECK-NEXT: memref.dealloc %[[A]]
func.func private @use(memref<?x?xf32, strided<[?, ?], offset: ?>>)
func.func @freed_after_transposed_use(%x: memref<4x8xf32>) {
  %a = memref.alloc() : memref<4x8xf32>
  memref.copy %x, %a : memref<4x8xf32> to memref<4x8xf32>
  %t = memref.transpose %a (d0, d1) -> (d1, d0) : memref<4x8xf32> to memref<8x4xf32, strided<[1, 8]>>
  %c = memref.cast %t : memref<8x4xf32, strided<[1, 8]>> to memref<?x?xf32, strided<[?, ?], offset: ?>>
  call @use(%c) : (memref<?x?xf32, strided<[?, ?], offset: ?>>) -> ()
  memref.dealloc %a : memref<4x8xf32>
  return
}
