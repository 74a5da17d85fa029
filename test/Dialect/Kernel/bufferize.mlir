// RUN: exaforge-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" -split-input-file | FileCheck %s

// Tests the bufferization of kernel ops: a destination that the kernel
// overwrites is not copied (a tensor.empty becomes a fresh buffer), one it
// accumulates into is copied when it may not be written (a read-only
// argument), and a destination nothing reads afterwards is written in place.
// CHECK-LABEL: func @destinations
// CHECK-SAME: (%[[A:[^:]*]]: memref<4x8xf32>, %[[B:[^:]*]]: memref<8x16xf32>, %[[C:[^:]*]]: memref<4x16xf32>)
// CHECK: %[[E:.*]] = memref.alloc() {{.*}} : memref<4x16xf32>
// CHECK-NOT: memref.copy
// CHECK: kernel.matmul ins(%[[A]], %[[B]] : memref<4x8xf32>, memref<8x16xf32>) outs(%[[E]] : memref<4x16xf32>){{$}}
// CHECK: %[[D:.*]] = memref.alloc() {{.*}} : memref<4x16xf32>
// CHECK: memref.copy %[[C]], %[[D]]
// CHECK: kernel.matmul ins(%[[A]], %[[B]] : memref<4x8xf32>, memref<8x16xf32>) outs(%[[D]] : memref<4x16xf32>) {accumulate}
// CHECK-NOT: memref.copy
// CHECK: kernel.matmul ins(%[[A]], %[[B]] : memref<4x8xf32>, memref<8x16xf32>) outs(%[[E]] : memref<4x16xf32>) {accumulate}
// CHECK: return %[[E]], %[[D]]
func.func @destinations(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32> {bufferization.writable = false})
    -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %e = tensor.empty() : tensor<4x16xf32>
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %1 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {accumulate} -> tensor<4x16xf32>
  %2 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%0 : tensor<4x16xf32>) {accumulate} -> tensor<4x16xf32>
  return %2, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}
