// RUN: exaforge-opt %s --convert-kernels-to-calls -split-input-file | FileCheck %s

// Tests that kernel ops on buffers become calls of the runtime's oneDNN
// kernels with distinct call-site numbers, the node name (here none: an
// empty string), flags (XF_KERNEL_ACCUMULATE = 1
// for accumulate, XF_KERNEL_CONSTANT_WEIGHTS = 2), operands cast to fully
// dynamic strided memrefs (a matmul without a bias passes an empty bias
// buffer), and one C-interface declaration per kernel.
// CHECK-LABEL: func @contractions
// CHECK: %[[NOBIAS:.*]] = memref.alloca() : memref<0xf32>
// CHECK: %[[S0:.*]] = arith.constant 0 : i64
// CHECK: %[[N0:.*]] = llvm.mlir.addressof @xf_node_name : !llvm.ptr
// CHECK: %[[F0:.*]] = arith.constant 1 : i64
// CHECK: %[[A:.*]] = memref.cast %{{.*}} : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[B:.*]] = memref.cast %{{.*}} : memref<8x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[BIAS:.*]] = memref.cast %[[NOBIAS]] : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: %[[C:.*]] = memref.cast %{{.*}} : memref<4x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @xf_kernel_matmul_f32(%[[S0]], %[[N0]], %[[F0]], %[[A]], %[[B]], %[[BIAS]], %[[C]])
// CHECK: %[[S1:.*]] = arith.constant 1 : i64
// CHECK: %[[F1:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_matmul_f32(%[[S1]], %{{.*}}, %[[F1]],
// CHECK: %[[S2:.*]] = arith.constant 2 : i64
// CHECK: call @xf_kernel_batch_matmul_f32(%[[S2]],
// CHECK-NOT: kernel.
// CHECK: func.func private @xf_kernel_matmul_f32(i64, !llvm.ptr, i64, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK: func.func private @xf_kernel_batch_matmul_f32(i64, !llvm.ptr, i64, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
func.func @contractions(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>,
                        %ba: memref<2x4x8xf32>, %bb: memref<2x8x16xf32>, %bc: memref<2x4x16xf32>) {
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {accumulate}
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {constant_weights}
  kernel.matmul ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%bc : memref<2x4x16xf32>)
  return
}

// -----

// Tests that a matmul's epilogue passes its bias and sets XF_KERNEL_BIAS |
// XF_KERNEL_RELU (12), with XF_KERNEL_ACCUMULATE for a residual (13).
// CHECK-LABEL: func @epilogue
// CHECK-SAME: %[[BIAS:[a-z0-9]+]]: memref<16xf32>
// CHECK: %[[F0:.*]] = arith.constant 12 : i64
// CHECK: %[[BIASCAST:.*]] = memref.cast %[[BIAS]] : memref<16xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %{{.*}}, %[[F0]], %{{.*}}, %{{.*}}, %[[BIASCAST]], %{{.*}})
// CHECK: %[[F1:.*]] = arith.constant 13 : i64
// CHECK: call @xf_kernel_batch_matmul_f32(%{{.*}}, %{{.*}}, %[[F1]],
func.func @epilogue(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %bias: memref<16xf32>, %c: memref<4x16xf32>,
                    %ba: memref<2x4x8xf32>, %bb: memref<2x8x16xf32>, %bc: memref<2x4x16xf32>) {
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) bias(%bias : memref<16xf32>) outs(%c : memref<4x16xf32>) {relu}
  kernel.matmul ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x16xf32>) bias(%bias : memref<16xf32>) outs(%bc : memref<2x4x16xf32>) {accumulate, relu}
  return
}

// -----

// Tests that transposed operands are passed as transposed views.
// CHECK-LABEL: func @transposed
// CHECK: %[[AT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<8x4xf32> to memref<4x8xf32, strided<[1, 4]>>
// CHECK: %[[BT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<16x8xf32> to memref<8x16xf32, strided<[1, 8]>>
// CHECK: %[[A:.*]] = memref.cast %[[AT]]
// CHECK: %[[B:.*]] = memref.cast %[[BT]]
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[A]], %[[B]],
func.func @transposed(%at: memref<8x4xf32>, %bt: memref<16x8xf32>, %c: memref<4x16xf32>) {
  kernel.matmul ins(%at, %bt : memref<8x4xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>) {transpose_lhs, transpose_rhs}
  return
}

// -----

// Tests that a convolution without a bias passes an empty bias buffer
// (XF_KERNEL_BIAS unset) and then its strides, dilations, pads (top,
// left, bottom, right) and groups (1, or 3 for a depthwise one) after the
// buffers; and that the epilogue attributes
// set XF_KERNEL_ACCUMULATE | XF_KERNEL_BIAS | XF_KERNEL_RELU (13) and
// XF_KERNEL_CONSTANT_WEIGHTS | XF_KERNEL_RELU (10).
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
// CHECK: %[[G:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[F]], %{{.*}}, %{{.*}}, %[[B]], %{{.*}}, %[[SH]], %[[SW]], %[[DH]], %[[DW]], %[[P0]], %[[P1]], %[[P2]], %[[P3]], %[[G]])
// CHECK: %[[F2:.*]] = arith.constant 13 : i64
// CHECK: %[[BIAS:.*]] = memref.cast %{{.*}} : memref<8xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK-COUNT-4: arith.constant 1 : i64
// CHECK: %[[PT:.*]] = arith.constant 1 : i64
// CHECK: %[[PL:.*]] = arith.constant 2 : i64
// CHECK: %[[PB:.*]] = arith.constant 3 : i64
// CHECK: %[[PR:.*]] = arith.constant 4 : i64
// CHECK: %[[G2:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[F2]], %{{.*}}, %{{.*}}, %[[BIAS]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[PT]], %[[PL]], %[[PB]], %[[PR]], %[[G2]])
// CHECK: memref.alloca() : memref<0xf32>
// CHECK: %[[F3:.*]] = arith.constant 10 : i64
// CHECK: call @xf_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[F3]],
// CHECK: memref.cast %{{.*}} : memref<3x1x3x3xf32>
// CHECK: %[[G3:.*]] = arith.constant 3 : i64
// CHECK-NEXT: call @xf_kernel_conv2d_nchw_f32({{.*}}, %[[G3]])
// CHECK: func.func private @xf_kernel_conv2d_nchw_f32(i64, !llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @conv(%x: memref<1x3x9x16xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x10xf32>,
                %b: memref<8xf32>, %y2: memref<1x8x10x20xf32>, %dw: memref<3x1x3x3xf32>,
                %y3: memref<1x3x7x14xf32>) {
  kernel.conv2d ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x10xf32>)
      strides = [2, 1] dilations = [1, 3] padding = [0, 0, 0, 0] {accumulate}
  kernel.conv2d ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) bias(%b : memref<8xf32>) outs(%y2 : memref<1x8x10x20xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [1, 2, 3, 4] {accumulate, relu}
  kernel.conv2d ins(%x, %w : memref<1x3x9x16xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x10xf32>)
      strides = [2, 1] dilations = [1, 3] padding = [0, 0, 0, 0] {constant_weights, relu}
  kernel.conv2d ins(%x, %dw : memref<1x3x9x16xf32>, memref<3x1x3x3xf32>) outs(%y3 : memref<1x3x7x14xf32>)
      strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 3
  return
}

// -----

// Tests that a max pooling passes its window, strides, dilations and pads,
// with flags 0.
// CHECK-LABEL: func @max_pool
// CHECK: %[[S:.*]] = arith.constant 0 : i64
// CHECK: %[[F:.*]] = arith.constant 0 : i64
// CHECK: %[[X:.*]] = memref.cast %{{.*}} : memref<1x2x6x6xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[Y:.*]] = memref.cast %{{.*}} : memref<1x2x3x3xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[KH:.*]] = arith.constant 3 : i64
// CHECK: %[[KW:.*]] = arith.constant 2 : i64
// CHECK: %[[SH:.*]] = arith.constant 2 : i64
// CHECK: %[[SW:.*]] = arith.constant 3 : i64
// CHECK: %[[DH:.*]] = arith.constant 1 : i64
// CHECK: %[[DW:.*]] = arith.constant 1 : i64
// CHECK: %[[PT:.*]] = arith.constant 1 : i64
// CHECK: %[[PL:.*]] = arith.constant 1 : i64
// CHECK: %[[PB:.*]] = arith.constant 0 : i64
// CHECK: %[[PR:.*]] = arith.constant 1 : i64
// CHECK: call @xf_kernel_max_pool2d_nchw_f32(%[[S]], %{{.*}}, %[[F]], %[[X]], %[[Y]], %[[KH]], %[[KW]], %[[SH]], %[[SW]], %[[DH]], %[[DW]], %[[PT]], %[[PL]], %[[PB]], %[[PR]])
func.func @max_pool(%x: memref<1x2x6x6xf32>, %y: memref<1x2x3x3xf32>) {
  kernel.max_pool2d ins(%x : memref<1x2x6x6xf32>) outs(%y : memref<1x2x3x3xf32>)
      window = [3, 2] strides = [2, 3] dilations = [1, 1] padding = [1, 1, 0, 1]
  return
}

// -----

// Tests that each call passes the name of the ONNX node its location
// carries (also inside a fused location), one constant string per distinct
// name, for the message of a oneDNN failure.
// CHECK-LABEL: func @node_names
// CHECK: %[[N0:.*]] = llvm.mlir.addressof @xf_node_name : !llvm.ptr
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[N0]],
// CHECK: %[[N1:.*]] = llvm.mlir.addressof @xf_node_name_0 : !llvm.ptr
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[N1]],
// CHECK: %[[N2:.*]] = llvm.mlir.addressof @xf_node_name : !llvm.ptr
// CHECK: call @xf_kernel_matmul_f32(%{{.*}}, %[[N2]],
// CHECK-DAG: llvm.mlir.global internal constant @xf_node_name("MatMul_3\00")
// CHECK-DAG: llvm.mlir.global internal constant @xf_node_name_0("Gemm_7\00")
func.func @node_names(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) loc("MatMul_3")
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) loc(fused["model.onnx":1:1, "Gemm_7"])
  kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) loc("MatMul_3")
  return
}
