//===- SignalToLinalg.cpp - Signal processing ops to linalg ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers DFT, STFT, the cosine-sum windows and MelWeightMatrix.
//
// DFT and STFT are direct transforms, O(n^2) in the transform length: one
// `linalg.generic` whose reduction dimension runs over the samples and whose
// body reads the sample (a gather, `tensor.extract`) and multiplies it by
// `cos`/`sin` of the angle `2 pi ((f t) mod n) / n`, computed in the body
// from the integer frequency and sample indices (the integer remainder keeps
// the angle in [0, 2 pi), so single-precision arithmetic stays within the
// ONNX tests' tolerance). Sums are accumulated in f32 (or the element type
// when wider). A fast Fourier transform would be O(n log n); models use
// these ops on short frames, where the direct form is adequate.
//
// The windows and the mel filter bank are generators: one `linalg.generic`
// without inputs computing each element from its coordinates and the
// scalar operands (read at run time; with constant operands the sizes are
// static).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

/// Reads the one element of the integer tensor `scalar` (any rank) as an
/// `index` value.
Value readIndexScalar(OpBuilder &b, Location loc, Value scalar) {
  auto type = cast<RankedTensorType>(scalar.getType());
  SmallVector<Value> zeros(type.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  Value value = tensor::ExtractOp::create(b, loc, scalar, zeros);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

/// Emits the run-time check that the `index` value `value` (the operand
/// `what` of `op`) is at least `minimum`, and returns it, or `minimum` when
/// the check fails (so that the code sized by it stays inside its buffers).
Value checkAtLeast(OpBuilder &b, Operation *op, Value value, int64_t minimum,
                   StringRef what) {
  Location loc = op->getLoc();
  Value bound = arith::ConstantIndexOp::create(b, loc, minimum);
  Value valid =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, value, bound);
  createRuntimeCheck(b, op, valid,
                     "'" + what + "' must be at least " + Twine(minimum));
  return arith::SelectOp::create(b, loc, valid, value, bound);
}

/// Reads the one element of the float tensor `scalar` as `type`.
Value readFloatScalar(OpBuilder &b, Location loc, Value scalar, Type type) {
  auto tensorType = cast<RankedTensorType>(scalar.getType());
  SmallVector<Value> zeros(tensorType.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return convertFloat(b, loc, tensor::ExtractOp::create(b, loc, scalar, zeros),
                      type);
}

/// The size of dimension `dim` of `type`: an attribute when static, else
/// `dynamicSize()`.
OpFoldResult getSize(OpBuilder &b, RankedTensorType type, int64_t dim,
                     llvm::function_ref<Value()> dynamicSize) {
  if (!type.isDynamicDim(dim))
    return b.getIndexAttr(type.getDimSize(dim));
  return dynamicSize();
}

/// The type in which a transform of `elementType` values accumulates.
Type getAccumulatorType(OpBuilder &b, Type elementType) {
  return elementType.getIntOrFloatBitWidth() > 32 ? elementType
                                                  : b.getF32Type();
}

/// `index` as a float of `type`.
Value indexToFloat(OpBuilder &b, Location loc, Value index, Type type) {
  Value integer = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, type, integer);
}

/// The angle `2 pi ((frequency * sample) mod length) / length` in `type`.
Value getTwiddleAngle(OpBuilder &b, Location loc, Value frequency, Value sample,
                      Value length, Type type) {
  Value product = arith::MulIOp::create(b, loc, frequency, sample);
  Value reduced = arith::RemUIOp::create(b, loc, product, length);
  Value fraction =
      arith::DivFOp::create(b, loc, indexToFloat(b, loc, reduced, type),
                            indexToFloat(b, loc, length, type));
  return arith::MulFOp::create(
      b, loc, fraction,
      createScalarConstant(b, loc, type, 2 * llvm::numbers::pi));
}

/// A transform's result: `output` (complex, last dimension 2) of
/// `resultType` and `sizes`, each element the sum over `samples` of
/// `readSample(coordinates, t)` (the complex sample, real and imaginary
/// parts in the accumulator type, already windowed) times `e^(sign i
/// angle(coordinates, t))`, times `scale`. `coordinates` are those of the
/// result element (the last one, the component, included).
using SampleReader = llvm::function_ref<std::pair<Value, Value>(
    OpBuilder &, Location, ArrayRef<Value>, Value)>;
using AngleBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ArrayRef<Value>, Value)>;

Value createTransform(OpBuilder &b, Location loc, RankedTensorType resultType,
                      ArrayRef<OpFoldResult> sizes, Value samples, bool inverse,
                      Value scale, SampleReader readSample,
                      AngleBuilder angleOf) {
  int64_t rank = resultType.getRank();
  Type elementType = resultType.getElementType();
  Type accumulator = getAccumulatorType(b, elementType);
  auto accumulatorType = resultType.clone(accumulator);
  Value init = createFilledTensor(
      b, loc, accumulatorType,
      [&] {
        SmallVector<Value> dynamic;
        for (int64_t d = 0; d < rank; ++d)
          if (resultType.isDynamicDim(d))
            dynamic.push_back(
                getValueOrCreateConstantIndexOp(b, loc, sizes[d]));
        return dynamic;
      }(),
      createScalarConstant(b, loc, accumulator, 0.0));
  // An operand of the samples' size sizes the reduction dimension.
  Value sampleDomain = tensor::EmptyOp::create(
      b, loc, SmallVector<OpFoldResult>{samples}, b.getI8Type());
  MLIRContext *context = b.getContext();
  AffineMap outputMap =
      AffineMap::getMultiDimIdentityMap(rank + 1, context).getMajorSubMap(rank);
  AffineMap sampleMap =
      AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, context));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{accumulatorType}, ValueRange{sampleDomain},
      ValueRange{init}, ArrayRef<AffineMap>{sampleMap, outputMap}, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> coordinates;
        for (int64_t d = 0; d < rank; ++d)
          coordinates.push_back(linalg::IndexOp::create(nb, nl, d));
        Value t = linalg::IndexOp::create(nb, nl, rank);
        auto [real, imaginary] = readSample(nb, nl, coordinates, t);
        Value angle = angleOf(nb, nl, coordinates, t);
        Value cos = math::CosOp::create(nb, nl, angle);
        Value sin = math::SinOp::create(nb, nl, angle);
        if (!inverse)
          sin = arith::NegFOp::create(nb, nl, sin);
        // (real + i imaginary) (cos + i sin)
        Value isImaginary = arith::CmpIOp::create(
            nb, nl, arith::CmpIPredicate::eq, coordinates[rank - 1],
            arith::ConstantIndexOp::create(nb, nl, 1));
        auto mul = [&](Value x, Value y) {
          return arith::MulFOp::create(nb, nl, x, y).getResult();
        };
        Value realPart =
            arith::SubFOp::create(nb, nl, mul(real, cos), mul(imaginary, sin));
        Value imaginaryPart =
            arith::AddFOp::create(nb, nl, mul(real, sin), mul(imaginary, cos));
        Value term = arith::SelectOp::create(nb, nl, isImaginary, imaginaryPart,
                                             realPart);
        linalg::YieldOp::create(
            nb, nl, arith::AddFOp::create(nb, nl, args[1], term).getResult());
      });
  Value sums = generic.getResult(0);
  return createIndexedCopy(
      b, loc, resultType, sizes,
      [&](OpBuilder &nb, Location nl, ArrayRef<Value> coordinates) {
        Value sum = tensor::ExtractOp::create(nb, nl, sums, coordinates);
        if (scale)
          sum = arith::MulFOp::create(nb, nl, sum, scale);
        return convertFloat(nb, nl, sum, elementType);
      });
}

//===----------------------------------------------------------------------===//
// DFT
//===----------------------------------------------------------------------===//

/// graph.dft -> a direct transform along the axis (see createTransform):
/// samples past the input's end (a `dft_length` longer than the axis) are
/// zeros and are not read.
struct DFTLowering : OpConversionPattern<graph::DFTOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::DFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    bool isComplex = inputType.getDimSize(rank - 1) == 2;
    if (inputType.isDynamicDim(rank - 1))
      return failLowering(rewriter, op,
                          "an input whose last dimension (real or complex) is "
                          "dynamic");
    Type accumulator = getAccumulatorType(rewriter, inputType.getElementType());
    Value axisSize = tensor::DimOp::create(rewriter, loc, input, axis);
    Value length = axisSize;
    if (adaptor.getDftLength())
      length = checkAtLeast(
          rewriter, op, readIndexScalar(rewriter, loc, adaptor.getDftLength()),
          1, "dft_length");
    Value samples = arith::MinUIOp::create(rewriter, loc, axisSize, length);
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d) {
      sizes.push_back(getSize(rewriter, resultType, d, [&]() -> Value {
        if (d != axis)
          return tensor::DimOp::create(rewriter, loc, input, d);
        if (!op.getOnesided())
          return length;
        return arith::AddIOp::create(
            rewriter, loc,
            arith::DivUIOp::create(
                rewriter, loc, length,
                arith::ConstantIndexOp::create(rewriter, loc, 2)),
            arith::ConstantIndexOp::create(rewriter, loc, 1));
      }));
    }
    Value scale;
    if (op.getInverse())
      scale = arith::DivFOp::create(
          rewriter, loc, createScalarConstant(rewriter, loc, accumulator, 1.0),
          indexToFloat(rewriter, loc, length, accumulator));
    Value result = createTransform(
        rewriter, loc, resultType, sizes, samples, op.getInverse(), scale,
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates, Value t) {
          SmallVector<Value> at(coordinates);
          at[axis] = t;
          at[rank - 1] = arith::ConstantIndexOp::create(b, l, 0);
          Value real = convertFloat(
              b, l, tensor::ExtractOp::create(b, l, input, at), accumulator);
          Value imaginary = createScalarConstant(b, l, accumulator, 0.0);
          if (isComplex) {
            at[rank - 1] = arith::ConstantIndexOp::create(b, l, 1);
            imaginary = convertFloat(
                b, l, tensor::ExtractOp::create(b, l, input, at), accumulator);
          }
          return std::make_pair(real, imaginary);
        },
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates, Value t) {
          return getTwiddleAngle(b, l, coordinates[axis], t, length,
                                 accumulator);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// STFT
//===----------------------------------------------------------------------===//

/// graph.stft -> a direct transform of each windowed frame (see
/// createTransform).
struct STFTLowering : OpConversionPattern<graph::STFTOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::STFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value signal = adaptor.getSignal();
    auto signalType = cast<RankedTensorType>(signal.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (signalType.isDynamicDim(2))
      return failLowering(rewriter, op,
                          "a signal whose last dimension (real or complex) is "
                          "dynamic");
    bool isComplex = signalType.getDimSize(2) == 2;
    Type accumulator =
        getAccumulatorType(rewriter, signalType.getElementType());
    Value window = adaptor.getWindow();
    Value frameLength =
        adaptor.getFrameLength()
            ? checkAtLeast(
                  rewriter, op,
                  readIndexScalar(rewriter, loc, adaptor.getFrameLength()), 1,
                  "frame_length")
            : tensor::DimOp::create(rewriter, loc, window, 0).getResult();
    if (window && adaptor.getFrameLength()) {
      Value windowLength = tensor::DimOp::create(rewriter, loc, window, 0);
      Value agree = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, windowLength, frameLength);
      createRuntimeCheck(rewriter, op, agree,
                         "'frame_length' differs from the window's length");
      frameLength = arith::SelectOp::create(rewriter, loc, agree, frameLength,
                                            windowLength);
    }
    Value step = checkAtLeast(
        rewriter, op, readIndexScalar(rewriter, loc, adaptor.getFrameStep()), 1,
        "frame_step");
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<OpFoldResult> sizes = {
        getSize(rewriter, resultType, 0,
                [&]() -> Value {
                  return tensor::DimOp::create(rewriter, loc, signal, 0);
                }),
        getSize(rewriter, resultType, 1,
                [&]() -> Value {
                  Value length =
                      tensor::DimOp::create(rewriter, loc, signal, 1);
                  // No frame when the signal is shorter than one.
                  Value span =
                      arith::SubIOp::create(rewriter, loc, length, frameLength);
                  Value frames = arith::AddIOp::create(
                      rewriter, loc,
                      arith::FloorDivSIOp::create(rewriter, loc, span, step),
                      one);
                  return arith::MaxSIOp::create(
                      rewriter, loc, frames,
                      arith::ConstantIndexOp::create(rewriter, loc, 0));
                }),
        getSize(rewriter, resultType, 2,
                [&]() -> Value {
                  if (!op.getOnesided())
                    return frameLength;
                  return arith::AddIOp::create(
                      rewriter, loc,
                      arith::DivUIOp::create(
                          rewriter, loc, frameLength,
                          arith::ConstantIndexOp::create(rewriter, loc, 2)),
                      one);
                }),
        rewriter.getIndexAttr(2)};
    Value result = createTransform(
        rewriter, loc, resultType, sizes, frameLength, /*inverse=*/false,
        /*scale=*/Value(),
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates, Value t) {
          Value position = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, coordinates[1], step), t);
          SmallVector<Value> at = {coordinates[0], position,
                                   arith::ConstantIndexOp::create(b, l, 0)};
          Value real = convertFloat(
              b, l, tensor::ExtractOp::create(b, l, signal, at), accumulator);
          Value imaginary = createScalarConstant(b, l, accumulator, 0.0);
          if (isComplex) {
            at[2] = arith::ConstantIndexOp::create(b, l, 1);
            imaginary = convertFloat(
                b, l, tensor::ExtractOp::create(b, l, signal, at), accumulator);
          }
          if (window) {
            Value weight = convertFloat(
                b, l, tensor::ExtractOp::create(b, l, window, ValueRange{t}),
                accumulator);
            real = arith::MulFOp::create(b, l, real, weight);
            imaginary = arith::MulFOp::create(b, l, imaginary, weight);
          }
          return std::make_pair(real, imaginary);
        },
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates, Value t) {
          return getTwiddleAngle(b, l, coordinates[2], t, frameLength,
                                 accumulator);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Windows and the mel filter bank
//===----------------------------------------------------------------------===//

/// graph.cosine_sum_window -> `a0 - a1 cos(2 pi k / N) + a2 cos(4 pi k / N)`
/// for each index k, in f32 (as the ONNX function bodies compute it).
struct CosineSumWindowLowering : OpConversionPattern<graph::CosineSumWindowOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::CosineSumWindowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value size = checkAtLeast(rewriter, op,
                              readIndexScalar(rewriter, loc, adaptor.getSize()),
                              0, "size");
    Type f32 = rewriter.getF32Type();
    Value period = op.getPeriodic()
                       ? size
                       : arith::SubIOp::create(
                             rewriter, loc, size,
                             arith::ConstantIndexOp::create(rewriter, loc, 1))
                             .getResult();
    Value periodFloat = indexToFloat(rewriter, loc, period, f32);
    OpFoldResult length =
        getSize(rewriter, resultType, 0, [&] { return size; });
    Value result = createIndexedCopy(
        rewriter, loc, resultType, {length},
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates) {
          Value k = indexToFloat(b, l, coordinates[0], f32);
          Value angle = arith::DivFOp::create(
              b, l,
              arith::MulFOp::create(
                  b, l, k,
                  createScalarConstant(b, l, f32, 2 * llvm::numbers::pi)),
              periodFloat);
          auto term = [&](double coefficient, double multiple) -> Value {
            Value scaled = arith::MulFOp::create(
                b, l, angle, createScalarConstant(b, l, f32, multiple));
            return arith::MulFOp::create(
                b, l, createScalarConstant(b, l, f32, coefficient),
                math::CosOp::create(b, l, scaled));
          };
          Value value = arith::SubFOp::create(
              b, l,
              createScalarConstant(b, l, f32, op.getA0().convertToDouble()),
              term(op.getA1().convertToDouble(), 1.0));
          if (op.getA2().convertToDouble() != 0.0)
            value = arith::AddFOp::create(
                b, l, value, term(op.getA2().convertToDouble(), 2.0));
          return convertFloat(b, l, value, resultType.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.mel_weight_matrix -> each element from the edges of its filter,
/// computed as the ONNX reference computes them (in f64): the filter `i`
/// rises from bin `edge(i)` to `edge(i + 1)` and falls to `edge(i + 2)`,
/// `edge(k) = floor((dft_length + 1) hz(k) / sample_rate)` with `hz(k)` the
/// k-th of `num_mel_bins + 2` points evenly spaced on the mel scale from
/// the lower edge (the last one short of the upper edge by one step).
struct MelWeightMatrixLowering : OpConversionPattern<graph::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MelWeightMatrixOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type f64 = rewriter.getF64Type();
    Value bins = checkAtLeast(
        rewriter, op, readIndexScalar(rewriter, loc, adaptor.getNumMelBins()),
        0, "num_mel_bins");
    Value dftLength = checkAtLeast(
        rewriter, op, readIndexScalar(rewriter, loc, adaptor.getDftLength()), 0,
        "dft_length");
    Value sampleRate = checkAtLeast(
        rewriter, op, readIndexScalar(rewriter, loc, adaptor.getSampleRate()),
        1, "sample_rate");
    auto toMel = [&](Value hertz) -> Value {
      // 2595 log10(1 + f / 700)
      Value ratio = arith::DivFOp::create(
          rewriter, loc, hertz, createScalarConstant(rewriter, loc, f64, 700));
      return arith::MulFOp::create(
          rewriter, loc, createScalarConstant(rewriter, loc, f64, 2595),
          math::Log10Op::create(
              rewriter, loc,
              arith::AddFOp::create(
                  rewriter, loc, ratio,
                  createScalarConstant(rewriter, loc, f64, 1.0))));
    };
    Value lowMel =
        toMel(readFloatScalar(rewriter, loc, adaptor.getLowerEdgeHertz(), f64));
    Value highMel =
        toMel(readFloatScalar(rewriter, loc, adaptor.getUpperEdgeHertz(), f64));
    Value points = arith::AddIOp::create(
        rewriter, loc, bins, arith::ConstantIndexOp::create(rewriter, loc, 2));
    Value melStep = arith::DivFOp::create(
        rewriter, loc, arith::SubFOp::create(rewriter, loc, highMel, lowMel),
        indexToFloat(rewriter, loc, points, f64));
    Value scaledLength = indexToFloat(
        rewriter, loc,
        arith::AddIOp::create(rewriter, loc, dftLength,
                              arith::ConstantIndexOp::create(rewriter, loc, 1)),
        f64);
    Value rate = indexToFloat(rewriter, loc, sampleRate, f64);
    SmallVector<OpFoldResult> sizes = {
        getSize(rewriter, resultType, 0,
                [&]() -> Value {
                  return arith::AddIOp::create(
                      rewriter, loc,
                      arith::DivUIOp::create(
                          rewriter, loc, dftLength,
                          arith::ConstantIndexOp::create(rewriter, loc, 2)),
                      arith::ConstantIndexOp::create(rewriter, loc, 1));
                }),
        getSize(rewriter, resultType, 1, [&] { return bins; })};
    Value result = createIndexedCopy(
        rewriter, loc, resultType, sizes,
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates) {
          // edge(k) = floor((dft_length + 1) * 700 (10^(mel(k) / 2595) - 1)
          //                 / sample_rate)
          auto edge = [&](int64_t offset) -> Value {
            Value k =
                indexToFloat(b, l,
                             arith::AddIOp::create(
                                 b, l, coordinates[1],
                                 arith::ConstantIndexOp::create(b, l, offset)),
                             f64);
            Value mel = arith::AddFOp::create(
                b, l, arith::MulFOp::create(b, l, k, melStep), lowMel);
            Value power = math::ExpOp::create(
                b, l,
                arith::MulFOp::create(
                    b, l, mel,
                    createScalarConstant(b, l, f64,
                                         llvm::numbers::ln10 / 2595)));
            Value hertz = arith::MulFOp::create(
                b, l, createScalarConstant(b, l, f64, 700),
                arith::SubFOp::create(b, l, power,
                                      createScalarConstant(b, l, f64, 1.0)));
            return math::FloorOp::create(
                b, l,
                arith::DivFOp::create(
                    b, l, arith::MulFOp::create(b, l, scaledLength, hertz),
                    rate));
          };
          Value low = edge(0), center = edge(1), high = edge(2);
          Value j = indexToFloat(b, l, coordinates[0], f64);
          auto cmp = [&](arith::CmpFPredicate predicate, Value x, Value y) {
            return arith::CmpFOp::create(b, l, predicate, x, y).getResult();
          };
          auto ratio = [&](Value numerator, Value denominator) {
            return arith::DivFOp::create(b, l, numerator, denominator)
                .getResult();
          };
          Value zero = createScalarConstant(b, l, f64, 0.0);
          Value one = createScalarConstant(b, l, f64, 1.0);
          // Rising edge, [low, center] (a single 1 when low == center).
          Value rising = arith::AndIOp::create(
              b, l, cmp(arith::CmpFPredicate::OLE, low, j),
              cmp(arith::CmpFPredicate::OLE, j, center));
          Value risingValue = arith::SelectOp::create(
              b, l, cmp(arith::CmpFPredicate::OEQ, low, center), one,
              ratio(arith::SubFOp::create(b, l, j, low),
                    arith::SubFOp::create(b, l, center, low)));
          // Falling edge, [center, high), written last.
          Value falling = arith::AndIOp::create(
              b, l, cmp(arith::CmpFPredicate::OLE, center, j),
              cmp(arith::CmpFPredicate::OLT, j, high));
          Value fallingValue = ratio(arith::SubFOp::create(b, l, high, j),
                                     arith::SubFOp::create(b, l, high, center));
          Value value = arith::SelectOp::create(
              b, l, falling, fallingValue,
              arith::SelectOp::create(b, l, rising, risingValue, zero));
          return convertFloat(b, l, value, resultType.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void exaforge::populateGraphSignalToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DFTLowering, STFTLowering, CosineSumWindowLowering,
               MelWeightMatrixLowering>(patterns.getContext());
}
