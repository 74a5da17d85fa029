//===- KernelOps.td - Exaforge kernel dialect operations ---*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The kernel ops: one per kind of library call. See KernelDialect.td.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_KERNEL_KERNELOPS_TD
#define EXAFORGE_DIALECTS_KERNEL_KERNELOPS_TD

include "dialects/Kernel/KernelDialect.td"
include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// An operand: a ranked tensor before bufferization, a buffer after.
def Kernel_Shaped : AnyTypeOf<[AnyRankedTensor, AnyMemRef]>;

/// A kernel op: destination-style with one destination (`$init`), whose
/// result on tensors is the updated destination, bufferizable, and with the
/// memory effects of its operands on buffers (KernelOps.cpp).
class Kernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kernel_Dialect, mnemonic, !listconcat(traits, [
        DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DeclareOpInterfaceMethods<BufferizableOpInterface, [
          "bufferizesToMemoryRead", "bufferizesToMemoryWrite",
          "getAliasingValues", "bufferize"]>])> {
  let results = (outs Optional<AnyRankedTensor>:$result);
  let hasVerifier = 1;
  code kernelClassDeclaration = [{
    /// The destination (DestinationStyleOpInterface).
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// Whether the kernel reads its destination's values (it adds its
    /// result to them); else it overwrites them.
    bool readsDestination();
  }];
  let extraClassDeclaration = kernelClassDeclaration;
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

def Kernel_MatmulOp : Kernel_Op<"matmul"> {
  let summary = "Matrix product, batched or not, with a bias and ReLU "
                "epilogue: init (+)= lhs * rhs";
  let description = [{
    Computes `init[M, N] = lhs[M, K] * rhs[K, N]` (rank 2) or
    `init[b, M, N] = lhs[b, M, K] * rhs[b, K, N]` (rank 3, a batch of
    products). `transpose_lhs` and `transpose_rhs` (rank 2 only) say that the
    operand is stored transposed (`lhs[K, M]`, `rhs[N, K]`, as for Gemm's
    `transA`/`transB`). With `accumulate`, the product is added to the
    destination's values (linalg's semantics); else it overwrites them.
    `constant_weights` says that `rhs` is a model weight, constant while the
    model is loaded, which the library may pre-pack once into its preferred
    layout.

    An epilogue may follow the product, in this order: the `bias`
    (optional, one value per column `N`, added to every row: a Gemm's or a
    Linear layer's bias), the destination's values when `accumulate`, and
    `relu` (max(., 0) as ONNX's Relu computes it: NaN stays NaN). The
    whole is

    ```
    init[b?, m, n] = relu?(sum_k lhs[b?, m, k] * rhs[b?, k, n] + bias?[n]
                           + (init[b?, m, n] if accumulate))
    ```

    ```mlir
    %c = kernel.matmul ins(%a, %w : tensor<4x8xf32>, tensor<16x8xf32>)
        outs(%init : tensor<4x16xf32>) {transpose_rhs, constant_weights}
        -> tensor<4x16xf32>
    %d = kernel.matmul ins(%a, %v : tensor<4x8xf32>, tensor<8x16xf32>)
        bias(%b : tensor<16xf32>) outs(%init : tensor<4x16xf32>) {relu}
        -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins Kernel_Shaped:$lhs, Kernel_Shaped:$rhs,
                   Optional<Kernel_Shaped>:$bias, Kernel_Shaped:$init,
                   UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs,
                   UnitAttr:$accumulate, UnitAttr:$constant_weights,
                   UnitAttr:$relu);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

def Kernel_Conv2DOp : Kernel_Op<"conv2d"> {
  let summary = "2-D NCHW convolution, grouped or not, with padding and an "
                "elementwise epilogue";
  let description = [{
    Computes, for an input `X[n, C, h, w]`, a filter `W[F, C / G, kh, kw]`
    and a destination `Y[n, F, oh, ow]`, with `G = groups` (1 by default,
    elided then) dividing `C` and `F`:

    ```
    Y[n, f, oh, ow] = act(bias?[f] + (Y[n, f, oh, ow] if accumulate) +
        sum_{c < C / G, kh, kw}
            P[n, g * C / G + c, oh * sh + kh * dh, ow * sw + kw * dw]
            * W[f, c, kh, kw])
    ```

    where `g = f floordiv (F / G)` is the group of output channel `f`, `P`
    is `X` with `padding = [top, left, bottom, right]` rows and columns of
    zeros around it, `strides = [sh, sw]` and `dilations = [dh, dw]`. A
    depthwise convolution is the case `G = C` (`W[F, 1, kh, kw]`); the
    filter keeps ONNX's layout for every `G` (`linalg.conv_2d_ngchw_gfchw`
    reads it with the group split off, `W[G, F / G, C / G, kh, kw]`). The
    epilogue is applied in this order: the
    per-channel `bias` (optional, one value per output channel), the
    destination's values when `accumulate` (a residual added into the
    destination), and the activation `act`, at most one of: `relu`
    (max(., 0)), `swish` (x * sigmoid(x), ONNX's Sigmoid and Mul of a SiLU)
    and `hard_swish` (x * max(0, min(1, x / 6 + 1 / 2)), ONNX's HardSwish);
    the identity without one. Rows and columns of `P` that no
    window reaches are ignored. `constant_weights` says that the filter is a
    model weight, constant while the model is loaded, which the library may
    pre-pack once.
    `channels_last` says that the target's library prefers the input and
    the destination in channels-last (NHWC) memory order; the buffers
    passed may then be given that layout (`use-channels-last-kernel-buffers`).
    The op's semantics and types are the same either way.

    ```mlir
    %y = kernel.conv2d ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>)
        bias(%b : tensor<4xf32>) outs(%residual : tensor<1x4x8x8xf32>)
        strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1]
        {accumulate, relu} -> tensor<1x4x8x8xf32>
    %d = kernel.conv2d ins(%x, %dw : tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>)
        outs(%init : tensor<1x3x8x8xf32>) strides = [1, 1]
        dilations = [1, 1] padding = [1, 1, 1, 1] groups = 3
        -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins Kernel_Shaped:$input, Kernel_Shaped:$filter,
                   Optional<Kernel_Shaped>:$bias, Kernel_Shaped:$init,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$padding,
                   DefaultValuedAttr<I64Attr, "1">:$groups, UnitAttr:$relu,
                   UnitAttr:$accumulate, UnitAttr:$constant_weights,
                   UnitAttr:$channels_last, UnitAttr:$swish,
                   UnitAttr:$hard_swish);
  let assemblyFormat = [{
    `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `outs` `(` $init `:` type($init) `)`
    `strides` `=` $strides `dilations` `=` $dilations `padding` `=` $padding
    (`groups` `=` $groups^)? attr-dict (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// MaxPool2DOp
//===----------------------------------------------------------------------===//

def Kernel_MaxPool2DOp : Kernel_Op<"max_pool2d"> {
  let summary = "2-D NCHW max pooling with padding";
  let description = [{
    Computes, for an input `X[n, c, h, w]` and a destination
    `Y[n, c, oh, ow]`, the maximum of `P[n, c, oh * sh + kh * dh,
    ow * sw + kw * dw]` over a `window = [KH, KW]` window, where `P` is `X`
    with `padding = [top, left, bottom, right]` rows and columns of
    -infinity around it, `strides = [sh, sw]` and `dilations = [dh, dw]`.
    The destination's values are not read. Rows and columns of `P` that no
    window reaches are ignored.
    `channels_last` says that the target's library prefers the input and
    the destination in channels-last (NHWC) memory order, as for
    `kernel.conv2d`.

    ```mlir
    %y = kernel.max_pool2d ins(%x : tensor<1x4x8x8xf32>)
        outs(%init : tensor<1x4x4x4xf32>) window = [3, 3] strides = [2, 2]
        dilations = [1, 1] padding = [1, 1, 0, 0] -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins Kernel_Shaped:$input, Kernel_Shaped:$init,
                   DenseI64ArrayAttr:$window, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$padding,
                   UnitAttr:$channels_last);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $init `:` type($init) `)`
    `window` `=` $window `strides` `=` $strides `dilations` `=` $dilations
    `padding` `=` $padding attr-dict (`->` type($result)^)?
  }];
}

#endif // EXAFORGE_DIALECTS_KERNEL_KERNELOPS_TD
