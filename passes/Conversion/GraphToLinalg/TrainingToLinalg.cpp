//===- TrainingToLinalg.cpp - Training-mode ops to linalg -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the ops of GraphTrainingOps.td:
//  - BatchNormalization in training mode: two reductions per channel (the
//    mean, then the population variance around it), one elementwise generic
//    for the output and one for the running statistics;
//  - the optimizers Adagrad, Adam and Momentum: one elementwise generic per
//    op with one result per updated tensor; the rate and step scalars are
//    read once, ahead of it;
//  - Dropout: one elementwise generic that draws a uniform number per
//    element from a counter-based generator (SplitMix64 of the seed and the
//    element's row-major index), so the lowering needs no state and every
//    element is independent of the others (the loops may run in any order
//    and on any thread).
// f16/bf16 values are computed in f32 and truncated back.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the type in which values of `elementType` are computed: f32 for
/// floats narrower than 32 bits, the type itself otherwise.
Type getComputeType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// Reads the one element of `tensor` (a scalar or a tensor of unit
/// dimensions).
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return tensor::ExtractOp::create(b, loc, tensor,
                                   SmallVector<Value>(rank, zero));
}

/// Reads the one element of the float tensor `tensor`, converted to `type`.
Value extractFloatScalar(OpBuilder &b, Location loc, Value tensor, Type type) {
  return convertFloat(b, loc, extractScalar(b, loc, tensor), type);
}

/// Builds the body of an elementwise generic from its input elements and
/// returns one value per result.
using MultiResultBodyBuilder = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange)>;

/// Creates one all-parallel `linalg.generic` over the shape of `inputs[0]`
/// that reads every input (all of that shape) elementwise and produces one
/// tensor of that shape per entry of `resultTypes` (element types). Inputs
/// whose static shape differs in staticness are cast to the first's type.
SmallVector<Value> createElementwiseGeneric(OpBuilder &b, Location loc,
                                            ValueRange inputs,
                                            TypeRange resultTypes,
                                            MultiResultBodyBuilder body) {
  auto shapeType = cast<RankedTensorType>(inputs[0].getType());
  SmallVector<Value> operands;
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    RankedTensorType wanted = shapeType.clone(type.getElementType());
    operands.push_back(type == wanted
                           ? input
                           : tensor::CastOp::create(b, loc, wanted, input));
  }
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < shapeType.getRank(); ++i)
    if (shapeType.isDynamicDim(i))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, inputs[0], i));
  SmallVector<Value> inits;
  SmallVector<Type> types;
  for (Type elementType : resultTypes) {
    types.push_back(shapeType.clone(elementType));
    inits.push_back(createEmptyTensor(
        b, loc, cast<RankedTensorType>(types.back()), dynamicSizes));
  }
  int64_t rank = shapeType.getRank();
  SmallVector<AffineMap> maps(operands.size() + inits.size(),
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, types, operands, inits, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(
            nested, nestedLoc,
            body(nested, nestedLoc, args.take_front(operands.size())));
      });
  return SmallVector<Value>(generic.getResults());
}

/// Replaces `op` by `values`, cast to the op's result types.
void replaceWithResults(ConversionPatternRewriter &rewriter, Operation *op,
                        ArrayRef<Value> values) {
  SmallVector<Value> results;
  for (auto [value, type] : llvm::zip_equal(values, op->getResultTypes()))
    results.push_back(castToType(rewriter, op->getLoc(), value,
                                 cast<RankedTensorType>(type)));
  rewriter.replaceOp(op, results);
}

/// Small arithmetic builder for the scalar bodies below.
struct Arith {
  OpBuilder &b;
  Location loc;
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }
  Value constant(Type type, double value) {
    return createScalarConstant(b, loc, type, value);
  }
  /// `x` converted to `type`.
  Value to(Value x, Type type) { return convertFloat(b, loc, x, type); }
};

/// The f32 attribute `attr` as a constant of `type`.
Value attrConstant(OpBuilder &b, Location loc, FloatAttr attr, Type type) {
  return createScalarConstant(b, loc, type, attr.getValueAsDouble());
}

//===----------------------------------------------------------------------===//
// BatchNormalization (training mode)
//===----------------------------------------------------------------------===//

/// Lowers training-mode BatchNormalization: `sum(x)` per channel, then
/// `sum((x - mean)^2)` per channel (two passes, for accuracy), both divided
/// by the number of elements per channel; then the normalized output and
/// the running statistics.
struct BatchNormalizationTrainingLowering
    : OpConversionPattern<graph::BatchNormalizationTrainingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::BatchNormalizationTrainingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    Arith a{rewriter, loc};

    // The number of elements per channel, as a float.
    Value count = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t i = 0; i < rank; ++i)
      if (i != 1)
        count = arith::MulIOp::create(
            rewriter, loc, count, tensor::DimOp::create(rewriter, loc, input, i));
    Value countFloat = arith::UIToFPOp::create(
        rewriter, loc, computeType,
        arith::IndexCastUIOp::create(rewriter, loc, rewriter.getI64Type(),
                                     count));

    // Per-channel reductions over every dimension but 1.
    SmallVector<Value> channelSizes;
    if (type.isDynamicDim(1))
      channelSizes.push_back(tensor::DimOp::create(rewriter, loc, input, 1));
    auto channelType =
        RankedTensorType::get({type.getDimSize(1)}, computeType);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, context));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    iterators[1] = utils::IteratorType::parallel;
    auto reduce = [&](ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                      ScalarBodyBuilder term) {
      Value zero = a.constant(computeType, 0.0);
      Value init =
          createFilledTensor(rewriter, loc, channelType, channelSizes, zero);
      SmallVector<AffineMap> maps(inputMaps);
      maps.push_back(channel);
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{channelType}, inputs, ValueRange{init},
          maps, iterators,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
            Value value = term(b, bodyLoc, args.drop_back());
            linalg::YieldOp::create(
                b, bodyLoc,
                ValueRange{arith::AddFOp::create(b, bodyLoc, args.back(),
                                                 value)});
          });
      // Divide by the count: an elementwise generic over the channels.
      return createElementwiseGeneric(
          rewriter, loc, generic.getResult(0), computeType,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
            return SmallVector<Value>{
                arith::DivFOp::create(b, bodyLoc, args[0], countFloat)};
          })[0];
    };
    Value mean = reduce({input}, {identity},
                        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
                          return convertFloat(b, bodyLoc, args[0], computeType);
                        });
    Value variance = reduce(
        {input, mean}, {identity, channel},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value centered = arith::SubFOp::create(
              b, bodyLoc, convertFloat(b, bodyLoc, args[0], computeType),
              args[1]);
          return arith::MulFOp::create(b, bodyLoc, centered, centered)
              .getResult();
        });

    // The output: (x - mean) / sqrt(var + epsilon) * scale + bias.
    Value epsilon = attrConstant(rewriter, loc, op.getEpsilonAttr(), computeType);
    SmallVector<Value> outputDynamicSizes;
    for (int64_t i = 0; i < rank; ++i)
      if (type.isDynamicDim(i))
        outputDynamicSizes.push_back(
            tensor::DimOp::create(rewriter, loc, input, i));
    Value outputInit =
        createEmptyTensor(rewriter, loc, type, outputDynamicSizes);
    auto castToChannels = [&](Value vector) {
      auto vectorType = cast<RankedTensorType>(vector.getType());
      RankedTensorType wanted = RankedTensorType::get(
          {type.getDimSize(1)}, vectorType.getElementType());
      return vectorType == wanted
                 ? vector
                 : tensor::CastOp::create(rewriter, loc, wanted, vector)
                       .getResult();
    };
    Value scale = castToChannels(adaptor.getScale());
    Value bias = castToChannels(adaptor.getBias());
    auto normalize = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{input, mean, variance, scale, bias},
        ValueRange{outputInit},
        SmallVector<AffineMap>{identity, channel, channel, channel, channel,
                               identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Arith s{b, bodyLoc};
          Value x = s.to(args[0], computeType);
          Value normalized = s.div(s.sub(x, args[1]),
                                   s.sqrt(s.add(args[2], epsilon)));
          Value result = s.add(s.mul(normalized, s.to(args[3], computeType)),
                               s.to(args[4], computeType));
          linalg::YieldOp::create(b, bodyLoc,
                                  ValueRange{s.to(result, elementType)});
        });

    // The running statistics: input * momentum + batch * (1 - momentum).
    Value momentum =
        attrConstant(rewriter, loc, op.getMomentumAttr(), computeType);
    Value keep = a.sub(a.constant(computeType, 1.0), momentum);
    auto running = [&](Value previous, Value batch) {
      Value previousChannels = castToChannels(previous);
      Type previousType =
          cast<RankedTensorType>(previous.getType()).getElementType();
      return createElementwiseGeneric(
          rewriter, loc, {batch, previousChannels}, previousType,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
            Arith s{b, bodyLoc};
            Value updated =
                s.add(s.mul(s.to(args[1], computeType), momentum),
                      s.mul(args[0], keep));
            return SmallVector<Value>{s.to(updated, previousType)};
          })[0];
    };
    replaceWithResults(rewriter, op,
                       {normalize.getResult(0),
                        running(adaptor.getInputMean(), mean),
                        running(adaptor.getInputVar(), variance)});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

/// Returns 64 random bits for the counter `counter` (i64) under `seed`
/// (i64): SplitMix64's output function applied to
/// `seed + (counter + 1) * 0x9E3779B97F4A7C15`. Counter-based: the bits of
/// one element depend on nothing but the seed and its index.
Value createRandomBits(OpBuilder &b, Location loc, Value seed, Value counter) {
  Type i64 = b.getI64Type();
  auto constant = [&](uint64_t value) {
    return arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(i64, static_cast<int64_t>(value)));
  };
  auto xorShift = [&](Value z, uint64_t shift) {
    return arith::XOrIOp::create(
        b, loc, z, arith::ShRUIOp::create(b, loc, z, constant(shift)));
  };
  Value next = arith::AddIOp::create(b, loc, counter, constant(1));
  Value z = arith::AddIOp::create(
      b, loc, seed,
      arith::MulIOp::create(b, loc, next, constant(0x9E3779B97F4A7C15ull)));
  z = arith::MulIOp::create(b, loc, xorShift(z, 30),
                            constant(0xBF58476D1CE4E5B9ull));
  z = arith::MulIOp::create(b, loc, xorShift(z, 27),
                            constant(0x94D049BB133111EBull));
  return xorShift(z, 31);
}

/// Returns a uniform f64 in [0, 1) from the top 53 of the 64 random `bits`.
Value createUniformDouble(OpBuilder &b, Location loc, Value bits) {
  Value top = arith::ShRUIOp::create(
      b, loc, bits,
      arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(11)));
  Value asDouble = arith::UIToFPOp::create(b, loc, b.getF64Type(), top);
  return arith::MulFOp::create(
      b, loc, asDouble,
      arith::ConstantOp::create(b, loc, b.getF64FloatAttr(0x1.0p-53)));
}

/// Lowers Dropout: element `i` (row-major) is kept when its uniform draw is
/// at least the ratio (or in inference mode), and then scaled by
/// `1 / (1 - ratio)`.
struct DropoutLowering : OpConversionPattern<graph::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    Arith a{rewriter, loc};

    Value ratio = extractScalar(rewriter, loc, adaptor.getRatio());
    Value ratio64 = a.to(ratio, rewriter.getF64Type());
    Value training = adaptor.getTrainingMode()
                         ? extractScalar(rewriter, loc, adaptor.getTrainingMode())
                         : arith::ConstantOp::create(rewriter, loc,
                                                     rewriter.getBoolAttr(true))
                               .getResult();
    // 1 / (1 - ratio) in training mode, 1 otherwise.
    Value one = a.constant(computeType, 1.0);
    Value scale = arith::SelectOp::create(
        rewriter, loc, training,
        a.div(one, a.sub(one, a.to(ratio, computeType))), one);
    Value seed = arith::ConstantOp::create(rewriter, loc, op.getSeedAttr());
    SmallVector<Value> dims;
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(tensor::DimOp::create(rewriter, loc, input, i));

    SmallVector<Value> results = createElementwiseGeneric(
        rewriter, loc, input, {elementType, rewriter.getI1Type()},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          // The row-major index of the element.
          Value index = arith::ConstantIndexOp::create(b, bodyLoc, 0);
          for (int64_t i = 0; i < rank; ++i)
            index = arith::AddIOp::create(
                b, bodyLoc, arith::MulIOp::create(b, bodyLoc, index, dims[i]),
                linalg::IndexOp::create(b, bodyLoc, i));
          Value counter = arith::IndexCastUIOp::create(b, bodyLoc,
                                                       b.getI64Type(), index);
          Value draw = createUniformDouble(
              b, bodyLoc, createRandomBits(b, bodyLoc, seed, counter));
          Value drawn = arith::CmpFOp::create(
              b, bodyLoc, arith::CmpFPredicate::OGE, draw, ratio64);
          Value notTraining = arith::XOrIOp::create(
              b, bodyLoc, training,
              arith::ConstantOp::create(b, bodyLoc, b.getBoolAttr(true)));
          Value keep = arith::OrIOp::create(b, bodyLoc, drawn, notTraining);
          Arith s{b, bodyLoc};
          Value scaled = s.to(s.mul(s.to(args[0], computeType), scale),
                              elementType);
          Value zero = createScalarConstant(b, bodyLoc, elementType, 0.0);
          return SmallVector<Value>{
              arith::SelectOp::create(b, bodyLoc, keep, scaled, zero), keep};
        });
    replaceWithResults(rewriter, op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

/// The scalars every optimizer reads: the rate in the compute type, the
/// step as an i64 and as a float of the compute type, and whether the step
/// is positive.
struct OptimizerScalars {
  Value rate, step, stepFloat, stepPositive;
};

/// Reads the rate and step operands of an optimizer.
OptimizerScalars readOptimizerScalars(OpBuilder &b, Location loc, Value rate,
                                      Value step, Type computeType) {
  OptimizerScalars scalars;
  scalars.rate = extractFloatScalar(b, loc, rate, computeType);
  scalars.step = extractScalar(b, loc, step);
  scalars.stepFloat =
      arith::SIToFPOp::create(b, loc, computeType, scalars.step);
  scalars.stepPositive = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::sgt, scalars.step,
      arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0)));
  return scalars;
}

/// The element type of an optimizer's tensor `x`.
Type getElementType(Value x) {
  return cast<RankedTensorType>(x.getType()).getElementType();
}

/// Lowers Adagrad (see GraphTrainingOps.td for the update rule).
struct AdagradLowering : OpConversionPattern<graph::AdagradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::AdagradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type elementType = getElementType(adaptor.getX());
    Type computeType = getComputeType(elementType);
    Arith a{rewriter, loc};
    OptimizerScalars scalars = readOptimizerScalars(
        rewriter, loc, adaptor.getRate(), adaptor.getStep(), computeType);
    // r = R / (1 + T * decay_factor)
    Value decay =
        attrConstant(rewriter, loc, op.getDecayFactorAttr(), computeType);
    Value rate = a.div(scalars.rate,
                       a.add(a.constant(computeType, 1.0),
                             a.mul(scalars.stepFloat, decay)));
    Value epsilon = attrConstant(rewriter, loc, op.getEpsilonAttr(), computeType);
    Value norm =
        attrConstant(rewriter, loc, op.getNormCoefficientAttr(), computeType);
    SmallVector<Value> results = createElementwiseGeneric(
        rewriter, loc,
        {adaptor.getX(), adaptor.getGradient(), adaptor.getAccumulated()},
        {elementType, elementType},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Arith s{b, bodyLoc};
          Value x = s.to(args[0], computeType);
          Value g = s.add(s.mul(norm, x), s.to(args[1], computeType));
          Value h = s.add(s.to(args[2], computeType), s.mul(g, g));
          Value xNew =
              s.sub(x, s.div(s.mul(rate, g), s.add(s.sqrt(h), epsilon)));
          return SmallVector<Value>{s.to(xNew, elementType),
                                    s.to(h, elementType)};
        });
    replaceWithResults(rewriter, op, results);
    return success();
  }
};

/// Lowers Adam (see GraphTrainingOps.td for the update rule).
struct AdamLowering : OpConversionPattern<graph::AdamOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::AdamOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type elementType = getElementType(adaptor.getX());
    Type computeType = getComputeType(elementType);
    Arith a{rewriter, loc};
    OptimizerScalars scalars = readOptimizerScalars(
        rewriter, loc, adaptor.getRate(), adaptor.getStep(), computeType);
    Value alpha = attrConstant(rewriter, loc, op.getAlphaAttr(), computeType);
    Value beta = attrConstant(rewriter, loc, op.getBetaAttr(), computeType);
    Value one = a.constant(computeType, 1.0);
    // With bias correction from step 1 on:
    // r = R * sqrt(1 - beta^T) / (1 - alpha^T).
    Value corrected = a.div(
        a.mul(scalars.rate,
              a.sqrt(a.sub(one, math::PowFOp::create(rewriter, loc, beta,
                                                     scalars.stepFloat)))),
        a.sub(one, math::PowFOp::create(rewriter, loc, alpha,
                                        scalars.stepFloat)));
    Value rate = arith::SelectOp::create(rewriter, loc, scalars.stepPositive,
                                         corrected, scalars.rate);
    Value epsilon = attrConstant(rewriter, loc, op.getEpsilonAttr(), computeType);
    Value norm =
        attrConstant(rewriter, loc, op.getNormCoefficientAttr(), computeType);
    Value keep = a.sub(
        one, attrConstant(rewriter, loc, op.getNormCoefficientPostAttr(),
                          computeType));
    Value oneMinusAlpha = a.sub(one, alpha);
    Value oneMinusBeta = a.sub(one, beta);
    SmallVector<Value> results = createElementwiseGeneric(
        rewriter, loc,
        {adaptor.getX(), adaptor.getGradient(), adaptor.getVelocity(),
         adaptor.getAccumulated()},
        {elementType, elementType, elementType},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Arith s{b, bodyLoc};
          Value x = s.to(args[0], computeType);
          Value g = s.add(s.mul(norm, x), s.to(args[1], computeType));
          Value v = s.add(s.mul(alpha, s.to(args[2], computeType)),
                          s.mul(oneMinusAlpha, g));
          Value h = s.add(s.mul(beta, s.to(args[3], computeType)),
                          s.mul(oneMinusBeta, s.mul(g, g)));
          Value step = s.mul(rate, s.div(v, s.add(s.sqrt(h), epsilon)));
          Value xNew = s.mul(keep, s.sub(x, step));
          return SmallVector<Value>{s.to(xNew, elementType),
                                    s.to(v, elementType),
                                    s.to(h, elementType)};
        });
    replaceWithResults(rewriter, op, results);
    return success();
  }
};

/// Lowers Momentum, standard or Nesterov (see GraphTrainingOps.td).
struct MomentumLowering : OpConversionPattern<graph::MomentumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MomentumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type elementType = getElementType(adaptor.getX());
    Type computeType = getComputeType(elementType);
    Arith a{rewriter, loc};
    OptimizerScalars scalars = readOptimizerScalars(
        rewriter, loc, adaptor.getRate(), adaptor.getStep(), computeType);
    Value alpha = attrConstant(rewriter, loc, op.getAlphaAttr(), computeType);
    // The gradient's weight: beta from step 1 on, 1 at step 0.
    Value beta = arith::SelectOp::create(
        rewriter, loc, scalars.stepPositive,
        attrConstant(rewriter, loc, op.getBetaAttr(), computeType),
        a.constant(computeType, 1.0));
    Value norm =
        attrConstant(rewriter, loc, op.getNormCoefficientAttr(), computeType);
    bool nesterov = op.getNesterov();
    SmallVector<Value> results = createElementwiseGeneric(
        rewriter, loc,
        {adaptor.getX(), adaptor.getGradient(), adaptor.getVelocity()},
        {elementType, elementType},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Arith s{b, bodyLoc};
          Value x = s.to(args[0], computeType);
          Value g = s.add(s.mul(norm, x), s.to(args[1], computeType));
          Value v = s.add(s.mul(alpha, s.to(args[2], computeType)),
                          s.mul(beta, g));
          Value direction = nesterov ? s.add(g, s.mul(alpha, v)) : v;
          Value xNew = s.sub(x, s.mul(scalars.rate, direction));
          return SmallVector<Value>{s.to(xNew, elementType),
                                    s.to(v, elementType)};
        });
    replaceWithResults(rewriter, op, results);
    return success();
  }
};

} // namespace

void exaforge::populateGraphTrainingToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormalizationTrainingLowering, DropoutLowering,
               AdagradLowering, AdamLowering, MomentumLowering>(
      patterns.getContext());
}
