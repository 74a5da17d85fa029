//===- GraphQuantOps.td - Quantization graph ops -----------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Linear quantization (QuantizeLinear, DequantizeLinear) and the integer
// products of quantized tensors (MatMulInteger, ConvInteger). QLinearMatMul,
// QLinearConv and DynamicQuantizeLinear are imported as these ops plus
// elementwise ops. Included at the end of GraphOps.td; type inference and
// the costs are in GraphQuantOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHQUANTOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHQUANTOPS_TD

include "dialects/Graph/GraphDialect.td"
include "dialects/Graph/OpCostOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// A tensor of 8-bit integers (ONNX `int8` is `i8`, `uint8` is `ui8`).
def Graph_QuantTensor : RankedTensorOf<[I8, UI8]>;

def Graph_QuantizeLinearOp : Graph_Op<"quantize_linear", [Pure]> {
  let summary = "ONNX QuantizeLinear: float to 8-bit integers";
  let description = [{
    `y = saturate(round(x / scale) + zero_point)`, rounding half to even
    and saturating to the range of the result type, which is the zero
    point's (`ui8` without one). `scale` and `zero_point` are scalars (one
    element: per tensor) or 1-D tensors along dimension `axis` of `x` (per
    axis).

    ```mlir
    %0 = graph.quantize_linear %x, %scale, %zp
        : (tensor<6xf32>, tensor<f32>, tensor<ui8>) -> tensor<6xui8>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$x, Graph_FloatTensor:$scale,
                   Optional<Graph_QuantTensor>:$zero_point,
                   DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Graph_QuantTensor:$y);
  let assemblyFormat = [{
    $x `,` $scale (`,` $zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_DequantizeLinearOp : Graph_Op<"dequantize_linear", [Pure]> {
  let summary = "ONNX DequantizeLinear: integers to float";
  let description = [{
    `y = (x - zero_point) * scale` in the element type of `scale`.
    `scale` and `zero_point` are scalars or 1-D tensors along `axis`, as for
    `graph.quantize_linear`. An `i32` input has no zero point.

    ```mlir
    %0 = graph.dequantize_linear %x, %scale, %zp {axis = 1 : i64}
        : (tensor<1x3x2xui8>, tensor<3xf32>, tensor<3xui8>) -> tensor<1x3x2xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I8, UI8, I32]>:$x,
                   Graph_FloatTensor:$scale,
                   Optional<RankedTensorOf<[I8, UI8, I32]>>:$zero_point,
                   DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Graph_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $scale (`,` $zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_MatMulIntegerOp : Graph_Op<"mat_mul_integer", [
    Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<Graph_OpCostOpInterface>]> {
  let summary = "ONNX MatMulInteger: 8-bit matrix product into i32";
  let description = [{
    `(a - a_zero_point) * (b - b_zero_point)` with the shapes and batch
    broadcasting of `graph.mat_mul`, accumulated in `i32`. `a_zero_point` is
    a scalar or one value per row of `a` (its `M` elements), `b_zero_point`
    a scalar or one value per column of `b` (`N` elements); absent ones are
    zero.

    ```mlir
    %0 = graph.mat_mul_integer %a, %b a_zero_point %za b_zero_point %zb
        : (tensor<4x3xui8>, tensor<3x2xi8>, tensor<ui8>, tensor<i8>)
        -> tensor<4x2xi32>
    ```
  }];
  let arguments = (ins Graph_QuantTensor:$a, Graph_QuantTensor:$b,
                   Optional<Graph_QuantTensor>:$a_zero_point,
                   Optional<Graph_QuantTensor>:$b_zero_point);
  let results = (outs RankedTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $a `,` $b (`a_zero_point` $a_zero_point^)?
    (`b_zero_point` $b_zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_ConvIntegerOp : Graph_Op<"conv_integer", [
    Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<Graph_OpCostOpInterface>]> {
  let summary = "ONNX ConvInteger: 8-bit N-d convolution into i32";
  let description = [{
    The convolution of `graph.conv` (NCHW, grouped, `pads` as begin pads
    then end pads) of `x - x_zero_point` by `w - w_zero_point`, accumulated
    in `i32`. Padded positions of `x` hold its zero point (they add
    nothing). `x_zero_point` is a scalar, `w_zero_point` a scalar or one
    value per output channel; absent ones are zero.

    ```mlir
    %0 = graph.conv_integer %x, %w x_zero_point %zx
        {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>}
        : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>)
        -> tensor<1x1x4x4xi32>
    ```
  }];
  let arguments = (ins Graph_QuantTensor:$x, Graph_QuantTensor:$w,
                   Optional<Graph_QuantTensor>:$x_zero_point,
                   Optional<Graph_QuantTensor>:$w_zero_point,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs RankedTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $x `,` $w (`x_zero_point` $x_zero_point^)?
    (`w_zero_point` $w_zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHQUANTOPS_TD
