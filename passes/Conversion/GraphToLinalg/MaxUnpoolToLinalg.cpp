//===- MaxUnpoolToLinalg.cpp - Graph MaxUnpool to loops --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers MaxUnpool, a scatter, which linalg cannot express: the result
// starts as zeros (`linalg.fill`) and an `scf.for` over the input's elements,
// in row-major order, inserts each element at the position its index names
// (a flat index into the whole result, delinearized with index arithmetic).
// Later elements win, as in ONNX's reference. An index outside the result
// fails a run-time check and is skipped.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

/// Returns the row-major coordinates of the flat `index` in a tensor of
/// `sizes` (`index` values).
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value index,
                               ArrayRef<Value> sizes) {
  SmallVector<Value> coordinates(sizes.size());
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    coordinates[d] = arith::RemUIOp::create(b, loc, index, sizes[d]);
    index = arith::DivUIOp::create(b, loc, index, sizes[d]);
  }
  return coordinates;
}

/// Returns the product of `sizes`.
Value getCount(OpBuilder &b, Location loc, ArrayRef<Value> sizes) {
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (Value size : sizes)
    count = arith::MulIOp::create(b, loc, count, size);
  return count;
}

/// Lowers graph.max_unpool (see the file comment).
struct MaxUnpoolLowering : OpConversionPattern<graph::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MaxUnpoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    Value indices = adaptor.getIndices();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = getSignlessTensorType(
        cast<RankedTensorType>(op.getType()));
    if (llvm::any_of(resultType.getShape().drop_front(2),
                     ShapedType::isDynamic))
      return failLowering(rewriter, op,
                          "the spatial dimensions must be static to lower "
                          "MaxUnpool");
    int64_t rank = inputType.getRank();
    SmallVector<Value> inputSizes, resultSizes, dynamicSizes;
    for (int64_t d = 0; d < rank; ++d) {
      inputSizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, tensor::getMixedSizes(rewriter, loc, input)[d]));
      if (d < 2)
        resultSizes.push_back(inputSizes[d]);
      else
        resultSizes.push_back(arith::ConstantIndexOp::create(
            rewriter, loc, resultType.getDimSize(d)));
      if (resultType.isDynamicDim(d))
        dynamicSizes.push_back(resultSizes[d]);
    }
    Value zero = createScalarConstant(rewriter, loc,
                                      resultType.getElementType(), 0.0);
    Value init =
        createFilledTensor(rewriter, loc, resultType, dynamicSizes, zero);
    Value inputCount = getCount(rewriter, loc, inputSizes);
    Value resultCount = getCount(rewriter, loc, resultSizes);
    Value lower = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(
        rewriter, loc, lower, inputCount, step, ValueRange{init},
        [&](OpBuilder &b, Location loopLoc, Value position, ValueRange acc) {
          SmallVector<Value> source =
              delinearize(b, loopLoc, position, inputSizes);
          Value element = tensor::ExtractOp::create(b, loopLoc, input, source);
          Value flat = arith::IndexCastOp::create(
              b, loopLoc, b.getIndexType(),
              tensor::ExtractOp::create(b, loopLoc, indices, source));
          Value inside = arith::AndIOp::create(
              b, loopLoc,
              arith::CmpIOp::create(b, loopLoc, arith::CmpIPredicate::sge,
                                    flat, lower),
              arith::CmpIOp::create(b, loopLoc, arith::CmpIPredicate::slt,
                                    flat, resultCount));
          createRuntimeCheck(b, op, inside,
                             "an index is outside the output");
          auto update = scf::IfOp::create(
              b, loopLoc, inside,
              [&](OpBuilder &tb, Location thenLoc) {
                SmallVector<Value> target =
                    delinearize(tb, thenLoc, flat, resultSizes);
                Value inserted = tensor::InsertOp::create(
                    tb, thenLoc, element, acc[0], target);
                scf::YieldOp::create(tb, thenLoc, inserted);
              },
              [&](OpBuilder &eb, Location elseLoc) {
                scf::YieldOp::create(eb, elseLoc, acc[0]);
              });
          scf::YieldOp::create(b, loopLoc, update.getResult(0));
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, loop.getResult(0),
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void exaforge::populateGraphMaxUnpoolToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MaxUnpoolLowering>(patterns.getContext());
}
