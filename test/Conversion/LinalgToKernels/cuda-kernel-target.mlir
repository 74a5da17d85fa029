// RUN: exaforge-opt %s --split-input-file --select-kernels="target=cuda" | FileCheck %s
// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --convert-kernels-to-calls="target=cuda" | FileCheck %s --check-prefix=CALLS

// Tests that the CUDA target takes f32 matmuls for cuBLASLt and f32
// convolutions for cuDNN, in NCHW (not channels_last, which only the CPU
// target prefers).

// CHECK-LABEL: func.func @contractions
// CHECK:         kernel.matmul
// CHECK:         kernel.conv2d
// CHECK-NOT:     channels_last
// CHECK-NOT:     linalg.conv_2d
func.func @contractions(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                        %x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>)
    -> (tensor<4x16xf32>, tensor<1x4x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%z : tensor<4x16xf32>) -> tensor<4x16xf32>
  %ce = tensor.empty() : tensor<1x4x6x6xf32>
  %cz = linalg.fill ins(%zero : f32) outs(%ce : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %1 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%cz : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<1x4x6x6xf32>
}

// -----

// Tests that matmuls on buffers become calls of the runtime's cuBLASLt
// kernels, with the arguments of the CPU's (a transposed operand as a
// transposed view, the flags, one declaration per kernel).

// CALLS-LABEL: func.func @matmuls
// CALLS:         %[[T:.*]] = memref.transpose
// CALLS:         %[[B:.*]] = memref.cast %[[T]]
// CALLS:         call @xf_cuda_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[B]], %{{.*}})
// CALLS:         call @xf_cuda_batch_matmul_f32(
// CALLS-NOT:     kernel.
// CALLS:       func.func private @xf_cuda_matmul_f32({{.*}}) attributes {llvm.emit_c_interface}
// CALLS:       func.func private @xf_cuda_batch_matmul_f32({{.*}}) attributes {llvm.emit_c_interface}
func.func @matmuls(%a: memref<4x8xf32>, %bt: memref<16x8xf32>, %c: memref<4x16xf32>,
                   %ba: memref<2x4x8xf32>, %bb: memref<2x8x16xf32>, %bc: memref<2x4x16xf32>) {
  kernel.matmul ins(%a, %bt : memref<4x8xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>) {transpose_rhs}
  kernel.matmul ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%bc : memref<2x4x16xf32>)
  return
}

// -----

// Tests that a convolution with a bias, a residual and a ReLU after it is
// one cuDNN convolution with that epilogue, and a swish one too.

// CHECK-LABEL: func.func @conv_epilogues
// CHECK:         kernel.conv2d {{.*}} bias({{.*}}) outs(%[[R:[^ ]*]] :
// CHECK-SAME:      padding = [1, 1, 1, 1] {accumulate, relu}
// CHECK:         kernel.conv2d
// CHECK-SAME:      swish
// CHECK-NOT:     linalg.generic
func.func @conv_epilogues(%x: tensor<1x4x8x8xf32>, %r: tensor<1x4x8x8xf32>)
    -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x4x3x3xf32>
  %b = arith.constant dense<0.25> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %pad = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %e = tensor.empty() : tensor<1x4x8x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %c = linalg.conv_2d_nchw_fchw ins(%pad, %w : tensor<1x4x10x10xf32>, tensor<4x4x3x3xf32>) outs(%z : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %b, %r : tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%v: f32, %bias: f32, %res: f32, %out: f32):
    %0 = arith.addf %v, %bias : f32
    %1 = arith.addf %0, %res : f32
    %2 = arith.maximumf %1, %zero : f32
    linalg.yield %2 : f32
  } -> tensor<1x4x8x8xf32>
  %one = arith.constant 1.0 : f32
  %c2 = linalg.conv_2d_nchw_fchw ins(%pad, %w : tensor<1x4x10x10xf32>, tensor<4x4x3x3xf32>) outs(%z : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c2 : tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%v: f32, %out: f32):
    %0 = arith.negf %v : f32
    %1 = math.exp %0 : f32
    %2 = arith.addf %1, %one : f32
    %3 = arith.divf %one, %2 : f32
    %4 = arith.mulf %v, %3 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  return %y, %s : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// -----

// Tests what cuDNN cannot compute: a HardSwish (the convolution is cuDNN's,
// the HardSwish a generic after it) and padding that differs before and
// after where a window reaches it (the convolution stays a linalg op). An
// excess of padding after that no window reaches is cuDNN's (8 + 0 + 1
// rows, a 3x3 window, stride 2: 3 rows out with or without the last).

// CHECK-LABEL: func.func @conv_not_cudnn
// CHECK:         kernel.conv2d
// CHECK-NOT:     hard_swish
// CHECK:         linalg.generic
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
// CHECK:         kernel.conv2d {{.*}} padding = [0, 0, 1, 1]
func.func @conv_not_cudnn(%x: tensor<1x4x8x8xf32>, %x7: tensor<1x4x7x7xf32>)
    -> (tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>, tensor<1x4x3x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x4x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %pad = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %e = tensor.empty() : tensor<1x4x8x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %c = linalg.conv_2d_nchw_fchw ins(%pad, %w : tensor<1x4x10x10xf32>, tensor<4x4x3x3xf32>) outs(%z : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%v: f32, %out: f32):
    %sixth = arith.constant 0.166666672 : f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %0 = arith.mulf %v, %sixth : f32
    %1 = arith.addf %0, %half : f32
    %2 = arith.minimumf %1, %one : f32
    %3 = arith.maximumf %2, %zero : f32
    %4 = arith.mulf %v, %3 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  // SAME_UPPER, stride 2: one row after, which the last window reads.
  %padu = tensor.pad %x low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x9x9xf32>
  %e4 = tensor.empty() : tensor<1x4x4x4xf32>
  %z4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %u = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>} ins(%padu, %w : tensor<1x4x9x9xf32>, tensor<4x4x3x3xf32>) outs(%z4 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  // 7 rows, one after: 3 windows of stride 2 reach row 6 only.
  %pad7 = tensor.pad %x7 low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x7x7xf32> to tensor<1x4x8x8xf32>
  %e3 = tensor.empty() : tensor<1x4x3x3xf32>
  %z3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %v = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>} ins(%pad7, %w : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) outs(%z3 : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %h, %u, %v : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>, tensor<1x4x3x3xf32>
}

// -----

// Tests that convolutions on buffers become calls of the runtime's cuDNN
// kernel with the arguments of the CPU's xf_kernel_conv2d_nchw_f32: an
// empty bias buffer without a bias, the flags (BIAS 4 | ACCUMULATE 1 |
// RELU 8 = 13; SWISH 16), strides, dilations, padding and groups.

// CALLS-LABEL: func.func @convs
// CALLS:         %[[EMPTY:.*]] = memref.alloca() : memref<0xf32>
// CALLS:         arith.constant 0 : i64
// CALLS:         arith.constant 0 : i64
// CALLS-NEXT:    memref.cast %arg0
// CALLS-NEXT:    memref.cast %arg1
// CALLS-NEXT:    memref.cast %[[EMPTY]]
// CALLS-NEXT:    memref.cast %arg2
// CALLS-NEXT:    arith.constant 2 : i64
// CALLS-NEXT:    arith.constant 2 : i64
// CALLS-COUNT-6: arith.constant 1 : i64
// CALLS-NEXT:    arith.constant 3 : i64
// CALLS-NEXT:    call @xf_cuda_conv2d_nchw_f32(
// CALLS:         arith.constant 13 : i64
// CALLS-NEXT:    memref.cast %arg0
// CALLS-NEXT:    memref.cast %arg3
// CALLS-NEXT:    memref.cast %arg4
// CALLS-NEXT:    memref.cast %arg5
// CALLS:         call @xf_cuda_conv2d_nchw_f32(
// CALLS:         arith.constant 16 : i64
// CALLS:         call @xf_cuda_conv2d_nchw_f32(
// CALLS-NOT:     kernel.
// CALLS:       func.func private @xf_cuda_conv2d_nchw_f32(i64, !llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @convs(%x: memref<1x3x8x8xf32>, %dw: memref<3x1x3x3xf32>, %y: memref<1x3x4x4xf32>,
                 %w: memref<4x3x3x3xf32>, %b: memref<4xf32>, %r: memref<1x4x8x8xf32>) {
  kernel.conv2d ins(%x, %dw : memref<1x3x8x8xf32>, memref<3x1x3x3xf32>) outs(%y : memref<1x3x4x4xf32>)
      strides = [2, 2] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 3
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) bias(%b : memref<4xf32>) outs(%r : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {accumulate, relu}
  kernel.conv2d ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%r : memref<1x4x8x8xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] {swish}
  return
}

// -----

// Tests that a convolution on buffers that cuDNN cannot compute (chosen
// for another target) is an error for the CUDA target.

func.func @conv(%x: memref<1x3x9x16xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x8x15xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op has no CUDA library kernel}}
  kernel.conv2d ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x8x15xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 1, 1]
  return
}

// -----

func.func @hard_swish(%x: memref<1x3x9x16xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x7x14xf32>) {
  // expected-error @+1 {{'kernel.conv2d' op has no CUDA library kernel}}
  kernel.conv2d ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x7x14xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {hard_swish}
  return
}
