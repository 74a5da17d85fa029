//===- ArtifactWriter.cpp - Manifest and weight file of an artifact -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements ArtifactWriter.h. Weight bytes are written straight from their
// `dense_resource` blobs (little-endian, row-major, the layout the runtime
// maps); dense attributes are serialized element by element.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/ArtifactWriter.h"

#include "exaforge/abi/Contract.h"

#include "dialects/Dist/DistOps.h"
#include "passes/Artifact/Manifest.h"
#include "passes/Dist/TensorParallel.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace exaforge;

namespace {
/// Alignment of every weight inside `weights.bin`.
constexpr uint64_t kWeightAlignment = 64;

/// The mesh recorded in the manifest: the axis names and sizes.
struct MeshShape {
  SmallVector<StringRef> axes;
  SmallVector<int64_t> shape;

  /// The position of the axis named `name`, if the mesh has one.
  std::optional<unsigned> getAxisIndex(StringRef name) const {
    auto it = llvm::find(axes, name);
    if (it == axes.end())
      return std::nullopt;
    return static_cast<unsigned>(it - axes.begin());
  }
  /// The number of ranks: the product of the axis sizes.
  int64_t getNumRanks() const {
    int64_t ranks = 1;
    for (int64_t size : shape)
      ranks *= size;
    return ranks;
  }
  /// The number of parts the axes `names` split a dimension into.
  int64_t getNumParts(ArrayRef<StringRef> names) const {
    int64_t parts = 1;
    for (StringRef name : names)
      if (std::optional<unsigned> index = getAxisIndex(name))
        parts *= shape[*index];
    return parts;
  }
};

/// Reads the `mesh` entry of the manifest, if there is one.
std::optional<MeshShape> getMesh(DictionaryAttr manifestAttr) {
  auto mesh = manifestAttr.getAs<DictionaryAttr>(artifact::manifest::kMesh);
  if (!mesh)
    return std::nullopt;
  MeshShape result;
  for (Attribute axis : mesh.getAs<ArrayAttr>(artifact::manifest::kAxes))
    result.axes.push_back(cast<StringAttr>(axis).getValue());
  llvm::append_range(
      result.shape,
      mesh.getAs<DenseI64ArrayAttr>(artifact::manifest::kShape).asArrayRef());
  return result;
}

/// The type of one rank's shard of a tensor of type `global` laid out as
/// `sharding` on `mesh` (dist::getLocalType on the recorded mesh).
RankedTensorType getLocalType(RankedTensorType global,
                              dist::ShardingAttr sharding,
                              const MeshShape &mesh) {
  return dist::getLocalType(global, sharding, mesh.axes, mesh.shape);
}

/// The manifest entry of the input, output or weight `entry` of the
/// recorded manifest: name, dtype, shape (of one rank) and dimension names.
llvm::json::Object describeTensor(DictionaryAttr entry) {
  auto dimNames = entry.getAs<ArrayAttr>(artifact::manifest::kDimNames);
  llvm::json::Array shape, names;
  for (auto [i, size] : llvm::enumerate(
           entry.getAs<DenseI64ArrayAttr>(artifact::manifest::kShape)
               .asArrayRef())) {
    shape.push_back(size);
    StringAttr dimName = dimNames && i < dimNames.size()
                             ? dyn_cast<StringAttr>(dimNames[i])
                             : StringAttr();
    names.push_back(dimName ? dimName.getValue().str() : "");
  }
  return llvm::json::Object{
      {abi::kKeyName, entry.getAs<StringAttr>(artifact::manifest::kName).str()},
      {abi::kKeyDType, entry.getAs<StringAttr>(artifact::manifest::kDType).str()},
      {abi::kKeyShape, std::move(shape)},
      {abi::kKeyDimNames, std::move(names)}};
}

/// Appends the little-endian bytes of one element to `bytes` (booleans take
/// one byte).
void appendElementBytes(Attribute element, std::string &bytes) {
  APInt bits;
  if (auto floatAttr = dyn_cast<FloatAttr>(element))
    bits = floatAttr.getValue().bitcastToAPInt();
  else
    bits = cast<IntegerAttr>(element).getValue();
  unsigned numBytes = std::max(1u, bits.getBitWidth() / 8);
  bits = bits.zext(numBytes * 8);
  for (unsigned i = 0; i < numBytes; ++i)
    bytes.push_back(static_cast<char>(bits.extractBitsAsZExtValue(8, i * 8)));
}

/// Returns the bytes of a weight in the runtime's layout: the data of its
/// `dense_resource` blob itself (not a copy), or the bytes of a dense
/// attribute serialized into `storage`.
FailureOr<StringRef> getWeightBytes(ModuleOp module, ElementsAttr value,
                                    std::string &storage) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return module.emitError()
             << "weight '" << resource.getRawHandle().getKey()
             << "' has no data";
    ArrayRef<char> data = blob->getData();
    return StringRef(data.data(), data.size());
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return module.emitError() << "unsupported weight attribute " << value;
  storage.clear();
  for (Attribute element : dense.getValues<Attribute>())
    appendElementBytes(element, storage);
  return StringRef(storage);
}
/// Adds the `sharding` of an input or output (one list of mesh axes per
/// dimension) to its manifest entry, when it has one. The recorded type is
/// the shard of one rank; the manifest gives the whole tensor, so each static
/// split dimension is multiplied by the sizes of its axes.
void addSharding(llvm::json::Object &entry, dist::ShardingAttr sharding,
                 const std::optional<MeshShape> &mesh) {
  if (!sharding)
    return;
  llvm::json::Array *shape = entry.getArray(abi::kKeyShape);
  llvm::json::Array dims;
  for (unsigned dim = 0, e = sharding.getDims().size(); dim < e; ++dim) {
    llvm::json::Array axes;
    for (StringRef axis : sharding.getDimAxes(dim))
      axes.push_back(axis.str());
    int64_t parts = mesh ? mesh->getNumParts(sharding.getDimAxes(dim)) : 1;
    if (shape && dim < shape->size())
      if (std::optional<int64_t> size = (*shape)[dim].getAsInteger();
          size && *size >= 0)
        (*shape)[dim] = *size * parts;
    dims.push_back(std::move(axes));
  }
  entry[abi::kKeySharding] = std::move(dims);
}

/// The JSON form of the axis names in `axes`.
llvm::json::Array toJsonArray(ArrayRef<StringRef> axes) {
  llvm::json::Array array;
  for (StringRef axis : axes)
    array.push_back(axis.str());
  return array;
}

/// The shard of rank `rank` of a weight of global type `type` whose bytes
/// are `bytes`, laid out as `sharding` on `mesh`: along each split
/// dimension, the block at the rank's position in the group of the axes
/// splitting it; all zeros on the ranks that are not first of a `partial`
/// group (the value is added once).
std::string getRankShard(StringRef bytes, RankedTensorType type,
                         dist::ShardingAttr sharding, const MeshShape &mesh,
                         int64_t rank) {
  ArrayRef<int64_t> meshShape = mesh.shape;
  SmallVector<int64_t> coords = dist::getMeshCoordinates(meshShape, rank);
  auto position = [&](ArrayRef<StringRef> axes) {
    int64_t index = 0;
    for (StringRef axis : axes) {
      unsigned i = *mesh.getAxisIndex(axis);
      index = index * meshShape[i] + coords[i];
    }
    return index;
  };
  RankedTensorType local = getLocalType(type, sharding, mesh);
  SmallVector<int64_t> offsets;
  for (unsigned dim = 0, e = type.getRank(); dim < e; ++dim)
    offsets.push_back(position(sharding.getDimAxes(dim)) *
                      local.getDimSize(dim));
  int64_t elementBytes =
      std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
  std::string shard = dist::sliceRowMajor(
      ArrayRef<char>(bytes.data(), bytes.size()), type.getShape(), elementBytes,
      offsets, local.getShape());
  for (StringRef axis : sharding.getPartialAxes())
    if (coords[*mesh.getAxisIndex(axis)] != 0)
      std::fill(shard.begin(), shard.end(), 0);
  return shard;
}

/// The `ranks` entry of the manifest: the world size and, for a model
/// compiled for several ranks, its mesh.
llvm::json::Object describeRanks(const std::optional<MeshShape> &mesh) {
  if (!mesh)
    return llvm::json::Object{{abi::kKeyWorldSize, 1}};
  llvm::json::Array shape;
  for (int64_t size : mesh->shape)
    shape.push_back(size);
  return llvm::json::Object{
      {abi::kKeyWorldSize, mesh->getNumRanks()},
      {abi::kKeyMesh, llvm::json::Object{{abi::kKeyAxes, toJsonArray(mesh->axes)},
                                  {abi::kKeyShape, std::move(shape)}}}};
}
} // namespace

LogicalResult
exaforge::writeManifestAndWeights(ModuleOp module, StringRef dir,
                                  const ArtifactDescription &desc) {
  auto manifestAttr =
      module->getAttrOfType<DictionaryAttr>(artifact::kManifestAttrName);
  if (!manifestAttr)
    return module.emitError("the module has no '")
           << artifact::kManifestAttrName
           << "' (artifact-record-manifest records it)";
  std::optional<MeshShape> mesh = getMesh(manifestAttr);
  auto entries = [&](StringRef key) {
    return manifestAttr.getAs<ArrayAttr>(key).getAsRange<DictionaryAttr>();
  };
  auto nameOf = [](DictionaryAttr entry) {
    return entry.getAs<StringAttr>(artifact::manifest::kName).getValue();
  };
  auto shardingOf = [](DictionaryAttr entry) {
    return entry.getAs<dist::ShardingAttr>(artifact::manifest::kSharding);
  };

  llvm::SmallString<256> weightsPath(dir);
  llvm::sys::path::append(weightsPath, abi::kWeightsFileName);
  std::error_code ec;
  llvm::raw_fd_ostream weightsFile(weightsPath, ec);
  if (ec)
    return module.emitError()
           << "cannot write '" << weightsPath << "': " << ec.message();

  // Weights split over ranks (or partial) go to one file per rank, at the
  // same offsets in every file.
  int64_t worldSize = mesh ? mesh->getNumRanks() : 1;
  SmallVector<std::unique_ptr<llvm::raw_fd_ostream>> rankFiles;
  llvm::json::Array rankFileNames;
  uint64_t rankOffset = 0;
  auto openRankFiles = [&]() -> LogicalResult {
    for (int64_t rank = 0; rank < worldSize; ++rank) {
      std::string name = "weights.rank" + std::to_string(rank) + ".bin";
      llvm::SmallString<256> path(dir);
      llvm::sys::path::append(path, name);
      auto file = std::make_unique<llvm::raw_fd_ostream>(path, ec);
      if (ec)
        return module.emitError()
               << "cannot write '" << path << "': " << ec.message();
      rankFiles.push_back(std::move(file));
      rankFileNames.push_back(name);
    }
    return success();
  };

  llvm::json::Array inputs, outputs, weights;
  uint64_t offset = 0;
  for (DictionaryAttr weight : entries(artifact::manifest::kWeights)) {
    StringRef name = nameOf(weight);
    auto value = weight.getAs<ElementsAttr>(artifact::manifest::kValue);
    llvm::json::Object entry = describeTensor(weight);
    std::string storage;
    FailureOr<StringRef> bytes =
        value ? getWeightBytes(module, value, storage) : FailureOr<StringRef>();
    if (failed(bytes))
      return failure();
    dist::ShardingAttr sharding = shardingOf(weight);
    if (sharding && !dist::isFullyReplicated(sharding)) {
      auto globalType = cast<RankedTensorType>(value.getType());
      auto localType = globalType.clone(
          weight.getAs<DenseI64ArrayAttr>(artifact::manifest::kShape)
              .asArrayRef());
      if (!mesh)
        return module.emitError() << "weight '" << name
                                  << "' is sharded but the module has no mesh";
      for (unsigned dim = 0, e = sharding.getDims().size(); dim <= e; ++dim)
        for (StringRef axis :
             dim < e ? sharding.getDimAxes(dim) : sharding.getPartialAxes())
          if (!mesh->getAxisIndex(axis))
            return module.emitError()
                   << "weight '" << name << "' is sharded over '" << axis
                   << "', which is not an axis of the mesh";
      if (sharding.getDims().size() !=
          static_cast<size_t>(globalType.getRank()))
        return module.emitError()
               << "weight '" << name << "' has a sharding of the wrong rank";
      bool even = getLocalType(globalType, sharding, *mesh) == localType;
      for (unsigned dim = 0, e = localType.getRank(); dim < e && even; ++dim)
        even = localType.getDimSize(dim) *
                   mesh->getNumParts(sharding.getDimAxes(dim)) ==
               globalType.getDimSize(dim);
      if (!even)
        return module.emitError()
               << "weight '" << name << "' of type " << globalType
               << " does not split evenly into shards of type " << localType;
      if (rankFiles.empty() && failed(openRankFiles()))
        return failure();
      uint64_t padding =
          llvm::alignTo(rankOffset, kWeightAlignment) - rankOffset;
      rankOffset += padding;
      size_t shardBytes = 0;
      for (int64_t rank = 0; rank < worldSize; ++rank) {
        std::string shard =
            getRankShard(*bytes, globalType, sharding, *mesh, rank);
        rankFiles[rank]->write_zeros(padding);
        *rankFiles[rank] << shard;
        shardBytes = shard.size();
      }
      llvm::json::Array dims, globalShape;
      for (unsigned dim = 0, e = sharding.getDims().size(); dim < e; ++dim)
        dims.push_back(toJsonArray(sharding.getDimAxes(dim)));
      for (int64_t size : globalType.getShape())
        globalShape.push_back(size);
      entry[abi::kKeyPerRank] = true;
      entry[abi::kKeySharding] = std::move(dims);
      entry[abi::kKeyPartial] = toJsonArray(sharding.getPartialAxes());
      entry[abi::kKeyGlobalShape] = std::move(globalShape);
      entry[abi::kKeyOffset] = static_cast<int64_t>(rankOffset);
      entry[abi::kKeyNBytes] = static_cast<int64_t>(shardBytes);
      rankOffset += shardBytes;
      weights.push_back(std::move(entry));
      continue;
    }
    uint64_t padding = llvm::alignTo(offset, kWeightAlignment) - offset;
    weightsFile.write_zeros(padding);
    offset += padding;
    weightsFile << *bytes;
    entry[abi::kKeyOffset] = static_cast<int64_t>(offset);
    entry[abi::kKeyNBytes] = static_cast<int64_t>(bytes->size());
    offset += bytes->size();
    weights.push_back(std::move(entry));
  }
  for (DictionaryAttr input : entries(artifact::manifest::kInputs)) {
    llvm::json::Object entry = describeTensor(input);
    addSharding(entry, shardingOf(input), mesh);
    inputs.push_back(std::move(entry));
  }
  for (DictionaryAttr output : entries(artifact::manifest::kOutputs)) {
    llvm::json::Object entry = describeTensor(output);
    addSharding(entry, shardingOf(output), mesh);
    if (auto producedOn =
            output.getAs<DictionaryAttr>(artifact::manifest::kProducedOn)) {
      llvm::json::Object coordinates;
      for (NamedAttribute axis : producedOn)
        if (auto coordinate = dyn_cast<IntegerAttr>(axis.getValue()))
          coordinates[axis.getName().getValue()] = coordinate.getInt();
      entry[abi::kKeyProducedOn] = std::move(coordinates);
    }
    outputs.push_back(std::move(entry));
  }

  llvm::json::Object manifest{
      {abi::kKeyFormatVersion, abi::kArtifactFormatVersion},
      {abi::kKeyCompilerVersion, desc.compilerVersion.str()},
      {abi::kKeyRuntimeChecks, desc.runtimeChecks},
      {abi::kKeyLibrary, desc.libraryName.str()},
      {abi::kKeyEntry, desc.entrySymbol.str()},
      {abi::kKeyWeightsFile, abi::kWeightsFileName},
      {abi::kKeyInputs, std::move(inputs)},
      {abi::kKeyOutputs, std::move(outputs)},
      {abi::kKeyWeights, std::move(weights)},
      {abi::kKeyRanks, describeRanks(mesh)}};
  if (!rankFileNames.empty())
    manifest[abi::kKeyRankWeightsFiles] = std::move(rankFileNames);
  llvm::json::Object target{{abi::kKeyName, desc.target.str()},
                            {abi::kKeyPrecision, desc.precision.str()}};
  if (!desc.gpuArch.empty())
    target[abi::kKeyGpuArch] = desc.gpuArch.str();
  if (!desc.ptxFile.empty())
    target[abi::kKeyPtxFile] = desc.ptxFile.str();
  if (!desc.cubinFile.empty())
    target[abi::kKeyCubinFile] = desc.cubinFile.str();
  manifest[abi::kKeyTarget] = std::move(target);
  llvm::SmallString<256> manifestPath(dir);
  llvm::sys::path::append(manifestPath, abi::kManifestFileName);
  llvm::raw_fd_ostream manifestFile(manifestPath, ec);
  if (ec)
    return module.emitError()
           << "cannot write '" << manifestPath << "': " << ec.message();
  manifestFile << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest)))
               << "\n";
  return success();
}
