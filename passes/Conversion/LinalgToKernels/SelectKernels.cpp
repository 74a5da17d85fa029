//===- SelectKernels.cpp - linalg ops on tensors to kernel ops ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `select-kernels` (see Passes.td): matmuls, convolutions and max
// poolings on tensors become kernel ops, together with what the library
// applies itself, found through SSA use-def chains: the fill of the
// destination, the padding of the input, and the elementwise epilogue of a
// convolution or a matmul. The target (KernelTarget.h) decides which kernel ops
// to keep.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelTarget.h"
#include "passes/Conversion/Passes.h"

#include "dialects/Kernel/KernelOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

namespace exaforge {
#define GEN_PASS_DEF_SELECTKERNELS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

/// A predicate on a constant fill or padding value.
using ValuePredicate = llvm::function_ref<bool(Value)>;

/// Whether `value` is a constant float zero (of either sign).
bool isZeroConstant(Value value) {
  return matchPattern(value, m_AnyZeroFloat());
}

/// Whether `value` is the constant float -infinity.
bool isNegativeInfinityConstant(Value value) {
  APFloat constant(0.0f);
  return matchPattern(value, m_ConstantFloat(&constant)) &&
         constant.isInfinity() && constant.isNegative();
}

/// Returns the tensor that `value` fills when it is a `linalg.fill` of a
/// value accepted by `isValue`: a kernel that overwrites its destination
/// may write that tensor instead. Returns null otherwise.
Value getFilledTensor(Value value, ValuePredicate isValue) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.hasPureTensorSemantics() ||
      !isValue(fill.getInputs().front()))
    return {};
  return fill.getOutputs().front();
}

/// Matches `value` as a `tensor.pad` of the two spatial (last) dimensions
/// of a tensor of rank 4 (NCHW) or more (NGCHW: a grouped convolution's
/// input) by static amounts with a constant accepted by `isValue`; returns
/// the unpadded tensor and sets `padding` to (top, left, bottom, right).
/// Returns `value` and zero padding otherwise.
Value stripSpatialPadding(Value value, ValuePredicate isValue,
                          SmallVectorImpl<int64_t> &padding) {
  padding.assign(4, 0);
  auto pad = value.getDefiningOp<tensor::PadOp>();
  if (!pad)
    return value;
  Value padValue = pad.getConstantPaddingValue();
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  size_t rank = low.size();
  if (!padValue || !isValue(padValue) || rank < 4 ||
      llvm::any_of(llvm::concat<const int64_t>(low, high),
                   ShapedType::isDynamic) ||
      llvm::any_of(
          llvm::concat<const int64_t>(low.drop_back(2), high.drop_back(2)),
          [](int64_t amount) { return amount != 0; }))
    return value;
  padding.assign(
      {low[rank - 2], low[rank - 1], high[rank - 2], high[rank - 1]});
  return pad.getSource();
}

/// Whether every amount of `padding` is zero.
bool isUnpadded(ArrayRef<int64_t> padding) {
  return llvm::all_of(padding, [](int64_t amount) { return amount == 0; });
}

/// Whether `value` is a model weight: (a view of) an argument of its
/// function marked `exaforge.constant_buffer`. Views are casts, slices and
/// reshapes, which bufferize to views of the argument's memory; a collapse
/// of a slice may need a copy and is not followed.
bool isConstantWeight(Value value) {
  bool sliced = false;
  while (Operation *def = value.getDefiningOp()) {
    if (auto cast = dyn_cast<tensor::CastOp>(def)) {
      value = cast.getSource();
    } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      value = expand.getSrc();
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      if (sliced)
        return false;
      value = collapse.getSrc();
    } else if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def)) {
      sliced = true;
      value = slice.getSource();
    } else {
      return false;
    }
  }
  auto arg = cast<BlockArgument>(value);
  auto func = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  return func && arg.getOwner()->isEntryBlock() &&
         func.getArgAttr(arg.getArgNumber(), kConstantBufferAttrName);
}

/// Whether every operand and result of `op` is a ranked tensor.
bool isOnTensors(Operation *op) {
  auto isTensor = [](Type type) { return isa<RankedTensorType>(type); };
  return llvm::all_of(op->getOperandTypes(), isTensor) &&
         llvm::all_of(op->getResultTypes(), isTensor);
}

/// An activation that the convolution kernel applies after its bias and
/// residual (besides ReLU).
enum class ConvActivation { None, Swish, HardSwish };

/// Whether `value` is a float constant equal to `expected` in its type.
bool isFloatConstant(Value value, double expected) {
  APFloat constant(0.0f);
  if (!matchPattern(value, m_ConstantFloat(&constant)))
    return false;
  APFloat wanted(expected);
  bool lost;
  wanted.convert(constant.getSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return constant.bitwiseIsEqual(wanted);
}

/// Returns the only user of `value` when it is an op of type `OpTy` in
/// `body`, else null.
template <typename OpTy> OpTy getOnlyUser(Value value, Block &body) {
  if (!value.hasOneUse())
    return {};
  auto user = dyn_cast<OpTy>(*value.getUsers().begin());
  return user && user->getBlock() == &body ? user : OpTy();
}

/// Whether `op` has `a` and `b` as its two operands, in either order.
bool hasOperands(Operation *op, Value a, Value b) {
  return op->getNumOperands() == 2 &&
         ((op->getOperand(0) == a && op->getOperand(1) == b) ||
          (op->getOperand(0) == b && op->getOperand(1) == a));
}

/// Matches, in `body`, the ops that compute an activation of `x` (which has
/// no other use) as the graph-to-linalg lowering writes it: swish,
/// `x * (1 / (1 + exp(-x)))` (a SiLU: Sigmoid, then Mul), or HardSwish,
/// `x * max(min(x * (1 / 6) + 1 / 2, 1), 0)`. Appends them, in order, to
/// `ops`, and returns the activation (None when nothing matches).
ConvActivation matchActivation(Value x, Block &body,
                               SmallVectorImpl<Operation *> &ops) {
  if (!llvm::hasNItems(x.getUses(), 2))
    return ConvActivation::None;
  // One use is the final product x * gate, the other starts the gate (a
  // HardSwish gate starts with a product too: both orders are tried).
  SmallVector<Operation *> users(x.getUsers());
  for (int first = 0; first < 2; ++first) {
    Operation *product = users[first], *gateStart = users[1 - first];
    if (isa<arith::MulFOp>(product) && product->getBlock() == &body) {
      // Swish: -x, exp, 1 + ., 1 / ., x * .
      if (auto neg = dyn_cast<arith::NegFOp>(gateStart)) {
        auto exp = getOnlyUser<math::ExpOp>(neg.getResult(), body);
        auto add = exp ? getOnlyUser<arith::AddFOp>(exp.getResult(), body)
                       : arith::AddFOp();
        if (add && !hasOperands(add, exp, exp) &&
            isFloatConstant(add->getOperand(0) == exp.getResult()
                                ? add->getOperand(1)
                                : add->getOperand(0),
                            1.0)) {
          auto div = getOnlyUser<arith::DivFOp>(add.getResult(), body);
          if (div && div.getRhs() == add.getResult() &&
              isFloatConstant(div.getLhs(), 1.0) &&
              getOnlyUser<arith::MulFOp>(div.getResult(), body) == product &&
              hasOperands(product, x, div.getResult())) {
            ops.append({neg, exp, add, div, product});
            return ConvActivation::Swish;
          }
        }
      }
      // HardSwish: x * (1 / 6), + 1 / 2, min(., 1), max(., 0), x * .
      if (auto scale = dyn_cast<arith::MulFOp>(gateStart)) {
        Value sixth = scale->getOperand(0) == x ? scale->getOperand(1)
                                                : scale->getOperand(0);
        auto shift = getOnlyUser<arith::AddFOp>(scale.getResult(), body);
        if (!hasOperands(scale, x, x) && isFloatConstant(sixth, 1.0 / 6.0) &&
            shift &&
            hasOperands(shift, scale.getResult(),
                        shift->getOperand(0) == scale.getResult()
                            ? shift->getOperand(1)
                            : shift->getOperand(0)) &&
            isFloatConstant(shift->getOperand(0) == scale.getResult()
                                ? shift->getOperand(1)
                                : shift->getOperand(0),
                            0.5)) {
          auto low = getOnlyUser<arith::MinimumFOp>(shift.getResult(), body);
          auto high =
              low ? getOnlyUser<arith::MaximumFOp>(low.getResult(), body)
                  : arith::MaximumFOp();
          if (low && high && low.getLhs() == shift.getResult() &&
              isFloatConstant(low.getRhs(), 1.0) &&
              high.getLhs() == low.getResult() &&
              isFloatConstant(high.getRhs(), 0.0) &&
              getOnlyUser<arith::MulFOp>(high.getResult(), body) == product &&
              hasOperands(product, x, high.getResult())) {
            ops.append({scale, shift, low, high, product});
            return ConvActivation::HardSwish;
          }
        }
      }
    }
  }
  return ConvActivation::None;
}

/// The terms of an elementwise `linalg.generic` after a convolution or a
/// matmul that the kernel applies itself: in the generic's body, the
/// kernel's element flows through act(. + bias? + residual?) (in that
/// order, each step used once), where the activation `act` is a ReLU, a
/// swish or a HardSwish (matchActivation; the last two for convolutions
/// only), or none.
struct KernelEpilogue {
  linalg::GenericOp generic;
  /// The generic's operand that reads the kernel's result.
  OpOperand *kernelOperand = nullptr;
  /// The per-channel (per-column) bias and the residual (null when
  /// absent).
  Value bias, residual;
  bool relu = false;
  ConvActivation activation = ConvActivation::None;
  /// The `tensor.dim`s of the kernel's result, which may come before the
  /// generic (and so before the kernel, which runs where the generic is):
  /// they must read the sizes of another value of the same shape.
  SmallVector<tensor::DimOp> dims;
  /// The absorbed ops of the body, in order; the last one's result is the
  /// value the kernel computes.
  SmallVector<Operation *> ops;
};

/// The form of a kernel's epilogue: the loops of the generic that index
/// the bias, in order (the output channel of an NCHW convolution; the last
/// dimension of a matmul, or the dimensions its columns were expanded
/// into), and whether the activation may be a swish or a HardSwish (else
/// only a ReLU).
struct EpilogueForm {
  SmallVector<unsigned, 2> biasDims;
  bool gatedActivations;
};

/// Matches the epilogue of the kernel result `result` (a convolution's or
/// a matmul's, or a view of it): its only user (besides `tensor.dim`s of
/// it) is a `linalg.generic` that reads it as an input with an identity map
/// (it may also be an init whose value the body ignores), and whose body
/// starts with act(. + bias? + residual?) on it, as `form` allows.
FailureOr<KernelEpilogue> matchEpilogue(Value result, EpilogueForm form) {
  KernelEpilogue epilogue;
  for (OpOperand &use : result.getUses()) {
    // The sizes of the result (a dynamic batch) are any same-shaped value's.
    if (auto dim = dyn_cast<tensor::DimOp>(use.getOwner())) {
      epilogue.dims.push_back(dim);
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (!generic || (epilogue.generic && generic != epilogue.generic) ||
        !generic.hasPureTensorSemantics())
      return failure();
    epilogue.generic = generic;
    if (generic.isDpsInit(&use)) {
      if (generic.payloadUsesValueFromOperand(&use))
        return failure();
      continue;
    }
    if (epilogue.kernelOperand ||
        !generic.getMatchingIndexingMap(&use).isIdentity())
      return failure();
    epilogue.kernelOperand = &use;
  }
  if (!epilogue.kernelOperand)
    return failure();

  linalg::GenericOp generic = epilogue.generic;
  Block &body = generic.getRegion().front();
  unsigned rank = cast<ShapedType>(result.getType()).getRank();
  SmallVector<AffineExpr, 2> biasExprs;
  for (unsigned dim : form.biasDims) {
    if (dim >= rank)
      return failure();
    biasExprs.push_back(getAffineDimExpr(dim, generic.getContext()));
  }
  AffineMap channelMap =
      AffineMap::get(rank, 0, biasExprs, generic.getContext());
  enum { kBias, kResidual, kRelu, kDone } stage = kBias;
  Value value = generic.getMatchingBlockArgument(epilogue.kernelOperand);
  while (stage != kDone) {
    if (!value.hasOneUse()) {
      if (form.gatedActivations)
        epilogue.activation = matchActivation(value, body, epilogue.ops);
      break;
    }
    Operation *op = *value.getUsers().begin();
    if (op->getBlock() != &body || op->getNumOperands() != 2 ||
        op->getNumResults() != 1)
      break;
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if ((lhs == value) == (rhs == value))
      break;
    Value other = lhs == value ? rhs : lhs;
    if (isa<arith::MaximumFOp>(op)) {
      if (!isZeroConstant(other))
        break;
      epilogue.relu = true;
      stage = kDone;
    } else if (isa<arith::AddFOp>(op)) {
      auto arg = dyn_cast<BlockArgument>(other);
      if (!arg || arg.getOwner() != &body)
        break;
      OpOperand *operand = generic.getMatchingOpOperand(arg);
      AffineMap map = generic.getMatchingIndexingMap(operand);
      if (stage == kBias && generic.isDpsInput(operand) && map == channelMap) {
        epilogue.bias = operand->get();
        stage = kResidual;
      } else if (stage <= kResidual && map.isIdentity() &&
                 operand->get() != result) {
        epilogue.residual = operand->get();
        stage = kRelu;
      } else {
        break;
      }
    } else {
      break;
    }
    epilogue.ops.push_back(op);
    value = op->getResult(0);
  }
  if (epilogue.ops.empty())
    return failure();
  return epilogue;
}

/// Whether the body of the epilogue's generic is nothing but the absorbed
/// terms, with one result of `kernelResultType`: it then computes exactly
/// what the kernel writes.
bool isWholeEpilogue(const KernelEpilogue &epilogue, Type kernelResultType) {
  linalg::GenericOp generic = epilogue.generic;
  Block &body = generic.getRegion().front();
  auto bodyOps = body.without_terminator();
  return generic.getNumResults() == 1 &&
         generic.getResult(0).getType() == kernelResultType &&
         generic.getNumParallelLoops() == generic.getNumLoops() &&
         generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
             .isIdentity() &&
         body.getTerminator()->getOperand(0) ==
             epilogue.ops.back()->getResult(0) &&
         static_cast<size_t>(std::distance(bodyOps.begin(), bodyOps.end())) ==
             epilogue.ops.size();
}

/// Turns the supported linalg ops of a module into kernel ops.
class KernelSelector {
public:
  /// Selects `target`'s kernels.
  KernelSelector(const KernelTarget &target, MLIRContext *context)
      : target(target), rewriter(context) {}

  /// Selects a kernel for `op` when the target has one.
  void select(Operation *op) {
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
      selectMatmul(matmul);
    else if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op))
      selectBatchMatmul(batch);
    else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
      selectConv(conv);
    else if (auto grouped = dyn_cast<linalg::Conv2DNgchwGfchwOp>(op))
      selectGroupedConv(grouped);
    else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(op))
      selectMaxPool(pool);
  }

private:
  /// Keeps `kernelOp` in place of `replaced` (the results of the same
  /// type) when the target accepts it, and then erases what the kernel
  /// absorbed (`absorbed`) when nothing else uses it; erases `kernelOp`
  /// otherwise.
  void commit(Operation *kernelOp, Operation *replaced,
              ArrayRef<Value> absorbed) {
    if (!target.selectKernel(kernelOp)) {
      rewriter.eraseOp(kernelOp);
      return;
    }
    setPreferredLayout(kernelOp);
    rewriter.replaceOp(replaced, kernelOp->getResults());
    eraseIfUnused(absorbed);
  }

  /// Records on `kernelOp`, which the target accepted, the memory order the
  /// target prefers for its activations.
  void setPreferredLayout(Operation *kernelOp) {
    if (!target.prefersChannelsLast(kernelOp))
      return;
    if (auto conv = dyn_cast<kernel::Conv2DOp>(kernelOp))
      conv.setChannelsLast(true);
    else if (auto pool = dyn_cast<kernel::MaxPool2DOp>(kernelOp))
      pool.setChannelsLast(true);
  }

  /// Erases the ops that define `values` when nothing uses them any more
  /// and they have no side effects, and then the producers of their
  /// operands that this leaves unused. The worklist holds ops, each at most
  /// once: two values (or two operands) with the same producer, such as the
  /// zero constant that a fill and a pad both read, must not make it erased
  /// twice (a value of an erased op cannot even be asked for its producer).
  void eraseIfUnused(ArrayRef<Value> values) {
    llvm::SetVector<Operation *> worklist;
    for (Value value : values)
      if (Operation *def = value ? value.getDefiningOp() : nullptr)
        worklist.insert(def);
    while (!worklist.empty()) {
      Operation *def = worklist.pop_back_val();
      if (!isOpTriviallyDead(def))
        continue;
      for (Value operand : def->getOperands())
        if (Operation *producer = operand.getDefiningOp())
          worklist.insert(producer);
      rewriter.eraseOp(def);
    }
  }

  /// Returns the destination of a kernel replacing a linalg op with output
  /// `output`, and whether the kernel adds to it: the tensor a zero fill
  /// fills (the kernel overwrites it), or `output` itself.
  static std::pair<Value, bool> getDestination(Value output) {
    if (Value filled = getFilledTensor(output, isZeroConstant))
      return {filled, false};
    return {output, true};
  }

  /// A `linalg.matmul` with default indexing maps, or maps that read A
  /// and/or B transposed (Gemm's transA/transB).
  void selectMatmul(linalg::MatmulOp op) {
    if (!isOnTensors(op))
      return;
    bool transposeA = false, transposeB = false;
    if (op.hasUserDefinedMaps()) {
      MLIRContext *context = op.getContext();
      AffineExpr m = getAffineDimExpr(0, context);
      AffineExpr n = getAffineDimExpr(1, context);
      AffineExpr k = getAffineDimExpr(2, context);
      auto map = [&](AffineExpr row, AffineExpr column) {
        return AffineMap::get(3, 0, {row, column}, context);
      };
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      if (maps.size() != 3 || maps[2] != map(m, n))
        return;
      transposeA = maps[0] == map(k, m);
      transposeB = maps[1] == map(n, k);
      if ((!transposeA && maps[0] != map(m, k)) ||
          (!transposeB && maps[1] != map(k, n)))
        return;
    }
    createMatmul(op, transposeA, transposeB);
  }

  /// A `linalg.batch_matmul` with default indexing maps.
  void selectBatchMatmul(linalg::BatchMatmulOp op) {
    if (isOnTensors(op) && !op.hasUserDefinedMaps())
      createMatmul(op, /*transposeA=*/false, /*transposeB=*/false);
  }

  /// Replaces the matmul or batch matmul `op` by a `kernel.matmul`, with
  /// the epilogue after it when it overwrites its output
  /// (selectMatmulWithEpilogue).
  void createMatmul(linalg::LinalgOp op, bool transposeA, bool transposeB) {
    Value output = op.getDpsInits()[0];
    auto [init, accumulate] = getDestination(output);
    if (!accumulate &&
        selectMatmulWithEpilogue(op, init, transposeA, transposeB))
      return;
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    rewriter.setInsertionPoint(op);
    auto matmul = kernel::MatmulOp::create(
        rewriter, op.getLoc(), init.getType(), lhs, rhs, /*bias=*/nullptr, init,
        transposeA, transposeB, accumulate, isConstantWeight(rhs),
        /*relu=*/false);
    commit(matmul, op, {output});
  }

  /// Whether `expand` is read by `tensor.dim`s of a known dimension only
  /// (the lowering's way to size a tensor like it).
  static bool isReadForSizesOnly(tensor::ExpandShapeOp expand) {
    return llvm::all_of(expand->getUsers(), [](Operation *user) {
      auto dim = dyn_cast<tensor::DimOp>(user);
      return dim && dim.getConstantIndex();
    });
  }

  /// Replaces `dim`, a `tensor.dim` of a known dimension of `expand`'s
  /// result, by that size of its output shape.
  void replaceBySize(tensor::DimOp dim, tensor::ExpandShapeOp expand) {
    rewriter.setInsertionPoint(dim);
    OpFoldResult size = expand.getMixedOutputShape()[*dim.getConstantIndex()];
    rewriter.replaceOp(
        dim, getValueOrCreateConstantIndexOp(rewriter, dim.getLoc(), size));
  }

  /// Replaces each `tensor.dim` of `expand` (isReadForSizesOnly) by that
  /// size of its output shape, and erases `expand`.
  void replaceBySizes(tensor::ExpandShapeOp expand) {
    for (Operation *user : llvm::make_early_inc_range(expand->getUsers()))
      replaceBySize(cast<tensor::DimOp>(user), expand);
    rewriter.eraseOp(expand);
  }

  /// Replaces the matmul `op`, which overwrites `init`, and the bias,
  /// residual and ReLU after it by one `kernel.matmul`, when the target
  /// takes it. The epilogue's generic may read the product directly, or
  /// through a `tensor.expand_shape` of its rows and columns (a MatMul of a
  /// [batch, sequence, K] input, which the lowering computes as a matrix
  /// of batch * sequence rows, and whose bias add may have moved past the
  /// split of its columns into attention heads); a residual is then read
  /// through the inverse `tensor.collapse_shape`, and so is a bias of
  /// several dimensions. Other expansions of the product may exist for
  /// their sizes alone. Returns false, with nothing changed, when there is
  /// no such epilogue or the target refuses the kernel.
  bool selectMatmulWithEpilogue(linalg::LinalgOp op, Value init,
                                bool transposeA, bool transposeB) {
    Value output = op.getDpsInits()[0];
    Value product = op->getResult(0);
    unsigned productRank = cast<ShapedType>(product.getType()).getRank();
    // The epilogue reads the product, or one expansion of its rows and
    // columns; other expansions are read by `tensor.dim`s of a known
    // dimension only.
    tensor::ExpandShapeOp expand;
    SmallVector<tensor::ExpandShapeOp> sizeOnlyExpands;
    bool readDirectly = false;
    for (Operation *user : product.getUsers()) {
      auto view = dyn_cast<tensor::ExpandShapeOp>(user);
      if (!view) {
        readDirectly = true;
        continue;
      }
      if (productRank != 2 || view.getReassociationIndices().size() != 2)
        return false;
      if (isReadForSizesOnly(view))
        sizeOnlyExpands.push_back(view);
      else if (expand)
        return false;
      else
        expand = view;
    }
    if (readDirectly ? expand || !sizeOnlyExpands.empty() : !expand)
      return false;
    Value viewed = expand ? expand.getResult() : product;
    auto type = cast<RankedTensorType>(viewed.getType());
    EpilogueForm form{{}, /*gatedActivations=*/false};
    if (expand)
      llvm::append_range(
          form.biasDims,
          llvm::map_range(expand.getReassociationIndices()[1],
                          [](int64_t dim) { return unsigned(dim); }));
    else
      form.biasDims.push_back(type.getRank() - 1);
    FailureOr<KernelEpilogue> epilogue = matchEpilogue(viewed, form);
    // The sizes of an expansion are read from its output shape, for which
    // the `tensor.dim`s must name their dimension.
    if (failed(epilogue) ||
        (expand && llvm::any_of(epilogue->dims, [](tensor::DimOp dim) {
           return !dim.getConstantIndex();
         })))
      return false;

    // The kernel runs where the epilogue's operands are all defined.
    rewriter.setInsertionPoint(epilogue->generic);
    Value destination = init;
    SmallVector<Operation *> created;
    if (Value residual = epilogue->residual) {
      destination = residual;
      if (expand) {
        auto collapse = tensor::CollapseShapeOp::create(
            rewriter, op.getLoc(), residual, expand.getReassociationIndices());
        created.push_back(collapse);
        destination = collapse.getResult();
      }
      if (destination.getType() != init.getType()) {
        for (Operation *createdOp : created)
          rewriter.eraseOp(createdOp);
        return false;
      }
    }
    Value bias = epilogue->bias;
    if (bias && form.biasDims.size() > 1) {
      // The bias of the columns' expansion: the 1-D bias it expands, or a
      // collapse of it.
      auto biasExpand = bias.getDefiningOp<tensor::ExpandShapeOp>();
      if (biasExpand && biasExpand.getSrcType().getRank() == 1) {
        bias = biasExpand.getSrc();
      } else {
        ReassociationIndices all = llvm::to_vector(
            llvm::seq<int64_t>(0, cast<ShapedType>(bias.getType()).getRank()));
        auto collapse = tensor::CollapseShapeOp::create(
            rewriter, op.getLoc(), bias, ArrayRef<ReassociationIndices>{all});
        created.push_back(collapse);
        bias = collapse.getResult();
      }
    }
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    auto matmul = kernel::MatmulOp::create(
        rewriter, op.getLoc(), destination.getType(), lhs, rhs, bias,
        destination, transposeA, transposeB,
        /*accumulate=*/bool(epilogue->residual), isConstantWeight(rhs),
        epilogue->relu);
    if (!target.selectKernel(matmul)) {
      rewriter.eraseOp(matmul);
      for (Operation *createdOp : llvm::reverse(created))
        rewriter.eraseOp(createdOp);
      return false;
    }
    Value result = matmul.getResult();
    if (expand)
      result = tensor::ExpandShapeOp::create(
          rewriter, expand.getLoc(), type, result,
          expand.getReassociationIndices(), expand.getMixedOutputShape());
    // The sizes of the product are the destination's; those of its
    // expansion are the expansion's output shape.
    for (tensor::DimOp dim : epilogue->dims) {
      if (expand)
        replaceBySize(dim, expand);
      else
        rewriter.modifyOpInPlace(dim,
                                 [&] { dim.getSourceMutable().assign(init); });
    }
    absorbEpilogue(*epilogue, result);
    if (expand)
      rewriter.eraseOp(expand);
    for (tensor::ExpandShapeOp sizes : sizeOnlyExpands)
      replaceBySizes(sizes);
    rewriter.eraseOp(op);
    eraseIfUnused({output});
    return true;
  }

  /// A convolution seen as a 2-D NCHW one (`kernel.conv2d`'s operands):
  /// what the kernel reads and writes, and the linalg ops it replaces.
  struct ConvOperands {
    /// The linalg convolution.
    linalg::LinalgOp op;
    /// The unpadded NCHW input, the NCHW destination, the filter
    /// `[F, C / groups, KH, KW]`.
    Value input, init, filter;
    /// The zero padding of the input that the kernel applies, and the
    /// window's strides and dilations.
    SmallVector<int64_t> padding, strides, dilations;
    /// Whether the kernel adds to `init` (else it overwrites it).
    bool accumulate = false;
    int64_t groups = 1;
    /// The NCHW value the kernel's result replaces, and its defining op:
    /// the convolution, or the collapse of a grouped convolution's result.
    Value result;
    Operation *resultOp = nullptr;
    /// What the kernel absorbs (the pad, the fill, the grouped views), to
    /// erase when nothing else uses it.
    SmallVector<Value> absorbed;
    /// The ops created to view grouped operands as NCHW ones, to erase when
    /// the target refuses the kernel.
    SmallVector<Operation *> created;
  };

  /// A `linalg.conv_2d_nchw_fchw`.
  void selectConv(linalg::Conv2DNchwFchwOp op) {
    if (!isOnTensors(op))
      return;
    ConvOperands conv;
    conv.op = op;
    Value padded = op.getInputs()[0], output = op.getOutputs()[0];
    conv.input = stripSpatialPadding(padded, isZeroConstant, conv.padding);
    std::tie(conv.init, conv.accumulate) = getDestination(output);
    conv.filter = op.getInputs()[1];
    conv.strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
    conv.dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());
    conv.result = op.getResult(0);
    conv.resultOp = op;
    conv.absorbed = {padded, output};
    selectConv(conv);
  }

  /// Returns `value`, a tensor with grouped dimensions, collapsed by
  /// `reassociation` (the channels `{{0}, {1, 2}, {3}, {4}}` or the filters
  /// `{{0, 1}, {2}, {3}, {4}}`): the source of a `tensor.expand_shape` by
  /// the same reassociation (the graph-to-linalg lowering expands NCHW
  /// operands so), a new `tensor.empty` for an empty one with static
  /// channels, or a new `tensor.collapse_shape`; new ops are recorded in
  /// `created`.
  Value collapseGroups(Value value,
                       ArrayRef<ReassociationIndices> reassociation,
                       SmallVectorImpl<Operation *> &created) {
    if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
      if (expand.getReassociationIndices() == reassociation)
        return expand.getSrc();
    auto type = cast<RankedTensorType>(value.getType());
    RankedTensorType collapsedType =
        tensor::CollapseShapeOp::inferCollapsedType(type, reassociation);
    // An empty destination is better made anew than viewed: a buffer that
    // only kernels use may take their preferred layout.
    auto empty = value.getDefiningOp<tensor::EmptyOp>();
    if (empty && reassociation.front().size() == 1 &&
        !ShapedType::isDynamic(collapsedType.getDimSize(1))) {
      SmallVector<Value> dynamicSizes;
      for (int64_t i : {0, 3, 4})
        if (type.isDynamicDim(i))
          dynamicSizes.push_back(empty.getDynamicSize(i));
      auto fresh = tensor::EmptyOp::create(rewriter, value.getLoc(),
                                           collapsedType, dynamicSizes);
      created.push_back(fresh);
      return fresh.getResult();
    }
    auto collapse = tensor::CollapseShapeOp::create(rewriter, value.getLoc(),
                                                    value, reassociation);
    created.push_back(collapse);
    return collapse.getResult();
  }

  /// A `linalg.conv_2d_ngchw_gfchw` (a grouped or depthwise convolution,
  /// as the graph-to-linalg lowering writes it): its input
  /// `[N, G, C / G, H, W]`, filter `[G, F / G, C / G, KH, KW]` and output
  /// `[N, G, F / G, OH, OW]` are viewed as NCHW ones with `groups = G`. Its
  /// result must be used only by its collapse back to NCHW, which the
  /// kernel's result replaces.
  void selectGroupedConv(linalg::Conv2DNgchwGfchwOp op) {
    if (!isOnTensors(op) || !op.getResult(0).hasOneUse())
      return;
    SmallVector<ReassociationIndices> channelGroups = {{0}, {1, 2}, {3}, {4}};
    SmallVector<ReassociationIndices> filterGroups = {{0, 1}, {2}, {3}, {4}};
    auto collapse =
        dyn_cast<tensor::CollapseShapeOp>(*op.getResult(0).getUsers().begin());
    if (!collapse || collapse.getReassociationIndices() != channelGroups)
      return;
    ConvOperands conv;
    conv.op = op;
    conv.groups =
        cast<RankedTensorType>(op.getInputs()[1].getType()).getDimSize(0);
    if (ShapedType::isDynamic(conv.groups))
      return;
    Value padded = op.getInputs()[0], filter = op.getInputs()[1];
    Value output = op.getOutputs()[0];
    rewriter.setInsertionPoint(op);
    // The padding may come before or after the expansion of the channels.
    Value input = stripSpatialPadding(padded, isZeroConstant, conv.padding);
    conv.input = collapseGroups(input, channelGroups, conv.created);
    if (isUnpadded(conv.padding))
      conv.input =
          stripSpatialPadding(conv.input, isZeroConstant, conv.padding);
    // The zero fill may come before or after the expansion too.
    auto [init, accumulate] = getDestination(output);
    if (!accumulate)
      conv.init = collapseGroups(init, channelGroups, conv.created);
    else
      std::tie(conv.init, accumulate) =
          getDestination(collapseGroups(output, channelGroups, conv.created));
    conv.accumulate = accumulate;
    conv.filter = collapseGroups(filter, filterGroups, conv.created);
    conv.strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
    conv.dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());
    conv.result = collapse.getResult();
    conv.resultOp = collapse;
    conv.absorbed = {padded, output, filter};
    selectConv(conv);
  }

  /// Replaces the convolution `conv` by a `kernel.conv2d`, with the zero
  /// padding of its input and, when it overwrites its output, the epilogue
  /// after it; leaves it as it is when the target refuses the kernel.
  void selectConv(ConvOperands &conv) {
    linalg::LinalgOp op = conv.op;
    auto create = [&](Value bias, Value destination, bool add, bool relu) {
      return kernel::Conv2DOp::create(
          rewriter, op.getLoc(), destination.getType(), conv.input, conv.filter,
          bias, destination, conv.strides, conv.dilations, conv.padding,
          conv.groups, relu, add, isConstantWeight(conv.filter));
    };
    // Erases the convolution (and the collapse of its result) once the
    // kernel's result replaces it, and then what the kernel absorbed and
    // what was created but is not used (the NCHW destination when a
    // residual is the destination).
    auto eraseReplaced = [&] {
      if (conv.resultOp != op.getOperation())
        rewriter.eraseOp(op);
      for (Operation *created : conv.created)
        conv.absorbed.push_back(created->getResult(0));
      eraseIfUnused(conv.absorbed);
    };

    if (!conv.accumulate) {
      FailureOr<KernelEpilogue> epilogue =
          matchEpilogue(conv.result, EpilogueForm{/*biasDims=*/{1},
                                                  /*gatedActivations=*/true});
      // A target that leaves swishes to the loop nests still takes the
      // bias, residual and ReLU before one.
      if (succeeded(epilogue) &&
          epilogue->activation == ConvActivation::Swish && !target.fusesSwish())
        epilogue = matchEpilogue(
            conv.result,
            EpilogueForm{/*biasDims=*/{1}, /*gatedActivations=*/false});
      if (succeeded(epilogue) &&
          (!epilogue->residual ||
           epilogue->residual.getType() == conv.init.getType())) {
        // The kernel runs where the epilogue's operands are all defined.
        rewriter.setInsertionPoint(epilogue->generic);
        Value destination = epilogue->residual ? epilogue->residual : conv.init;
        kernel::Conv2DOp kernelOp =
            create(epilogue->bias, destination,
                   /*add=*/bool(epilogue->residual), epilogue->relu);
        kernelOp.setSwish(epilogue->activation == ConvActivation::Swish);
        kernelOp.setHardSwish(epilogue->activation ==
                              ConvActivation::HardSwish);
        if (target.selectKernel(kernelOp)) {
          setPreferredLayout(kernelOp);
          for (tensor::DimOp dim : epilogue->dims)
            rewriter.modifyOpInPlace(
                dim, [&] { dim.getSourceMutable().assign(conv.init); });
          absorbEpilogue(*epilogue, kernelOp.getResult());
          rewriter.eraseOp(conv.resultOp);
          eraseReplaced();
          return;
        }
        rewriter.eraseOp(kernelOp);
      }
    }
    rewriter.setInsertionPoint(conv.resultOp);
    kernel::Conv2DOp kernelOp =
        create(/*bias=*/nullptr, conv.init, conv.accumulate, /*relu=*/false);
    if (!target.selectKernel(kernelOp)) {
      rewriter.eraseOp(kernelOp);
      for (Operation *created : llvm::reverse(conv.created))
        rewriter.eraseOp(created);
      return;
    }
    setPreferredLayout(kernelOp);
    rewriter.replaceOp(conv.resultOp, kernelOp->getResults());
    eraseReplaced();
  }

  /// Makes the epilogue's generic read `result` (the kernel's result, or a
  /// view of it of the shape the generic read) in place of the terms it
  /// absorbed; the generic disappears when nothing else is left of it.
  void absorbEpilogue(const KernelEpilogue &epilogue, Value result) {
    linalg::GenericOp generic = epilogue.generic;
    if (isWholeEpilogue(epilogue, result.getType())) {
      rewriter.replaceOp(generic, result);
      return;
    }
    BlockArgument kernelArg =
        generic.getMatchingBlockArgument(epilogue.kernelOperand);
    Value replaced = epilogue.kernelOperand->get();
    rewriter.modifyOpInPlace(generic, [&] {
      epilogue.ops.back()->getResult(0).replaceAllUsesWith(kernelArg);
      for (Operation *op : llvm::reverse(epilogue.ops))
        op->erase();
      // The replaced result may also be the generic's (unread) init: the
      // kernel's result serves as well.
      for (OpOperand &operand : generic->getOpOperands())
        if (operand.get() == replaced)
          operand.set(result);
    });
    // The bias and residual may no longer be read by the generic.
    RewritePatternSet patterns(generic.getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    (void)applyOpPatternsGreedily({generic.getOperation()},
                                  std::move(patterns));
  }

  /// A `linalg.pooling_nchw_max` into an output filled with -infinity (the
  /// Max lowering's initial value), with a static window, and with the
  /// -infinity padding of its input.
  void selectMaxPool(linalg::PoolingNchwMaxOp op) {
    if (!isOnTensors(op))
      return;
    Value padded = op.getInputs()[0], output = op.getOutputs()[0];
    auto windowType = cast<RankedTensorType>(op.getInputs()[1].getType());
    Value init = getFilledTensor(output, isNegativeInfinityConstant);
    if (!init || !windowType.hasStaticShape())
      return;
    SmallVector<int64_t> padding;
    Value input =
        stripSpatialPadding(padded, isNegativeInfinityConstant, padding);
    rewriter.setInsertionPoint(op);
    auto pool = kernel::MaxPool2DOp::create(
        rewriter, op.getLoc(), init.getType(), input, init,
        windowType.getShape(),
        SmallVector<int64_t>(op.getStrides().getValues<int64_t>()),
        SmallVector<int64_t>(op.getDilations().getValues<int64_t>()), padding);
    commit(pool, op, {padded, output, op.getInputs()[1]});
  }

  const KernelTarget &target;
  IRRewriter rewriter;
};

struct SelectKernelsPass
    : exaforge::impl::SelectKernelsBase<SelectKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<const KernelTarget *> kernelTarget =
        getKernelTargetOrError(getOperation(), target);
    if (failed(kernelTarget))
      return signalPassFailure();
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNchwFchwOp,
              linalg::Conv2DNgchwGfchwOp, linalg::PoolingNchwMaxOp>(op))
        candidates.push_back(op);
    });
    KernelSelector selector(**kernelTarget, &getContext());
    for (Operation *op : candidates)
      selector.select(op);
    // The marks have served their purpose; the LLVM lowering does not know
    // them.
    getOperation().walk([](FunctionOpInterface func) {
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        func.removeArgAttr(i, kConstantBufferAttrName);
    });
  }
};

} // namespace
