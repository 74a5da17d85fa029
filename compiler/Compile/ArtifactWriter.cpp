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
#include "passes/Dist/TensorParallel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
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

/// Describes one tensor of the signature as a manifest entry.
FailureOr<llvm::json::Object> describeTensor(func::FuncOp func, Type type,
                                             StringRef name,
                                             ArrayAttr dimNames) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  std::string dtype =
      tensorType ? getDTypeName(tensorType.getElementType()) : "";
  if (dtype.empty())
    return func.emitError() << "cannot describe '" << name << "' of type "
                            << type << " in the artifact manifest";
  llvm::json::Array shape, names;
  for (auto [i, dim] : llvm::enumerate(tensorType.getShape())) {
    shape.push_back(ShapedType::isDynamic(dim) ? int64_t(-1) : dim);
    StringAttr dimName = dimNames && i < dimNames.size()
                             ? dyn_cast<StringAttr>(dimNames[i])
                             : StringAttr();
    names.push_back(dimName ? dimName.getValue().str() : "");
  }
  return llvm::json::Object{{abi::kKeyName, name.str()},
                            {abi::kKeyDType, dtype},
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

/// Returns the bytes of a weight in the runtime's layout.
FailureOr<std::string> getWeightBytes(func::FuncOp func, ElementsAttr value) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return func.emitError() << "weight '" << resource.getRawHandle().getKey()
                              << "' has no data";
    ArrayRef<char> data = blob->getData();
    return std::string(data.begin(), data.end());
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return func.emitError() << "unsupported weight attribute " << value;
  std::string bytes;
  for (Attribute element : dense.getValues<Attribute>())
    appendElementBytes(element, bytes);
  return bytes;
}
/// Adds the `sharding` of an input or output (one list of mesh axes per
/// dimension) to its manifest entry, when it has one. The function's type is
/// the shard of one rank; the manifest gives the whole tensor, so each static
/// split dimension is multiplied by the sizes of its axes.
void addSharding(llvm::json::Object &entry, dist::ShardingAttr sharding,
                 func::FuncOp func) {
  if (!sharding)
    return;
  auto mesh = SymbolTable::lookupNearestSymbolFrom<dist::MeshOp>(
      func, sharding.getMesh());
  llvm::json::Array *shape = entry.getArray(abi::kKeyShape);
  llvm::json::Array dims;
  for (unsigned dim = 0, e = sharding.getDims().size(); dim < e; ++dim) {
    llvm::json::Array axes;
    int64_t parts = 1;
    for (StringRef axis : sharding.getDimAxes(dim)) {
      axes.push_back(axis.str());
      if (std::optional<unsigned> index =
              mesh ? mesh.getAxisIndex(axis) : std::nullopt)
        parts *= mesh.getShape()[*index];
    }
    if (shape && dim < shape->size())
      if (std::optional<int64_t> size = (*shape)[dim].getAsInteger();
          size && *size >= 0)
        (*shape)[dim] = *size * parts;
    dims.push_back(std::move(axes));
  }
  entry[abi::kKeySharding] = std::move(dims);
}

/// The mesh of the module of `func`, if it has one.
dist::MeshOp getMesh(func::FuncOp func) {
  auto meshes = func->getParentOfType<ModuleOp>().getOps<dist::MeshOp>();
  return meshes.empty() ? dist::MeshOp() : *meshes.begin();
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
                         dist::ShardingAttr sharding, dist::MeshOp mesh,
                         int64_t rank) {
  ArrayRef<int64_t> meshShape = mesh.getShape();
  SmallVector<int64_t> coords(meshShape.size());
  for (int64_t axis = meshShape.size() - 1, rest = rank; axis >= 0; --axis) {
    coords[axis] = rest % meshShape[axis];
    rest /= meshShape[axis];
  }
  auto position = [&](ArrayRef<StringRef> axes) {
    int64_t index = 0;
    for (StringRef axis : axes) {
      unsigned i = *mesh.getAxisIndex(axis);
      index = index * meshShape[i] + coords[i];
    }
    return index;
  };
  RankedTensorType local = dist::getLocalType(type, sharding, mesh);
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
llvm::json::Object describeRanks(func::FuncOp func) {
  auto module = func->getParentOfType<ModuleOp>();
  auto meshes = module.getOps<dist::MeshOp>();
  if (meshes.empty())
    return llvm::json::Object{{abi::kKeyWorldSize, 1}};
  dist::MeshOp mesh = *meshes.begin();
  llvm::json::Array axes, shape;
  for (Attribute axis : mesh.getAxes())
    axes.push_back(cast<StringAttr>(axis).getValue().str());
  for (int64_t size : mesh.getShape())
    shape.push_back(size);
  return llvm::json::Object{
      {abi::kKeyWorldSize, mesh.getNumRanks()},
      {abi::kKeyMesh, llvm::json::Object{{abi::kKeyAxes, std::move(axes)},
                                         {abi::kKeyShape, std::move(shape)}}}};
}
} // namespace

LogicalResult
exaforge::writeManifestAndWeights(func::FuncOp func, StringRef dir,
                                  const ArtifactDescription &desc) {
  llvm::SmallString<256> weightsPath(dir);
  llvm::sys::path::append(weightsPath, abi::kWeightsFileName);
  std::error_code ec;
  llvm::raw_fd_ostream weightsFile(weightsPath, ec);
  if (ec)
    return func.emitError()
           << "cannot write '" << weightsPath << "': " << ec.message();

  // Weights split over ranks (or partial) go to one file per rank, at the
  // same offsets in every file.
  dist::MeshOp mesh = getMesh(func);
  int64_t worldSize = mesh ? mesh.getNumRanks() : 1;
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
        return func.emitError()
               << "cannot write '" << path << "': " << ec.message();
      rankFiles.push_back(std::move(file));
      rankFileNames.push_back(name);
    }
    return success();
  };

  llvm::json::Array inputs, outputs, weights;
  uint64_t offset = 0;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    Type type = func.getArgument(i).getType();
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "graph.weight_name")) {
      auto value = func.getArgAttrOfType<ElementsAttr>(i, "graph.weight_value");
      FailureOr<llvm::json::Object> entry =
          describeTensor(func, type, name.getValue(), {});
      FailureOr<std::string> bytes =
          value ? getWeightBytes(func, value) : FailureOr<std::string>();
      if (failed(entry) || failed(bytes))
        return failure();
      auto sharding =
          func.getArgAttrOfType<dist::ShardingAttr>(i, dist::kShardingAttrName);
      if (sharding && !dist::isFullyReplicated(sharding)) {
        auto globalType = cast<RankedTensorType>(value.getType());
        auto localType = cast<RankedTensorType>(type);
        if (!mesh)
          return func.emitError() << "weight '" << name.getValue()
                                  << "' is sharded but the module has no mesh";
        for (unsigned dim = 0, e = sharding.getDims().size(); dim <= e; ++dim)
          for (StringRef axis :
               dim < e ? sharding.getDimAxes(dim) : sharding.getPartialAxes())
            if (!mesh.getAxisIndex(axis))
              return func.emitError()
                     << "weight '" << name.getValue() << "' is sharded over '"
                     << axis << "', which is not an axis of the mesh";
        if (sharding.getDims().size() !=
            static_cast<size_t>(globalType.getRank()))
          return func.emitError() << "weight '" << name.getValue()
                                  << "' has a sharding of the wrong rank";
        bool even = dist::getLocalType(globalType, sharding, mesh) == localType;
        for (unsigned dim = 0, e = localType.getRank(); dim < e && even;
             ++dim) {
          int64_t parts = 1;
          for (StringRef axis : sharding.getDimAxes(dim))
            parts *= mesh.getShape()[*mesh.getAxisIndex(axis)];
          even =
              localType.getDimSize(dim) * parts == globalType.getDimSize(dim);
        }
        if (!even)
          return func.emitError()
                 << "weight '" << name.getValue() << "' of type " << globalType
                 << " does not split evenly into shards of type " << type;
        if (rankFiles.empty() && failed(openRankFiles()))
          return failure();
        uint64_t padding =
            llvm::alignTo(rankOffset, kWeightAlignment) - rankOffset;
        rankOffset += padding;
        size_t shardBytes = 0;
        for (int64_t rank = 0; rank < worldSize; ++rank) {
          std::string shard =
              getRankShard(*bytes, globalType, sharding, mesh, rank);
          rankFiles[rank]->write_zeros(padding);
          *rankFiles[rank] << shard;
          shardBytes = shard.size();
        }
        llvm::json::Array dims, globalShape;
        for (unsigned dim = 0, e = sharding.getDims().size(); dim < e; ++dim)
          dims.push_back(toJsonArray(sharding.getDimAxes(dim)));
        for (int64_t size : globalType.getShape())
          globalShape.push_back(size);
        (*entry)[abi::kKeyPerRank] = true;
        (*entry)[abi::kKeySharding] = std::move(dims);
        (*entry)[abi::kKeyPartial] = toJsonArray(sharding.getPartialAxes());
        (*entry)[abi::kKeyGlobalShape] = std::move(globalShape);
        (*entry)[abi::kKeyOffset] = static_cast<int64_t>(rankOffset);
        (*entry)[abi::kKeyNBytes] = static_cast<int64_t>(shardBytes);
        rankOffset += shardBytes;
        weights.push_back(std::move(*entry));
        continue;
      }
      uint64_t padding = llvm::alignTo(offset, kWeightAlignment) - offset;
      weightsFile.write_zeros(padding);
      offset += padding;
      weightsFile << *bytes;
      (*entry)[abi::kKeyOffset] = static_cast<int64_t>(offset);
      (*entry)[abi::kKeyNBytes] = static_cast<int64_t>(bytes->size());
      offset += bytes->size();
      weights.push_back(std::move(*entry));
      continue;
    }
    auto name = func.getArgAttrOfType<StringAttr>(i, "graph.name");
    FailureOr<llvm::json::Object> entry = describeTensor(
        func, type, name ? name.getValue() : "input_" + std::to_string(i),
        func.getArgAttrOfType<ArrayAttr>(i, "graph.dim_params"));
    if (failed(entry))
      return failure();
    addSharding(
        *entry,
        func.getArgAttrOfType<dist::ShardingAttr>(i, dist::kShardingAttrName),
        func);
    inputs.push_back(std::move(*entry));
  }
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    auto name = func.getResultAttrOfType<StringAttr>(i, "graph.name");
    FailureOr<llvm::json::Object> entry = describeTensor(
        func, func.getResultTypes()[i],
        name ? name.getValue() : "output_" + std::to_string(i), {});
    if (failed(entry))
      return failure();
    addSharding(*entry,
                func.getResultAttrOfType<dist::ShardingAttr>(
                    i, dist::kShardingAttrName),
                func);
    if (auto producedOn = func.getResultAttrOfType<DictionaryAttr>(
            i, dist::kProducedOnAttrName)) {
      llvm::json::Object coordinates;
      for (NamedAttribute axis : producedOn)
        if (auto coordinate = dyn_cast<IntegerAttr>(axis.getValue()))
          coordinates[axis.getName().getValue()] = coordinate.getInt();
      (*entry)[abi::kKeyProducedOn] = std::move(coordinates);
    }
    outputs.push_back(std::move(*entry));
  }

  llvm::json::Object manifest{
      {abi::kKeyFormatVersion, abi::kArtifactFormatVersion},
      {abi::kKeyCompilerVersion, desc.compilerVersion.str()},
      {abi::kKeyLibrary, desc.libraryName.str()},
      {abi::kKeyEntry, desc.entrySymbol.str()},
      {abi::kKeyWeightsFile, abi::kWeightsFileName},
      {abi::kKeyInputs, std::move(inputs)},
      {abi::kKeyOutputs, std::move(outputs)},
      {abi::kKeyWeights, std::move(weights)},
      {abi::kKeyRanks, describeRanks(func)}};
  if (!rankFileNames.empty())
    manifest[abi::kKeyRankWeightsFiles] = std::move(rankFileNames);
  llvm::SmallString<256> manifestPath(dir);
  llvm::sys::path::append(manifestPath, abi::kManifestFileName);
  llvm::raw_fd_ostream manifestFile(manifestPath, ec);
  if (ec)
    return func.emitError()
           << "cannot write '" << manifestPath << "': " << ec.message();
  manifestFile << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest)))
               << "\n";
  return success();
}

void exaforge::stripGraphSignatureAttributes(func::FuncOp func) {
  auto strip = [](DictionaryAttr attrs) {
    SmallVector<NamedAttribute> kept;
    if (attrs)
      for (NamedAttribute attr : attrs)
        if (!attr.getName().getValue().starts_with("graph."))
          kept.push_back(attr);
    return kept;
  };
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttrs(i, strip(func.getArgAttrDict(i)));
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
    func.setResultAttrs(i, strip(func.getResultAttrDict(i)));
}
