//===- SamplingToLinalg.cpp - GridSample and RoiAlign to linalg -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers GridSample and RoiAlign to gather-style `linalg.generic`s: one
// all-parallel loop nest over the result whose body computes the sampling
// coordinates, reads the pixels around them with `tensor.extract` (indices
// clamped into the image, so every read stays inside its buffer) and
// interpolates. RoiAlign's number of samples per bin may depend on the
// region's size, so its body loops over the samples with `scf.for`.
// Arithmetic is in f32 (or the element type when wider), as the ONNX
// reference implementations compute.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

/// Scalar arithmetic on floats of one type and on `index` values, to keep
/// the interpolation formulas readable.
struct ScalarMath {
  OpBuilder &b;
  Location loc;
  Type floatType;

  Value constant(double value) const {
    return createScalarConstant(b, loc, floatType, value);
  }
  Value index(int64_t value) const {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value x, Value y) const {
    return arith::AddFOp::create(b, loc, x, y);
  }
  Value sub(Value x, Value y) const {
    return arith::SubFOp::create(b, loc, x, y);
  }
  Value mul(Value x, Value y) const {
    return arith::MulFOp::create(b, loc, x, y);
  }
  Value div(Value x, Value y) const {
    return arith::DivFOp::create(b, loc, x, y);
  }
  Value min(Value x, Value y) const {
    return arith::MinimumFOp::create(b, loc, x, y);
  }
  Value max(Value x, Value y) const {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value floor(Value x) const { return math::FloorOp::create(b, loc, x); }
  Value less(Value x, Value y) const {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value select(Value condition, Value x, Value y) const {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  /// The float `x` truncated towards zero, as an `index`.
  Value toIndex(Value x) const {
    Value integer = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), integer);
  }
  /// The `index` `i` as a float.
  Value toFloat(Value i) const {
    Value integer = arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
    return arith::SIToFPOp::create(b, loc, floatType, integer);
  }
  /// `i` clamped into [0, size - 1] (`index` values).
  Value clampIndex(Value i, Value size) const {
    Value last = arith::SubIOp::create(b, loc, size, index(1));
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, i, index(0)), last);
  }
  /// Whether the `index` `i` is in [0, size).
  Value inRange(Value i, Value size) const {
    Value nonNegative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i, index(0));
    Value below =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, size);
    return arith::AndIOp::create(b, loc, nonNegative, below);
  }
};

/// The type image sampling computes in for `elementType`.
Type getComputeType(OpBuilder &b, Type elementType) {
  return elementType.getIntOrFloatBitWidth() > 32 ? elementType
                                                  : b.getF32Type();
}

//===----------------------------------------------------------------------===//
// GridSample
//===----------------------------------------------------------------------===//

/// Reflects `x` into [low, high] by mirroring at the borders as often as
/// needed (the ONNX reference's `_gs_reflect`).
Value reflect(const ScalarMath &m, Value x, Value low, Value high) {
  Value range = m.sub(high, low);
  auto mirror = [&](Value distance, Value near, Value far, bool nearIsLow) {
    Value periods = m.floor(m.div(distance, range));
    Value rest = m.sub(distance, m.mul(periods, range));
    Value half = m.mul(periods, m.constant(0.5));
    Value even = arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::OEQ,
                                       m.floor(half), half);
    Value fromNear = nearIsLow ? m.add(near, rest) : m.sub(near, rest);
    Value fromFar = nearIsLow ? m.sub(far, rest) : m.add(far, rest);
    return m.select(even, fromNear, fromFar);
  };
  Value belowLow = m.less(x, low);
  Value aboveHigh = m.less(high, x);
  return m.select(
      belowLow, mirror(m.sub(low, x), low, high, true),
      m.select(aboveHigh, mirror(m.sub(x, high), high, low, false), x));
}

/// The cubic convolution weights (a = -0.75) of the four pixels around a
/// point at distance `t` in [0, 1) past the second one.
std::array<Value, 4> getCubicWeights(const ScalarMath &m, Value t) {
  constexpr double a = -0.75;
  auto far = [&](Value x) { // 1 <= x < 2
    return m.sub(
        m.mul(m.add(m.mul(m.sub(m.mul(m.constant(a), x), m.constant(5 * a)), x),
                    m.constant(8 * a)),
              x),
        m.constant(4 * a));
  };
  auto near = [&](Value x) { // 0 <= x < 1
    return m.add(
        m.mul(m.mul(m.sub(m.mul(m.constant(a + 2), x), m.constant(a + 3)), x),
              x),
        m.constant(1.0));
  };
  Value one = m.constant(1.0), two = m.constant(2.0);
  return {far(m.add(t, one)), near(t), near(m.sub(one, t)), far(m.sub(two, t))};
}

/// graph.grid_sample -> a `linalg.generic` over the result that maps each
/// grid point to pixel coordinates, applies the padding mode and
/// interpolates the pixels around it (the ONNX reference's algorithm).
struct GridSampleLowering : OpConversionPattern<graph::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value grid = adaptor.getGrid();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Type computeType = getComputeType(rewriter, elementType);
    bool alignCorners = op.getAlignCorners();
    StringRef mode = op.getMode();
    StringRef padding = op.getPaddingMode();
    Value height = tensor::DimOp::create(rewriter, loc, input, 2);
    Value width = tensor::DimOp::create(rewriter, loc, input, 3);
    SmallVector<OpFoldResult> sizes = {
        tensor::DimOp::create(rewriter, loc, input, 0).getResult(),
        tensor::DimOp::create(rewriter, loc, input, 1).getResult(),
        tensor::DimOp::create(rewriter, loc, grid, 1).getResult(),
        tensor::DimOp::create(rewriter, loc, grid, 2).getResult()};
    Value result = createIndexedCopy(
        rewriter, loc, resultType, sizes,
        [&](OpBuilder &b, Location l, ArrayRef<Value> at) {
          ScalarMath m{b, l, computeType};
          Value n = at[0], c = at[1];
          auto gridValue = [&](int64_t component) {
            return convertFloat(
                b, l,
                tensor::ExtractOp::create(
                    b, l, grid,
                    ValueRange{n, at[2], at[3], m.index(component)}),
                computeType);
          };
          // Pixel coordinates of the grid point, then the padding mode.
          auto toPixel = [&](Value normalized, Value size) {
            Value sizeFloat = m.toFloat(size);
            Value one = m.constant(1.0);
            if (alignCorners)
              return m.mul(m.mul(m.add(normalized, one), m.constant(0.5)),
                           m.sub(sizeFloat, one));
            return m.mul(m.sub(m.mul(m.add(normalized, one), sizeFloat), one),
                         m.constant(0.5));
          };
          auto borders = [&](Value size) -> std::pair<Value, Value> {
            Value sizeFloat = m.toFloat(size);
            if (alignCorners)
              return {m.constant(0.0), m.sub(sizeFloat, m.constant(1.0))};
            return {m.constant(-0.5), m.sub(sizeFloat, m.constant(0.5))};
          };
          auto applyPadding = [&](Value x, Value size) {
            auto [low, high] = borders(size);
            if (padding == "border") {
              // Only coordinates outside the borders are clamped.
              Value outside =
                  arith::OrIOp::create(b, l, m.less(x, low), m.less(high, x));
              Value clamped =
                  m.max(m.min(x, m.sub(m.toFloat(size), m.constant(1.0))),
                        m.constant(0.0));
              return m.select(outside, clamped, x);
            }
            if (padding == "reflection")
              return reflect(m, x, low, high);
            return x;
          };
          Value x = toPixel(gridValue(0), width);
          Value y = toPixel(gridValue(1), height);
          if (mode == "nearest") {
            x = math::RoundEvenOp::create(b, l, x);
            y = math::RoundEvenOp::create(b, l, y);
          }
          x = applyPadding(x, width);
          y = applyPadding(y, height);
          // The pixel at integer coordinates, with the padding mode.
          auto pixelIndex = [&](Value i,
                                Value size) -> std::pair<Value, Value> {
            if (padding == "zeros")
              return {m.clampIndex(i, size), m.inRange(i, size)};
            if (padding == "reflection") {
              auto [low, high] = borders(size);
              i = m.toIndex(reflect(m, m.toFloat(i), low, high));
            }
            return {m.clampIndex(i, size), Value()};
          };
          auto pixel = [&](Value row, Value column) -> Value {
            auto [r, rowValid] = pixelIndex(row, height);
            auto [q, columnValid] = pixelIndex(column, width);
            Value value = convertFloat(
                b, l,
                tensor::ExtractOp::create(b, l, input, ValueRange{n, c, r, q}),
                computeType);
            if (!rowValid)
              return value;
            Value valid = arith::AndIOp::create(b, l, rowValid, columnValid);
            return m.select(valid, value, m.constant(0.0));
          };
          Value value;
          if (mode == "nearest") {
            value = pixel(m.toIndex(y), m.toIndex(x));
          } else {
            Value x0 = m.floor(x), y0 = m.floor(y);
            Value tx = m.sub(x, x0), ty = m.sub(y, y0);
            SmallVector<Value> wx, wy;
            int64_t first = 0;
            if (mode == "bilinear") {
              wx = {m.sub(m.constant(1.0), tx), tx};
              wy = {m.sub(m.constant(1.0), ty), ty};
            } else {
              std::array<Value, 4> cx = getCubicWeights(m, tx);
              std::array<Value, 4> cy = getCubicWeights(m, ty);
              wx.assign(cx.begin(), cx.end());
              wy.assign(cy.begin(), cy.end());
              first = -1;
            }
            Value column0 = m.toIndex(x0), row0 = m.toIndex(y0);
            value = m.constant(0.0);
            for (size_t i = 0; i < wy.size(); ++i) {
              Value row = arith::AddIOp::create(
                  b, l, row0, m.index(first + static_cast<int64_t>(i)));
              Value rowSum = m.constant(0.0);
              for (size_t j = 0; j < wx.size(); ++j) {
                Value column = arith::AddIOp::create(
                    b, l, column0, m.index(first + static_cast<int64_t>(j)));
                rowSum = m.add(rowSum, m.mul(wx[j], pixel(row, column)));
              }
              value = m.add(value, m.mul(wy[i], rowSum));
            }
          }
          return convertFloat(b, l, value, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// RoiAlign
//===----------------------------------------------------------------------===//

/// graph.roi_align -> a `linalg.generic` over the result whose body loops
/// over the bin's samples (`scf.for`), interpolating each bilinearly as the
/// ONNX reference does (samples more than a pixel outside the image count
/// as zero; coordinates are clamped at the last row and column).
struct RoiAlignLowering : OpConversionPattern<graph::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value rois = adaptor.getRois();
    Value batchIndices = adaptor.getBatchIndices();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Type computeType = getComputeType(rewriter, elementType);
    bool halfPixel = op.getCoordinateTransformationMode() == "half_pixel";
    bool isMax = op.getMode() == "max";
    int64_t pooledHeight = op.getOutputHeight();
    int64_t pooledWidth = op.getOutputWidth();
    int64_t samplingRatio = op.getSamplingRatio();
    double spatialScale = op.getSpatialScale().convertToDouble();
    Value batches = tensor::DimOp::create(rewriter, loc, input, 0);
    Value height = tensor::DimOp::create(rewriter, loc, input, 2);
    Value width = tensor::DimOp::create(rewriter, loc, input, 3);
    SmallVector<OpFoldResult> sizes = {
        tensor::DimOp::create(rewriter, loc, rois, 0).getResult(),
        tensor::DimOp::create(rewriter, loc, input, 1).getResult(),
        rewriter.getIndexAttr(pooledHeight),
        rewriter.getIndexAttr(pooledWidth)};
    Value result = createIndexedCopy(
        rewriter, loc, resultType, sizes,
        [&](OpBuilder &b, Location l, ArrayRef<Value> at) {
          ScalarMath m{b, l, computeType};
          Value roi = at[0], c = at[1];
          Value batch = arith::IndexCastOp::create(
              b, l, b.getIndexType(),
              tensor::ExtractOp::create(b, l, batchIndices, ValueRange{roi}));
          batch = m.clampIndex(batch, batches);
          Value offset = m.constant(halfPixel ? 0.5 : 0.0);
          auto corner = [&](int64_t k) {
            Value value =
                convertFloat(b, l,
                             tensor::ExtractOp::create(
                                 b, l, rois, ValueRange{roi, m.index(k)}),
                             computeType);
            return m.sub(m.mul(value, m.constant(spatialScale)), offset);
          };
          Value startX = corner(0), startY = corner(1);
          Value roiWidth = m.sub(corner(2), startX);
          Value roiHeight = m.sub(corner(3), startY);
          if (!halfPixel) {
            roiWidth = m.max(roiWidth, m.constant(1.0));
            roiHeight = m.max(roiHeight, m.constant(1.0));
          }
          Value binHeight = m.div(roiHeight, m.constant(pooledHeight));
          Value binWidth = m.div(roiWidth, m.constant(pooledWidth));
          auto gridSize = [&](Value binSize) -> Value {
            if (samplingRatio > 0)
              return m.index(samplingRatio);
            return m.toIndex(math::CeilOp::create(b, l, binSize));
          };
          Value gridHeight = gridSize(binHeight);
          Value gridWidth = gridSize(binWidth);
          Value count = m.max(
              m.toFloat(arith::MulIOp::create(b, l, gridHeight, gridWidth)),
              m.constant(1.0));
          Value binY = m.add(startY, m.mul(m.toFloat(at[2]), binHeight));
          Value binX = m.add(startX, m.mul(m.toFloat(at[3]), binWidth));
          Value heightFloat = m.toFloat(height);
          Value widthFloat = m.toFloat(width);
          // One sample's interpolation: the four weighted pixels.
          auto sample = [&](OpBuilder &nb, Location nl, Value iy,
                            Value ix) -> SmallVector<Value> {
            ScalarMath s{nb, nl, computeType};
            Value half = s.constant(0.5);
            Value y =
                s.add(binY, s.div(s.mul(s.add(s.toFloat(iy), half), binHeight),
                                  s.toFloat(gridHeight)));
            Value x =
                s.add(binX, s.div(s.mul(s.add(s.toFloat(ix), half), binWidth),
                                  s.toFloat(gridWidth)));
            Value outside = arith::OrIOp::create(
                nb, nl,
                arith::OrIOp::create(nb, nl, s.less(y, s.constant(-1.0)),
                                     s.less(heightFloat, y)),
                arith::OrIOp::create(nb, nl, s.less(x, s.constant(-1.0)),
                                     s.less(widthFloat, x)));
            auto lowHigh =
                [&](Value v, Value size,
                    Value sizeFloat) -> std::tuple<Value, Value, Value> {
              v = s.max(v, s.constant(0.0));
              Value last = s.sub(sizeFloat, s.constant(1.0));
              Value atEnd = arith::CmpFOp::create(
                  nb, nl, arith::CmpFPredicate::OGE, s.floor(v), last);
              v = s.select(atEnd, last, v);
              Value low = s.clampIndex(s.toIndex(v), size);
              Value high = s.clampIndex(
                  arith::AddIOp::create(nb, nl, low, s.index(1)), size);
              return {low, high, s.sub(v, s.toFloat(low))};
            };
            auto [yLow, yHigh, ly] = lowHigh(y, height, heightFloat);
            auto [xLow, xHigh, lx] = lowHigh(x, width, widthFloat);
            Value hy = s.sub(s.constant(1.0), ly);
            Value hx = s.sub(s.constant(1.0), lx);
            auto read = [&](Value row, Value column) {
              return convertFloat(
                  nb, nl,
                  tensor::ExtractOp::create(nb, nl, input,
                                            ValueRange{batch, c, row, column}),
                  computeType);
            };
            SmallVector<Value> terms = {
                s.mul(s.mul(hy, hx), read(yLow, xLow)),
                s.mul(s.mul(hy, lx), read(yLow, xHigh)),
                s.mul(s.mul(ly, hx), read(yHigh, xLow)),
                s.mul(s.mul(ly, lx), read(yHigh, xHigh))};
            for (Value &term : terms)
              term = s.select(outside, s.constant(0.0), term);
            return terms;
          };
          // Sum (avg) or maximum (max) over the samples.
          Value init = m.constant(
              isMax ? -std::numeric_limits<double>::infinity() : 0.0);
          Value zero = m.index(0), one = m.index(1);
          auto rows = scf::ForOp::create(
              b, l, zero, gridHeight, one, ValueRange{init},
              [&](OpBuilder &rb, Location rl, Value iy, ValueRange rowArgs) {
                auto columns = scf::ForOp::create(
                    rb, rl, zero, gridWidth, one, rowArgs,
                    [&](OpBuilder &cb, Location cl, Value ix, ValueRange args) {
                      ScalarMath s{cb, cl, computeType};
                      SmallVector<Value> terms = sample(cb, cl, iy, ix);
                      Value next;
                      if (isMax) {
                        next = args[0];
                        for (Value term : terms)
                          next = s.max(next, term);
                      } else {
                        next = args[0];
                        for (Value term : terms)
                          next = s.add(next, term);
                      }
                      scf::YieldOp::create(cb, cl, next);
                    });
                scf::YieldOp::create(rb, rl, columns.getResults());
              });
          Value value = rows.getResult(0);
          if (isMax) {
            Value none = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::eq,
                arith::MulIOp::create(b, l, gridHeight, gridWidth), zero);
            value = m.select(none, m.constant(0.0), value);
          } else {
            value = m.div(value, count);
          }
          return convertFloat(b, l, value, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void exaforge::populateGraphSamplingToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering, RoiAlignLowering>(patterns.getContext());
}
