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
include "dialects/Graph/OpCostOpInterface.td"
include "dialects/Graph/ShardingRuleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// An op with its own cost (GraphOpCost.cpp); other graph ops cost one
/// operation per result element (the dialect's fallback).
defvar Graph_OpCost = DeclareOpInterfaceMethods<Graph_OpCostOpInterface>;
/// An op with its own sharding rule (GraphShardingRules.cpp).
defvar Graph_ShardingRule =
    DeclareOpInterfaceMethods<Graph_ShardingRuleOpInterface, ["decideSharding"]>;

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

/// A `Graph_UnaryOp` documented from its ONNX name and scalar formula;
/// `exampleType` is the tensor type of its example.
class Graph_DocUnaryOp<string mnemonic, string onnxName, string formula,
                       Type tensorType = Graph_FloatTensor,
                       string exampleType = "tensor<4xf32>",
                       list<Trait> traits = []>
    : Graph_UnaryOp<mnemonic, tensorType, traits> {
  let summary = "ONNX " # onnxName # ": elementwise " # formula;
  let description = [{
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x : (}] # exampleType # [{) -> }]
        # exampleType # [{
    ```
  }];
}

/// A float elementwise op whose scalar function has the float attributes
/// `attrs` (ONNX LeakyRelu, Elu, ...).
class Graph_ActivationOp<string mnemonic, string onnxName, string formula,
                         dag attrs>
    : Graph_DocUnaryOp<mnemonic, onnxName, formula> {
  let arguments = !con((ins Graph_FloatTensor:$input), attrs);
}

/// An elementwise test of float elements with an `i1` result (ONNX IsNaN,
/// IsInf).
class Graph_FloatPredicateOp<string mnemonic, string onnxName, string formula,
                             dag attrs = (ins)>
    : Graph_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName # ": elementwise " # formula;
  let description = [{
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x : (tensor<4xf32>) -> tensor<4xi1>
    ```
  }];
  let arguments = !con((ins Graph_FloatTensor:$input), attrs);
  let results = (outs Graph_BoolTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location>,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(::llvm::cast<::mlir::RankedTensorType>(
          adaptor.getInput().getType()).clone(
              ::mlir::IntegerType::get(context, 1)));
      return ::mlir::success();
    }
  }];
}

/// A `Graph_BroadcastBinaryOp` documented from its ONNX name and scalar
/// formula; `exampleTypes` is the functional type of its example.
class Graph_DocBinaryOp<string mnemonic, string onnxName, string formula,
                        Type operandType, Type resultType,
                        string resultKind, string exampleTypes,
                        list<Trait> traits = []>
    : Graph_BroadcastBinaryOp<mnemonic, operandType, operandType, resultType,
                              resultKind, traits> {
  let summary = "ONNX " # onnxName # ": elementwise " # formula #
                " with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x, %y : }] # exampleTypes # [{
    ```
  }];
}

/// The cost of a reduction (ReduceOp, ArgReduceOp classes): one operation
/// per input element.
defvar Graph_CostPerInputElementDef = [{
  ::exaforge::OpCost $cppClass::estimateCost(int64_t dynamicDimSize) {
    return ::exaforge::estimateCostPerInputElement(*this, dynamicDimSize);
  }
}];

/// A reduction over `axes` (all axes when absent, unless
/// `noop_with_empty_axes` is set).
class Graph_ReduceOp<string mnemonic, string onnxName>
    : Graph_Op<mnemonic, [Pure, Graph_OpCost]> {
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
  let extraClassDefinition = !strconcat(Graph_IsCompatibleReturnTypesDef, [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::exaforge::graph::inferReduceResult(
          loc, adaptor.getData(), adaptor.getAxes(), adaptor.getKeepdims(),
          adaptor.getNoopWithEmptyAxes(), types);
    }
  }], Graph_CostPerInputElementDef);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Graph_ConstantOp : Graph_Op<"constant", [ConstantLike, Pure, Graph_OpCost]> {
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
                                          [Commutative, Graph_ShardingRule]> {
  let summary = "ONNX Add: elementwise sum with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.add %x, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_SubOp : Graph_BroadcastBinaryOp<"sub", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor, "SameElementType",
                                          [Graph_ShardingRule]> {
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
                                          [Commutative,
                                           Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Mul: elementwise product with broadcasting";
  let description = [{
    ```mlir
    %0 = graph.mul %x, %scale : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_DivOp : Graph_BroadcastBinaryOp<"div", Graph_Tensor, Graph_Tensor,
                                          Graph_Tensor, "SameElementType",
                                          [Graph_ElementwiseShardingRule]> {
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
                                          Graph_Tensor, "LhsElementType",
                                          [Graph_ElementwiseShardingRule]> {
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
  let hasFolder = 1;
}

def Graph_SqrtOp : Graph_UnaryOp<"sqrt", Graph_FloatTensor,
                                  [Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Sqrt: elementwise square root";
  let description = [{
    ```mlir
    %0 = graph.sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ErfOp : Graph_UnaryOp<"erf", Graph_FloatTensor,
                                  [Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Erf: elementwise error function";
  let description = [{
    ```mlir
    %0 = graph.erf %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ReluOp : Graph_UnaryOp<"relu", Graph_Tensor,
                                  [Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Relu: elementwise max(x, 0)";
  let description = [{
    ```mlir
    %0 = graph.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_SigmoidOp : Graph_UnaryOp<"sigmoid", Graph_FloatTensor,
                                  [Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Sigmoid: elementwise 1 / (1 + exp(-x))";
  let description = [{
    ```mlir
    %0 = graph.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_TanhOp : Graph_UnaryOp<"tanh", Graph_FloatTensor,
                                  [Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Tanh: elementwise hyperbolic tangent";
  let description = [{
    ```mlir
    %0 = graph.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_GeluOp : Graph_Op<"gelu", [Pure, Graph_ElementwiseShardingRule]> {
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

def Graph_IdentityOp : Graph_UnaryOp<"identity", Graph_Tensor,
                                  [Graph_OpCost,
                                   Graph_ElementwiseShardingRule]> {
  let summary = "ONNX Identity: returns its operand";
  let description = [{
    ```mlir
    %0 = graph.identity %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_CastOp : Graph_Op<"cast", [Pure, Graph_ElementwiseShardingRule]> {
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

def Graph_WhereOp : Graph_Op<"where", [Pure, Graph_ElementwiseShardingRule]> {
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
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise math: binary and comparison ops
//===----------------------------------------------------------------------===//

defvar Graph_FloatExample = "(tensor<4xf32>, tensor<f32>) -> tensor<4xf32>";
defvar Graph_CompareExample = "(tensor<4xf32>, tensor<f32>) -> tensor<4xi1>";
defvar Graph_BoolExample = "(tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>";

def Graph_MaxOp : Graph_DocBinaryOp<"max", "Max", "max(x, y) (NaN propagates)",
    Graph_Tensor, Graph_Tensor, "SameElementType", Graph_FloatExample,
    [Commutative, Graph_ElementwiseShardingRule]> {
  let hasFolder = 1;
}
def Graph_MinOp : Graph_DocBinaryOp<"min", "Min", "min(x, y) (NaN propagates)",
    Graph_Tensor, Graph_Tensor, "SameElementType", Graph_FloatExample,
    [Commutative, Graph_ElementwiseShardingRule]> {
  let hasFolder = 1;
}

def Graph_ModOp : Graph_DocBinaryOp<"mod", "Mod", "remainder x mod y",
    Graph_Tensor, Graph_Tensor, "SameElementType",
    "(tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>"> {
  let description = [{
    Without `fmod` the remainder has the sign of the divisor (Python's `%`),
    with `fmod` the sign of the dividend (C's `fmod`). An integer remainder
    by zero is 0.

    ```mlir
    %0 = graph.mod %x, %y {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasFolder = 1;
}

def Graph_PReluOp : Graph_DocBinaryOp<"prelu", "PRelu",
    "x < 0 ? slope * x : x; the slope broadcasts to x",
    Graph_Tensor, Graph_Tensor, "SameElementType", Graph_FloatExample>;

def Graph_GreaterOp : Graph_DocBinaryOp<"greater", "Greater", "x > y",
    Graph_Tensor, Graph_BoolTensor, "Comparison", Graph_CompareExample> {
  let hasFolder = 1;
}
def Graph_LessOp : Graph_DocBinaryOp<"less", "Less", "x < y",
    Graph_Tensor, Graph_BoolTensor, "Comparison", Graph_CompareExample> {
  let hasFolder = 1;
}
def Graph_GreaterOrEqualOp : Graph_DocBinaryOp<"greater_or_equal",
    "GreaterOrEqual", "x >= y", Graph_Tensor, Graph_BoolTensor, "Comparison",
    Graph_CompareExample> {
  let hasFolder = 1;
}
def Graph_LessOrEqualOp : Graph_DocBinaryOp<"less_or_equal", "LessOrEqual",
    "x <= y", Graph_Tensor, Graph_BoolTensor, "Comparison",
    Graph_CompareExample> {
  let hasFolder = 1;
}

def Graph_AndOp : Graph_DocBinaryOp<"and", "And", "logical and",
    Graph_BoolTensor, Graph_BoolTensor, "Comparison", Graph_BoolExample,
    [Commutative]> {
  let hasFolder = 1;
}
def Graph_OrOp : Graph_DocBinaryOp<"or", "Or", "logical or",
    Graph_BoolTensor, Graph_BoolTensor, "Comparison", Graph_BoolExample,
    [Commutative]> {
  let hasFolder = 1;
}
def Graph_XorOp : Graph_DocBinaryOp<"xor", "Xor", "logical exclusive or",
    Graph_BoolTensor, Graph_BoolTensor, "Comparison", Graph_BoolExample,
    [Commutative]>;

/// A shift direction: `"LEFT"` or `"RIGHT"`.
def Graph_ShiftDirection : AttrConstraint<
    CPred<"::llvm::is_contained({::llvm::StringRef(\"LEFT\"), "
          "::llvm::StringRef(\"RIGHT\")}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "\"LEFT\" or \"RIGHT\"">;

def Graph_BitShiftOp : Graph_DocBinaryOp<"bit_shift", "BitShift",
    "shift of unsigned integers", RankedTensorOf<[AnyUnsignedInteger]>,
    RankedTensorOf<[AnyUnsignedInteger]>, "SameElementType",
    "(tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>"> {
  let description = [{
    Shifts `lhs` by `rhs` bits, towards the most significant bit when
    `direction` is `"LEFT"`; shifting by the bit width or more yields 0.

    ```mlir
    %0 = graph.bit_shift %x, %y {direction = "LEFT"}
        : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyUnsignedInteger]>:$lhs,
                   RankedTensorOf<[AnyUnsignedInteger]>:$rhs,
                   ConfinedAttr<StrAttr, [Graph_ShiftDirection]>:$direction);
}

//===----------------------------------------------------------------------===//
// Elementwise math: unary ops
//===----------------------------------------------------------------------===//

def Graph_AbsOp : Graph_DocUnaryOp<"abs", "Abs", "|x|", Graph_Tensor,
    traits = [Graph_ElementwiseShardingRule]> {
  let hasFolder = 1;
}
def Graph_NegOp : Graph_DocUnaryOp<"neg", "Neg", "-x", Graph_Tensor,
    traits = [Graph_ElementwiseShardingRule]> {
  let hasFolder = 1;
}
def Graph_SignOp : Graph_DocUnaryOp<"sign", "Sign",
    "-1, 0 or 1 by the sign of x (NaN stays NaN)", Graph_Tensor>;
def Graph_NotOp : Graph_DocUnaryOp<"not", "Not", "logical negation",
    Graph_BoolTensor, "tensor<4xi1>"> {
  let hasFolder = 1;
}
def Graph_ExpOp : Graph_DocUnaryOp<"exp", "Exp", "e^x",
    traits = [Graph_ElementwiseShardingRule]>;
def Graph_LogOp : Graph_DocUnaryOp<"log", "Log", "natural logarithm",
    traits = [Graph_ElementwiseShardingRule]>;
def Graph_CeilOp : Graph_DocUnaryOp<"ceil", "Ceil", "rounding up">;
def Graph_FloorOp : Graph_DocUnaryOp<"floor", "Floor", "rounding down">;
def Graph_RoundOp : Graph_DocUnaryOp<"round", "Round",
    "rounding to the nearest integer, halves to even">;
def Graph_ReciprocalOp : Graph_DocUnaryOp<"reciprocal", "Reciprocal", "1 / x",
    traits = [Graph_ElementwiseShardingRule]>;
def Graph_SinOp : Graph_DocUnaryOp<"sin", "Sin", "sine">;
def Graph_CosOp : Graph_DocUnaryOp<"cos", "Cos", "cosine">;
def Graph_TanOp : Graph_DocUnaryOp<"tan", "Tan", "tangent">;
def Graph_AsinOp : Graph_DocUnaryOp<"asin", "Asin", "arcsine">;
def Graph_AcosOp : Graph_DocUnaryOp<"acos", "Acos", "arccosine">;
def Graph_AtanOp : Graph_DocUnaryOp<"atan", "Atan", "arctangent">;
def Graph_SinhOp : Graph_DocUnaryOp<"sinh", "Sinh", "hyperbolic sine">;
def Graph_CoshOp : Graph_DocUnaryOp<"cosh", "Cosh", "hyperbolic cosine">;
def Graph_AsinhOp : Graph_DocUnaryOp<"asinh", "Asinh",
    "inverse hyperbolic sine">;
def Graph_AcoshOp : Graph_DocUnaryOp<"acosh", "Acosh",
    "inverse hyperbolic cosine">;
def Graph_AtanhOp : Graph_DocUnaryOp<"atanh", "Atanh",
    "inverse hyperbolic tangent">;
def Graph_SoftplusOp : Graph_DocUnaryOp<"softplus", "Softplus",
    "log(1 + e^x)">;
def Graph_SoftsignOp : Graph_DocUnaryOp<"softsign", "Softsign",
    "x / (1 + |x|)">;
def Graph_HardSwishOp : Graph_DocUnaryOp<"hard_swish", "HardSwish",
    "x * max(0, min(1, x / 6 + 1 / 2))">;

def Graph_IsNaNOp : Graph_FloatPredicateOp<"is_nan", "IsNaN", "x is NaN">;
def Graph_IsInfOp : Graph_FloatPredicateOp<"is_inf", "IsInf",
    "x is an infinity selected by `detect_positive` and `detect_negative`",
    (ins DefaultValuedAttr<BoolAttr, "true">:$detect_positive,
         DefaultValuedAttr<BoolAttr, "true">:$detect_negative)>;

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def Graph_LeakyReluOp : Graph_ActivationOp<"leaky_relu", "LeakyRelu",
    "x < 0 ? alpha * x : x",
    (ins DefaultValuedAttr<F32Attr, "0.01">:$alpha)>;
def Graph_EluOp : Graph_ActivationOp<"elu", "Elu",
    "x < 0 ? alpha * (e^x - 1) : x",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Graph_SeluOp : Graph_ActivationOp<"selu", "Selu",
    "gamma * (x > 0 ? x : alpha * (e^x - 1))",
    (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
         DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma)>;
def Graph_CeluOp : Graph_ActivationOp<"celu", "Celu",
    "max(0, x) + min(0, alpha * (e^(x / alpha) - 1))",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Graph_HardSigmoidOp : Graph_ActivationOp<"hard_sigmoid", "HardSigmoid",
    "max(0, min(1, alpha * x + beta))",
    (ins DefaultValuedAttr<F32Attr, "0.2">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5">:$beta)>;
def Graph_ThresholdedReluOp : Graph_ActivationOp<"thresholded_relu",
    "ThresholdedRelu", "x > alpha ? x : 0",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Graph_ShrinkOp : Graph_ActivationOp<"shrink", "Shrink",
    "x < -lambd ? x + bias : x > lambd ? x - bias : 0",
    (ins DefaultValuedAttr<F32Attr, "0.0">:$bias,
         DefaultValuedAttr<F32Attr, "0.5">:$lambd)>;

def Graph_ClipOp : Graph_Op<"clip", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Clip (opset 11 form): elementwise min(max(x, min), max)";
  let description = [{
    `min` and `max` are optional single-element tensors of the input's
    element type. An absent float bound is the lowest or largest finite
    value of the type (onnxruntime's default: an infinite element becomes
    that value); an absent integer bound does not clip. A NaN element stays
    NaN; a NaN bound clamps nothing.

    ```mlir
    %0 = graph.clip %x min %lo max %hi
        : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Optional<Graph_Tensor>:$min,
                   Optional<Graph_Tensor>:$max);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input (`min` $min^)? (`max` $max^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::exaforge::graph::inferClipResult(
          loc, adaptor.getInput(), adaptor.getMin(), adaptor.getMax(), types);
    }
  }];
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Graph_MatMulOp : Graph_Op<"mat_mul", [Pure, Graph_OpCost, Graph_ShardingRule]> {
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

def Graph_GemmOp : Graph_Op<"gemm", [Pure, Graph_OpCost, Graph_ShardingRule]> {
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

def Graph_SoftmaxOp : Graph_Op<"softmax", [Pure, Graph_OpCost, Graph_ShardingRule]> {
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

def Graph_LayerNormalizationOp : Graph_Op<"layer_normalization", [Pure, Graph_OpCost,
                                 Graph_ShardingRule]> {
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

def Graph_BatchNormalizationOp : Graph_Op<"batch_normalization", [Pure, Graph_OpCost]> {
  let summary = "ONNX BatchNormalization, inference form";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * scale + bias` per channel (dimension
    1). Training mode is `graph.batch_normalization_training`.

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

def Graph_ConvOp : Graph_Op<"conv", [Pure, Graph_OpCost]> {
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
    : Graph_Op<mnemonic, [Pure, Graph_OpCost]> {
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

def Graph_MaxPoolWithIndicesOp
    : Graph_Op<"max_pool_with_indices", [Pure]> {
  let summary = "ONNX MaxPool with its second output, Indices";
  let description = [{
    The `output` of `graph.max_pool` and, for each of its elements, the
    flat index of the input element that won (the first maximum in
    row-major window order; NaN wins over numbers; padded positions never
    win). The index counts from the start of the whole input,
    `(n * C + c) * D1 * ... * Dn` plus the spatial offset, which is
    row-major (`d1 * D2 * ... * Dn + ... + dn`) or, with
    `column_major_indices` (ONNX's `storage_order = 1`), column-major over
    the spatial dimensions (`d1 + d2 * D1 + ... + dn * D1 * ... * Dn-1`).

    ```mlir
    %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>,
        strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
        dilations = array<i64: 1, 1>}
        : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, I8, UI8]>:$input,
                   DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$column_major_indices);
  let results = (outs RankedTensorOf<[AnyFloat, I8, UI8]>:$output,
                      RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
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

def Graph_GlobalAveragePoolOp : Graph_Op<"global_average_pool", [Pure, Graph_OpCost]> {
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

def Graph_GlobalMaxPoolOp
    : Graph_Op<"global_max_pool", [Pure, Graph_OpCost, Graph_ShardingRule]> {
  let summary = "ONNX GlobalMaxPool: maximum over all spatial dimensions";
  let description = [{
    NaN propagates.

    ```mlir
    %0 = graph.global_max_pool %x
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
    : Graph_Op<mnemonic, [Pure, Graph_OpCost]> {
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
  let extraClassDefinition = !strconcat(Graph_IsCompatibleReturnTypesDef, [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::exaforge::graph::inferArgReduceResult(
          loc, adaptor.getData(), adaptor.getAxis(), adaptor.getKeepdims(),
          types);
    }
  }], Graph_CostPerInputElementDef);
}

def Graph_ArgMaxOp : Graph_ArgReduceOp<"arg_max", "ArgMax", "largest">;
def Graph_ArgMinOp : Graph_ArgReduceOp<"arg_min", "ArgMin", "smallest">;

/// An op normalizing its float operand along `axis`, with the operand's type
/// as result (LogSoftmax, Hardmax; Softmax is in the normalization section).
class Graph_AlongAxisOp<string mnemonic, string onnxName, string what,
                        list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure])> {
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
    "logarithm of the normalized exponential", [Graph_OpCost]>;
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

def Graph_ShapeOp : Graph_Op<"shape", [Pure, Graph_OpCost]> {
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

def Graph_ReshapeOp : Graph_Op<"reshape", [Pure, Graph_OpCost, Graph_ShardingRule]> {
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

def Graph_TransposeOp : Graph_Op<"transpose", [Pure, Graph_ShardingRule]> {
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

def Graph_FlattenOp : Graph_Op<"flatten", [Pure, Graph_OpCost]> {
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

def Graph_SplitOp : Graph_Op<"split", [Pure, Graph_ShardingRule]> {
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
  let hasFolder = 1;
}

def Graph_GatherOp : Graph_Op<"gather", [Pure, Graph_ShardingRule]> {
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

def Graph_SqueezeOp : Graph_Op<"squeeze", [Pure, Graph_OpCost]> {
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

def Graph_UnsqueezeOp : Graph_Op<"unsqueeze", [Pure, Graph_OpCost]> {
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
  let hasFolder = 1;
}

def Graph_SizeOp : Graph_Op<"size", [Pure, Graph_OpCost]> {
  let summary = "ONNX Size: the number of elements of a tensor";
  let description = [{
    Returns the element count of `input` as a rank-0 `i64` tensor.

    ```mlir
    %0 = graph.size %x : (tensor<?x4xf32>) -> tensor<i64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input);
  let results = (outs 0DTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Graph_TriluOp : Graph_Op<"trilu", [Pure]> {
  let summary = "ONNX Trilu (opset 14): keeps an upper or lower triangle";
  let description = [{
    Zeroes the elements of each matrix (the last two dimensions) outside
    the triangle: with `upper`, element `(i, j)` is kept when `j - i >= k`,
    otherwise when `j - i <= k`. `k` (a rank-0 `i64` tensor, 0 when absent)
    may be known only at run time.

    ```mlir
    %0 = graph.trilu %x, %k {upper = false}
        : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Optional<0DTensorOf<[I64]>>:$k,
                   DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input (`,` $k^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_GatherElementsOp : Graph_Op<"gather_elements", [Pure]> {
  let summary = "ONNX GatherElements: takes the entries of `axis` at `indices`";
  let description = [{
    `indices` has the rank of `data` and the result has its shape: the
    result element at `(i0, ..., ik, ...)` (`k` = `axis`) is the `data`
    element at `(i0, ..., indices[i0, ..., ik, ...], ...)`. Negative indices
    count from the back.

    ```mlir
    %0 = graph.gather_elements %x, %ids {axis = 1 : i64}
        : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Graph_TileOp : Graph_Op<"tile", [Pure]> {
  let summary = "ONNX Tile: repeats a tensor `repeats[i]` times along axis `i`";
  let description = [{
    `repeats` has one entry per input dimension; it may be known only at run
    time (the result sizes are then dynamic).

    ```mlir
    %0 = graph.tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_I64Vector:$repeats);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$input `,` $repeats attr-dict `:` functional-type(operands, results)";
}

def Graph_PadOp : Graph_Op<"pad", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Pad (opset 18): pads a tensor";
  let description = [{
    `pads` lists the elements added before each axis of `axes` (every axis
    when absent), then those added after each. `mode` is `constant` (the
    new elements are `constant_value`, 0 when absent), `reflect` (mirrored
    without the edge element) or `edge` (copies of the edge element).
    `pads` may be known only at run time (the padded sizes are then dynamic).

    ```mlir
    %0 = graph.pad %x, %pads {mode = "constant"}
        : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Vector:$pads,
                   Optional<Graph_Tensor>:$constant_value,
                   Optional<Graph_IndexVector>:$axes,
                   DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $pads (`value` $constant_value^)? (`axes` $axes^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Graph_DepthToSpaceOp : Graph_Op<"depth_to_space", [Pure]> {
  let summary = "ONNX DepthToSpace: moves channel blocks into space";
  let description = [{
    Rearranges an `N x C x H x W` tensor into `N x C/(b*b) x H*b x W*b`
    (`b` = `blocksize`). With mode `DCR` the channel is read as
    `(b1, b2, c)`, with `CRD` as `(c, b1, b2)`.

    ```mlir
    %0 = graph.depth_to_space %x {blocksize = 2 : i64, mode = "DCR"}
        : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   ConfinedAttr<I64Attr, [IntPositive]>:$blocksize,
                   DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_SpaceToDepthOp : Graph_Op<"space_to_depth", [Pure]> {
  let summary = "ONNX SpaceToDepth: moves spatial blocks into channels";
  let description = [{
    Rearranges an `N x C x H x W` tensor into `N x C*b*b x H/b x W/b`
    (`b` = `blocksize`), the channel read as `(b1, b2, c)`.

    ```mlir
    %0 = graph.space_to_depth %x {blocksize = 2 : i64}
        : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   ConfinedAttr<I64Attr, [IntPositive]>:$blocksize);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_RangeOp : Graph_Op<"range", [Pure]> {
  let summary = "ONNX Range: `start, start + delta, ...` up to `limit`";
  let description = [{
    `start`, `limit` and `delta` are scalars of one element type; the result
    has `max(ceil((limit - start) / delta), 0)` elements, a dynamic length
    unless all three are constants.

    ```mlir
    %0 = graph.range %start, %limit, %delta
        : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
    ```
  }];
  let arguments = (ins 0DTensorOf<[AnyFloat, AnyInteger]>:$start,
                   0DTensorOf<[AnyFloat, AnyInteger]>:$limit,
                   0DTensorOf<[AnyFloat, AnyInteger]>:$delta);
  let results = (outs 1DTensorOf<[AnyFloat, AnyInteger]>:$output);
  let assemblyFormat = [{
    $start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

include "dialects/Graph/GraphWeightOps.td"
include "dialects/Graph/GraphDynamicShapeOps.td"
include "dialects/Graph/GraphSamplingOps.td"
include "dialects/Graph/GraphSignalOps.td"
include "dialects/Graph/GraphRecurrentOps.td"
include "dialects/Graph/GraphQuantOps.td"
include "dialects/Graph/GraphNNOps.td"
include "dialects/Graph/GraphControlFlowOps.td"
include "dialects/Graph/GraphIndexingOps.td"
include "dialects/Graph/GraphTrainingOps.td"
include "dialects/Graph/GraphSequenceOps.td"

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHOPS_TD
