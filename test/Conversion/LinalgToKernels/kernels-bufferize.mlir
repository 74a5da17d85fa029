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

// -----

// Tests a downsampling residual block, relu((conv A + bias A) + (conv B +
// bias B)): conv A, whose result the epilogue reads, takes its bias (flags
// BIAS = 4) and the epilogue reads its result directly; conv B then absorbs
// the whole epilogue with conv A's result as the residual, whose buffer it
// takes over (flags ACCUMULATE | BIAS | RELU = 13): no other buffer, copy or
// loop is left.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @downsample_block
// CHECK: %[[A:.*]] = memref.alloc() {{.*}} : memref<1x3x2x2xf32>
// CHECK-NOT: memref.alloc
// CHECK: %[[FA:.*]] = arith.constant 4 : i64
// CHECK: %[[AC:.*]] = memref.cast %[[A]] :
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[FA]], %{{.*}}, %{{.*}}, %{{.*}}, %[[AC]],
// CHECK: %[[FB:.*]] = arith.constant 13 : i64
// CHECK: %[[AC2:.*]] = memref.cast %[[A]] :
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[FB]], %{{.*}}, %{{.*}}, %{{.*}}, %[[AC2]],
// CHECK-NOT: linalg
// CHECK-NOT: memref.copy
// CHECK: return %[[A]]
func.func @downsample_block(%x: tensor<1x2x4x4xf32>, %wa: tensor<3x2x3x3xf32>, %ba: tensor<3xf32>,
                            %wb: tensor<3x2x3x3xf32>, %bb: tensor<3xf32>) -> tensor<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %ya = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %wa : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %yb = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %wb : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ya, %ba, %yb, %bb : tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<1x3x2x2xf32>, tensor<3xf32>) outs(%e : tensor<1x3x2x2xf32>) {
  ^bb0(%a: f32, %biasa: f32, %b: f32, %biasb: f32, %out: f32):
    %0 = arith.addf %a, %biasa : f32
    %1 = arith.addf %b, %biasb : f32
    %2 = arith.addf %0, %1 : f32
    %3 = arith.maximumf %2, %zero : f32
    linalg.yield %3 : f32
  } -> tensor<1x3x2x2xf32>
  return %o : tensor<1x3x2x2xf32>
}
