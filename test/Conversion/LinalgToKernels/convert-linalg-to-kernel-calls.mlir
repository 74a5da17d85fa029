// RUN: exaforge-opt %s --convert-linalg-to-kernel-calls -split-input-file | FileCheck %s

// Tests that f32 matmuls, batch matmuls and NCHW convolutions on buffers
// become kernel calls with distinct call-site numbers, flags
// (XF_KERNEL_ACCUMULATE = 1: nothing zeroed the output right before),
// operands cast to fully dynamic strided memrefs, and one C-interface
// declaration per kernel.
// CHECK-LABEL: func @contractions
// CHECK: %[[S0:.*]] = arith.constant 0 : i64
// CHECK: %[[F0:.*]] = arith.constant 1 : i64
// CHECK: %[[A:.*]] = memref.cast %{{.*}} : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[B:.*]] = memref.cast %{{.*}} : memref<8x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[C:.*]] = memref.cast %{{.*}} : memref<4x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @xf_kernel_matmul_f32(%[[S0]], %[[F0]], %[[A]], %[[B]], %[[C]])
// CHECK: %[[S1:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_matmul_f32(%[[S1]],
// CHECK: %[[S2:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_batch_matmul_f32(%[[S2]],
// CHECK-NOT: linalg.matmul
// CHECK-NOT: linalg.batch_matmul
// CHECK: func.func private @xf_kernel_matmul_f32(i64, i64, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK: func.func private @xf_kernel_batch_matmul_f32(i64, i64, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
func.func @contractions(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>,
                        %ba: memref<2x4x8xf32>, %bb: memref<2x8x16xf32>, %bc: memref<2x4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.batch_matmul ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%bc : memref<2x4x16xf32>)
  return
}

// -----

// Tests that a zero fill of exactly the output right before the matmul
// (pure ops in between are fine) is removed and the kernel overwrites
// (flags 0), and that a weight marked exaforge.constant_buffer (through a
// view) sets XF_KERNEL_CONSTANT_WEIGHTS = 2; the mark is removed afterwards.
// CHECK-LABEL: func @overwrite_constant_weights
// CHECK-SAME: (%{{[^:]*}}: memref<4x8xf32>, %{{[^:]*}}: memref<8x16xf32>, %{{[^:]*}}: memref<4x16xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[F:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[F]],
func.func @overwrite_constant_weights(%a: memref<4x8xf32>, %w: memref<8x16xf32> {exaforge.constant_buffer}, %c: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  %view = memref.cast %w : memref<8x16xf32> to memref<8x?xf32>
  %unused = arith.constant 7 : index
  linalg.matmul ins(%a, %view : memref<4x8xf32>, memref<8x?xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests that a fill of another value, or of zero followed by a write the
// kernel cannot see past, keeps the fill and accumulates (flags 1).
// CHECK-LABEL: func @fill_kept
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[C:.*]] : memref<4x16xf32>)
// CHECK: %[[F:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[F]],
// CHECK: linalg.fill
// CHECK: memref.store
// CHECK: %[[S2:.*]] = arith.constant 1 : i64
// CHECK: %[[F2:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_matmul_f32(%[[S2]], %[[F2]],
func.func @fill_kept(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %i = arith.constant 0 : index
  linalg.fill ins(%one : f32) outs(%c : memref<4x16xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  memref.store %one, %c[%i, %i] : memref<4x16xf32>
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests that transposed operands (Gemm's transA/transB as matmul indexing
// maps) are passed as transposed views.
// CHECK-LABEL: func @transposed
// CHECK: %[[AT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<8x4xf32> to memref<4x8xf32, strided<[1, 4]>>
// CHECK: %[[BT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<16x8xf32> to memref<8x16xf32, strided<[1, 8]>>
// CHECK: %[[A:.*]] = memref.cast %[[AT]]
// CHECK: %[[B:.*]] = memref.cast %[[BT]]
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %{{.*}}, %[[A]], %[[B]],
func.func @transposed(%at: memref<8x4xf32>, %bt: memref<16x8xf32>, %c: memref<4x16xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%at, %bt : memref<8x4xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests that a convolution without a zero fill before it accumulates, that
// it passes an empty bias buffer (XF_KERNEL_BIAS unset) and then its
// strides, dilations and zero pads after the buffers.
// CHECK-LABEL: func @conv
// CHECK: %[[NOBIAS:.*]] = memref.alloca() : memref<0xf32>
// CHECK: %[[F:.*]] = arith.constant 1 : i64
// CHECK: %[[B:.*]] = memref.cast %[[NOBIAS]] : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: %[[SH:.*]] = arith.constant 2 : i64
// CHECK: %[[SW:.*]] = arith.constant 1 : i64
// CHECK: %[[DH:.*]] = arith.constant 1 : i64
// CHECK: %[[DW:.*]] = arith.constant 3 : i64
// CHECK: %[[P0:.*]] = arith.constant 0 : i64
// CHECK: %[[P1:.*]] = arith.constant 0 : i64
// CHECK: %[[P2:.*]] = arith.constant 0 : i64
// CHECK: %[[P3:.*]] = arith.constant 0 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]], %{{.*}}, %{{.*}}, %[[B]], %{{.*}}, %[[SH]], %[[SW]], %[[DH]], %[[DW]], %[[P0]], %[[P1]], %[[P2]], %[[P3]])
// CHECK: func.func private @xf_kernel_conv2d_nchw_f32(i64, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @conv(%x: memref<1x3x9x16xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x10xf32>) {
  linalg.conv_2d_nchw_fchw {strides = dense<[2, 1]> : tensor<2xi64>, dilations = dense<[1, 3]> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x10xf32>)
  return
}

// -----

// Tests that other element types, other indexing maps and tensors are left
// to the loop lowering.
// CHECK-LABEL: func @left_alone
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x8xf64>
// CHECK: linalg.matmul indexing_maps
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>
// CHECK-NOT: call
func.func @left_alone(%a: memref<4x8xf64>, %b: memref<8x16xf64>, %c: memref<4x16xf64>,
                      %v: memref<8xf32>, %bf: memref<8x16xf32>, %cf: memref<4x16xf32>,
                      %ta: tensor<4x8xf32>, %tb: tensor<8x16xf32>, %tc: tensor<4x16xf32>) -> tensor<4x16xf32> {
  linalg.matmul ins(%a, %b : memref<4x8xf64>, memref<8x16xf64>) outs(%c : memref<4x16xf64>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%v, %bf : memref<8xf32>, memref<8x16xf32>) outs(%cf : memref<4x16xf32>)
  %r = linalg.matmul ins(%ta, %tb : tensor<4x8xf32>, tensor<8x16xf32>) outs(%tc : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that a convolution absorbs the zero padding of its input (the
// bufferized tensor.pad: a zero linalg.map, a subview and a copy), reading
// the unpadded input with pads (top, left, bottom, right) = (1, 1, 1, 2),
// and an in-place epilogue that adds a per-channel bias and applies ReLU
// (flags XF_KERNEL_BIAS | XF_KERNEL_RELU = 12): the kernel overwrites the
// output, and the fill, the padded buffer and the generic go away.
// CHECK-LABEL: func @padding_bias_relu
// CHECK-SAME: (%[[X:.*]]: memref<1x2x4x4xf32>, %[[W:.*]]: memref<3x2x3x3xf32>, %[[B:.*]]: memref<3xf32>)
// CHECK-NOT: linalg
// CHECK-NOT: memref.copy
// CHECK: %[[Y:.*]] = memref.alloc() : memref<1x3x4x5xf32>
// CHECK: %[[F:.*]] = arith.constant 12 : i64
// CHECK: %[[XC:.*]] = memref.cast %[[X]]
// CHECK: %[[WC:.*]] = memref.cast %[[W]]
// CHECK: %[[BC:.*]] = memref.cast %[[B]]
// CHECK: %[[YC:.*]] = memref.cast %[[Y]]
// CHECK-COUNT-4: arith.constant 1 : i64
// CHECK: %[[PT:.*]] = arith.constant 1 : i64
// CHECK: %[[PL:.*]] = arith.constant 1 : i64
// CHECK: %[[PB:.*]] = arith.constant 1 : i64
// CHECK: %[[PR:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]], %[[XC]], %[[WC]], %[[BC]], %[[YC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[PT]], %[[PL]], %[[PB]], %[[PR]])
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @padding_bias_relu(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %b: memref<3xf32>) -> memref<1x3x4x5xf32> {
  %zero = arith.constant 0.0 : f32
  %pad = memref.alloc() : memref<1x2x6x7xf32>
  linalg.map outs(%pad : memref<1x2x6x7xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %interior = memref.subview %pad[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x6x7xf32> to memref<1x2x4x4xf32, strided<[84, 42, 7, 1], offset: 8>>
  memref.copy %x, %interior : memref<1x2x4x4xf32> to memref<1x2x4x4xf32, strided<[84, 42, 7, 1], offset: 8>>
  %y = memref.alloc() : memref<1x3x4x5xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x3x4x5xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pad, %w : memref<1x2x6x7xf32>, memref<3x2x3x3xf32>) outs(%y : memref<1x3x4x5xf32>)
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %b : memref<1x3x4x5xf32>, memref<3xf32>) outs(%y : memref<1x3x4x5xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return %y : memref<1x3x4x5xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that an epilogue with a residual add takes over the residual's
// buffer when nothing reads it later (a fresh allocation): the kernel
// accumulates into it (flags ACCUMULATE | BIAS | RELU = 13), it replaces the
// epilogue's output afterwards, and the convolution's own output, the
// epilogue's output and the copy of a shared zero fill disappear.
// CHECK-LABEL: func @residual_taken_over
// CHECK-NOT: memref.copy
// CHECK: %[[R:.*]] = memref.alloc() : memref<1x3x2x2xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[R]] : memref<1x3x2x2xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[F:.*]] = arith.constant 13 : i64
// CHECK: %[[RC:.*]] = memref.cast %[[R]]
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]], %{{.*}}, %{{.*}}, %{{.*}}, %[[RC]],
// CHECK-NOT: linalg
// CHECK: return %[[R]]
func.func @residual_taken_over(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %b: memref<3xf32>) -> memref<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %r = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%one : f32) outs(%r : memref<1x3x2x2xf32>)
  %zeros = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%zeros : memref<1x3x2x2xf32>)
  %y = memref.alloc() : memref<1x3x2x2xf32>
  memref.copy %zeros, %y : memref<1x3x2x2xf32> to memref<1x3x2x2xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y : memref<1x3x2x2xf32>)
  %o = memref.alloc() : memref<1x3x2x2xf32>
  linalg.generic {indexing_maps = [#id, #ch, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %b, %r : memref<1x3x2x2xf32>, memref<3xf32>, memref<1x3x2x2xf32>) outs(%o : memref<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.addf %res, %0 : f32
    %2 = arith.maximumf %1, %zero : f32
    linalg.yield %2 : f32
  }
  return %o : memref<1x3x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Tests that a residual the kernel may not overwrite (a function argument)
// is copied into the epilogue's output, which the kernel then accumulates
// into (flags ACCUMULATE = 1, no bias); and that a residual read as the
// epilogue's own output needs no copy (flags ACCUMULATE | RELU = 9).
// CHECK-LABEL: func @residual_copied
// CHECK-SAME: (%{{[^:]*}}: memref<1x2x4x4xf32>, %{{[^:]*}}: memref<3x2x3x3xf32>, %[[R:[^:]*]]: memref<1x3x2x2xf32>, %[[O:[^:]*]]: memref<1x3x2x2xf32>)
// CHECK: memref.copy %[[R]], %[[O]]
// CHECK: %[[F:.*]] = arith.constant 1 : i64
// CHECK: %[[OC:.*]] = memref.cast %[[O]]
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]], %{{.*}}, %{{.*}}, %{{.*}}, %[[OC]],
// CHECK-NOT: memref.copy
// CHECK: %[[F2:.*]] = arith.constant 9 : i64
// CHECK: %[[OC2:.*]] = memref.cast %[[O]]
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F2]], %{{.*}}, %{{.*}}, %{{.*}}, %[[OC2]],
// CHECK-NOT: linalg
func.func @residual_copied(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %r: memref<1x3x2x2xf32>, %o: memref<1x3x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y : memref<1x3x2x2xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %r : memref<1x3x2x2xf32>, memref<1x3x2x2xf32>) outs(%o : memref<1x3x2x2xf32>) {
  ^bb0(%in: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %res : f32
    linalg.yield %0 : f32
  }
  %y2 = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%y2 : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y2 : memref<1x3x2x2xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y2 : memref<1x3x2x2xf32>) outs(%o : memref<1x3x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %out, %in : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that the epilogue stays a generic when the convolution's output is
// read after it, when its terms come in another order than bias, residual,
// ReLU, or when it writes the convolution's input; the kernel then
// overwrites the convolution's output (flags 0).
// CHECK-LABEL: func @epilogue_kept
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F0:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}},
// CHECK: linalg.generic
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F1:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}},
// CHECK: linalg.generic
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F2:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}},
// CHECK: linalg.generic
func.func @epilogue_kept(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %b: memref<3xf32>,
                         %o: memref<1x3x2x2xf32>) -> memref<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y : memref<1x3x2x2xf32>)
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %b : memref<1x3x2x2xf32>, memref<3xf32>) outs(%o : memref<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  %y2 = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%y2 : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y2 : memref<1x3x2x2xf32>)
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y2, %b : memref<1x3x2x2xf32>, memref<3xf32>) outs(%o : memref<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    %1 = arith.addf %0, %bias : f32
    linalg.yield %1 : f32
  }
  %y3 = memref.alloc() : memref<1x3x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%y3 : memref<1x3x4x4xf32>)
  %x3 = memref.alloc() : memref<1x3x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%x3 : memref<1x3x4x4xf32>)
  %w3 = memref.alloc() : memref<3x3x1x1xf32>
  linalg.fill ins(%zero : f32) outs(%w3 : memref<3x3x1x1xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x3, %w3 : memref<1x3x4x4xf32>, memref<3x3x1x1xf32>) outs(%y3 : memref<1x3x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y3 : memref<1x3x4x4xf32>) outs(%x3 : memref<1x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  }
  return %y : memref<1x3x2x2xf32>
}

// -----

// Tests that a padding of another value than zero (MaxPool's) stays: the
// kernel reads the padded buffer, with zero pads; and that a zero padding
// whose source is the convolution's own output stays too.
// CHECK-LABEL: func @padding_kept
// CHECK: %[[PAD:.*]] = memref.alloc() : memref<1x2x6x6xf32>
// CHECK: linalg.map
// CHECK: memref.copy
// CHECK: %[[PC:.*]] = memref.cast %[[PAD]]
// CHECK-COUNT-4: arith.constant 1 : i64
// CHECK: %[[P0:.*]] = arith.constant 0 : i64
// CHECK: %[[P1:.*]] = arith.constant 0 : i64
// CHECK: %[[P2:.*]] = arith.constant 0 : i64
// CHECK: %[[P3:.*]] = arith.constant 0 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[PC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[P0]], %[[P1]], %[[P2]], %[[P3]])
// CHECK: %[[PAD2:.*]] = memref.alloc() : memref<1x3x6x6xf32>
// CHECK: memref.copy
// CHECK: %[[PC2:.*]] = memref.cast %[[PAD2]]
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[PC2]],
func.func @padding_kept(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %y: memref<1x3x4x4xf32>, %w2: memref<3x3x3x3xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %pad = memref.alloc() : memref<1x2x6x6xf32>
  linalg.map outs(%pad : memref<1x2x6x6xf32>)
    (%init: f32) {
      linalg.yield %ninf : f32
    }
  %interior = memref.subview %pad[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x6x6xf32> to memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>
  memref.copy %x, %interior : memref<1x2x4x4xf32> to memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pad, %w : memref<1x2x6x6xf32>, memref<3x2x3x3xf32>) outs(%y : memref<1x3x4x4xf32>)
  %zero = arith.constant 0.0 : f32
  %pad2 = memref.alloc() : memref<1x3x6x6xf32>
  linalg.fill ins(%zero : f32) outs(%pad2 : memref<1x3x6x6xf32>)
  %interior2 = memref.subview %pad2[0, 0, 1, 1] [1, 3, 4, 4] [1, 1, 1, 1] : memref<1x3x6x6xf32> to memref<1x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>>
  memref.copy %y, %interior2 : memref<1x3x4x4xf32> to memref<1x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x3x4x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pad2, %w2 : memref<1x3x6x6xf32>, memref<3x3x3x3xf32>) outs(%y : memref<1x3x4x4xf32>)
  return
}

// -----

// Tests that a max pooling into an output filled with -infinity becomes a
// pooling kernel call that reads the unpadded input of a -infinity padding
// (the fills, the padded buffer and the window-shape buffer go away) and
// passes the window (2, 3), strides, dilations and pads (1, 1, 1, 0); and
// that a pooling into an output holding other values stays.
// CHECK-LABEL: func @max_pool
// CHECK-SAME: (%[[X:.*]]: memref<1x2x4x4xf32>, %[[Y:.*]]: memref<1x2x2x3xf32>, %{{.*}}: memref<1x2x6x5xf32>, %{{.*}}: memref<1x2x2x3xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg
// CHECK: %[[S:.*]] = arith.constant 0 : i64
// CHECK: %[[F:.*]] = arith.constant 0 : i64
// CHECK: %[[XC:.*]] = memref.cast %[[X]]
// CHECK: %[[YC:.*]] = memref.cast %[[Y]]
// CHECK: %[[KH:.*]] = arith.constant 2 : i64
// CHECK: %[[KW:.*]] = arith.constant 3 : i64
// CHECK: %[[SH:.*]] = arith.constant 2 : i64
// CHECK: %[[SW:.*]] = arith.constant 1 : i64
// CHECK: %[[DH:.*]] = arith.constant 1 : i64
// CHECK: %[[DW:.*]] = arith.constant 1 : i64
// CHECK: %[[PT:.*]] = arith.constant 1 : i64
// CHECK: %[[PL:.*]] = arith.constant 1 : i64
// CHECK: %[[PB:.*]] = arith.constant 1 : i64
// CHECK: %[[PR:.*]] = arith.constant 0 : i64
// CHECK: call @xf_kernel_max_pool2d_nchw_f32(%[[S]], %[[F]], %[[XC]], %[[YC]], %[[KH]], %[[KW]], %[[SH]], %[[SW]], %[[DH]], %[[DW]], %[[PT]], %[[PL]], %[[PB]], %[[PR]])
// CHECK: linalg.fill
// CHECK: linalg.pooling_nchw_max
// CHECK: func.func private @xf_kernel_max_pool2d_nchw_f32(i64, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @max_pool(%x: memref<1x2x4x4xf32>, %y: memref<1x2x2x3xf32>, %p: memref<1x2x6x5xf32>, %z: memref<1x2x2x3xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %pad = memref.alloc() : memref<1x2x6x5xf32>
  linalg.map outs(%pad : memref<1x2x6x5xf32>)
    (%init: f32) {
      linalg.yield %ninf : f32
    }
  %interior = memref.subview %pad[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x6x5xf32> to memref<1x2x4x4xf32, strided<[60, 30, 5, 1], offset: 6>>
  memref.copy %x, %interior : memref<1x2x4x4xf32> to memref<1x2x4x4xf32, strided<[60, 30, 5, 1], offset: 6>>
  linalg.fill ins(%ninf : f32) outs(%y : memref<1x2x2x3xf32>)
  %window = memref.alloc() : memref<2x3xf32>
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
    ins(%pad, %window : memref<1x2x6x5xf32>, memref<2x3xf32>) outs(%y : memref<1x2x2x3xf32>)
  linalg.fill ins(%zero : f32) outs(%z : memref<1x2x2x3xf32>)
  %window2 = memref.alloc() : memref<2x3xf32>
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
    ins(%p, %window2 : memref<1x2x6x5xf32>, memref<2x3xf32>) outs(%z : memref<1x2x2x3xf32>)
  return
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests a downsampling residual block, relu((conv A + bias A) + (conv B +
// bias B)): conv A, which a later generic reads, takes its bias (flags
// BIAS = 4) and the generic reads its output directly; conv B then absorbs
// the whole epilogue with conv A's output as the residual, whose buffer it
// takes over (flags ACCUMULATE | BIAS | RELU = 13). Conv B's output is
// filled again after the generic, which does not read the old values: it
// is then only written, and goes away with its fills.
// CHECK-LABEL: func @downsample_block
// CHECK: %[[A:.*]] = memref.alloc() : memref<1x3x2x2xf32>
// CHECK: %[[FA:.*]] = arith.constant 4 : i64
// CHECK: %[[AC:.*]] = memref.cast %[[A]]
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[FA]], %{{.*}}, %{{.*}}, %{{.*}}, %[[AC]],
// CHECK: %[[FB:.*]] = arith.constant 13 : i64
// CHECK: %[[AC2:.*]] = memref.cast %[[A]]
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[FB]], %{{.*}}, %{{.*}}, %{{.*}}, %[[AC2]],
// CHECK-NOT: linalg
// CHECK: return %[[A]]
func.func @downsample_block(%x: memref<1x2x4x4xf32>, %wa: memref<3x2x3x3xf32>, %ba: memref<3xf32>,
                            %wb: memref<3x2x3x3xf32>, %bb: memref<3xf32>) -> memref<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %ya = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%ya : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %wa : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%ya : memref<1x3x2x2xf32>)
  %yb = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%yb : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %wb : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%yb : memref<1x3x2x2xf32>)
  %o = memref.alloc() : memref<1x3x2x2xf32>
  linalg.generic {indexing_maps = [#id, #ch, #id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ya, %ba, %yb, %bb : memref<1x3x2x2xf32>, memref<3xf32>, memref<1x3x2x2xf32>, memref<3xf32>) outs(%o : memref<1x3x2x2xf32>) {
  ^bb0(%a: f32, %biasa: f32, %b: f32, %biasb: f32, %out: f32):
    %0 = arith.addf %a, %biasa : f32
    %1 = arith.addf %b, %biasb : f32
    %2 = arith.addf %0, %1 : f32
    %3 = arith.maximumf %2, %zero : f32
    linalg.yield %3 : f32
  }
  linalg.fill ins(%zero : f32) outs(%yb : memref<1x3x2x2xf32>)
  return %o : memref<1x3x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
#nc = affine_map<(d0, d1, d2, d3) -> (d0, d1)>

// Tests that a reduction that starts with relu(conv + bias) lets the kernel
// apply them (flags BIAS | RELU = 12) and reads the result; and that no
// terms move into the kernel when another op reads the convolution's output
// before the generic (flags 0).
// CHECK-LABEL: func @reduction_prefix
// CHECK: %[[F:.*]] = arith.constant 12 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F]],
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[IN]], %[[OUT]] : f32
// CHECK-NEXT: linalg.yield %[[S]]
// CHECK: %[[F2:.*]] = arith.constant 0 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %[[F2]],
// CHECK: memref.copy
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @reduction_prefix(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %b: memref<3xf32>,
                            %s: memref<1x3xf32>, %c: memref<1x3x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y : memref<1x3x2x2xf32>)
  linalg.generic {indexing_maps = [#id, #ch, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%y, %b : memref<1x3x2x2xf32>, memref<3xf32>) outs(%s : memref<1x3xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    %2 = arith.addf %1, %out : f32
    linalg.yield %2 : f32
  }
  %y2 = memref.alloc() : memref<1x3x2x2xf32>
  linalg.fill ins(%zero : f32) outs(%y2 : memref<1x3x2x2xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x4xf32>, memref<3x2x3x3xf32>) outs(%y2 : memref<1x3x2x2xf32>)
  memref.copy %y2, %c : memref<1x3x2x2xf32> to memref<1x3x2x2xf32>
  linalg.generic {indexing_maps = [#id, #ch, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%y2, %b : memref<1x3x2x2xf32>, memref<3xf32>) outs(%s : memref<1x3xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    %2 = arith.addf %1, %out : f32
    linalg.yield %2 : f32
  }
  return
}
