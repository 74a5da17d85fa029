// RUN: exaforge-opt %s --select-kernels -split-input-file | FileCheck %s

// Grouped and depthwise convolutions (`linalg.conv_2d_ngchw_gfchw`, as
// convert-graph-to-linalg writes them) become `kernel.conv2d` with `groups`.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests a depthwise convolution as the lowering writes it: the zero pad
// before the expansion of the input, the expanded weight (a model weight:
// constant_weights), the zero fill of an expanded empty tensor, and the
// collapse of the result read by a bias and ReLU generic. The kernel reads
// the NCHW tensors under the expansions, absorbs everything, and no
// reshape is left.
// CHECK-LABEL: func @depthwise
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x8x10x10xf32>, %[[W:[^:]*]]: tensor<8x1x3x3xf32>, %[[B:[^:]*]]: tensor<8xf32>)
// CHECK-NOT: tensor.pad
// CHECK-NOT: expand_shape
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x8x10x10xf32>
// CHECK-NEXT: %[[Y:.*]] = kernel.conv2d ins(%[[X]], %[[W]] : tensor<1x8x10x10xf32>, tensor<8x1x3x3xf32>) bias(%[[B]] : tensor<8xf32>) outs(%[[E]] : tensor<1x8x10x10xf32>) strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 {channels_last, constant_weights, relu}
// CHECK-NEXT: return %[[Y]]
func.func @depthwise(%x: tensor<1x8x10x10xf32>, %w: tensor<8x1x3x3xf32> {exaforge.constant_buffer}, %b: tensor<8xf32>) -> tensor<1x8x10x10xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x10x10xf32> to tensor<1x8x12x12xf32>
  %e = tensor.empty() : tensor<1x8x10x10xf32>
  %xg = tensor.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 8, 1, 12, 12] : tensor<1x8x12x12xf32> into tensor<1x8x1x12x12xf32>
  %wg = tensor.expand_shape %w [[0, 1], [2], [3], [4]] output_shape [8, 1, 1, 3, 3] : tensor<8x1x3x3xf32> into tensor<8x1x1x3x3xf32>
  %eg = tensor.expand_shape %e [[0], [1, 2], [3], [4]] output_shape [1, 8, 1, 10, 10] : tensor<1x8x10x10xf32> into tensor<1x8x1x10x10xf32>
  %z = linalg.fill ins(%zero : f32) outs(%eg : tensor<1x8x1x10x10xf32>) -> tensor<1x8x1x10x10xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %wg : tensor<1x8x1x12x12xf32>, tensor<8x1x1x3x3xf32>) outs(%z : tensor<1x8x1x10x10xf32>) -> tensor<1x8x1x10x10xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x8x1x10x10xf32> into tensor<1x8x10x10xf32>
  %o = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %b : tensor<1x8x10x10xf32>, tensor<8xf32>) outs(%e : tensor<1x8x10x10xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<1x8x10x10xf32>
  return %o : tensor<1x8x10x10xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Tests a grouped convolution (4 groups of 4 input and 4 output channels,
// strided, with a dynamic batch) in the other forms the operands may take:
// a 5-D zero pad after the expansion of the input, a 5-D constant filter
// (collapsed to NCHW), and a zero fill of a 5-D empty tensor (made anew in
// NCHW, with the batch size). The result is read by a generic that adds a
// residual (the kernel accumulates into it) and does something else
// (kept); the NCHW empty tensor made for the fill is then not needed.
// CHECK-LABEL: func @grouped_5d_operands
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x16x9x9xf32>, %[[R:[^:]*]]: tensor<?x16x5x5xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[CST:.*]] = arith.constant dense<5.000000e-01> : tensor<4x4x4x1x1xf32>
// CHECK-NOT: tensor.empty
// CHECK: %[[WC:.*]] = tensor.collapse_shape %[[CST]] {{\[}}[0, 1], [2], [3], [4]] : tensor<4x4x4x1x1xf32> into tensor<16x4x1x1xf32>
// CHECK: %[[Y:.*]] = kernel.conv2d ins(%[[X]], %[[WC]] : tensor<?x16x9x9xf32>, tensor<16x4x1x1xf32>) outs(%[[R]] : tensor<?x16x5x5xf32>) strides = [2, 2] dilations = [1, 1] padding = [0, 1, 0, 1] groups = 4 {accumulate, channels_last} -> tensor<?x16x5x5xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<?x16x5x5xf32>)
// CHECK: arith.mulf
// CHECK-NOT: linalg.conv
func.func @grouped_5d_operands(%x: tensor<?x16x9x9xf32>, %res: tensor<?x16x5x5xf32>) -> tensor<?x16x5x5xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %w = arith.constant dense<0.5> : tensor<4x4x4x1x1xf32>
  %n = tensor.dim %x, %c0 : tensor<?x16x9x9xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [%n, 4, 4, 9, 9] : tensor<?x16x9x9xf32> into tensor<?x4x4x9x9xf32>
  %padded = tensor.pad %xg low[0, 0, 0, 0, 1] high[0, 0, 0, 0, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index, %m: index):
    tensor.yield %zero : f32
  } : tensor<?x4x4x9x9xf32> to tensor<?x4x4x9x11xf32>
  %eg = tensor.empty(%n) : tensor<?x4x4x5x5xf32>
  %z = linalg.fill ins(%zero : f32) outs(%eg : tensor<?x4x4x5x5xf32>) -> tensor<?x4x4x5x5xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%padded, %w : tensor<?x4x4x9x11xf32>, tensor<4x4x4x1x1xf32>) outs(%z : tensor<?x4x4x5x5xf32>) -> tensor<?x4x4x5x5xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<?x4x4x5x5xf32> into tensor<?x16x5x5xf32>
  %e = tensor.empty(%n) : tensor<?x16x5x5xf32>
  %o = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %res : tensor<?x16x5x5xf32>, tensor<?x16x5x5xf32>) outs(%e : tensor<?x16x5x5xf32>) {
  ^bb0(%in: f32, %rin: f32, %out: f32):
    %0 = arith.addf %in, %rin : f32
    %1 = arith.mulf %0, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<?x16x5x5xf32>
  return %o : tensor<?x16x5x5xf32>
}

// -----

// Tests that a grouped convolution whose result is used otherwise than by
// its collapse to NCHW, and one of f16 elements (no f32 kernel), are left
// to the loop lowering, and that nothing created to view the f16 one as
// NCHW is left behind.
// CHECK-LABEL: func @left_alone
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} -> tensor<1x2x2x4x4xf32>
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} -> tensor<1x2x2x4x4xf16>
// CHECK-NOT: kernel.conv2d
// CHECK-NOT: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]]
// CHECK-NOT: tensor.empty() : tensor<1x4x4x4xf16>
func.func @left_alone(%x: tensor<1x2x2x6x6xf32>, %w: tensor<2x2x2x3x3xf32>, %y: tensor<1x2x2x4x4xf32>,
                      %xh: tensor<1x2x2x6x6xf16>, %wh: tensor<2x2x2x3x3xf16>) -> (tensor<1x2x2x4x4xf32>, tensor<1x4x4x4xf16>) {
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x2x6x6xf32>, tensor<2x2x2x3x3xf32>) outs(%y : tensor<1x2x2x4x4xf32>) -> tensor<1x2x2x4x4xf32>
  %zero = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<1x2x2x4x4xf16>
  %z = linalg.fill ins(%zero : f16) outs(%e : tensor<1x2x2x4x4xf16>) -> tensor<1x2x2x4x4xf16>
  %h = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xh, %wh : tensor<1x2x2x6x6xf16>, tensor<2x2x2x3x3xf16>) outs(%z : tensor<1x2x2x4x4xf16>) -> tensor<1x2x2x4x4xf16>
  %r = tensor.collapse_shape %h [[0], [1, 2], [3], [4]] : tensor<1x2x2x4x4xf16> into tensor<1x4x4x4xf16>
  return %c, %r : tensor<1x2x2x4x4xf32>, tensor<1x4x4x4xf16>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that the activations oneDNN applies as post-ops are absorbed with
// the bias: a HardSwish on a result of dynamic batch whose size a
// tensor.dim reads before the generic (it then reads the kernel's
// destination). The CPU target leaves a SiLU (Sigmoid then Mul, fused into
// the bias generic) to the loop nests (`fusesSwish`): the kernel takes the
// bias, the generic keeps the SiLU. A generic that computes something else
// after the activation keeps that part.
// CHECK-LABEL: func @activations
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x8x10x10xf32>, %[[W:[^:]*]]: tensor<8x1x3x3xf32>, %[[B:[^:]*]]: tensor<8xf32>)
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x8x8x8xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[E]], %{{.*}} : tensor<?x8x8x8xf32>
// CHECK: %[[C:.*]] = kernel.conv2d ins(%[[X]], %[[W]] : {{.*}}) bias(%[[B]] : tensor<8xf32>) outs(%[[E]] : tensor<?x8x8x8xf32>) {{.*}} groups = 8 {channels_last} ->
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<?x8x8x8xf32>)
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.negf %[[V]] : f32
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.divf
// CHECK-NEXT: arith.mulf %[[V]]
// CHECK: %[[H:.*]] = kernel.conv2d ins(%[[S]], %[[W]] : {{.*}}) outs(%{{.*}} : tensor<?x8x6x6xf32>) {{.*}} groups = 8 {channels_last, hard_swish}
// CHECK: linalg.generic {{.*}} ins(%[[H]] : tensor<?x8x6x6xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[IN]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[SQ]]
func.func @activations(%x: tensor<?x8x10x10xf32>, %w: tensor<8x1x3x3xf32>, %b: tensor<8xf32>) -> (tensor<?x8x6x6xf32>, index) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %sixth = arith.constant 0.166666672 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8x10x10xf32>
  %wg = tensor.expand_shape %w [[0, 1], [2], [3], [4]] output_shape [8, 1, 1, 3, 3] : tensor<8x1x3x3xf32> into tensor<8x1x1x3x3xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [%n, 8, 1, 10, 10] : tensor<?x8x10x10xf32> into tensor<?x8x1x10x10xf32>
  %e = tensor.empty(%n) : tensor<?x8x8x8xf32>
  %eg = tensor.expand_shape %e [[0], [1, 2], [3], [4]] output_shape [%n, 8, 1, 8, 8] : tensor<?x8x8x8xf32> into tensor<?x8x1x8x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%eg : tensor<?x8x1x8x8xf32>) -> tensor<?x8x1x8x8xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %wg : tensor<?x8x1x10x10xf32>, tensor<8x1x1x3x3xf32>) outs(%z : tensor<?x8x1x8x8xf32>) -> tensor<?x8x1x8x8xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<?x8x1x8x8xf32> into tensor<?x8x8x8xf32>
  %rn = tensor.dim %r, %c0 : tensor<?x8x8x8xf32>
  %silu = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %b : tensor<?x8x8x8xf32>, tensor<8xf32>) outs(%e : tensor<?x8x8x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.negf %0 : f32
    %2 = math.exp %1 : f32
    %3 = arith.addf %2, %one : f32
    %4 = arith.divf %one, %3 : f32
    %5 = arith.mulf %0, %4 : f32
    linalg.yield %5 : f32
  } -> tensor<?x8x8x8xf32>
  %sg = tensor.expand_shape %silu [[0], [1, 2], [3], [4]] output_shape [%n, 8, 1, 8, 8] : tensor<?x8x8x8xf32> into tensor<?x8x1x8x8xf32>
  %e2 = tensor.empty(%n) : tensor<?x8x6x6xf32>
  %e2g = tensor.expand_shape %e2 [[0], [1, 2], [3], [4]] output_shape [%n, 8, 1, 6, 6] : tensor<?x8x6x6xf32> into tensor<?x8x1x6x6xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2g : tensor<?x8x1x6x6xf32>) -> tensor<?x8x1x6x6xf32>
  %c2 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%sg, %wg : tensor<?x8x1x8x8xf32>, tensor<8x1x1x3x3xf32>) outs(%z2 : tensor<?x8x1x6x6xf32>) -> tensor<?x8x1x6x6xf32>
  %r2 = tensor.collapse_shape %c2 [[0], [1, 2], [3], [4]] : tensor<?x8x1x6x6xf32> into tensor<?x8x6x6xf32>
  %o = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r2 : tensor<?x8x6x6xf32>) outs(%e2 : tensor<?x8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %sixth : f32
    %1 = arith.addf %0, %half : f32
    %2 = arith.minimumf %1, %one : f32
    %3 = arith.maximumf %2, %zero : f32
    %4 = arith.mulf %in, %3 : f32
    %5 = arith.mulf %4, %4 : f32
    linalg.yield %5 : f32
  } -> tensor<?x8x6x6xf32>
  return %o, %rn : tensor<?x8x6x6xf32>, index
}
