// RUN: exaforge-opt %s --select-kernels -split-input-file | FileCheck %s

// Tests that f32 matmuls and batch matmuls on tensors become kernel.matmul:
// a destination filled with zero becomes the filled tensor, which the kernel
// overwrites (the fill goes away); any other destination is accumulated
// into; a weight marked exaforge.constant_buffer (through a view) sets
// constant_weights, and the mark is removed.
// CHECK-LABEL: func @contractions
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x8xf32>, %[[W:[^:]*]]: tensor<2x8x16xf32>, %[[C:[^:]*]]: tensor<4x16xf32>, %[[BA:[^:]*]]: tensor<2x4x8xf32>, %[[BB:[^:]*]]: tensor<2x8x16xf32>)
// CHECK-NOT: linalg
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[WS:.*]] = tensor.extract_slice %[[W]]
// CHECK: %[[M0:.*]] = kernel.matmul ins(%[[A]], %[[WS]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[E]] : tensor<4x16xf32>) {constant_weights} -> tensor<4x16xf32>
// CHECK: %[[M1:.*]] = kernel.matmul ins(%[[A]], %[[WS]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[C]] : tensor<4x16xf32>) {accumulate, constant_weights} -> tensor<4x16xf32>
// CHECK: %[[BE:.*]] = tensor.empty() : tensor<2x4x16xf32>
// CHECK: kernel.matmul ins(%[[BA]], %[[BB]] : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%[[BE]] : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
// CHECK-NOT: exaforge.constant_buffer
func.func @contractions(%a: tensor<4x8xf32>, %w: tensor<2x8x16xf32> {exaforge.constant_buffer}, %c: tensor<4x16xf32>,
                        %ba: tensor<2x4x8xf32>, %bb: tensor<2x8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<2x4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %ws = tensor.extract_slice %w[0, 0, 0] [1, 8, 16] [1, 1, 1] : tensor<2x8x16xf32> to tensor<8x16xf32>
  %0 = linalg.matmul ins(%a, %ws : tensor<4x8xf32>, tensor<8x16xf32>) outs(%z : tensor<4x16xf32>) -> tensor<4x16xf32>
  %1 = linalg.matmul ins(%a, %ws : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %be = tensor.empty() : tensor<2x4x16xf32>
  %bz = linalg.fill ins(%zero : f32) outs(%be : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  %2 = linalg.batch_matmul ins(%ba, %bb : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%bz : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %0, %1, %2 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<2x4x16xf32>
}

// -----

// Tests that a fill of another value is accumulated into, and that
// transposed operands (Gemm's transA/transB as matmul indexing maps) set
// transpose_lhs/transpose_rhs.
// CHECK-LABEL: func @fill_kept_transposed
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK: kernel.matmul ins(%{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<16x8xf32>) outs(%[[F]] : tensor<4x16xf32>) {accumulate, transpose_lhs, transpose_rhs}
func.func @fill_kept_transposed(%at: tensor<8x4xf32>, %bt: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%at, %bt : tensor<8x4xf32>, tensor<16x8xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Tests that other element types, other indexing maps and buffers are left
// to the loop lowering.
// CHECK-LABEL: func @left_alone
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf64>
// CHECK: linalg.matmul indexing_maps
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x8xf32>
// CHECK-NOT: kernel.
func.func @left_alone(%a: tensor<4x8xf64>, %b: tensor<8x16xf64>, %c: tensor<4x16xf64>,
                      %d: tensor<8x4xf32>, %e: tensor<8x16xf32>, %f: tensor<16x4xf32>,
                      %ma: memref<4x8xf32>, %mb: memref<8x16xf32>, %mc: memref<4x16xf32>) -> (tensor<4x16xf64>, tensor<16x4xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf64>, tensor<8x16xf64>) outs(%c : tensor<4x16xf64>) -> tensor<4x16xf64>
  %1 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (n, m)>]
      ins(%d, %e : tensor<8x4xf32>, tensor<8x16xf32>) outs(%f : tensor<16x4xf32>) -> tensor<16x4xf32>
  linalg.matmul ins(%ma, %mb : memref<4x8xf32>, memref<8x16xf32>) outs(%mc : memref<4x16xf32>)
  return %0, %1 : tensor<4x16xf64>, tensor<16x4xf32>
}

// -----

// Tests that a convolution without a zero fill accumulates, with its
// strides and dilations and no padding.
// CHECK-LABEL: func @conv
// CHECK: kernel.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x3x9x16xf32>, tensor<8x3x3x3xf32>) outs(%{{.*}} : tensor<1x8x4x10xf32>) strides = [2, 1] dilations = [1, 3] padding = [0, 0, 0, 0] {accumulate, channels_last}
func.func @conv(%x: tensor<1x3x9x16xf32>, %w: tensor<8x3x3x3xf32>, %y: tensor<1x8x4x10xf32>) -> tensor<1x8x4x10xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 3]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
    ins(%x, %w : tensor<1x3x9x16xf32>, tensor<8x3x3x3xf32>) outs(%y : tensor<1x8x4x10xf32>) -> tensor<1x8x4x10xf32>
  return %0 : tensor<1x8x4x10xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that a convolution absorbs the zero padding of its input, with pads
// (top, left, bottom, right) = (1, 1, 1, 2), and the elementwise generic
// after it that adds a per-channel bias and applies ReLU: the kernel
// overwrites the filled tensor, and the pad, the fill and the generic go
// away.
// CHECK-LABEL: func @padding_bias_relu
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x3x3xf32>, %[[B:[^:]*]]: tensor<3xf32>)
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x3x4x5xf32>
// CHECK-NOT: linalg
// CHECK: %[[Y:.*]] = kernel.conv2d ins(%[[X]], %[[W]] : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) bias(%[[B]] : tensor<3xf32>) outs(%[[E]] : tensor<1x3x4x5xf32>) strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 2] {channels_last, relu}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @padding_bias_relu(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x4x5xf32> {
  %zero = arith.constant 0.0 : f32
  %pad = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 2] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x7xf32>
  %e = tensor.empty() : tensor<1x3x4x5xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pad, %w : tensor<1x2x6x7xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b : tensor<1x3x4x5xf32>, tensor<3xf32>) outs(%e : tensor<1x3x4x5xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<1x3x4x5xf32>
  return %o : tensor<1x3x4x5xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that an epilogue with a residual add makes the residual the
// kernel's destination, which it accumulates into (bufferization decides
// whether the residual's buffer is reused or copied), and that a residual
// read as the epilogue's own output (its init) is absorbed too.
// CHECK-LABEL: func @residual
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x3x3xf32>, %[[B:[^:]*]]: tensor<3xf32>, %[[R:[^:]*]]: tensor<1x3x2x2xf32>)
// CHECK-NOT: linalg
// CHECK: %[[Y:.*]] = kernel.conv2d ins(%[[X]], %[[W]] : {{.*}}) bias(%[[B]] : tensor<3xf32>) outs(%[[R]] : tensor<1x3x2x2xf32>) {{.*}} {accumulate, channels_last, relu}
// CHECK-NOT: linalg
// CHECK: %[[Y2:.*]] = kernel.conv2d ins(%[[X]], %[[W]] : {{.*}}) outs(%[[R]] : tensor<1x3x2x2xf32>) {{.*}} {accumulate, channels_last, relu}
// CHECK-NOT: linalg
// CHECK: return %[[Y]], %[[Y2]]
func.func @residual(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>, %r: tensor<1x3x2x2xf32>) -> (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b, %r : tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<1x3x2x2xf32>) outs(%e : tensor<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.addf %res, %0 : f32
    %2 = arith.maximumf %1, %zero : f32
    linalg.yield %2 : f32
  } -> tensor<1x3x2x2xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c2 : tensor<1x3x2x2xf32>) outs(%r : tensor<1x3x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %out, %in : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<1x3x2x2xf32>
  return %o, %o2 : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
#red = affine_map<(d0, d1, d2, d3) -> (d0, d1)>

// Tests that the leading terms of a larger generic (here a reduction, as in
// a GlobalAveragePool after the last residual block) are absorbed: the
// kernel applies bias, residual and ReLU, the generic reads its result, and
// the bias and residual are no longer operands of the generic.
// CHECK-LABEL: func @epilogue_prefix
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x3x3xf32>, %[[B:[^:]*]]: tensor<3xf32>, %[[R:[^:]*]]: tensor<1x3x2x2xf32>
// CHECK: %[[Y:.*]] = kernel.conv2d ins(%[[X]], %[[W]] : {{.*}}) bias(%[[B]] : tensor<3xf32>) outs(%[[R]] : tensor<1x3x2x2xf32>) {{.*}} {accumulate, channels_last, relu}
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<1x3x2x2xf32>) outs(%{{.*}} : tensor<1x3xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[IN]], %[[ACC]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]]
func.func @epilogue_prefix(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>, %r: tensor<1x3x2x2xf32>, %acc: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id, #red], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%c, %b, %r : tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<1x3x2x2xf32>) outs(%acc : tensor<1x3xf32>) {
  ^bb0(%in: f32, %bias: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.addf %0, %res : f32
    %2 = arith.maximumf %1, %zero : f32
    %3 = arith.addf %2, %out : f32
    linalg.yield %3 : f32
  } -> tensor<1x3xf32>
  return %o : tensor<1x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that the epilogue stays a generic when the convolution's result is
// also used elsewhere (the kernel then overwrites the filled tensor, without
// epilogue attributes), and that only the terms in the order bias,
// residual, ReLU are absorbed: of ReLU then bias, the ReLU.
// CHECK-LABEL: func @epilogue_kept
// CHECK: %[[Y:.*]] = kernel.conv2d {{.*}} padding = [0, 0, 0, 0] {channels_last} -> tensor<1x3x2x2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y]], %{{.*}} :
// CHECK: %[[Y2:.*]] = kernel.conv2d {{.*}} padding = [0, 0, 0, 0] {channels_last, relu} -> tensor<1x3x2x2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y2]], %{{.*}} :
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[BIAS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.addf %[[IN]], %[[BIAS]] : f32
// CHECK: return %{{.*}}, %{{.*}}, %[[Y]]
func.func @epilogue_kept(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>)
    -> (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b : tensor<1x3x2x2xf32>, tensor<3xf32>) outs(%e : tensor<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  } -> tensor<1x3x2x2xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%z : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %o2 = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c2, %b : tensor<1x3x2x2xf32>, tensor<3xf32>) outs(%e : tensor<1x3x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    %1 = arith.addf %0, %bias : f32
    linalg.yield %1 : f32
  } -> tensor<1x3x2x2xf32>
  return %o, %o2, %c : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>
}

// -----

// Tests that a max pooling into a -infinity fill becomes kernel.max_pool2d
// with its window and the -infinity padding of its input (pads 1, 1, 0, 0),
// while a pooling whose output holds other values is left alone.
// CHECK-LABEL: func @max_pool
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x6x6xf32>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x2x3x3xf32>
// CHECK: kernel.max_pool2d ins(%[[X]] : tensor<1x2x6x6xf32>) outs(%[[E]] : tensor<1x2x3x3xf32>) window = [3, 3] strides = [2, 2] dilations = [1, 1] padding = [1, 1, 0, 0] {channels_last}
// CHECK: linalg.pooling_nchw_max
func.func @max_pool(%x: tensor<1x2x6x6xf32>, %x2: tensor<1x2x7x7xf32>, %y: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %pad = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x7x7xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %window = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%pad, %window : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x2, %window : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%y : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %0, %1 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// Tests that a padding of another value than zero (MaxPool's) stays before
// a convolution: the kernel reads the padded tensor, with zero pads.
// CHECK-LABEL: func @padding_kept
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: kernel.conv2d ins(%[[PAD]], %{{.*}} : tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) outs(%{{.*}} : tensor<1x3x4x4xf32>) strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] {accumulate, channels_last}
func.func @padding_kept(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %y: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %pad = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pad, %w : tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) outs(%y : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

#mn = affine_map<(d0, d1) -> (d0, d1)>
#n = affine_map<(d0, d1) -> (d1)>
#m = affine_map<(d0, d1) -> (d0)>

// Tests that the bias and ReLU after a matmul (a Gemm with its C and a
// Relu) become the kernel's epilogue, reading the bias at the column index,
// and that a matmul whose "bias" is per row is left with its generic.
// CHECK-LABEL: func @matmul_bias_relu
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<8x16xf32>, %[[BIAS:[^:]*]]: tensor<16xf32>, %[[ROWS:[^:]*]]: tensor<4xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[Y:.*]] = kernel.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) bias(%[[BIAS]] : tensor<16xf32>) outs(%[[E]] : tensor<4x16xf32>) {relu} -> tensor<4x16xf32>
// CHECK: %[[P:.*]] = kernel.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[P]], %[[ROWS]] :
// CHECK: return %[[Y]], %[[R]]
func.func @matmul_bias_relu(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %bias: tensor<16xf32>, %rows: tensor<4xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %p = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%z : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.generic {indexing_maps = [#mn, #n, #mn], iterator_types = ["parallel", "parallel"]}
      ins(%p, %bias : tensor<4x16xf32>, tensor<16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<4x16xf32>
  %p2 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%z : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#mn, #m, #mn], iterator_types = ["parallel", "parallel"]}
      ins(%p2, %rows : tensor<4x16xf32>, tensor<4xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    linalg.yield %0 : f32
  } -> tensor<4x16xf32>
  return %y, %r : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#n3 = affine_map<(d0, d1, d2) -> (d2)>

// Tests a MatMul of a [batch, sequence, K] input, computed on its collapsed
// rows and expanded back, with a bias and a residual after it (a Linear
// layer's bias and the residual connection of a transformer block): the
// kernel adds both, accumulating into the collapsed residual, and its
// result is expanded in place of the generic; the generic's sizes come from
// the expansion's output shape.
// CHECK-LABEL: func @matmul_expanded_bias_residual
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x8x64xf32>, %[[W:[^:]*]]: tensor<64x32xf32>, %[[BIAS:[^:]*]]: tensor<32xf32>, %[[RES:[^:]*]]: tensor<?x8x32xf32>)
// CHECK: %[[XC:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]]
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[RC:.*]] = tensor.collapse_shape %[[RES]] {{\[\[}}0, 1], [2]] : tensor<?x8x32xf32> into tensor<?x32xf32>
// CHECK: %[[Y:.*]] = kernel.matmul ins(%[[XC]], %[[W]] : tensor<?x64xf32>, tensor<64x32xf32>) bias(%[[BIAS]] : tensor<32xf32>) outs(%[[RC]] : tensor<?x32xf32>) {accumulate} -> tensor<?x32xf32>
// CHECK: %[[YE:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2]] output_shape [%[[N]], 8, 32]
// CHECK-NOT: linalg.
// CHECK: return %[[YE]]
func.func @matmul_expanded_bias_residual(%x: tensor<?x8x64xf32>, %w: tensor<64x32xf32>, %bias: tensor<32xf32>, %res: tensor<?x8x32xf32>) -> tensor<?x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %xc = tensor.collapse_shape %x [[0, 1], [2]] : tensor<?x8x64xf32> into tensor<?x64xf32>
  %rows = tensor.dim %xc, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%rows) : tensor<?x32xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %p = linalg.matmul ins(%xc, %w : tensor<?x64xf32>, tensor<64x32xf32>) outs(%z : tensor<?x32xf32>) -> tensor<?x32xf32>
  %n = tensor.dim %x, %c0 : tensor<?x8x64xf32>
  %pe = tensor.expand_shape %p [[0, 1], [2]] output_shape [%n, 8, 32] : tensor<?x32xf32> into tensor<?x8x32xf32>
  %n2 = tensor.dim %pe, %c0 : tensor<?x8x32xf32>
  %e3 = tensor.empty(%n2) : tensor<?x8x32xf32>
  %y = linalg.generic {indexing_maps = [#id3, #n3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%pe, %bias, %res : tensor<?x8x32xf32>, tensor<32xf32>, tensor<?x8x32xf32>) outs(%e3 : tensor<?x8x32xf32>) {
  ^bb0(%in: f32, %bi: f32, %r: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    %1 = arith.addf %0, %r : f32
    linalg.yield %1 : f32
  } -> tensor<?x8x32xf32>
  return %y : tensor<?x8x32xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#n3 = affine_map<(d0, d1, d2) -> (d2)>

// Tests that a batched matmul absorbs the leading bias of a larger
// generic, which then reads the kernel's result for the rest (a GELU's
// multiply here), and that a swish is not a matmul's epilogue.
// CHECK-LABEL: func @batch_matmul_bias_prefix
// CHECK: %[[Y:.*]] = kernel.matmul ins({{.*}}) bias(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<2x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.mulf %[[IN]], %[[IN]] : f32
func.func @batch_matmul_bias_prefix(%a: tensor<2x3x5xf32>, %b: tensor<2x5x4xf32>, %bias: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %p = linalg.batch_matmul ins(%a, %b : tensor<2x3x5xf32>, tensor<2x5x4xf32>) outs(%z : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %y = linalg.generic {indexing_maps = [#id3, #n3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%p, %bias : tensor<2x3x4xf32>, tensor<4xf32>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    %1 = arith.mulf %0, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#heads = affine_map<(d0, d1, d2, d3) -> (d2, d3)>

// Tests a query projection whose bias add moved past the split of its
// columns into attention heads (BERT's exports): the generic reads the
// product expanded to [batch, sequence, heads, head size] and the bias
// expanded to [heads, head size]. The kernel adds the 1-D bias; another
// expansion of the product, read only for its batch size, is replaced by
// its output shape.
// CHECK-LABEL: func @matmul_bias_of_heads
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x8x64xf32>, %[[W:[^:]*]]: tensor<64x32xf32>, %[[BIAS:[^:]*]]: tensor<32xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK: tensor.empty(%[[N]]) : tensor<?x8x32xf32>
// CHECK: %[[Y:.*]] = kernel.matmul ins({{.*}}) bias(%[[BIAS]] : tensor<32xf32>) outs(%{{.*}} : tensor<?x32xf32>) -> tensor<?x32xf32>
// CHECK: %[[YE:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2, 3]] output_shape [%[[N]], 8, 4, 8]
// CHECK-NOT: linalg.generic
// CHECK: return %[[YE]]
func.func @matmul_bias_of_heads(%x: tensor<?x8x64xf32>, %w: tensor<64x32xf32>, %bias: tensor<32xf32>) -> (tensor<?x8x4x8xf32>, tensor<?x8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %xc = tensor.collapse_shape %x [[0, 1], [2]] : tensor<?x8x64xf32> into tensor<?x64xf32>
  %rows = tensor.dim %xc, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%rows) : tensor<?x32xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %p = linalg.matmul ins(%xc, %w : tensor<?x64xf32>, tensor<64x32xf32>) outs(%z : tensor<?x32xf32>) -> tensor<?x32xf32>
  %n = tensor.dim %x, %c0 : tensor<?x8x64xf32>
  %sized = tensor.expand_shape %p [[0, 1], [2]] output_shape [%n, 8, 32] : tensor<?x32xf32> into tensor<?x8x32xf32>
  %n2 = tensor.dim %sized, %c0 : tensor<?x8x32xf32>
  %like = tensor.empty(%n2) : tensor<?x8x32xf32>
  %ph = tensor.expand_shape %p [[0, 1], [2, 3]] output_shape [%n, 8, 4, 8] : tensor<?x32xf32> into tensor<?x8x4x8xf32>
  %bh = tensor.expand_shape %bias [[0, 1]] output_shape [4, 8] : tensor<32xf32> into tensor<4x8xf32>
  %e4 = tensor.empty(%n) : tensor<?x8x4x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #heads, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ph, %bh : tensor<?x8x4x8xf32>, tensor<4x8xf32>) outs(%e4 : tensor<?x8x4x8xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    linalg.yield %0 : f32
  } -> tensor<?x8x4x8xf32>
  return %y, %like : tensor<?x8x4x8xf32>, tensor<?x8x32xf32>
}
