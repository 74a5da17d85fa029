//===- OpImporters.h - Per-node ONNX import machinery -----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Internal header of the ONNX importer. `NodeContext` gives an op builder
// function everything it needs about one ONNX node (resolved inputs, typed
// attribute access, output use, diagnostics, checked op creation);
// `OpImporterRegistry` maps an op type and the first opset a builder applies
// to onto that builder. The builders are split alphabetically over
// OpImportersAtoF.cpp, OpImportersGtoP.cpp and OpImportersQtoZ.cpp; those
// of image-model layers (Resize, ConvTranspose, ...) are in
// OpImportersNN.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_IMPORT_ONNX_OPIMPORTERS_H
#define EXAFORGE_COMPILER_IMPORT_ONNX_OPIMPORTERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <limits>
#include <optional>
#include <string>

namespace exaforge::onnx_import {

//===----------------------------------------------------------------------===//
// Tensors and element types
//===----------------------------------------------------------------------===//

/// What tensor conversion needs to know about the model being imported.
struct TensorImportEnv {
  /// Directory of the model file; external data locations are relative to it.
  std::string modelDir;
  /// Tensors with more elements become `dense_resource` attributes.
  int64_t denseElementLimit = 64;
  /// External tensors and tensors with more than `denseElementLimit`
  /// elements become elided `dense_resource` attributes, without reading
  /// their data (`OnnxImportOptions::shapesOnly`).
  bool shapesOnly = false;
  /// The largest constant tensor accepted, in bytes
  /// (`OnnxImportOptions::maxConstantBytes`).
  int64_t maxConstantBytes = std::numeric_limits<int64_t>::max();
};

/// Checks that a constant tensor `tensorName` of `shape` with
/// `elementBytes`-byte elements has an element count that fits in int64 and
/// at most `env.maxConstantBytes` bytes; emits an error at `loc` otherwise.
/// Returns the byte count.
mlir::FailureOr<int64_t> checkConstantSize(llvm::StringRef tensorName,
                                           llvm::ArrayRef<int64_t> shape,
                                           int64_t elementBytes,
                                           mlir::Location loc,
                                           const TensorImportEnv &env);

/// Returns the ONNX spelling of an element type (`FLOAT`, `STRING`, ...).
std::string getOnnxTypeName(int32_t onnxType);

/// Converts an ONNX element type to its MLIR type, or returns null for
/// element types Exaforge does not support.
mlir::Type getElementTypeOrNull(mlir::MLIRContext *ctx, int32_t onnxType);

/// Converts an ONNX element type to its MLIR type; emits an error naming
/// `valueName` at `loc` for unsupported types.
mlir::FailureOr<mlir::Type> convertElementType(mlir::MLIRContext *ctx,
                                               int32_t onnxType,
                                               llvm::StringRef valueName,
                                               mlir::Location loc);

/// Converts a tensor (an initializer or a Constant attribute) to the
/// attribute of a `graph.constant`: `dense` up to `env.denseElementLimit`
/// elements, `dense_resource` named after the tensor beyond. Reads external
/// data relative to `env.modelDir`; with `env.shapesOnly`, external and
/// large tensors become elided `dense_resource` attributes instead and no
/// data is read.
mlir::FailureOr<mlir::ElementsAttr>
convertTensorProto(mlir::MLIRContext *ctx, const onnx::TensorProto &tensor,
                   llvm::StringRef tensorName, mlir::Location loc,
                   const TensorImportEnv &env);

/// Converts `tensor` as `convertTensorProto` does, but the raw data of a
/// large tensor (a `dense_resource`) moves into the attribute's blob instead
/// of being copied, so that the weights exist once: `tensor` is left with
/// empty raw data and must not be converted again. For the initializers of
/// a model the importer owns.
mlir::FailureOr<mlir::ElementsAttr>
takeTensorProto(mlir::MLIRContext *ctx, onnx::TensorProto &tensor,
                llvm::StringRef tensorName, mlir::Location loc,
                const TensorImportEnv &env);

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

/// The expected type of an attribute, as named by `onnx::AttributeProto`.
using AttrKind = onnx::AttributeProto::AttributeType;

/// Short names of the attribute types the op builders check for.
inline constexpr AttrKind kInt = onnx::AttributeProto::INT;
inline constexpr AttrKind kInts = onnx::AttributeProto::INTS;
inline constexpr AttrKind kFloat = onnx::AttributeProto::FLOAT;
inline constexpr AttrKind kFloats = onnx::AttributeProto::FLOATS;
inline constexpr AttrKind kString = onnx::AttributeProto::STRING;
inline constexpr AttrKind kTensor = onnx::AttributeProto::TENSOR;
inline constexpr AttrKind kGraph = onnx::AttributeProto::GRAPH;

/// An attribute an op builder understands, with its expected type.
struct KnownAttr {
  /// Attribute name.
  llvm::StringRef name;
  /// Expected attribute type.
  AttrKind kind;
};

/// Imports the subgraphs of a node (GRAPH attributes: the branches of If,
/// the body of Loop and Scan) into the region the node's builder fills.
class SubgraphImporter {
public:
  virtual ~SubgraphImporter() = default;

  /// Imports the nodes of `graph` at the builder's insertion point, with the
  /// graph's inputs bound to `inputs` (one value per input, in order), and
  /// returns the values of its outputs. The names of the enclosing graphs
  /// stay visible inside (ONNX outer-scope values); the names `graph`
  /// defines are forgotten afterwards. Node names stay the ops' locations.
  virtual mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  importSubgraph(const onnx::GraphProto &graph, mlir::ValueRange inputs) = 0;
};

/// The state an op builder function sees for one ONNX node.
class NodeContext {
public:
  /// Creates the context of `node`, whose inputs are already resolved
  /// (`inputs[i]` is null for an absent optional input).
  NodeContext(mlir::OpBuilder &builder, const onnx::NodeProto &node,
              int64_t opset, mlir::Location loc,
              llvm::SmallVector<mlir::Value> inputs,
              llvm::SmallVector<bool> outputUsed, const TensorImportEnv &env)
      : builder(builder), node(node), opset(opset), loc(loc),
        inputs(std::move(inputs)), outputUsed(std::move(outputUsed)), env(env) {
  }

  /// The builder, positioned where the node's ops go.
  mlir::OpBuilder &getBuilder() { return builder; }
  /// The context owning the IR.
  mlir::MLIRContext *getContext() { return builder.getContext(); }
  /// The node's location (`NameLoc(node name, FileLineColLoc(model))`).
  mlir::Location getLoc() const { return loc; }
  /// The ONNX node.
  const onnx::NodeProto &getNode() const { return node; }
  /// The node's op type.
  llvm::StringRef getOpType() const { return node.op_type(); }
  /// How tensors are imported (model directory, size limit).
  const TensorImportEnv &getTensorEnv() const { return env; }
  /// The model's opset of the node's domain.
  int64_t getOpset() const { return opset; }

  /// Emits an error at the node, prefixed by `<OpType> (opset N): `.
  mlir::InFlightDiagnostic emitError();

  //===--------------------------------------------------------------------===//
  // Inputs and outputs
  //===--------------------------------------------------------------------===//

  /// Number of input slots, absent optional inputs included.
  unsigned getNumInputs() const { return inputs.size(); }
  /// The `i`th input, or null when absent.
  mlir::Value getInput(unsigned i) const {
    return i < inputs.size() ? inputs[i] : mlir::Value();
  }
  /// Checks that there are at most `max` input slots and that the first
  /// `min` inputs are present.
  mlir::LogicalResult checkInputs(unsigned min, unsigned max);

  /// Number of output slots of the node.
  unsigned getNumOutputs() const { return node.output_size(); }
  /// Whether output `i` is consumed by a later node or is a graph output.
  bool isOutputUsed(unsigned i) const {
    return i < outputUsed.size() && outputUsed[i];
  }
  /// Fails with an error when any output from `first` on is used; `what`
  /// says why those outputs are not supported.
  mlir::LogicalResult checkOutputsUnused(unsigned first, llvm::StringRef what);

  /// Records the values of the node's outputs, in order.
  void setResults(mlir::ValueRange values) {
    results.assign(values.begin(), values.end());
  }
  /// The values recorded by `setResults`.
  llvm::ArrayRef<mlir::Value> getResults() const { return results; }

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  /// Fails with an error on any attribute that is not in `known` or has
  /// another type; the typed getters below may then be used freely.
  mlir::LogicalResult checkAttributes(llvm::ArrayRef<KnownAttr> known);
  /// The attribute `name`, or null.
  const onnx::AttributeProto *getAttr(llvm::StringRef name) const;
  /// Whether the node carries attribute `name`.
  bool hasAttr(llvm::StringRef name) const { return getAttr(name); }
  /// An INT attribute, or `dflt` when absent.
  int64_t getInt(llvm::StringRef name, int64_t dflt) const;
  /// An INT attribute, if present.
  std::optional<int64_t> getOptionalInt(llvm::StringRef name) const;
  /// A FLOAT attribute, or `dflt` when absent.
  float getFloat(llvm::StringRef name, float dflt) const;
  /// A STRING attribute, or `dflt` when absent.
  std::string getString(llvm::StringRef name, llvm::StringRef dflt) const;
  /// An INTS attribute, if present.
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;
  /// A GRAPH attribute (a subgraph), or null when absent.
  const onnx::GraphProto *getGraph(llvm::StringRef name) const;

  //===--------------------------------------------------------------------===//
  // Subgraphs
  //===--------------------------------------------------------------------===//

  /// Sets the importer of the node's subgraphs.
  void setSubgraphImporter(SubgraphImporter *importer) {
    subgraphImporter = importer;
  }
  /// Imports `graph` at the builder's insertion point (see
  /// SubgraphImporter::importSubgraph); fails with an error at the node when
  /// the number of `inputs` is not the graph's number of inputs, or when no
  /// importer was set.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  importSubgraph(const onnx::GraphProto &graph, llvm::StringRef attrName,
                 mlir::ValueRange inputs);

  //===--------------------------------------------------------------------===//
  // Building ops
  //===--------------------------------------------------------------------===//

  /// Creates a `graph.constant` holding `values` as a `tensor<Nxi64>`.
  mlir::Value createI64Constant(llvm::ArrayRef<int64_t> values);
  /// Creates a `graph.constant` from an ONNX tensor named `name`.
  mlir::FailureOr<mlir::Value>
  createTensorConstant(const onnx::TensorProto &tensor, llvm::StringRef name);

  /// Creates a single-result op `OpTy` from the arguments of its inferring
  /// ODS builder. Unlike `OpTy::create`, a failed result type inference is
  /// reported as an error at the node (and yields failure) instead of
  /// aborting.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<OpTy> create(Args &&...args) {
    return createWithNumResults<OpTy>(1, std::forward<Args>(args)...);
  }

  /// Creates the op like `create` and binds the node's outputs to its
  /// results.
  template <typename OpTy, typename... Args>
  mlir::LogicalResult createAndSetResults(Args &&...args) {
    mlir::FailureOr<OpTy> op = create<OpTy>(std::forward<Args>(args)...);
    if (mlir::failed(op))
      return mlir::failure();
    setResults((*op)->getResults());
    return mlir::success();
  }

  /// Like `create`, for ops with `numResults` results.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<OpTy> createWithNumResults(unsigned numResults,
                                             Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    llvm::SmallVector<mlir::Type> placeholders(numResults,
                                               builder.getNoneType());
    OpTy::build(builder, state, mlir::TypeRange(placeholders),
                std::forward<Args>(args)...);
    llvm::SmallVector<mlir::Type> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            getContext(), state.location, state.operands,
            state.attributes.getDictionary(getContext()),
            state.getRawProperties(), state.regions, types)))
      return reportInferenceFailure();
    state.types.assign(types.begin(), types.end());
    return llvm::cast<OpTy>(builder.create(state));
  }

private:
  /// Attaches the node's op type and opset to a failed type inference.
  mlir::LogicalResult reportInferenceFailure();

  mlir::OpBuilder &builder;
  const onnx::NodeProto &node;
  int64_t opset;
  mlir::Location loc;
  llvm::SmallVector<mlir::Value> inputs;
  llvm::SmallVector<bool> outputUsed;
  const TensorImportEnv &env;
  llvm::SmallVector<mlir::Value> results;
  SubgraphImporter *subgraphImporter = nullptr;
};

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

/// Builds the graph ops of one node; emits an error and fails on nodes it
/// cannot import.
using OpImportFn = mlir::LogicalResult (*)(NodeContext &ctx);

/// One builder of the registry.
struct OpImporterEntry {
  /// First opset of the op's domain the builder applies to.
  int64_t sinceVersion;
  /// The builder.
  OpImportFn fn;
};

/// The domain of ONNX's training operators (Adagrad, Adam, Momentum).
inline constexpr llvm::StringLiteral kTrainingDomain =
    "ai.onnx.preview.training";

/// Maps an op type of a domain and the model's opset of that domain onto
/// the builder to use. The default domain is "" (the importer maps
/// "ai.onnx" onto it).
class OpImporterRegistry {
public:
  /// Registers `fn` for `opType` of `domain` from opset `sinceVersion` on.
  void add(llvm::StringRef opType, int64_t sinceVersion, OpImportFn fn,
           llvm::StringRef domain = "");
  /// The entry with the largest since-version not above `opset`, or null.
  const OpImporterEntry *lookup(llvm::StringRef opType, int64_t opset,
                                llvm::StringRef domain = "") const;
  /// Whether any builder is registered for `opType` of `domain`.
  bool contains(llvm::StringRef opType, llvm::StringRef domain = "") const {
    return findEntries(opType, domain) != nullptr;
  }
  /// The first opset any builder of `opType` of `domain` applies to (0 when
  /// unknown).
  int64_t getFirstVersion(llvm::StringRef opType,
                          llvm::StringRef domain = "") const;

  /// The registry of every supported op, built once.
  static const OpImporterRegistry &get();

private:
  /// The builders of `opType` of `domain`, or null.
  const llvm::SmallVector<OpImporterEntry, 2> *
  findEntries(llvm::StringRef opType, llvm::StringRef domain) const;

  /// The builders per domain, then per op type.
  llvm::StringMap<llvm::StringMap<llvm::SmallVector<OpImporterEntry, 2>>>
      entries;
};

/// Registers the builders of op types starting with A to F.
void registerOpImportersAtoF(OpImporterRegistry &registry);
/// Registers the builders of op types starting with G to P.
void registerOpImportersGtoP(OpImporterRegistry &registry);
/// Registers the builders of op types starting with Q to Z.
void registerOpImportersQtoZ(OpImporterRegistry &registry);
/// Registers the builders of the ops with data-dependent output sizes
/// (NonZero, Compress, Unique, NonMaxSuppression).
void registerOpImportersDynamic(OpImporterRegistry &registry);
/// Registers the builders of GridSample and RoiAlign.
void registerOpImportersSampling(OpImporterRegistry &registry);
/// Registers the builders of the signal processing ops (DFT, STFT, the
/// windows, MelWeightMatrix).
void registerOpImportersSignal(OpImporterRegistry &registry);
/// Registers the builders of the recurrent ops (LSTM, GRU, RNN).
void registerOpImportersRecurrent(OpImporterRegistry &registry);
/// Registers the builders of the quantization ops (QuantizeLinear,
/// DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, ConvInteger,
/// QLinearMatMul, QLinearConv).
void registerOpImportersQuant(OpImporterRegistry &registry);
/// Registers the builders of image-model layers (Resize, Upsample,
/// ConvTranspose, normalizations; OpImportersNN.cpp).
void registerOpImportersNN(OpImporterRegistry &registry);
/// Registers the builders of the control-flow ops (If, Loop, Scan).
void registerOpImportersControlFlow(OpImporterRegistry &registry);
/// Registers the indexing, scatter and selection ops (OpImportersIndexing.cpp).
void registerOpImportersIndexing(OpImporterRegistry &registry);
/// Registers the optimizers of the `ai.onnx.preview.training` domain
/// (Adagrad, Adam, Momentum; OpImportersTraining.cpp).
void registerOpImportersTraining(OpImporterRegistry &registry);
/// Imports BatchNormalization in training mode (batch statistics and
/// updated running statistics; OpImportersTraining.cpp).
mlir::LogicalResult importBatchNormalizationTraining(NodeContext &ctx);
/// Imports Dropout whose training mode or ratio is only known at run time
/// (random masks; OpImportersTraining.cpp).
mlir::LogicalResult importDropoutTraining(NodeContext &ctx);
/// Registers the sequence and optional ops (OpImportersSequence.cpp).
void registerOpImportersSequence(OpImporterRegistry &registry);

/// Converts an ONNX sequence or optional type to `!graph.sequence` or
/// `!graph.optional`; emits an error naming the value `name` at `loc` for
/// other types (OpImportersSequence.cpp).
mlir::FailureOr<mlir::Type>
convertSequenceOrOptionalType(mlir::MLIRContext *ctx,
                              const onnx::TypeProto &type,
                              llvm::StringRef name, mlir::Location loc);

/// Refuses a node with a sequence or optional input unless its op takes
/// them (OpImportersSequence.cpp).
mlir::LogicalResult checkTensorInputs(NodeContext &ctx);

//===----------------------------------------------------------------------===//
// Helpers shared by the builders
//===----------------------------------------------------------------------===//

/// Imports a unary elementwise op without attributes.
template <typename OpTy> mlir::LogicalResult importUnary(NodeContext &ctx) {
  if (mlir::failed(ctx.checkAttributes({})) ||
      mlir::failed(ctx.checkInputs(1, 1)))
    return mlir::failure();
  return ctx.createAndSetResults<OpTy>(ctx.getInput(0));
}

/// Imports a binary broadcasting op without attributes.
template <typename OpTy> mlir::LogicalResult importBinary(NodeContext &ctx) {
  if (mlir::failed(ctx.checkAttributes({})) ||
      mlir::failed(ctx.checkInputs(2, 2)))
    return mlir::failure();
  return ctx.createAndSetResults<OpTy>(ctx.getInput(0), ctx.getInput(1));
}

/// Imports a unary op whose ONNX FLOAT attributes `names` are, in order, the
/// f32 attributes of `OpTy`; an absent attribute takes the op's default.
template <typename OpTy, typename... Names>
mlir::LogicalResult importUnaryWithFloats(NodeContext &ctx, Names... names) {
  if (mlir::failed(ctx.checkAttributes({KnownAttr{names, kFloat}...})) ||
      mlir::failed(ctx.checkInputs(1, 1)))
    return mlir::failure();
  auto getAttr = [&](llvm::StringRef name) -> mlir::FloatAttr {
    if (!ctx.hasAttr(name))
      return {};
    return ctx.getBuilder().getF32FloatAttr(ctx.getFloat(name, 0.0f));
  };
  return ctx.createAndSetResults<OpTy>(ctx.getInput(0), getAttr(names)...);
}

/// Folds the inputs of a variadic node (Max, Min, Sum, Mean) from left to
/// right with the broadcasting binary op `OpTy`; a single input is returned
/// as is. Fails with an error when the node has no input.
template <typename OpTy>
mlir::FailureOr<mlir::Value> buildVariadicChain(NodeContext &ctx) {
  if (ctx.getNumInputs() == 0)
    return ctx.emitError() << "expected at least 1 input, got 0";
  if (mlir::failed(ctx.checkAttributes({})) ||
      mlir::failed(ctx.checkInputs(ctx.getNumInputs(), ctx.getNumInputs())))
    return mlir::failure();
  mlir::Value result = ctx.getInput(0);
  for (unsigned i = 1, e = ctx.getNumInputs(); i < e; ++i) {
    mlir::FailureOr<OpTy> op = ctx.create<OpTy>(result, ctx.getInput(i));
    if (mlir::failed(op))
      return mlir::failure();
    result = op->getResult();
  }
  return result;
}

/// Imports a variadic node as a chain of `OpTy` (see buildVariadicChain).
template <typename OpTy> mlir::LogicalResult importVariadic(NodeContext &ctx) {
  mlir::FailureOr<mlir::Value> result = buildVariadicChain<OpTy>(ctx);
  if (mlir::failed(result))
    return mlir::failure();
  ctx.setResults(*result);
  return mlir::success();
}

/// Builds an opset-13 normalization (Softmax, LogSoftmax, Hardmax) of
/// `input` over its last axis and returns its result.
using LastAxisBuilder =
    llvm::function_ref<mlir::FailureOr<mlir::Value>(mlir::Value input)>;

/// Imports the opset 1 to 12 form of Softmax, LogSoftmax or Hardmax: the
/// input is coerced to a matrix at `axis` (default 1) and normalized over
/// its second dimension. When `axis` is the last dimension this is the
/// opset 13 op; otherwise flatten, `build` over the last axis and a reshape
/// back to the input shape are emitted.
mlir::LogicalResult importCoercedToMatrix(NodeContext &ctx,
                                          LastAxisBuilder build);

/// Imports the opset 1 to 12 form of `OpTy` (see importCoercedToMatrix).
template <typename OpTy>
mlir::LogicalResult importCoercedToMatrix(NodeContext &ctx) {
  return importCoercedToMatrix(
      ctx, [&](mlir::Value input) -> mlir::FailureOr<mlir::Value> {
        auto op = ctx.create<OpTy>(input, ctx.getBuilder().getI64IntegerAttr(-1));
        if (mlir::failed(op))
          return mlir::failure();
        return op->getResult();
      });
}

/// Imports the opset 13 form of Softmax, LogSoftmax or Hardmax: `OpTy`
/// along the `axis` attribute (default -1).
template <typename OpTy>
mlir::LogicalResult importAlongAxis(NodeContext &ctx) {
  if (mlir::failed(ctx.checkAttributes({{"axis", kInt}})) ||
      mlir::failed(ctx.checkInputs(1, 1)))
    return mlir::failure();
  return ctx.createAndSetResults<OpTy>(
      ctx.getInput(0), ctx.getBuilder().getI64IntegerAttr(ctx.getInt("axis", -1)));
}

/// Spatial attributes of Conv and the pooling ops, resolved to explicit
/// values for `numSpatial` spatial dimensions.
struct SpatialAttrs {
  /// Window size per spatial dimension.
  llvm::SmallVector<int64_t> kernel;
  /// Strides per spatial dimension.
  llvm::SmallVector<int64_t> strides;
  /// Begin pads of every spatial dimension, then end pads.
  llvm::SmallVector<int64_t> pads;
  /// Dilations per spatial dimension.
  llvm::SmallVector<int64_t> dilations;
};

/// Reads `strides`, `pads`, `dilations` and `auto_pad` of a Conv or pooling
/// node whose window is `kernel` (dynamic entries allowed unless auto_pad
/// needs them) and resolves auto_pad against the static spatial dimensions
/// of `input`.
mlir::FailureOr<SpatialAttrs>
resolveSpatialAttrs(NodeContext &ctx, mlir::Value input,
                    llvm::ArrayRef<int64_t> kernel);

/// Resolves the window of a pooling node: its required `kernel_shape`
/// attribute and the spatial attributes of its first input.
mlir::FailureOr<SpatialAttrs> resolvePoolingAttrs(NodeContext &ctx);

} // namespace exaforge::onnx_import

#endif // EXAFORGE_COMPILER_IMPORT_ONNX_OPIMPORTERS_H
