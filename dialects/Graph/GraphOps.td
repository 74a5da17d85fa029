//===- GraphOps.td - Exaforge graph dialect operations -----*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// One op per supported ONNX operator, grouped as elementwise, linear algebra,
// normalization, convolution and pooling, reductions, data movement, and
// constants. Result types are inferred in GraphOps.cpp; folds live in
// GraphFolds.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_TD

include "dialects/Graph/GraphDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Op classes
//===----------------------------------------------------------------------===//

/// An elementwise op whose result has its operand's type. The result type is
/// printed too: `graph-infer-shapes` may refine the operand of an op whose
/// result it must leave alone.
class Graph_UnaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure])> {
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location>,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

/// A binary op with ONNX multidirectional (numpy) broadcasting. `resultKind`
/// names a `BinaryResultKind` enumerator: both operands share the result's
/// element type (`SameElementType`), the result is `i1` (`Comparison`), or
/// the result has the left operand's element type (`LhsElementType`).
class Graph_BroadcastBinaryOp<string mnemonic, Type lhsType, Type rhsType,
                              Type resultType,
                              string resultKind = "SameElementType",
                              list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure])> {
  let arguments = (ins lhsType:$lhs, rhsType:$rhs);
  let results = (outs resultType:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::exaforge::graph::inferBroadcastBinaryResult(
          loc, adaptor.getLhs(), adaptor.getRhs(),
          ::exaforge::graph::BinaryResultKind::}] # resultKind # [{, types);
    }
  }];
}

/// A reduction over `axes` (all axes when absent, unless
/// `noop_with_empty_axes` is set).
class Graph_ReduceOp<string mnemonic, string onnxName>
    : Graph_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName # " (opset 18 form: axes as an operand)";
  let description = [{
    Reduces `data` over `axes` (negative axes count from the back). Without
    `axes` (or with an `axes` operand of static length 0) every dimension is
    reduced, unless `noop_with_empty_axes` is set, in which case the op is
    the identity. An empty-set reduction yields the identity of the
    combiner (0 for sums, 1 for products, -inf/+inf or the integer extremes
    for max/min). `keepdims` keeps reduced dimensions
    with size 1.

    ```mlir
    %axes = graph.constant dense<[1]> : tensor<1xi64>
    %0 = graph.}] # mnemonic # [{ %x, %axes {keepdims = false}
        : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Optional<Graph_I64Vector>:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$noop_with_empty_axes);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data (`,` $axes^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::exaforge::graph::inferReduceResult(
          loc, adaptor.getData(), adaptor.getAxes(), adaptor.getKeepdims(),
          adaptor.getNoopWithEmptyAxes(), types);
    }
  }];
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Graph_ConstantOp : Graph_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a constant tensor (ONNX Constant and initializers)";
  let description = [{
    Produces the tensor held by `value`. Model weights are
    `dense_resource` attributes whose bytes are stored once, outside the IR;
    small constants (shapes, axes, scalars) are `dense` attributes that folds
    can read.

    ```mlir
    %shape = graph.constant dense<[2, -1]> : tensor<2xi64>
    %w = graph.constant dense_resource<fc1.weight> : tensor<784x128xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

def Graph_AddOp : Graph_BroadcastBinaryOp<"add", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor, "SameElementType",
                                          [Commutative]> {
  let summary = "ONNX Add: elementwise sum with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.add %x, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_SubOp : Graph_BroadcastBinaryOp<"sub", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor> {
  let summary = "ONNX Sub: elementwise difference with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.sub %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_MulOp : Graph_BroadcastBinaryOp<"mul", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor, "SameElementType",
                                          [Commutative]> {
  let summary = "ONNX Mul: elementwise product with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.mul %x, %scale : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_DivOp : Graph_BroadcastBinaryOp<"div", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor> {
  let summary = "ONNX Div: elementwise quotient with broadcasting";
  let description = [{
    Integer division truncates toward zero, as in ONNX.

    ```mlir
    %0 = graph.div %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_PowOp : Graph_BroadcastBinaryOp<"pow", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor, "LhsElementType"> {
  let summary = "ONNX Pow: elementwise power with broadcasting";
  let description = [{
    The exponent may have another element type than the base; the result has
    the base's element type.

    ```mlir
    %0 = graph.pow %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_EqualOp : Graph_BroadcastBinaryOp<"equal", Graph_Tensor, Graph_Tensor,
                                            Graph_BoolTensor, "Comparison",
                                            [Commutative]> {
  let summary = "ONNX Equal: elementwise comparison with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.equal %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
    ```
  }];
}

def Graph_SqrtOp : Graph_UnaryOp<"sqrt", Graph_FloatTensor> {
  let summary = "ONNX Sqrt: elementwise square root";
  let description = [{
    ```mlir
    %0 = graph.sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ErfOp : Graph_UnaryOp<"erf", Graph_FloatTensor> {
  let summary = "ONNX Erf: elementwise error function";
  let description = [{
    ```mlir
    %0 = graph.erf %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ReluOp : Graph_UnaryOp<"relu", Graph_Tensor> {
  let summary = "ONNX Relu: elementwise max(x, 0)";
  let description = [{
    ```mlir
    %0 = graph.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_SigmoidOp : Graph_UnaryOp<"sigmoid", Graph_FloatTensor> {
  let summary = "ONNX Sigmoid: elementwise 1 / (1 + exp(-x))";
  let description = [{
    ```mlir
    %0 = graph.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_TanhOp : Graph_UnaryOp<"tanh", Graph_FloatTensor> {
  let summary = "ONNX Tanh: elementwise hyperbolic tangent";
  let description = [{
    ```mlir
    %0 = graph.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_GeluOp : Graph_Op<"gelu", [Pure]> {
  let summary = "ONNX Gelu (opset 20): Gaussian error linear unit";
  let description = [{
    `approximate` is `"none"` (the exact erf form) or `"tanh"`.

    ```mlir
    %0 = graph.gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                   DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let results = (outs Graph_FloatTensor:$output);
  // Result types are spelled out: the generated parser infers omitted ones
  // before attributes reach the op's properties.
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_IdentityOp : Graph_UnaryOp<"identity", Graph_Tensor> {
  let summary = "ONNX Identity: returns its operand";
  let description = [{
    ```mlir
    %0 = graph.identity %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_CastOp : Graph_Op<"cast", [Pure]> {
  let summary = "ONNX Cast: converts elements to the type `to`";
  let description = [{
    Float to integer conversion truncates toward zero; conversion to `i1`
    yields `x != 0`.

    ```mlir
    %0 = graph.cast %x {to = i64} : (tensor<4xf32>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, TypeAttr:$to);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_WhereOp : Graph_Op<"where", [Pure]> {
  let summary = "ONNX Where: elementwise select with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.where %mask, %x, %y
        : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Graph_BoolTensor:$condition, Graph_Tensor:$lhs,
                   Graph_Tensor:$rhs);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Graph_MatMulOp : Graph_Op<"mat_mul", [Pure]> {
  let summary = "ONNX MatMul: numpy-style (batched) matrix product";
  let description = [{
    1-D operands are promoted to matrices and the promoted dimension removed
    from the result; leading (batch) dimensions broadcast.

    ```mlir
    %0 = graph.mat_mul %a, %b
        : (tensor<8x128x64xf32>, tensor<64x32xf32>) -> tensor<8x128x32xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Graph_GemmOp : Graph_Op<"gemm", [Pure]> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let description = [{
    `A` and `B` are matrices, transposed first when `trans_a`/`trans_b` is
    set; the optional `C` broadcasts to the `M x N` result.

    ```mlir
    %0 = graph.gemm %x, %w, %b {trans_b = true}
        : (tensor<4x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<4x128xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$a, Graph_Tensor:$b,
                   Optional<Graph_Tensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Graph_SoftmaxOp : Graph_Op<"softmax", [Pure]> {
  let summary = "ONNX Softmax (opset 13): normalized exponential along `axis`";
  let description = [{
    ```mlir
    %0 = graph.softmax %x {axis = -1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_LayerNormalizationOp : Graph_Op<"layer_normalization", [Pure]> {
  let summary = "ONNX LayerNormalization (opset 17), inference form";
  let description = [{
    Normalizes over the dimensions from `axis` to the last, then applies
    `scale` and the optional `bias`, which broadcast to those dimensions.
    Only the `Y` output is produced (the training outputs are rejected by the
    importer).

    ```mlir
    %0 = graph.layer_normalization %x, %gamma, %beta {epsilon = 1.0e-05 : f32}
        : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                   Optional<Graph_FloatTensor>:$bias,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1.0e-05">:$epsilon);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_BatchNormalizationOp : Graph_Op<"batch_normalization", [Pure]> {
  let summary = "ONNX BatchNormalization, inference form";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * scale + bias` per channel (dimension
    1). Training mode is rejected by the importer.

    ```mlir
    %0 = graph.batch_normalization %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32}
        : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
           tensor<8xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                   Graph_FloatTensor:$bias, Graph_FloatTensor:$mean,
                   Graph_FloatTensor:$variance,
                   DefaultValuedAttr<F32Attr, "1.0e-05">:$epsilon);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

def Graph_ConvOp : Graph_Op<"conv", [Pure]> {
  let summary = "ONNX Conv: N-d grouped convolution (NCHW layout)";
  let description = [{
    `input` is `N x C x D1 x ... x Dn`, `weight` is `M x C/group x k1 x ... x
    kn`, the optional `bias` has `M` elements. `pads` lists the begin pads of
    every spatial dimension, then the end pads; `auto_pad` is resolved by the
    importer.

    ```mlir
    %0 = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>,
                                strides = array<i64: 1, 1>,
                                dilations = array<i64: 1, 1>}
        : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
        -> tensor<1x16x32x32xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$weight,
                   Optional<Graph_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

/// Shared definition of MaxPool and AveragePool over `tensorType` values.
class Graph_PoolOp<string mnemonic, string onnxName, Type tensorType,
                   dag extraArgs>
    : Graph_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName # ": sliding-window pooling (NCHW layout)";
  let arguments = !con((ins tensorType:$input,
                        DenseI64ArrayAttr:$kernel_shape,
                        DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                        DefaultValuedAttr<BoolAttr, "false">:$ceil_mode),
                       extraArgs);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_MaxPoolOp : Graph_PoolOp<"max_pool", "MaxPool",
                                   RankedTensorOf<[AnyFloat, I8, UI8]>,
                                   (ins DenseI64ArrayAttr:$dilations)> {
  let description = [{
    Maximum over each window of float or 8-bit integer elements; padded
    positions never win. Only the `Y` output is produced.

    ```mlir
    %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>,
                            strides = array<i64: 2, 2>,
                            pads = array<i64: 0, 0, 0, 0>,
                            dilations = array<i64: 1, 1>}
        : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
}

def Graph_AveragePoolOp : Graph_PoolOp<"average_pool", "AveragePool",
    Graph_FloatTensor, (ins DefaultValuedAttr<BoolAttr, "false">:$count_include_pad)> {
  let description = [{
    Mean over each window; padded positions count only when
    `count_include_pad` is set.

    ```mlir
    %0 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>,
                                strides = array<i64: 2, 2>,
                                pads = array<i64: 0, 0, 0, 0>}
        : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
}

def Graph_GlobalAveragePoolOp : Graph_Op<"global_average_pool", [Pure]> {
  let summary = "ONNX GlobalAveragePool: mean over all spatial dimensions";
  let description = [{
    ```mlir
    %0 = graph.global_average_pool %x
        : (tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Graph_ReduceSumOp : Graph_ReduceOp<"reduce_sum", "ReduceSum">;
def Graph_ReduceMeanOp : Graph_ReduceOp<"reduce_mean", "ReduceMean">;
def Graph_ReduceMaxOp : Graph_ReduceOp<"reduce_max", "ReduceMax">;
def Graph_ReduceMinOp : Graph_ReduceOp<"reduce_min", "ReduceMin">;
def Graph_ReduceProdOp : Graph_ReduceOp<"reduce_prod", "ReduceProd">;
def Graph_ReduceL1Op : Graph_ReduceOp<"reduce_l1", "ReduceL1">;
def Graph_ReduceL2Op : Graph_ReduceOp<"reduce_l2", "ReduceL2">;
def Graph_ReduceLogSumOp : Graph_ReduceOp<"reduce_log_sum", "ReduceLogSum">;
def Graph_ReduceLogSumExpOp
    : Graph_ReduceOp<"reduce_log_sum_exp", "ReduceLogSumExp">;
def Graph_ReduceSumSquareOp
    : Graph_ReduceOp<"reduce_sum_square", "ReduceSumSquare">;

/// ArgMax/ArgMin: the index of the extreme element along `axis`.
class Graph_ArgReduceOp<string mnemonic, string onnxName, string extreme>
    : Graph_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName # " (opset 13): index of the " # extreme #
                " along `axis`";
  let description = [{
    Returns the `i64` index of the }] # extreme # [{ element of `data` along
    `axis` (negative counts from the back): the first one, or the last one
    when `select_last_index` is set. `keepdims` keeps the reduced dimension
    with size 1.

    ```mlir
    %0 = graph.}] # mnemonic # [{ %x {axis = 1 : i64, keepdims = false}
        : (tensor<2x3xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::exaforge::graph::inferArgReduceResult(
          loc, adaptor.getData(), adaptor.getAxis(), adaptor.getKeepdims(),
          types);
    }
  }];
}

def Graph_ArgMaxOp : Graph_ArgReduceOp<"arg_max", "ArgMax", "largest">;
def Graph_ArgMinOp : Graph_ArgReduceOp<"arg_min", "ArgMin", "smallest">;

/// An op normalizing its float operand along `axis`, with the operand's type
/// as result (LogSoftmax, Hardmax; Softmax is in the normalization section).
class Graph_AlongAxisOp<string mnemonic, string onnxName, string what>
    : Graph_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName # " (opset 13): " # what # " along `axis`";
  let description = [{
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x {axis = -1 : i64}
        : (tensor<2x8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      auto type = ::llvm::cast<::mlir::RankedTensorType>(
          adaptor.getInput().getType());
      if (::mlir::failed(::exaforge::graph::normalizeAxis(
              loc, adaptor.getAxis(), type.getRank())))
        return ::mlir::failure();
      types.push_back(type);
      return ::mlir::success();
    }
  }];
}

def Graph_LogSoftmaxOp : Graph_AlongAxisOp<"log_softmax", "LogSoftmax",
    "logarithm of the normalized exponential">;
def Graph_HardmaxOp : Graph_AlongAxisOp<"hardmax", "Hardmax",
    "one-hot of the first maximum">;

def Graph_NegativeLogLikelihoodLossOp
    : Graph_Op<"negative_log_likelihood_loss", [Pure]> {
  let summary = "ONNX NegativeLogLikelihoodLoss (opset 13)";
  let description = [{
    `input` is `N x C x d1 x ... x dk` (log-probabilities), `target` is
    `N x d1 x ... x dk` (class indices in `[0, C)`), the optional `weight`
    is `C`. The loss of an element is `-input[n, c, d...] * weight[c]` with
    `c = target[n, d...]`, and 0 when `c` is `ignore_index`. `reduction` is
    `"none"` (the losses, shaped like `target`), `"sum"` or `"mean"` (the
    sum divided by the sum of the weights of the elements not ignored), both
    scalars.

    ```mlir
    %0 = graph.negative_log_likelihood_loss %x, %t, %w {reduction = "sum"}
        : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_IndexTensor:$target,
                   Optional<Graph_FloatTensor>:$weight,
                   DefaultValuedStrAttr<StrAttr, "mean">:$reduction,
                   OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $target (`,` $weight^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_CumSumOp : Graph_Op<"cum_sum", [Pure]> {
  let summary = "ONNX CumSum (opset 14): cumulative sum along an axis";
  let description = [{
    Sums `input` along the axis held by the scalar (or one-element) `axis`
    operand (negative counts from the back). `exclusive` leaves the current
    element out of its sum; `reverse` sums from the back.

    ```mlir
    %axis = graph.constant dense<0> : tensor<i64>
    %0 = graph.cum_sum %x, %axis {reverse = true}
        : (tensor<5xf32>, tensor<i64>) -> tensor<5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_IndexTensor:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $axis attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Graph_ShapeOp : Graph_Op<"shape", [Pure]> {
  let summary = "ONNX Shape (opset 15): the dimensions of a tensor";
  let description = [{
    Returns dimensions `start` to `end` (exclusive; negative values count
    from the back, out-of-range values are clamped) as a 1-D `i64` tensor.

    ```mlir
    %0 = graph.shape %x : (tensor<?x128xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   DefaultValuedAttr<I64Attr, "0">:$start,
                   OptionalAttr<I64Attr>:$end);
  let results = (outs Graph_I64Vector:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_ReshapeOp : Graph_Op<"reshape", [Pure]> {
  let summary = "ONNX Reshape (opset 14)";
  let description = [{
    `shape` gives the new dimensions: `-1` (at most once) is inferred from the
    element count, and `0` copies the input dimension unless `allowzero` is
    set.

    ```mlir
    %s = graph.constant dense<[0, -1]> : tensor<2xi64>
    %0 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Vector:$shape,
                   DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Graph_TransposeOp : Graph_Op<"transpose", [Pure]> {
  let summary = "ONNX Transpose: permutes dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %0 = graph.transpose %x {perm = array<i64: 1, 0>}
        : (tensor<2x3xf32>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Graph_FlattenOp : Graph_Op<"flatten", [Pure]> {
  let summary = "ONNX Flatten: reshapes to a matrix split at `axis`";
  let description = [{
    ```mlir
    %0 = graph.flatten %x {axis = 1 : i64}
        : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_ConcatOp : Graph_Op<"concat", [Pure]> {
  let summary = "ONNX Concat: joins tensors along `axis`";
  let description = [{
    ```mlir
    %0 = graph.concat %a, %b {axis = 0 : i64}
        : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_SplitOp : Graph_Op<"split", [Pure]> {
  let summary = "ONNX Split (opset 18): cuts a tensor along `axis`";
  let description = [{
    `split` gives the size of each of the `num_outputs` pieces. Without it
    the dimension is cut in `num_outputs` pieces of size
    `ceil(dim / num_outputs)` except a smaller last one.

    ```mlir
    %0:2 = graph.split %x {axis = 1 : i64, num_outputs = 2 : i64}
        : (tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Optional<Graph_I64Vector>:$split,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   ConfinedAttr<I64Attr, [IntPositive]>:$num_outputs);
  let results = (outs Variadic<Graph_Tensor>:$outputs);
  let assemblyFormat = [{
    $input (`,` $split^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_SliceOp : Graph_Op<"slice", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Slice (opset 13): strided sub-tensor";
  let description = [{
    For each `axes[i]` (all axes in order when absent) keeps the elements
    from `starts[i]` to `ends[i]` (exclusive) with step `steps[i]` (1 when
    absent). Bounds follow numpy: negative values count from the back and are
    clamped.

    ```mlir
    %0 = graph.slice %x, %starts, %ends axes %axes
        : (tensor<8x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>)
        -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexVector:$starts,
                   Graph_IndexVector:$ends, Optional<Graph_IndexVector>:$axes,
                   Optional<Graph_IndexVector>:$steps);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $starts `,` $ends (`axes` $axes^)? (`steps` $steps^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Graph_GatherOp : Graph_Op<"gather", [Pure]> {
  let summary = "ONNX Gather: takes entries of `axis` at `indices`";
  let description = [{
    The result has shape `data[:axis] + indices + data[axis+1:]`; negative
    indices count from the back.

    ```mlir
    %0 = graph.gather %table, %ids {axis = 0 : i64}
        : (tensor<1000x64xf32>, tensor<2x16xi64>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_SqueezeOp : Graph_Op<"squeeze", [Pure]> {
  let summary = "ONNX Squeeze (opset 13): removes dimensions of size 1";
  let description = [{
    Removes the dimensions listed in `axes`, or every static dimension of
    size 1 when `axes` is absent.

    ```mlir
    %0 = graph.squeeze %x, %axes : (tensor<1x4xf32>, tensor<1xi64>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Optional<Graph_I64Vector>:$axes);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data (`,` $axes^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Graph_UnsqueezeOp : Graph_Op<"unsqueeze", [Pure]> {
  let summary = "ONNX Unsqueeze (opset 13): inserts dimensions of size 1";
  let description = [{
    `axes` index the result's dimensions.

    ```mlir
    %0 = graph.unsqueeze %x, %axes : (tensor<4xf32>, tensor<1xi64>) -> tensor<1x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Vector:$axes);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $axes attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_ExpandOp : Graph_Op<"expand", [Pure]> {
  let summary = "ONNX Expand: broadcasts a tensor to `shape`";
  let description = [{
    The result shape is the broadcast of the input shape with `shape`.

    ```mlir
    %0 = graph.expand %x, %s : (tensor<1x4xf32>, tensor<2xi64>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_I64Vector:$shape);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_TD
