//===- InterchangeChannelsInnermost.cpp - channel loops innermost ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `interchange-channels-innermost` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "dialects/Kernel/KernelOps.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace exaforge {
#define GEN_PASS_DEF_INTERCHANGECHANNELSINNERMOST
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

/// Whether `value` is an NCHW activation of a channels-last kernel op (its
/// input, or its destination or result) with static channels, height and
/// width, more than one channel and more than one spatial position.
bool isChannelsLastActivation(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != 4 || type.isDynamicDim(1) ||
      type.isDynamicDim(2) || type.isDynamicDim(3) || type.getDimSize(1) < 2 ||
      type.getDimSize(2) * type.getDimSize(3) < 2)
    return false;
  if (llvm::any_of(value.getUses(), kernel::isChannelsLastActivation))
    return true;
  auto result = dyn_cast<OpResult>(value);
  auto producer = result
                      ? dyn_cast<DestinationStyleOpInterface>(result.getOwner())
                      : nullptr;
  return producer &&
         kernel::isChannelsLastActivation(*producer.getTiedOpOperand(result));
}

/// The dimension of a `tensor.expand_shape`'s result that holds the
/// channels that dimension `sourceDim` of its source holds, when the
/// expansion only adds size-1 dimensions around them (a ReduceMean's kept
/// dimensions).
std::optional<int64_t> getExpandedChannelDim(tensor::ExpandShapeOp expand,
                                             int64_t sourceDim) {
  int64_t channels = expand.getSrcType().getDimSize(sourceDim);
  ArrayRef<int64_t> shape = expand.getResultType().getShape();
  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  std::optional<int64_t> channelDim;
  for (int64_t dim : groups[sourceDim]) {
    if (shape[dim] == 1)
      continue;
    if (channelDim || shape[dim] != channels)
      return std::nullopt; // The channels are split.
    channelDim = dim;
  }
  return channelDim;
}

/// Interchanges the loops of generics so that the loop over their channels
/// is innermost, and remembers which dimension of each generic's result
/// holds the channels, for the generics that use it.
class ChannelLoopInterchange {
public:
  /// Interchanges `generic` when its operands and results agree on a
  /// parallel loop over their channels. Returns whether `generic` was
  /// taken (interchanged, or already walking the channels innermost).
  bool interchange(linalg::GenericOp generic) {
    std::optional<unsigned> loop = getChannelLoop(generic);
    if (!loop)
      return false;
    unsigned innermost = generic.getNumLoops() - 1;
    if (*loop != innermost) {
      SmallVector<unsigned> order;
      for (unsigned other = 0; other <= innermost; ++other)
        if (other != *loop)
          order.push_back(other);
      order.push_back(*loop);
      IRRewriter rewriter(generic.getContext());
      if (failed(linalg::interchangeGenericOp(rewriter, generic, order)))
        return false;
    }
    // The results, and the inputs that other generics produce, now walk
    // their channels innermost: so should the generics that use them.
    for (OpResult result : generic->getResults())
      remember(result, generic.getIndexingMapMatchingResult(result), innermost);
    for (OpOperand *input : generic.getDpsInputOperands())
      if (input->get().getDefiningOp<linalg::GenericOp>())
        remember(input->get(), generic.getMatchingIndexingMap(input),
                 innermost);
    return true;
  }

private:
  /// The dimension of `value` that holds channels: 1 for a kernel
  /// activation, the remembered one for the results of the generics taken
  /// before, and the one it expands into for a `tensor.expand_shape` of
  /// either.
  std::optional<int64_t> getChannelDim(Value value) const {
    auto known = channelDims.find(value);
    if (known != channelDims.end())
      return known->second;
    if (isChannelsLastActivation(value))
      return 1;
    auto expand = value.getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand)
      return std::nullopt;
    std::optional<int64_t> sourceDim = getChannelDim(expand.getSrc());
    if (!sourceDim)
      return std::nullopt;
    return getExpandedChannelDim(expand, *sourceDim);
  }

  /// Remembers that `value`, indexed by `map`, holds its channels in the
  /// dimension that loop `loop` walks, when it has one and more than one
  /// value per image and channel.
  void remember(Value value, AffineMap map, unsigned loop) {
    std::optional<int64_t> dim = getDimOfLoop(map, loop);
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!dim || !type)
      return;
    int64_t perChannel = 1;
    for (int64_t other = 1; other < type.getRank(); ++other)
      if (other != *dim)
        perChannel *= type.isDynamicDim(other) ? 1 : type.getDimSize(other);
    if (perChannel > 1)
      channelDims.try_emplace(value, *dim);
  }

  /// The dimension of `map`'s results that is exactly loop `loop`, when
  /// one is and no other result reads that loop.
  static std::optional<int64_t> getDimOfLoop(AffineMap map, unsigned loop) {
    std::optional<int64_t> found;
    for (auto [dim, expr] : llvm::enumerate(map.getResults())) {
      if (!expr.isFunctionOfDim(loop))
        continue;
      if (found || !isa<AffineDimExpr>(expr))
        return std::nullopt;
      found = dim;
    }
    return found;
  }

  /// The loop of `generic` over the channels of the operands and results
  /// that have channels, when they agree on one and it is parallel.
  std::optional<unsigned> getChannelLoop(linalg::GenericOp generic) const {
    if (!generic.hasPureTensorSemantics())
      return std::nullopt;
    std::optional<unsigned> loop;
    bool agree = true;
    auto consider = [&](Value value, AffineMap map) {
      std::optional<int64_t> dim = getChannelDim(value);
      if (!dim)
        return;
      auto expr = dyn_cast<AffineDimExpr>(map.getResult(*dim));
      if (!expr || (loop && *loop != expr.getPosition()))
        agree = false;
      else
        loop = expr.getPosition();
    };
    // The destinations only carry the results' shapes (tensor.empty, which
    // kernels may share) or a reduction's initial values: the results
    // stand for them.
    for (OpOperand *input : generic.getDpsInputOperands())
      consider(input->get(), generic.getMatchingIndexingMap(input));
    for (OpResult result : generic->getResults())
      consider(result, generic.getIndexingMapMatchingResult(result));
    if (!agree || !loop ||
        !linalg::isParallelIterator(generic.getIteratorTypesArray()[*loop]))
      return std::nullopt;
    return loop;
  }

  /// The channels' dimension of the results of the generics taken, and of
  /// the generic results they read.
  DenseMap<Value, int64_t> channelDims;
};

struct InterchangeChannelsInnermostPass
    : exaforge::impl::InterchangeChannelsInnermostBase<
          InterchangeChannelsInnermostPass> {
  void runOnOperation() override {
    ChannelLoopInterchange interchange;
    // A generic taken may make its users or producers takeable: repeat
    // until a sweep takes none (each generic is taken at most once).
    DenseSet<Operation *> taken;
    bool changed = true;
    while (changed) {
      changed = false;
      getOperation().walk([&](linalg::GenericOp generic) {
        if (!taken.contains(generic) && interchange.interchange(generic)) {
          taken.insert(generic);
          changed = true;
        }
      });
    }
  }
};

} // namespace
