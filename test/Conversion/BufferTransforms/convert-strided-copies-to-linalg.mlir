// RUN: exaforge-opt %s --pass-pipeline="builtin.module(func.func(convert-strided-copies-to-linalg))" | FileCheck %s

// Tests that a copy into a subview (a bufferized tensor.pad) or out of a
// strided view becomes a linalg.copy, and that a copy between identity
// layouts stays a memref.copy (a memcpy).
// CHECK-LABEL: func @copies
// CHECK-SAME: (%[[X:.*]]: memref<1x2x4x4xf32>, %[[P:.*]]: memref<1x2x6x6xf32>, %[[Y:.*]]: memref<1x2x4x4xf32>)
// CHECK: %[[SUB:.*]] = memref.subview %[[P]]
// CHECK: linalg.copy ins(%[[X]] : memref<1x2x4x4xf32>) outs(%[[SUB]] : memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>)
// CHECK: linalg.copy ins(%[[SUB]] : memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>) outs(%[[Y]] : memref<1x2x4x4xf32>)
// CHECK: memref.copy %[[X]], %[[Y]] : memref<1x2x4x4xf32> to memref<1x2x4x4xf32>
// CHECK-NOT: linalg.copy
func.func @copies(%x: memref<1x2x4x4xf32>, %p: memref<1x2x6x6xf32>, %y: memref<1x2x4x4xf32>) {
  %sub = memref.subview %p[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x6x6xf32> to memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>
  memref.copy %x, %sub : memref<1x2x4x4xf32> to memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>
  memref.copy %sub, %y : memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>> to memref<1x2x4x4xf32>
  memref.copy %x, %y : memref<1x2x4x4xf32> to memref<1x2x4x4xf32>
  return
}
