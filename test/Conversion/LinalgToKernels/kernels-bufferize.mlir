// RUN: exaforge-opt %s --select-kernels \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-kernels-to-calls -split-input-file | FileCheck %s

// Tests the kernels through bufferization: an epilogue with a residual add
// takes over the residual's buffer when nothing reads the residual
// afterwards (no copy; flags ACCUMULATE | BIAS | RELU = 13), and the
// residual is copied into a new buffer first when it is read later.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @residual_taken_over
// CHECK-NOT: memref.copy
// CHECK: %[[R:.*]] = memref.alloc() {{.*}} : memref<1x3x2x2xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[R]] : memref<1x3x2x2xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: %[[F:.*]] = arith.constant 13 : i64
// CHECK: %[[RC:.*]] = memref.cast %[[R]] :
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]], %{{.*}}, %{{.*}}, %{{.*}}, %[[RC]],
// CHECK-NOT: linalg
// CHECK: return %[[R]]
func.func @residual_taken_over(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %r = linalg.fill ins(%one : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %e2 = tensor.empty() : tensor<1x3x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b, %r : tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<1x3x2x2xf32>) outs(%e2 : tensor<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.addf %res, %0 : f32
    %2 = arith.maximumf %1, %zero : f32
    linalg.yield %2 : f32
  } -> tensor<1x3x2x2xf32>
  return %o : tensor<1x3x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @residual_copied
// CHECK-SAME: (%{{[^:]*}}: memref<1x2x4x4xf32>, %{{[^:]*}}: memref<3x2x3x3xf32>, %[[R:[^:]*]]: memref<1x3x2x2xf32>)
// CHECK: %[[O:.*]] = memref.alloc() {{.*}} : memref<1x3x2x2xf32>
// CHECK: memref.copy %[[R]], %[[O]]
// CHECK: %[[F:.*]] = arith.constant 1 : i64
// CHECK: %[[OC:.*]] = memref.cast %[[O]] :
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]], %{{.*}}, %{{.*}}, %{{.*}}, %[[OC]],
// CHECK: return %[[O]], %[[R]]
func.func @residual_copied(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %r: tensor<1x3x2x2xf32> {bufferization.writable = false})
    -> (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %r : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) outs(%e : tensor<1x3x2x2xf32>) {
  ^bb0(%in: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %res : f32
    linalg.yield %0 : f32
  } -> tensor<1x3x2x2xf32>
  return %o, %r : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>
}
