//===- Passes.td - Graph dialect passes --------------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_GRAPH_PASSES_TD
#define EXAFORGE_PASSES_GRAPH_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Folding
//===----------------------------------------------------------------------===//

def GraphFoldBatchNormIntoConv
    : Pass<"graph-fold-batch-norm-into-conv", "mlir::ModuleOp"> {
  let summary = "Fold inference BatchNormalization into the preceding Conv";
  let description = [{
    Rewrites `batch_normalization(conv(x, w, b), scale, bias, mean, var)`
    into one `conv(x, w', b')` with, per output channel `m`,
    `s[m] = scale[m] / sqrt(var[m] + epsilon)`, `w'[m] = w[m] * s[m]` and
    `b'[m] = (b[m] - mean[m]) * s[m] + bias[m]` (`b` is zero when the Conv
    has no bias), computed in double precision and rounded to f32 once. It
    applies only when the Conv's result has no other user and the weight,
    the Conv bias and the four BatchNormalization operands are f32
    `graph.constant`s (dense or dense resources). The folded weight becomes a
    dense resource named after the original one with a `.bn_folded` suffix,
    the folded bias a dense constant.

    Before:
    ```mlir
    %0 = graph.conv %x, %w {pads = array<i64: 1, 1, 1, 1>, ...}
        : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x8x8xf32>
    %1 = graph.batch_normalization %0, %scale, %bias, %mean, %var
        : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>,
           tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
    ```
    After:
    ```mlir
    %w2 = graph.constant dense_resource<w.bn_folded> : tensor<16x3x3x3xf32>
    %b2 = graph.constant dense<[...]> : tensor<16xf32>
    %1 = graph.conv %x, %w2, %b2 {pads = array<i64: 1, 1, 1, 1>, ...}
        : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
        -> tensor<1x16x8x8xf32>
    ```
  }];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

def GraphFuseQuantizedProducts
    : Pass<"graph-fuse-quantized-products", "mlir::ModuleOp"> {
  let summary = "Run MatMul and Conv of dequantized 8-bit tensors on integers";
  let description = [{
    In a QDQ model every MatMul and Conv reads `graph.dequantize_linear`
    results. This pass rewrites such a product into the integer product of
    the quantized tensors (`graph.mat_mul_integer`, `graph.conv_integer`,
    accumulated in `i32`) scaled once in float, so no float copy of a
    quantized operand is made:

    ```
    MatMul(DQ(a, sa, za), DQ(b, sb, zb)) = f32(MatMulInteger(a, b, za, zb)) * (sa * sb)
    Conv(DQ(x, sx, zx), DQ(w, sw, zw), bias)
        = f32(ConvInteger(x, w, zx, zw)) * (sx * sw) + bias
    ```

    It applies to 8-bit operands quantized per tensor, except that a MatMul's
    2-D right operand may be quantized per column (axis 1) and a Conv's
    weight per output channel (axis 0), and leaves other products alone.

    Before:
    ```mlir
    %a = graph.dequantize_linear %qa, %sa, %za
        : (tensor<4x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x8xf32>
    %b = graph.dequantize_linear %qb, %sb, %zb
        : (tensor<8x2xi8>, tensor<f32>, tensor<i8>) -> tensor<8x2xf32>
    %0 = graph.mat_mul %a, %b
        : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
    ```
    After:
    ```mlir
    %p = graph.mat_mul_integer %qa, %qb a_zero_point %za b_zero_point %zb
        : (tensor<4x8xui8>, tensor<8x2xi8>, tensor<ui8>, tensor<i8>) -> tensor<4x2xi32>
    %f = graph.cast %p {to = f32} : (tensor<4x2xi32>) -> tensor<4x2xf32>
    %s = graph.mul %sa, %sb : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %0 = graph.mul %f, %s : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
    ```
  }];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

//===----------------------------------------------------------------------===//
// Shape inference
//===----------------------------------------------------------------------===//

def GraphInferShapes : Pass<"graph-infer-shapes", "mlir::ModuleOp"> {
  let summary = "Refine graph op result types from their inferred types";
  let description = [{
    Re-runs the type inference of every graph op in program order and
    replaces dynamic result dimensions that inference can now determine, for
    instance after canonicalization folded a run-time shape computation into
    a constant. Results used by ops of other dialects are left untouched.
    The result types of a function follow its returned values unless the
    function is called within the module: then returned values keep their
    types, so call sites stay valid.

    Before:
    ```mlir
    %s = graph.constant dense<[4, 2]> : tensor<2xi64>
    %0 = graph.reshape %x, %s : (tensor<8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
    ```
    After:
    ```mlir
    %0 = graph.reshape %x, %s : (tensor<8xf32>, tensor<2xi64>) -> tensor<4x2xf32>
    ```
  }];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

def GraphCheckTensorSizes
    : Pass<"graph-check-tensor-sizes", "mlir::ModuleOp"> {
  let summary = "Refuse ops whose static result is larger than a limit";
  let description = [{
    Checks every op result of static shape (in one rank's program, after
    distribution) against `max-bytes`, and fails naming the op, so that an
    attribute making a result absurdly large (Conv pads of 2^40, a Resize by
    10^9) is a compile-time error rather than a run that cannot allocate
    it. A result whose byte count overflows 64 bits is refused whatever the
    limit. `max-bytes` 0 stands for this machine's physical memory.

    ```mlir
    // error: its result #0 (tensor<1x1x2199023255555x3xf32>) has
    // 26388279066660 bytes, above the limit of 1000000 bytes for one tensor
    // (--max-tensor-bytes)
    %0 = graph.conv %x, %w {pads = array<i64: 1099511627776, 0, 1099511627776, 0>, ...}
    ```
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"0",
           "The largest result accepted, in bytes (0: this machine's "
           "physical memory)">,
  ];
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def GraphOutlineWeights : Pass<"graph-outline-weights", "mlir::ModuleOp"> {
  let summary = "Turn the weights of public functions into weight symbols";
  let description = [{
    Compiled code does not embed weights: the runtime maps them from the
    artifact's weight file and passes them as arguments. This pass replaces
    every `graph.constant` of a public function whose value is a
    `dense_resource` attribute, or has more than `max-inline-elements`
    elements, by a `graph.weight_ref` of a new `graph.weight` symbol at the
    end of the module. The weight is named after the resource key, or
    `const_<N>`, and holds the attribute itself (no data is copied), from
    which the artifact writer lays out the weight file. Equal constants share
    one weight. Small constants stay in the code.

    Before:
    ```mlir
    func.func @main(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
      %w = graph.constant dense_resource<fc.weight> : tensor<8x16xf32>
      %0 = graph.mat_mul %x, %w : ...
    ```
    After:
    ```mlir
    func.func @main(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
      %w = graph.weight_ref @fc.weight : tensor<8x16xf32>
      %0 = graph.mat_mul %x, %w : ...
    }
    graph.weight @fc.weight : tensor<8x16xf32> = dense_resource<fc.weight> : tensor<8x16xf32>
    ```
  }];
  let options = [
    Option<"maxInlineElements", "max-inline-elements", "int64_t", "64",
           "Dense constants with more elements than this become weights">,
    Option<"maxInlineFloatElements", "max-inline-float-elements", "int64_t",
           "-1",
           "The same limit for floating-point constants (-1: "
           "max-inline-elements). The CUDA target sets 0: a float constant "
           "in the code is host memory, which GPU kernels cannot read, "
           "while integer constants of shape data stay, for the lowerings "
           "that need their values">,
  ];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

#endif // EXAFORGE_PASSES_GRAPH_PASSES_TD
