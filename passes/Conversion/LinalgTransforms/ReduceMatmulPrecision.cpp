//===- ReduceMatmulPrecision.cpp - bf16/f16 matmul operands ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `reduce-matmul-precision` (see Passes.td): the f32 matmuls read
// their operands in bf16 or f16 and accumulate into their f32 destination.
// Weights that only matmuls read are converted once, here; other operands
// by an elementwise conversion before the product.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/MapVector.h"

#include <cstring>

namespace exaforge {
#define GEN_PASS_DEF_REDUCEMATMULPRECISION
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {
/// `value` rounded to the nearest `low` value (ties to even), as the bits
/// of that type.
uint16_t roundFloat(float value, FloatType low) {
  if (low.isBF16()) {
    // bf16 is the upper half of an f32: round the lower half away.
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    if ((bits & 0x7fffffffu) > 0x7f800000u)
      return static_cast<uint16_t>((bits >> 16) | 0x0040u); // quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<uint16_t>(bits >> 16);
  }
  APFloat converted(value);
  bool losesInfo = false;
  converted.convert(low.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
  return static_cast<uint16_t>(converted.bitcastToAPInt().getZExtValue());
}

/// `attr`, an f32 dense attribute or dense resource with data, converted to
/// `low` (a dense resource stays one, named `<name>.<low>`); null when its
/// data cannot be read.
ElementsAttr convertElements(ElementsAttr attr, FloatType low) {
  auto type = cast<ShapedType>(attr.getType()).clone(low);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense.mapValues(low, [&](const APFloat &value) {
      return APInt(16, roundFloat(value.convertToFloat(), low));
    });
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  int64_t count = attr.getNumElements();
  if (!blob || blob->getData().size() != count * sizeof(float))
    return {};
  const char *data = blob->getData().data();
  SmallVector<uint16_t> converted(count);
  for (int64_t i = 0; i < count; ++i) {
    float value;
    std::memcpy(&value, data + i * sizeof(float), sizeof(float));
    converted[i] = roundFloat(value, low);
  }
  std::string name;
  llvm::raw_string_ostream(name)
      << resource.getRawHandle().getKey() << "." << low;
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<uint16_t>(converted)));
}

/// Whether `op` is a matmul or batch matmul on tensors whose operands and
/// destination are f32.
bool isF32Matmul(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
      !linalgOp.hasPureTensorSemantics())
    return false;
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    return getElementTypeOrSelf(type).isF32();
  });
}

/// `value` converted to `low` by an elementwise loop.
Value createConversion(OpBuilder &builder, Location loc, Value value,
                       FloatType low) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, value);
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, low);
  AffineMap identity = builder.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      builder, loc, TypeRange{empty.getType()}, ValueRange{value},
      ValueRange{empty}, ArrayRef<AffineMap>{identity, identity}, iterators,
      [&](OpBuilder &body, Location bodyLoc, ValueRange args) {
        Value truncated = arith::TruncFOp::create(body, bodyLoc, low, args[0]);
        linalg::YieldOp::create(body, bodyLoc, truncated);
      });
  return generic.getResult(0);
}

struct ReduceMatmulPrecisionPass
    : exaforge::impl::ReduceMatmulPrecisionBase<ReduceMatmulPrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    FloatType low;
    if (elementType == "bf16")
      low = BFloat16Type::get(context);
    else if (elementType == "f16")
      low = Float16Type::get(context);
    else {
      module.emitError("reduce-matmul-precision: element-type must be bf16 "
                       "or f16, got '")
          << elementType << "'";
      return signalPassFailure();
    }

    SmallVector<Operation *> matmuls;
    module.walk([&](Operation *op) {
      if (isF32Matmul(op))
        matmuls.push_back(op);
    });
    if (failed(convertMatmulOnlyWeights(module, matmuls, low)))
      return signalPassFailure();
    for (Operation *matmul : matmuls)
      rewriteMatmul(matmul, low);
  }

  /// Converts to `low` every f32 weight whose reads all feed operands (not
  /// destinations) of `matmuls`, and retypes its reads.
  LogicalResult convertMatmulOnlyWeights(ModuleOp module,
                                         ArrayRef<Operation *> matmuls,
                                         FloatType low) {
    llvm::SmallPtrSet<Operation *, 16> matmulSet(matmuls.begin(),
                                                 matmuls.end());
    auto readByMatmulsOnly = [&](graph::WeightRefOp ref) {
      return llvm::all_of(ref->getUses(), [&](OpOperand &use) {
        auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
        return user && matmulSet.contains(user) &&
               use.getOperandNumber() < user.getNumDpsInputs();
      });
    };
    llvm::MapVector<StringAttr, SmallVector<graph::WeightRefOp>> reads;
    module.walk([&](graph::WeightRefOp ref) {
      reads[ref.getWeightAttr().getAttr()].push_back(ref);
    });
    SymbolTable symbols(module);
    for (auto &[name, refs] : reads) {
      auto weight = symbols.lookup<graph::WeightOp>(name);
      if (!weight || !weight.getTensorType().getElementType().isF32() ||
          !llvm::all_of(refs, readByMatmulsOnly))
        continue;
      ElementsAttr value = convertElements(weight.getValue(), low);
      if (!value)
        return weight.emitError("cannot read the values of weight ")
               << name << " to convert them to " << low;
      RankedTensorType type = weight.getTensorType().clone(low);
      weight.setType(type);
      weight.setValueAttr(value);
      for (graph::WeightRefOp ref : refs)
        ref.getResult().setType(type);
    }
    return success();
  }

  /// Rebuilds `op` (a matmul of isF32Matmul, whose converted weights are
  /// already `low`) with its operands in `low` and its f32 destination.
  void rewriteMatmul(Operation *op, FloatType low) {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    OpBuilder builder(op);
    Location loc = op->getLoc();
    SmallVector<Value> inputs;
    for (Value input : linalgOp.getDpsInputs()) {
      ElementsAttr constant;
      if (getElementTypeOrSelf(input.getType()) == low)
        inputs.push_back(input); // a converted weight
      else if (matchPattern(input, m_Constant(&constant)) &&
               (constant = convertElements(constant, low)))
        inputs.push_back(
            arith::ConstantOp::create(builder, loc, cast<TypedAttr>(constant)));
      else
        inputs.push_back(createConversion(builder, loc, input, low));
    }
    // The named ops' builders make the body, which extends the operands to
    // the f32 destination.
    SmallVector<NamedAttribute> attributes;
    Value init = linalgOp.getDpsInits()[0];
    Operation *replacement;
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
      if (matmul.hasUserDefinedMaps())
        attributes.push_back(
            builder.getNamedAttr("indexing_maps", matmul.getIndexingMaps()));
      replacement =
          linalg::MatmulOp::create(builder, loc, TypeRange{init.getType()},
                                   inputs, ValueRange{init}, attributes);
    } else {
      auto batch = cast<linalg::BatchMatmulOp>(op);
      if (batch.hasUserDefinedMaps())
        attributes.push_back(
            builder.getNamedAttr("indexing_maps", batch.getIndexingMaps()));
      replacement =
          linalg::BatchMatmulOp::create(builder, loc, TypeRange{init.getType()},
                                        inputs, ValueRange{init}, attributes);
    }
    op->replaceAllUsesWith(replacement);
    op->erase();
  }
};
} // namespace
