//===- RecordManifest.cpp - The manifest as a module attribute ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `artifact-record-manifest` (see Passes.td and Manifest.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Artifact/Manifest.h"
#include "passes/Artifact/Passes.h"

#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace exaforge::artifact {
#define GEN_PASS_DEF_ARTIFACTRECORDMANIFEST
#include "passes/Artifact/Passes.h.inc"
} // namespace exaforge::artifact

using namespace mlir;
using namespace exaforge;
using namespace exaforge::artifact;

namespace {

/// Returns the numpy name of an element type, or an empty string for types
/// the runtime does not support.
std::string getDTypeName(Type type) {
  if (type.isF16())
    return "float16";
  if (type.isBF16())
    return "bfloat16";
  if (type.isF32())
    return "float32";
  if (type.isF64())
    return "float64";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    if (integer.getWidth() == 1)
      return "bool";
    if (llvm::is_contained({8u, 16u, 32u, 64u}, integer.getWidth()))
      return (integer.isUnsigned() ? "uint" : "int") +
             std::to_string(integer.getWidth());
  }
  return "";
}

/// The ONNX name of an input or output (`graph.name`), or `prefix`
/// followed by its position.
std::string getTensorName(DictionaryAttr attrs, StringRef prefix,
                          unsigned index) {
  if (auto name = attrs ? attrs.getAs<StringAttr>("graph.name") : nullptr)
    return name.str();
  return (prefix + llvm::Twine(index)).str();
}

struct ArtifactRecordManifestPass
    : exaforge::artifact::impl::ArtifactRecordManifestBase<
          ArtifactRecordManifestPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    main = graph::lookupModelFunction(module);
    if (!main) {
      module.emitError("the module has no @")
          << graph::kModelFunctionName << " function";
      return signalPassFailure();
    }
    Builder builder(&getContext());
    SmallVector<Attribute> inputs, outputs, weights;
    for (unsigned i = 0, e = main.getNumArguments(); i < e; ++i) {
      DictionaryAttr attrs = main.getArgAttrDict(i);
      FailureOr<NamedAttrList> entry =
          describeTensor(main.getArgument(i).getType(),
                         getTensorName(attrs, "input_", i), attrs);
      if (failed(entry))
        return signalPassFailure();
      copy(*entry, attrs, "graph.dim_params", manifest::kDimNames);
      inputs.push_back(entry->getDictionary(&getContext()));
    }
    for (graph::WeightOp weight : module.getOps<graph::WeightOp>()) {
      FailureOr<NamedAttrList> entry =
          describeTensor(weight.getType(), weight.getSymName(),
                         weight->getDiscardableAttrDictionary());
      if (failed(entry))
        return signalPassFailure();
      entry->set(manifest::kValue, weight.getValue());
      weights.push_back(entry->getDictionary(&getContext()));
    }
    for (unsigned i = 0, e = main.getNumResults(); i < e; ++i) {
      DictionaryAttr attrs = main.getResultAttrDict(i);
      FailureOr<NamedAttrList> entry = describeTensor(
          main.getResultTypes()[i], getTensorName(attrs, "output_", i), attrs);
      if (failed(entry))
        return signalPassFailure();
      copy(*entry, attrs, "graph.dim_params", manifest::kDimNames);
      copy(*entry, attrs, dist::kProducedOnAttrName, manifest::kProducedOn);
      outputs.push_back(entry->getDictionary(&getContext()));
    }

    NamedAttrList manifestAttrs;
    manifestAttrs.set(manifest::kInputs, builder.getArrayAttr(inputs));
    manifestAttrs.set(manifest::kOutputs, builder.getArrayAttr(outputs));
    manifestAttrs.set(manifest::kWeights, builder.getArrayAttr(weights));
    auto meshes = module.getOps<dist::MeshOp>();
    if (!meshes.empty()) {
      dist::MeshOp mesh = *meshes.begin();
      manifestAttrs.set(
          manifest::kMesh,
          builder.getDictionaryAttr(
              {builder.getNamedAttr(manifest::kAxes, mesh.getAxes()),
               builder.getNamedAttr(manifest::kShape, mesh.getShapeAttr())}));
    }
    module->setAttr(kManifestAttrName,
                    manifestAttrs.getDictionary(&getContext()));
  }

  /// The entry of a tensor of `type` named `name` whose argument or result
  /// attributes are `attrs`: its name, element type, shape and sharding.
  /// Fails on a type the runtime does not know.
  FailureOr<NamedAttrList> describeTensor(Type type, StringRef name,
                                          DictionaryAttr attrs) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    std::string dtype =
        tensorType ? getDTypeName(tensorType.getElementType()) : "";
    if (dtype.empty())
      return main.emitError() << "cannot describe '" << name << "' of type "
                              << type << " in the artifact manifest";
    Builder builder(&getContext());
    SmallVector<int64_t> shape;
    for (int64_t size : tensorType.getShape())
      shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
    NamedAttrList entry;
    entry.set(manifest::kName, builder.getStringAttr(name));
    entry.set(manifest::kDType, builder.getStringAttr(dtype));
    entry.set(manifest::kShape, builder.getDenseI64ArrayAttr(shape));
    copy(entry, attrs, dist::kShardingAttrName, manifest::kSharding);
    return entry;
  }

  /// Copies the attribute `from` of `attrs` to `entry` as `to`, if present.
  static void copy(NamedAttrList &entry, DictionaryAttr attrs, StringRef from,
                   StringRef to) {
    if (Attribute value = attrs ? attrs.get(from) : Attribute())
      entry.set(to, value);
  }

  /// The model function.
  func::FuncOp main;
};

} // namespace
