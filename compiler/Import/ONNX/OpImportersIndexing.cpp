//===- OpImportersIndexing.cpp - ONNX op builders for indexing ops --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX indexing, scatter and selection op types: GatherND,
// ScatterND, ScatterElements, Scatter (its opset 9 form), TopK, OneHot,
// EyeLike, ReverseSequence, Einsum, Det and TfIdfVectorizer
// (GraphIndexingOps.td).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

//===----------------------------------------------------------------------===//
// GatherND
//===----------------------------------------------------------------------===//

/// GatherND (11; 12 adds `batch_dims`).
static LogicalResult importGatherND(NodeContext &ctx) {
  SmallVector<KnownAttr> known;
  if (ctx.getOpset() >= 12)
    known.push_back({"batch_dims", kInt});
  if (failed(ctx.checkAttributes(known)) || failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::GatherNDOp>(
      ctx.getInput(0), ctx.getInput(1),
      ctx.getBuilder().getI64IntegerAttr(ctx.getInt("batch_dims", 0)));
}

//===----------------------------------------------------------------------===//
// ScatterND, ScatterElements, Scatter
//===----------------------------------------------------------------------===//

/// Returns the `reduction` attribute of a scatter node: "none" before opset
/// 16, then one of the values its opset knows (16: add, mul; 18: max, min
/// too), or an error naming the node.
static FailureOr<StringAttr> getScatterReduction(NodeContext &ctx) {
  std::string reduction = ctx.getString("reduction", "none");
  SmallVector<StringRef> accepted = {"none", "add", "mul"};
  if (ctx.getOpset() >= 18)
    accepted.append({"max", "min"});
  if (!llvm::is_contained(accepted, reduction))
    return ctx.emitError() << "attribute 'reduction' has unsupported value '"
                           << reduction << "' (opset " << ctx.getOpset()
                           << " accepts " << llvm::join(accepted, ", ")
                           << ")";
  return ctx.getBuilder().getStringAttr(reduction);
}

/// ScatterND (11; 16 adds `reduction`).
static LogicalResult importScatterND(NodeContext &ctx) {
  SmallVector<KnownAttr> known;
  if (ctx.getOpset() >= 16)
    known.push_back({"reduction", kString});
  if (failed(ctx.checkAttributes(known)) || failed(ctx.checkInputs(3, 3)))
    return failure();
  FailureOr<StringAttr> reduction = getScatterReduction(ctx);
  if (failed(reduction))
    return failure();
  return ctx.createAndSetResults<graph::ScatterNDOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), *reduction);
}

/// ScatterElements (11; 16 adds `reduction`) and Scatter (9, its
/// predecessor without `reduction`).
static LogicalResult importScatterElements(NodeContext &ctx) {
  SmallVector<KnownAttr> known = {{"axis", kInt}};
  if (ctx.getOpType() == "ScatterElements" && ctx.getOpset() >= 16)
    known.push_back({"reduction", kString});
  if (failed(ctx.checkAttributes(known)) || failed(ctx.checkInputs(3, 3)))
    return failure();
  FailureOr<StringAttr> reduction = getScatterReduction(ctx);
  if (failed(reduction))
    return failure();
  return ctx.createAndSetResults<graph::ScatterElementsOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      ctx.getBuilder().getI64IntegerAttr(ctx.getInt("axis", 0)), *reduction);
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// TopK (1: `k` an attribute; 10: an input; 11 adds `largest` and
/// `sorted`).
static LogicalResult importTopK(NodeContext &ctx) {
  SmallVector<KnownAttr> known = {{"axis", kInt}};
  if (ctx.getOpset() < 10)
    known.push_back({"k", kInt});
  if (ctx.getOpset() >= 11)
    llvm::append_range(known,
                       ArrayRef<KnownAttr>{{"largest", kInt}, {"sorted", kInt}});
  unsigned numInputs = ctx.getOpset() < 10 ? 1 : 2;
  if (failed(ctx.checkAttributes(known)) ||
      failed(ctx.checkInputs(numInputs, numInputs)))
    return failure();
  Value k;
  if (ctx.getOpset() < 10) {
    std::optional<int64_t> value = ctx.getOptionalInt("k");
    if (!value)
      return ctx.emitError() << "missing required attribute 'k'";
    k = ctx.createI64Constant({*value});
  } else {
    k = ctx.getInput(1);
  }
  OpBuilder &b = ctx.getBuilder();
  FailureOr<graph::TopKOp> op = ctx.createWithNumResults<graph::TopKOp>(
      2, ctx.getInput(0), k, b.getI64IntegerAttr(ctx.getInt("axis", -1)),
      b.getBoolAttr(ctx.getInt("largest", 1) != 0),
      b.getBoolAttr(ctx.getInt("sorted", 1) != 0));
  if (failed(op))
    return failure();
  ctx.setResults(op->getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// OneHot, EyeLike
//===----------------------------------------------------------------------===//

/// OneHot (9, 11).
static LogicalResult importOneHot(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(3, 3)))
    return failure();
  return ctx.createAndSetResults<graph::OneHotOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      ctx.getBuilder().getI64IntegerAttr(ctx.getInt("axis", -1)));
}

/// EyeLike (9): `dtype` defaults to the input's element type.
static LogicalResult importEyeLike(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"dtype", kInt}, {"k", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  auto inputType = cast<RankedTensorType>(ctx.getInput(0).getType());
  if (inputType.getRank() != 2)
    return ctx.emitError() << "input must have rank 2, got " << inputType;
  Type dtype = inputType.getElementType();
  if (std::optional<int64_t> onnxType = ctx.getOptionalInt("dtype")) {
    dtype = getElementTypeOrNull(ctx.getContext(), *onnxType);
    if (!dtype)
      return ctx.emitError()
             << "attribute 'dtype' names unsupported element type '"
             << getOnnxTypeName(*onnxType) << "'";
  }
  return ctx.createAndSetResults<graph::EyeLikeOp>(
      ctx.getInput(0), TypeAttr::get(dtype),
      ctx.getBuilder().getI64IntegerAttr(ctx.getInt("k", 0)));
}

//===----------------------------------------------------------------------===//
// ReverseSequence, Einsum, Det
//===----------------------------------------------------------------------===//

/// ReverseSequence (10).
static LogicalResult importReverseSequence(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"batch_axis", kInt}, {"time_axis", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::ReverseSequenceOp>(
      ctx.getInput(0), ctx.getInput(1),
      b.getI64IntegerAttr(ctx.getInt("batch_axis", 1)),
      b.getI64IntegerAttr(ctx.getInt("time_axis", 0)));
}

/// Einsum (12).
static LogicalResult importEinsum(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"equation", kString}})) ||
      failed(ctx.checkInputs(1, ~0u)))
    return failure();
  if (!ctx.hasAttr("equation"))
    return ctx.emitError() << "missing required attribute 'equation'";
  SmallVector<Value> inputs;
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i)
    inputs.push_back(ctx.getInput(i));
  return ctx.createAndSetResults<graph::EinsumOp>(
      inputs, ctx.getBuilder().getStringAttr(ctx.getString("equation", "")));
}

//===----------------------------------------------------------------------===//
// TfIdfVectorizer
//===----------------------------------------------------------------------===//

/// TfIdfVectorizer (9). Pools of strings are refused (no string tensors).
static LogicalResult importTfIdfVectorizer(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"mode", kString},
           {"min_gram_length", kInt},
           {"max_gram_length", kInt},
           {"max_skip_count", kInt},
           {"ngram_counts", kInts},
           {"ngram_indexes", kInts},
           {"pool_int64s", kInts},
           {"pool_strings", onnx::AttributeProto::STRINGS},
           {"weights", kFloats}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  if (ctx.hasAttr("pool_strings"))
    return ctx.emitError() << "attribute 'pool_strings' is not supported "
                              "(string tensors are not); use 'pool_int64s'";
  for (StringRef name : {"mode", "min_gram_length", "max_gram_length",
                         "max_skip_count", "ngram_counts", "ngram_indexes",
                         "pool_int64s"})
    if (!ctx.hasAttr(name))
      return ctx.emitError() << "missing required attribute '" << name << "'";
  OpBuilder &b = ctx.getBuilder();
  DenseF32ArrayAttr weights;
  if (const onnx::AttributeProto *attr = ctx.getAttr("weights"))
    weights = b.getDenseF32ArrayAttr(
        SmallVector<float>(attr->floats().begin(), attr->floats().end()));
  return ctx.createAndSetResults<graph::TfIdfVectorizerOp>(
      ctx.getInput(0), b.getStringAttr(ctx.getString("mode", "")),
      b.getI64IntegerAttr(ctx.getInt("min_gram_length", 0)),
      b.getI64IntegerAttr(ctx.getInt("max_gram_length", 0)),
      b.getI64IntegerAttr(ctx.getInt("max_skip_count", 0)),
      b.getDenseI64ArrayAttr(*ctx.getInts("ngram_counts")),
      b.getDenseI64ArrayAttr(*ctx.getInts("ngram_indexes")),
      b.getDenseI64ArrayAttr(*ctx.getInts("pool_int64s")), weights);
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void onnx_import::registerOpImportersIndexing(OpImporterRegistry &registry) {
  for (int64_t version : {11, 12, 13})
    registry.add("GatherND", version, importGatherND);
  for (int64_t version : {11, 13, 16, 18}) {
    registry.add("ScatterND", version, importScatterND);
    registry.add("ScatterElements", version, importScatterElements);
  }
  registry.add("Scatter", 9, importScatterElements);
  for (int64_t version : {1, 10, 11})
    registry.add("TopK", version, importTopK);
  for (int64_t version : {9, 11})
    registry.add("OneHot", version, importOneHot);
  registry.add("EyeLike", 9, importEyeLike);
  registry.add("ReverseSequence", 10, importReverseSequence);
  registry.add("Einsum", 12, importEinsum);
  registry.add("Det", 11, importUnary<graph::DetOp>);
  registry.add("TfIdfVectorizer", 9, importTfIdfVectorizer);
}
