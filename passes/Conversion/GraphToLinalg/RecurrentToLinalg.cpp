//===- RecurrentToLinalg.cpp - LSTM, GRU and RNN to linalg ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the recurrent ops to an `scf.for` over the time steps, on tensors:
//  - before the loop, one `linalg.matmul` computes the input term
//    `X * W^T` of every step at once (`[seq * batch, gates]`);
//  - each step multiplies the previous hidden state by `R^T` (a
//    `linalg.matmul`), then one `linalg.generic` over `[batch, hidden]`
//    applies the gate equations and writes the new state and the step's
//    `Y` row (GRU without `linear_before_reset` has a second product, of
//    `r (.) H` by `Rh^T`, between a first generic computing `r (.) H` and
//    the main one).
// The loop runs to the dynamic sequence length (`tensor.dim` of `X`), so
// exported models with a symbolic sequence need nothing special; it is not
// unrolled, so the code size does not grow with the sequence. Directions
// are lowered one after the other into the same `Y`. The reverse direction
// walks the time steps backwards; a batch entry `b` with `sequence_lens[b]`
// steps keeps its state and writes zeros to `Y` at the steps
// `t >= sequence_lens[b]`, which for the reverse direction are exactly the
// first ones it walks, so it starts at its own last step as ONNX requires.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

/// An activation function with its parameters.
struct Activation {
  StringRef name;
  float alpha, beta;
};

/// Applies the ONNX activation `act` to the float scalar `x`.
Value applyActivation(OpBuilder &b, Location loc, const Activation &act,
                      Value x) {
  Type type = x.getType();
  auto constant = [&](double value) {
    return createScalarConstant(b, loc, type, value);
  };
  Value zero = constant(0.0), one = constant(1.0);
  Value alpha = constant(act.alpha), beta = constant(act.beta);
  auto select = [&](arith::CmpFPredicate predicate, Value lhs, Value rhs,
                    Value ifTrue, Value ifFalse) {
    Value cond = arith::CmpFOp::create(b, loc, predicate, lhs, rhs);
    return arith::SelectOp::create(b, loc, cond, ifTrue, ifFalse).getResult();
  };
  StringRef name = act.name;
  if (name == "Relu")
    return arith::MaximumFOp::create(b, loc, x, zero);
  if (name == "Tanh")
    return math::TanhOp::create(b, loc, x);
  if (name == "Sigmoid") {
    Value negExp =
        math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, negExp));
  }
  if (name == "Affine")
    return arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, alpha, x),
                                 beta);
  if (name == "LeakyRelu")
    return select(arith::CmpFPredicate::OGE, x, zero, x,
                  arith::MulFOp::create(b, loc, alpha, x));
  if (name == "ThresholdedRelu")
    return select(arith::CmpFPredicate::OGT, x, alpha, x, zero);
  if (name == "ScaledTanh")
    return arith::MulFOp::create(
        b, loc, alpha,
        math::TanhOp::create(b, loc, arith::MulFOp::create(b, loc, beta, x)));
  if (name == "HardSigmoid") {
    Value linear = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, alpha, x), beta);
    return arith::MaximumFOp::create(
        b, loc, zero, arith::MinimumFOp::create(b, loc, one, linear));
  }
  if (name == "Elu") {
    Value expm1 = arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x),
                                        one);
    return select(arith::CmpFPredicate::OGE, x, zero, x,
                  arith::MulFOp::create(b, loc, alpha, expm1));
  }
  if (name == "Softsign")
    return arith::DivFOp::create(
        b, loc, x,
        arith::AddFOp::create(b, loc, one, math::AbsFOp::create(b, loc, x)));
  assert(name == "Softplus" && "activations are checked by the op");
  return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, x));
}

/// Returns `a + b + ...` of the non-null float scalars `terms`.
Value sumTerms(OpBuilder &b, Location loc, ArrayRef<Value> terms) {
  Value sum;
  for (Value term : terms) {
    if (!term)
      continue;
    sum = sum ? arith::AddFOp::create(b, loc, sum, term).getResult() : term;
  }
  return sum;
}

//===----------------------------------------------------------------------===//
// Tensor helpers
//===----------------------------------------------------------------------===//

/// Returns `source[index]`, `source` without its leading dimension.
Value extractLeading(OpBuilder &b, Location loc, Value source,
                     OpFoldResult index) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  offsets[0] = index;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, source);
  sizes[0] = b.getIndexAttr(1);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  auto resultType = RankedTensorType::get(type.getShape().drop_front(),
                                          type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, resultType, source, offsets,
                                        sizes, strides);
}

/// Returns the rows `[first, first + count)` of the matrix `source`.
Value extractRows(OpBuilder &b, Location loc, Value source, int64_t first,
                  int64_t count) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(first),
                                       b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(count),
                                     tensor::getMixedSize(b, loc, source, 1)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  auto resultType = RankedTensorType::get({count, type.getDimSize(1)},
                                          type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, resultType, source, offsets,
                                        sizes, strides);
}

/// Returns `lhs[M, K] * rhs[N, K]^T` as a `linalg.matmul` reading `rhs`
/// transposed through its indexing map.
Value multiplyByTransposed(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  auto resultType =
      RankedTensorType::get({lhsType.getDimSize(0), rhsType.getDimSize(0)},
                            lhsType.getElementType());
  SmallVector<Value> dynamicSizes;
  if (resultType.isDynamicDim(0))
    dynamicSizes.push_back(tensor::DimOp::create(b, loc, lhs, 0));
  if (resultType.isDynamicDim(1))
    dynamicSizes.push_back(tensor::DimOp::create(b, loc, rhs, 0));
  Value init = createFilledTensor(
      b, loc, resultType, dynamicSizes,
      createScalarConstant(b, loc, resultType.getElementType(), 0.0));
  MLIRContext *context = b.getContext();
  AffineExpr m = getAffineDimExpr(0, context), n = getAffineDimExpr(1, context),
             k = getAffineDimExpr(2, context);
  auto map = [&](AffineExpr row, AffineExpr column) -> Attribute {
    return AffineMapAttr::get(AffineMap::get(3, 0, {row, column}, context));
  };
  NamedAttribute maps = b.getNamedAttr(
      "indexing_maps",
      b.getArrayAttr({map(m, k), map(n, k), map(m, n)}));
  return linalg::MatmulOp::create(b, loc, TypeRange{resultType},
                                  ValueRange{lhs, rhs}, ValueRange{init},
                                  ArrayRef<NamedAttribute>{maps})
      .getResult(0);
}

/// Returns the columns `[first, first + count)` of the matrix `source`.
Value extractColumns(OpBuilder &b, Location loc, Value source, int64_t first,
                     int64_t count) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0),
                                       b.getIndexAttr(first)};
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, source, 0),
                                     b.getIndexAttr(count)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  auto resultType = RankedTensorType::get({type.getDimSize(0), count},
                                          type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, resultType, source, offsets,
                                        sizes, strides);
}

/// Returns the elements `[first, first + count)` of the vector `source`.
Value extractElements(OpBuilder &b, Location loc, Value source, int64_t first,
                      int64_t count) {
  auto type = cast<RankedTensorType>(source.getType());
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({count}, type.getElementType()), source,
      ArrayRef<OpFoldResult>{b.getIndexAttr(first)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(count)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

/// The inputs of a `linalg.generic` over `(batch, hidden)`, each with its
/// indexing map. A gate's columns of a `[batch, gates]` matrix, or its
/// elements of a vector, are sliced out first, so every map is a plain
/// projection. The `add*` methods return the position of the input's block
/// argument, -1 for a null value.
class GenericInputs {
public:
  GenericInputs(OpBuilder &b, Location loc, int64_t hiddenSize)
      : b(b), loc(loc), hiddenSize(hiddenSize) {}

  /// Adds the columns `[offset, offset + hidden)` of the `[batch, width]`
  /// matrix `value`.
  int addMatrix(Value value, int64_t offset = 0) {
    if (!value)
      return -1;
    if (cast<RankedTensorType>(value.getType()).getDimSize(1) != hiddenSize)
      value = extractColumns(b, loc, value, offset, hiddenSize);
    return add(value, b.getMultiDimIdentityMap(2));
  }
  /// Adds the elements `[offset, offset + hidden)` of the vector `value`.
  int addVector(Value value, int64_t offset) {
    if (!value)
      return -1;
    value = extractElements(b, loc, value, offset, hiddenSize);
    return add(value, AffineMap::get(2, 0, b.getAffineDimExpr(1)));
  }
  /// Adds the per-batch vector `value`.
  int addPerBatch(Value value) {
    if (!value)
      return -1;
    return add(value, AffineMap::get(2, 0, b.getAffineDimExpr(0)));
  }

  SmallVector<Value> values;
  SmallVector<AffineMap> maps;

private:
  int add(Value value, AffineMap map) {
    values.push_back(value);
    maps.push_back(map);
    return values.size() - 1;
  }

  OpBuilder &b;
  Location loc;
  int64_t hiddenSize;
};

/// Returns the block argument at `index` of `args`, or null for -1.
Value argOrNull(ValueRange args, int index) {
  return index < 0 ? Value() : args[index];
}

/// Creates a `linalg.generic` over `(batch, hidden)` reading `inputs` and
/// writing `numOutputs` new `[batch, hidden]` tensors like `like`, whose
/// elements `body` computes from the input elements.
SmallVector<Value>
createStepGeneric(OpBuilder &b, Location loc, GenericInputs &inputs,
                  unsigned numOutputs, Value like,
                  function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                  ValueRange)>
                      body) {
  auto type = cast<RankedTensorType>(like.getType());
  SmallVector<Value> dynamicSizes;
  if (type.isDynamicDim(0))
    dynamicSizes.push_back(tensor::DimOp::create(b, loc, like, 0));
  SmallVector<Value> inits;
  SmallVector<AffineMap> maps = inputs.maps;
  for (unsigned i = 0; i < numOutputs; ++i) {
    inits.push_back(createEmptyTensor(b, loc, type, dynamicSizes));
    maps.push_back(b.getMultiDimIdentityMap(2));
  }
  auto generic = linalg::GenericOp::create(
      b, loc, ValueRange(inits).getTypes(), inputs.values, inits, maps,
      SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResults();
}

/// Copies `value` into `state`, a loop-carried tensor, so that the loop
/// yields the buffer it received: one-shot bufferization requires a yielded
/// tensor to be equivalent to its iteration argument.
Value copyIntoState(OpBuilder &b, Location loc, Value value, Value state) {
  return linalg::CopyOp::create(b, loc, value, state).getResult(0);
}

//===----------------------------------------------------------------------===//
// The lowering
//===----------------------------------------------------------------------===//

/// What one recurrent op kind computes at each step.
enum class RecurrentKind { LSTM, GRU, RNN };

/// A recurrent op's operands (converted) and attributes, for the lowering.
struct RecurrentLoweringInput {
  RecurrentKind kind;
  graph::RecurrentOperands operands;
  int64_t hiddenSize, numGates, numActivations, numDirections;
  StringRef direction;
  SmallVector<Activation> activations;
  std::optional<double> clip;
  bool inputForget = false, linearBeforeReset = false;
  /// Whether the op's `Y` result is used (else it is not computed).
  bool needsY = true;
};

/// The per-direction tensors that a step reads.
struct DirectionTensors {
  /// `X * W^T` of every step, `[seq, batch, gates]`.
  Value inputProducts;
  /// `R` of the direction, `[gates, hidden]`.
  Value recurrence;
  /// `Wb` and `Rb` (`[gates]`), `P` (`[3 * hidden]`); null when absent.
  Value inputBias, recurrenceBias, peepholes;
  /// `[batch]` sequence lengths, null when absent.
  Value sequenceLens;
  /// The activations of this direction.
  ArrayRef<Activation> activations;
};

/// The state after one step: the new hidden (and cell) state and the row
/// of `Y`.
struct StepResult {
  Value hidden, cell, output;
};

/// Builds the gate equations of one step at time `time` from the previous
/// `hidden` (and `cell`) state.
StepResult buildStep(OpBuilder &b, Location loc,
                     const RecurrentLoweringInput &in,
                     const DirectionTensors &dir, Value time, Value hidden,
                     Value cell) {
  int64_t h = in.hiddenSize;
  Value inputProducts = extractLeading(b, loc, dir.inputProducts, time);
  Value hiddenProducts = multiplyByTransposed(b, loc, hidden, dir.recurrence);

  auto clip = [&](OpBuilder &nb, Location nl, Value x) -> Value {
    if (!in.clip)
      return x;
    Type type = x.getType();
    Value bound = createScalarConstant(nb, nl, type, *in.clip);
    Value negBound = createScalarConstant(nb, nl, type, -*in.clip);
    return arith::MaximumFOp::create(
        nb, nl, negBound, arith::MinimumFOp::create(nb, nl, x, bound));
  };
  auto activate = [&](OpBuilder &nb, Location nl, int64_t which, Value x) {
    return applyActivation(nb, nl, dir.activations[which], clip(nb, nl, x));
  };

  // GRU without linear_before_reset: (r (.) H) * Rh^T before the main step.
  Value resetProducts;
  if (in.kind == RecurrentKind::GRU && !in.linearBeforeReset) {
    GenericInputs inputs(b, loc, h);
    int prev = inputs.addMatrix(hidden);
    int xr = inputs.addMatrix(inputProducts, h);
    int hr = inputs.addMatrix(hiddenProducts, h);
    int wb = inputs.addVector(dir.inputBias, h);
    int rb = inputs.addVector(dir.recurrenceBias, h);
    Value resetHidden = createStepGeneric(
        b, loc, inputs, 1, hidden,
        [&](OpBuilder &nb, Location nl, ValueRange args) -> SmallVector<Value> {
          Value r = activate(nb, nl, 0,
                             sumTerms(nb, nl,
                                      {args[xr], args[hr], argOrNull(args, wb),
                                       argOrNull(args, rb)}));
          return {arith::MulFOp::create(nb, nl, r, args[prev])};
        })[0];
    resetProducts = multiplyByTransposed(
        b, loc, resetHidden, extractRows(b, loc, dir.recurrence, 2 * h, h));
  }

  GenericInputs inputs(b, loc, h);
  SmallVector<int> xw, hw, wb, rb;
  for (int64_t g = 0; g < in.numGates; ++g) {
    xw.push_back(inputs.addMatrix(inputProducts, g * h));
    hw.push_back(inputs.addMatrix(hiddenProducts, g * h));
    wb.push_back(inputs.addVector(dir.inputBias, g * h));
    rb.push_back(inputs.addVector(dir.recurrenceBias, g * h));
  }
  SmallVector<int> peep;
  for (int64_t g = 0; g < 3 && in.kind == RecurrentKind::LSTM; ++g)
    peep.push_back(inputs.addVector(dir.peepholes, g * h));
  int resetProduct = inputs.addMatrix(resetProducts);
  int lengths = inputs.addPerBatch(dir.sequenceLens);
  int prevHidden = inputs.addMatrix(hidden);
  int prevCell = inputs.addMatrix(cell);
  bool hasCell = in.kind == RecurrentKind::LSTM;

  // Outputs: the new hidden state, the step's row of Y, the new cell.
  SmallVector<Value> results = createStepGeneric(
      b, loc, inputs, hasCell ? 3 : 2, hidden,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> SmallVector<Value> {
        // The pre-activation of gate `g`: input and hidden products plus
        // the biases.
        auto gate = [&](int64_t g) {
          return sumTerms(nb, nl,
                          {args[xw[g]], args[hw[g]], argOrNull(args, wb[g]),
                           argOrNull(args, rb[g])});
        };
        Value prevH = args[prevHidden];
        Type type = prevH.getType();
        Value one = createScalarConstant(nb, nl, type, 1.0);
        Value newH, newC;
        switch (in.kind) {
        case RecurrentKind::RNN:
          newH = activate(nb, nl, 0, gate(0));
          break;
        case RecurrentKind::GRU: {
          Value z = activate(nb, nl, 0, gate(0));
          Value candidate;
          if (in.linearBeforeReset) {
            Value r = activate(nb, nl, 0, gate(1));
            Value recurrent = sumTerms(nb, nl, {args[hw[2]], argOrNull(args, rb[2])});
            candidate = sumTerms(
                nb, nl,
                {args[xw[2]], arith::MulFOp::create(nb, nl, r, recurrent),
                 argOrNull(args, wb[2])});
          } else {
            candidate = sumTerms(nb, nl,
                                 {args[xw[2]], args[resetProduct],
                                  argOrNull(args, rb[2]), argOrNull(args, wb[2])});
          }
          Value hh = activate(nb, nl, 1, candidate);
          // (1 - z) * hh + z * H
          newH = arith::AddFOp::create(
              nb, nl,
              arith::MulFOp::create(nb, nl,
                                    arith::SubFOp::create(nb, nl, one, z), hh),
              arith::MulFOp::create(nb, nl, z, prevH));
          break;
        }
        case RecurrentKind::LSTM: {
          // Gate order i, o, f, c; peepholes i, o, f.
          Value prevC = args[prevCell];
          auto peephole = [&](int64_t p, Value c) -> Value {
            Value weight = argOrNull(args, peep[p]);
            return weight ? arith::MulFOp::create(nb, nl, weight, c).getResult()
                          : Value();
          };
          Value i = activate(nb, nl, 0,
                             sumTerms(nb, nl, {gate(0), peephole(0, prevC)}));
          Value f =
              in.inputForget
                  ? arith::SubFOp::create(nb, nl, one, i).getResult()
                  : activate(nb, nl, 0,
                             sumTerms(nb, nl, {gate(2), peephole(2, prevC)}));
          Value c = activate(nb, nl, 1, gate(3));
          newC = arith::AddFOp::create(nb, nl,
                                       arith::MulFOp::create(nb, nl, f, prevC),
                                       arith::MulFOp::create(nb, nl, i, c));
          Value o = activate(nb, nl, 0,
                             sumTerms(nb, nl, {gate(1), peephole(1, newC)}));
          newH = arith::MulFOp::create(
              nb, nl, o,
              applyActivation(nb, nl, dir.activations[2], newC));
          break;
        }
        }
        Value output = newH;
        if (lengths >= 0) {
          // Steps beyond the entry's length keep the state and output 0.
          Value length = arith::IndexCastOp::create(
              nb, nl, nb.getIndexType(), args[lengths]);
          Value valid = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                              time, length);
          Value zero = createScalarConstant(nb, nl, type, 0.0);
          output = arith::SelectOp::create(nb, nl, valid, newH, zero);
          newH = arith::SelectOp::create(nb, nl, valid, newH, prevH);
          if (newC)
            newC = arith::SelectOp::create(nb, nl, valid, newC, args[prevCell]);
        }
        SmallVector<Value> yielded = {newH, output};
        if (newC)
          yielded.push_back(newC);
        return yielded;
      });
  return {copyIntoState(b, loc, results[0], hidden),
          hasCell ? copyIntoState(b, loc, results[2], cell) : Value(),
          results[1]};
}

/// Lowers a recurrent op described by `in`; returns its results (`Y`,
/// `Y_h` and, for LSTM, `Y_c`), `Y` null when not needed.
FailureOr<SmallVector<Value>> lowerRecurrent(OpBuilder &b, Location loc,
                                             const RecurrentLoweringInput &in) {
  const graph::RecurrentOperands &ops = in.operands;
  auto xType = cast<RankedTensorType>(ops.x.getType());
  Type elementType = xType.getElementType();
  int64_t h = in.hiddenSize, gates = in.numGates * h;
  int64_t directions = in.numDirections;
  Value seq = tensor::DimOp::create(b, loc, ops.x, 0);
  Value batch = tensor::DimOp::create(b, loc, ops.x, 1);
  SmallVector<Value> batchSizes;
  if (xType.isDynamicDim(1))
    batchSizes.push_back(batch);
  auto stateType = RankedTensorType::get({xType.getDimSize(1), h}, elementType);
  Value zero = createScalarConstant(b, loc, elementType, 0.0);

  // X as [seq * batch, input], for one product per direction.
  Value rows = tensor::CollapseShapeOp::create(
      b, loc, ops.x, SmallVector<ReassociationIndices>{{0, 1}, {2}});

  // Y [seq, directions, batch, hidden], written row by row.
  Value y;
  if (in.needsY) {
    auto yType = RankedTensorType::get(
        {xType.getDimSize(0), directions, xType.getDimSize(1), h}, elementType);
    SmallVector<Value> ySizes;
    if (yType.isDynamicDim(0))
      ySizes.push_back(seq);
    if (yType.isDynamicDim(2))
      ySizes.push_back(batch);
    y = createEmptyTensor(b, loc, yType, ySizes);
  }
  bool hasCell = in.kind == RecurrentKind::LSTM;
  auto statesType = RankedTensorType::get(
      {directions, xType.getDimSize(1), h}, elementType);
  Value finalHidden = createEmptyTensor(b, loc, statesType, batchSizes);
  Value finalCell =
      hasCell ? createEmptyTensor(b, loc, statesType, batchSizes) : Value();

  for (int64_t d = 0; d < directions; ++d) {
    bool reverse = in.direction == "reverse" || d == 1;
    DirectionTensors dir;
    OpFoldResult index = b.getIndexAttr(d);
    Value w = extractLeading(b, loc, ops.w, index);
    dir.recurrence = extractLeading(b, loc, ops.r, index);
    Value products = multiplyByTransposed(b, loc, rows, w);
    SmallVector<OpFoldResult> productShape = {
        tensor::getMixedSize(b, loc, ops.x, 0),
        tensor::getMixedSize(b, loc, ops.x, 1), b.getIndexAttr(gates)};
    dir.inputProducts = tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get(
            {xType.getDimSize(0), xType.getDimSize(1), gates}, elementType),
        products, SmallVector<ReassociationIndices>{{0, 1}, {2}},
        productShape);
    if (ops.b) {
      Value bias = extractLeading(b, loc, ops.b, index);
      auto vectorType = RankedTensorType::get({gates}, elementType);
      auto slice = [&](int64_t offset) -> Value {
        return tensor::ExtractSliceOp::create(
            b, loc, vectorType, bias,
            ArrayRef<OpFoldResult>{b.getIndexAttr(offset)},
            ArrayRef<OpFoldResult>{b.getIndexAttr(gates)},
            ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
      };
      dir.inputBias = slice(0);
      dir.recurrenceBias = slice(gates);
    }
    if (ops.p)
      dir.peepholes = extractLeading(b, loc, ops.p, index);
    dir.sequenceLens = ops.sequenceLens;
    dir.activations =
        ArrayRef(in.activations).slice(d * in.numActivations, in.numActivations);

    auto initialState = [&](Value initial) -> Value {
      if (initial)
        return extractLeading(b, loc, initial, index);
      return createFilledTensor(b, loc, stateType, batchSizes, zero);
    };
    SmallVector<Value> iterArgs = {initialState(ops.initialH)};
    if (hasCell)
      iterArgs.push_back(initialState(ops.initialC));
    if (y)
      iterArgs.push_back(y);

    Value lower = arith::ConstantIndexOp::create(b, loc, 0);
    Value step = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(
        b, loc, lower, seq, step, iterArgs,
        [&](OpBuilder &lb, Location ll, Value t, ValueRange state) {
          Value time = t;
          if (reverse) {
            Value last = arith::SubIOp::create(lb, ll, seq, step);
            time = arith::SubIOp::create(lb, ll, last, t);
          }
          Value cell = hasCell ? state[1] : Value();
          StepResult next = buildStep(lb, ll, in, dir, time, state[0], cell);
          SmallVector<Value> yielded = {next.hidden};
          if (hasCell)
            yielded.push_back(next.cell);
          if (y) {
            Value rowsSoFar = state.back();
            SmallVector<OpFoldResult> offsets = {time, lb.getIndexAttr(d),
                                                 lb.getIndexAttr(0),
                                                 lb.getIndexAttr(0)};
            SmallVector<OpFoldResult> sizes = {
                lb.getIndexAttr(1), lb.getIndexAttr(1),
                tensor::getMixedSize(lb, ll, next.output, 0),
                lb.getIndexAttr(h)};
            SmallVector<OpFoldResult> strides(4, lb.getIndexAttr(1));
            yielded.push_back(tensor::InsertSliceOp::create(
                lb, ll, next.output, rowsSoFar, offsets, sizes, strides));
          }
          scf::YieldOp::create(lb, ll, yielded);
        });
    auto insertState = [&](Value state, Value into) -> Value {
      SmallVector<OpFoldResult> offsets = {index, b.getIndexAttr(0),
                                           b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes = {
          b.getIndexAttr(1), tensor::getMixedSize(b, loc, state, 0),
          b.getIndexAttr(h)};
      SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
      return tensor::InsertSliceOp::create(b, loc, state, into, offsets, sizes,
                                           strides);
    };
    finalHidden = insertState(loop.getResult(0), finalHidden);
    if (hasCell)
      finalCell = insertState(loop.getResult(1), finalCell);
    if (y)
      y = loop.getResults().back();
  }
  SmallVector<Value> results = {y, finalHidden};
  if (hasCell)
    results.push_back(finalCell);
  return results;
}

/// Reads the attributes shared by the recurrent ops into `in`.
template <typename OpTy>
void readRecurrentAttrs(OpTy op, RecurrentLoweringInput &in) {
  in.hiddenSize = op.getHiddenSize();
  in.numGates = OpTy::kNumGates;
  in.numActivations = OpTy::kNumActivations;
  in.numDirections = op.getNumDirections();
  in.direction = op.getDirection();
  for (auto [name, alpha, beta] :
       llvm::zip_equal(op.getActivations(), op.getActivationAlpha(),
                       op.getActivationBeta()))
    in.activations.push_back(
        {cast<StringAttr>(name).getValue(), alpha, beta});
  if (std::optional<APFloat> clip = op.getClip())
    in.clip = clip->convertToDouble();
  in.needsY = !op.getY().use_empty();
}

/// Lowers LSTM, GRU or RNN (`OpTy`) through lowerRecurrent.
template <typename OpTy>
struct RecurrentLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType =
        cast<RankedTensorType>(op.getX().getType()).getElementType();
    if (!elementType.isF32() && !elementType.isF64())
      return failLowering(rewriter, op,
                          "recurrent ops are lowered for f32 and f64 only");
    RecurrentLoweringInput in;
    readRecurrentAttrs(op, in);
    graph::RecurrentOperands &operands = in.operands;
    operands.x = adaptor.getX();
    operands.w = adaptor.getW();
    operands.r = adaptor.getR();
    operands.b = adaptor.getB();
    operands.sequenceLens = adaptor.getSequenceLens();
    operands.initialH = adaptor.getInitialH();
    if constexpr (std::is_same_v<OpTy, graph::LSTMOp>) {
      in.kind = RecurrentKind::LSTM;
      operands.initialC = adaptor.getInitialC();
      operands.p = adaptor.getP();
      in.inputForget = op.getInputForget();
    } else if constexpr (std::is_same_v<OpTy, graph::GRUOp>) {
      in.kind = RecurrentKind::GRU;
      in.linearBeforeReset = op.getLinearBeforeReset();
    } else {
      in.kind = RecurrentKind::RNN;
    }
    if (cast<RankedTensorType>(operands.x.getType()).isDynamicDim(2))
      return failLowering(rewriter, op, "the input size must be static");
    FailureOr<SmallVector<Value>> results =
        lowerRecurrent(rewriter, op.getLoc(), in);
    if (failed(results))
      return failure();
    SmallVector<Value> replacements;
    for (auto [value, original] : llvm::zip_equal(*results, op->getResults())) {
      if (!value) {
        // Y is unused: any value of its type will do.
        auto type = cast<RankedTensorType>(original.getType());
        SmallVector<Value> sizes;
        for (int64_t i = 0; i < type.getRank(); ++i)
          if (type.isDynamicDim(i))
            sizes.push_back(tensor::DimOp::create(
                rewriter, op.getLoc(), operands.x, i == 0 ? 0 : 1));
        value = createEmptyTensor(rewriter, op.getLoc(), type, sizes);
      }
      replacements.push_back(castToType(rewriter, op.getLoc(), value,
                                        cast<RankedTensorType>(original.getType())));
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

} // namespace

void exaforge::populateGraphRecurrentToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RecurrentLowering<graph::LSTMOp>, RecurrentLowering<graph::GRUOp>,
               RecurrentLowering<graph::RNNOp>>(patterns.getContext());
}
