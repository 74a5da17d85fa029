//===- GraphRecurrentOps.td - Recurrent graph ops ----------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The recurrent ops of ONNX: LSTM, GRU and RNN. Included at the end of
// GraphOps.td; type inference and the cost are in GraphRecurrentOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHRECURRENTOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHRECURRENTOPS_TD

include "dialects/Graph/GraphDialect.td"
include "dialects/Graph/OpCostOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// The attributes every recurrent op has. `activations` lists the
/// activation functions of each direction in turn (forward first), and
/// `activation_alpha`/`activation_beta` give each of them its alpha and beta
/// (the importer fills in ONNX's defaults, so the three lists have the same
/// length).
defvar Graph_RecurrentAttrs = (ins
    ConfinedAttr<I64Attr, [IntPositive]>:$hidden_size,
    DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
    StrArrayAttr:$activations,
    DenseF32ArrayAttr:$activation_alpha,
    DenseF32ArrayAttr:$activation_beta,
    OptionalAttr<F32Attr>:$clip);

/// Shared definition of LSTM, GRU and RNN: an op with `numGates` gates per
/// step. Operands follow ONNX (layout 0: `X` is `[seq, batch, input]`; the
/// importer transposes layout-1 tensors), results are `Y`
/// `[seq, directions, batch, hidden]` and `Y_h` `[directions, batch,
/// hidden]` (LSTM adds `Y_c`).
class Graph_RecurrentOp<string mnemonic, int numGates, int numActivations,
                        dag extraOperands, dag extraAttrs, dag extraResults>
    : Graph_Op<mnemonic, [Pure, AttrSizedOperandSegments,
                          DeclareOpInterfaceMethods<Graph_OpCostOpInterface>]> {
  let arguments = !con(
      (ins Graph_FloatTensor:$x, Graph_FloatTensor:$w, Graph_FloatTensor:$r,
           Optional<Graph_FloatTensor>:$b,
           Optional<Graph_IndexTensor>:$sequence_lens,
           Optional<Graph_FloatTensor>:$initial_h),
      extraOperands, Graph_RecurrentAttrs, extraAttrs);
  let results = !con((outs Graph_FloatTensor:$y, Graph_FloatTensor:$y_h),
                     extraResults);
  let assemblyFormat = [{
    $x `,` $w `,` $r (`bias` $b^)? (`sequence_lens` $sequence_lens^)?
    (`initial_h` $initial_h^)? }] # !if(!eq(mnemonic, "lstm"),
    [{(`initial_c` $initial_c^)? (`peepholes` $p^)? }], "") #
    [{attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Gates per step and direction (`W` has `numGates * hidden_size` rows
    /// per direction).
    static constexpr int64_t kNumGates = }] # numGates # [{;
    /// Activation functions per direction.
    static constexpr int64_t kNumActivations = }] # numActivations # [{;
    /// The number of directions: 2 when bidirectional, else 1.
    int64_t getNumDirections() {
      return getDirection() == "bidirectional" ? 2 : 1;
    }
  }];
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      ::exaforge::graph::RecurrentOperands operands;
      operands.x = adaptor.getX();
      operands.w = adaptor.getW();
      operands.r = adaptor.getR();
      operands.b = adaptor.getB();
      operands.sequenceLens = adaptor.getSequenceLens();
      operands.initialH = adaptor.getInitialH();
      }] # !if(!eq(mnemonic, "lstm"), [{
      operands.initialC = adaptor.getInitialC();
      operands.p = adaptor.getP();
      }], "") # [{
      return ::exaforge::graph::inferRecurrentResults(
          loc, operands, kNumGates, kNumActivations, adaptor.getHiddenSize(),
          adaptor.getDirection(), adaptor.getActivations(),
          adaptor.getActivationAlpha(), adaptor.getActivationBeta(),
          /*numResults=*/}] # !size(extraResults) # [{ + 2, types);
    }
  }];
}

def Graph_LSTMOp : Graph_RecurrentOp<"lstm", 4, 3,
    (ins Optional<Graph_FloatTensor>:$initial_c,
         Optional<Graph_FloatTensor>:$p),
    (ins DefaultValuedAttr<BoolAttr, "false">:$input_forget),
    (outs Graph_FloatTensor:$y_c)> {
  let summary = "ONNX LSTM: long short-term memory over a sequence";
  let description = [{
    For each direction and time step `t` (ONNX's equations, gate order
    `i, o, f, c` in `W`, `R` and `B`, peepholes `P` ordered `i, o, f`):

    ```
    i = f(Xt*Wi^T + Ht-1*Ri^T + Pi (.) Ct-1 + Wbi + Rbi)
    f = f(Xt*Wf^T + Ht-1*Rf^T + Pf (.) Ct-1 + Wbf + Rbf)   (1 - i with input_forget)
    c = g(Xt*Wc^T + Ht-1*Rc^T + Wbc + Rbc)
    Ct = f (.) Ct-1 + i (.) c
    o = f(Xt*Wo^T + Ht-1*Ro^T + Po (.) Ct + Wbo + Rbo)
    Ht = o (.) h(Ct)
    ```

    `clip` bounds the activations' inputs to `[-clip, clip]`. A batch entry
    `b` only runs its first `sequence_lens[b]` steps; `Y` is zero beyond
    them, and `Y_h`/`Y_c` hold the state after the last of them.

    ```mlir
    %y, %h, %c = graph.lstm %x, %w, %r {hidden_size = 3 : i64,
        activations = ["Sigmoid", "Tanh", "Tanh"],
        activation_alpha = array<f32: 0.0, 0.0, 0.0>,
        activation_beta = array<f32: 0.0, 0.0, 0.0>}
        : (tensor<5x2x4xf32>, tensor<1x12x4xf32>, tensor<1x12x3xf32>)
        -> (tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
    ```
  }];
}

def Graph_GRUOp : Graph_RecurrentOp<"gru", 3, 2, (ins),
    (ins DefaultValuedAttr<BoolAttr, "false">:$linear_before_reset),
    (outs)> {
  let summary = "ONNX GRU: gated recurrent unit over a sequence";
  let description = [{
    For each direction and time step `t` (gate order `z, r, h`):

    ```
    z = f(Xt*Wz^T + Ht-1*Rz^T + Wbz + Rbz)
    r = f(Xt*Wr^T + Ht-1*Rr^T + Wbr + Rbr)
    h = g(Xt*Wh^T + (r (.) Ht-1)*Rh^T + Rbh + Wbh)       linear_before_reset = 0
    h = g(Xt*Wh^T + r (.) (Ht-1*Rh^T + Rbh) + Wbh)       linear_before_reset = 1
    Ht = (1 - z) (.) h + z (.) Ht-1
    ```

    `clip` and `sequence_lens` act as for `graph.lstm`.

    ```mlir
    %y, %h = graph.gru %x, %w, %r {hidden_size = 5 : i64,
        activations = ["Sigmoid", "Tanh"],
        activation_alpha = array<f32: 0.0, 0.0>,
        activation_beta = array<f32: 0.0, 0.0>}
        : (tensor<1x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>)
        -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
    ```
  }];
}

def Graph_RNNOp : Graph_RecurrentOp<"rnn", 1, 1, (ins), (ins), (outs)> {
  let summary = "ONNX RNN: simple recurrent network over a sequence";
  let description = [{
    For each direction and time step `t`:
    `Ht = f(Xt*Wi^T + Ht-1*Ri^T + Wbi + Rbi)`. `clip` and `sequence_lens`
    act as for `graph.lstm`.

    ```mlir
    %y, %h = graph.rnn %x, %w, %r {hidden_size = 4 : i64,
        activations = ["Tanh"], activation_alpha = array<f32: 0.0>,
        activation_beta = array<f32: 0.0>}
        : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>)
        -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
    ```
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHRECURRENTOPS_TD
