//===- Artifact.cpp - A compiled artifact opened for running --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Artifact.h"

#include "exaforge/abi/Contract.h"
#include "exaforge/abi/kernels.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

namespace abi = exaforge::abi;
using namespace exaforge::runtime;
using llvm::Error;
using llvm::StringRef;

namespace {
/// An error about `file`.
Error fileError(StringRef file, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (file + ": " + message).str());
}

/// Reads one tensor entry of the manifest; `where` names it in errors.
Error readTensorSpec(const llvm::json::Value &value, bool isWeight,
                     TensorSpec &spec, StringRef file, StringRef where) {
  const llvm::json::Object *object = value.getAsObject();
  if (!object)
    return fileError(file, where + " is not an object");
  std::optional<StringRef> name = object->getString(abi::kKeyName);
  std::optional<StringRef> dtype = object->getString(abi::kKeyDType);
  const llvm::json::Array *shape = object->getArray(abi::kKeyShape);
  if (!name || !dtype || !shape)
    return fileError(file, where + " needs 'name', 'dtype' and 'shape'");
  spec.name = name->str();
  if (!parseDType(*dtype, spec.dtype))
    return fileError(file, where + " '" + *name + "' has unknown dtype '" +
                               *dtype + "'");
  for (const llvm::json::Value &dim : *shape) {
    std::optional<int64_t> size = dim.getAsInteger();
    if (!size || *size < -1 || (isWeight && *size < 0))
      return fileError(file, where + " '" + *name + "' has an invalid shape");
    spec.shape.push_back(*size);
  }
  spec.dimNames.assign(spec.shape.size(), "");
  if (const llvm::json::Array *names = object->getArray(abi::kKeyDimNames)) {
    if (names->size() != spec.shape.size())
      return fileError(file, where + " '" + *name +
                                 "': 'dim_names' and 'shape' differ in length");
    for (auto [i, dimName] : llvm::enumerate(*names))
      if (std::optional<StringRef> text = dimName.getAsString())
        spec.dimNames[i] = text->str();
  }
  for (const std::string &dimName : spec.dimNames)
    spec.dimNamePointers.push_back(dimName.c_str());
  if (isWeight) {
    std::optional<int64_t> offset = object->getInteger(abi::kKeyOffset);
    std::optional<int64_t> nbytes = object->getInteger(abi::kKeyNBytes);
    if (!offset || !nbytes || *offset < 0 || *nbytes < 0)
      return fileError(file, where + " '" + *name +
                                 "' needs a non-negative 'offset' and 'nbytes'");
    spec.offset = *offset;
    spec.nbytes = *nbytes;
    spec.perRank = object->getBoolean(abi::kKeyPerRank).value_or(false);
    uint64_t elements = 1;
    for (int64_t size : spec.shape)
      elements *= size;
    if (elements * xf_dtype_size(spec.dtype) != spec.nbytes)
      return fileError(file, where + " '" + *name +
                                 "': 'nbytes' does not match its shape");
  }
  return Error::success();
}

/// Reads the tensor array `key` of `manifest` into `specs`.
Error readTensorSpecs(const llvm::json::Object &manifest, StringRef key,
                      bool isWeight, std::vector<TensorSpec> &specs,
                      StringRef file) {
  const llvm::json::Array *array = manifest.getArray(key);
  if (!array)
    return fileError(file, "missing array '" + key + "'");
  for (auto [i, value] : llvm::enumerate(*array)) {
    TensorSpec spec;
    if (Error error = readTensorSpec(value, isWeight, spec, file,
                                     (key + "[" + llvm::Twine(i) + "]").str()))
      return error;
    specs.push_back(std::move(spec));
  }
  return Error::success();
}
} // namespace

bool exaforge::runtime::parseDType(StringRef name, xf_dtype_t &dtype) {
  for (int value = XF_DTYPE_FLOAT32; value <= XF_DTYPE_BOOL; ++value)
    if (name == xf_dtype_name(static_cast<xf_dtype_t>(value))) {
      dtype = static_cast<xf_dtype_t>(value);
      return true;
    }
  return false;
}

llvm::Expected<std::unique_ptr<Artifact>>
Artifact::open(const std::string &path, int64_t rank) {
  if (!llvm::sys::fs::is_directory(path))
    return fileError(path, llvm::sys::fs::exists(path)
                               ? "not an artifact directory"
                               : "no such artifact directory");
  std::unique_ptr<Artifact> artifact(new Artifact());
  artifact->path = path;
  artifact->rank = rank;
  llvm::SmallString<256> manifestPath(path);
  llvm::sys::path::append(manifestPath, abi::kManifestFileName);
  if (Error error = artifact->readManifest(manifestPath.str().str()))
    return std::move(error);
  if (Error error = artifact->mapWeights())
    return std::move(error);
  if (Error error = artifact->loadLibrary())
    return std::move(error);
  return artifact;
}

Artifact::~Artifact() {
  // Packed copies of these weights must not outlive their mapping.
  for (const llvm::sys::fs::mapped_file_region *region :
       {&weightsRegion, &rankWeightsRegion})
    if (*region)
      xf_kernels_forget_weights(region->const_data(), region->size());
  if (libraryHandle)
    dlclose(libraryHandle);
}

Error Artifact::readManifest(const std::string &manifestPath) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text =
      llvm::MemoryBuffer::getFile(manifestPath);
  if (!text)
    return fileError(manifestPath, "cannot read: " + text.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*text)->getBuffer());
  if (!json)
    return fileError(manifestPath, "invalid JSON: " +
                                       llvm::toString(json.takeError()));
  const llvm::json::Object *manifest = json->getAsObject();
  if (!manifest)
    return fileError(manifestPath, "not a JSON object");
  std::optional<int64_t> version = manifest->getInteger(abi::kKeyFormatVersion);
  if (!version)
    return fileError(manifestPath, "missing 'format_version'");
  if (*version < abi::kOldestArtifactFormatVersion ||
      *version > abi::kArtifactFormatVersion)
    return fileError(manifestPath,
                     "format version " + llvm::Twine(*version) +
                         " is not supported (this runtime reads versions " +
                         llvm::Twine(abi::kOldestArtifactFormatVersion) +
                         " to " + llvm::Twine(abi::kArtifactFormatVersion) +
                         ")");
  std::optional<StringRef> library = manifest->getString(abi::kKeyLibrary);
  std::optional<StringRef> entryPoint = manifest->getString(abi::kKeyEntry);
  std::optional<StringRef> weightsFile =
      manifest->getString(abi::kKeyWeightsFile);
  if (!library || !entryPoint || !weightsFile)
    return fileError(manifestPath,
                     "needs 'library', 'entry' and 'weights_file'");
  for (StringRef file : {*library, *weightsFile})
    if (file.empty() || file.contains('/') || file == "." || file == "..")
      return fileError(manifestPath, "'" + file +
                                         "' must be a file name inside the "
                                         "artifact directory");
  libraryName = library->str();
  entryName = entryPoint->str();
  weightsName = weightsFile->str();
  if (const llvm::json::Object *ranks = manifest->getObject(abi::kKeyRanks))
    worldSize = ranks->getInteger(abi::kKeyWorldSize).value_or(1);
  if (worldSize < 1)
    return fileError(manifestPath, "'ranks.world_size' must be positive");
  if (rank >= worldSize)
    return fileError(manifestPath,
                     "rank " + llvm::Twine(rank) +
                         " is out of range: the artifact was compiled for " +
                         llvm::Twine(worldSize) + " rank(s)");
  if (const llvm::json::Array *files =
          manifest->getArray(abi::kKeyRankWeightsFiles)) {
    if (static_cast<int64_t>(files->size()) != worldSize)
      return fileError(manifestPath, "'rank_weights_files' must name one "
                                     "file per rank");
    for (const llvm::json::Value &file : *files) {
      std::optional<StringRef> name = file.getAsString();
      if (!name || name->empty() || name->contains('/') || *name == "." ||
          *name == "..")
        return fileError(manifestPath, "'rank_weights_files' must list file "
                                       "names inside the artifact directory");
      rankWeightsNames.push_back(name->str());
    }
  }
  if (Error error = readTensorSpecs(*manifest, abi::kKeyInputs, false, inputs,
                                    manifestPath))
    return error;
  if (Error error = readTensorSpecs(*manifest, abi::kKeyOutputs, false, outputs,
                                    manifestPath))
    return error;
  if (Error error = readTensorSpecs(*manifest, abi::kKeyWeights, true, weights,
                                    manifestPath))
    return error;
  if (Error error = readRanks(*manifest, manifestPath))
    return error;
  for (const TensorSpec &weight : weights)
    if (weight.perRank && rankWeightsNames.empty())
      return fileError(manifestPath, "weight '" + weight.name +
                                         "' is stored per rank but there is "
                                         "no 'rank_weights_files'");
  return Error::success();
}

Error Artifact::readRanks(const llvm::json::Object &manifest,
                          StringRef manifestPath) {
  const llvm::json::Object *ranks = manifest.getObject(abi::kKeyRanks);
  if (!ranks)
    return Error::success();
  std::optional<int64_t> worldSize = ranks->getInteger(abi::kKeyWorldSize);
  if (!worldSize || *worldSize < 1)
    return fileError(manifestPath, "'ranks.world_size' must be a positive "
                                   "integer");
  const llvm::json::Object *meshObject = ranks->getObject(abi::kKeyMesh);
  if (!meshObject) {
    if (*worldSize != 1)
      return fileError(manifestPath, "'ranks' needs a 'mesh' for " +
                                         llvm::Twine(*worldSize) + " ranks");
    return Error::success();
  }
  const llvm::json::Array *axes = meshObject->getArray(abi::kKeyAxes);
  const llvm::json::Array *shape = meshObject->getArray(abi::kKeyShape);
  if (!axes || !shape || axes->size() != shape->size() || axes->empty() ||
      axes->size() > 8)
    return fileError(manifestPath, "'ranks.mesh' needs 'axes' and 'shape' "
                                   "of the same length (1 to 8)");
  for (auto [axis, size] : llvm::zip(*axes, *shape)) {
    std::optional<StringRef> name = axis.getAsString();
    std::optional<int64_t> extent = size.getAsInteger();
    if (!name || !extent || *extent < 1 || llvm::is_contained(mesh.axes, *name))
      return fileError(manifestPath, "'ranks.mesh' has an invalid axis");
    mesh.axes.push_back(name->str());
    mesh.shape.push_back(*extent);
  }
  if (mesh.getNumRanks() != *worldSize)
    return fileError(manifestPath, "'ranks.mesh' has " +
                                       llvm::Twine(mesh.getNumRanks()) +
                                       " ranks, 'ranks.world_size' says " +
                                       llvm::Twine(*worldSize));
  // The shardings of the inputs and outputs.
  for (auto [key, specs] : {std::pair<StringRef, std::vector<TensorSpec> *>{
                                abi::kKeyInputs, &inputs},
                            {abi::kKeyOutputs, &outputs}}) {
    const llvm::json::Array *array = manifest.getArray(key);
    for (auto [spec, value] : llvm::zip(*specs, *array)) {
      if (const llvm::json::Object *producedOn =
              value.getAsObject()->getObject(abi::kKeyProducedOn))
        if (Error error = readProducedOn(*producedOn, spec, manifestPath))
          return error;
      const llvm::json::Array *sharding =
          value.getAsObject()->getArray(abi::kKeySharding);
      if (!sharding)
        continue;
      if (Error error = readSharding(*sharding, spec, manifestPath))
        return error;
    }
  }
  return Error::success();
}

Error Artifact::readProducedOn(const llvm::json::Object &producedOn,
                               TensorSpec &spec,
                               StringRef manifestPath) const {
  spec.producedOn.assign(mesh.axes.size(), -1);
  for (const auto &[axis, value] : producedOn) {
    auto it = llvm::find(mesh.axes, axis.str());
    std::optional<int64_t> coordinate = value.getAsInteger();
    int64_t index = it - mesh.axes.begin();
    if (it == mesh.axes.end() || !coordinate || *coordinate < 0 ||
        *coordinate >= mesh.shape[index])
      return fileError(manifestPath, "'produced_on' of '" + spec.name +
                                         "' needs a coordinate of each "
                                         "listed mesh axis");
    spec.producedOn[index] = *coordinate;
  }
  return Error::success();
}

Error Artifact::readSharding(const llvm::json::Array &sharding,
                             TensorSpec &spec, StringRef manifestPath) const {
  auto invalid = [&](const llvm::Twine &why) {
    return fileError(manifestPath,
                     "the sharding of '" + spec.name + "' " + why);
  };
  if (sharding.size() != spec.shape.size())
    return invalid("needs one entry per dimension");
  bool split = false;
  std::vector<uint64_t> splitAxes;
  for (const llvm::json::Value &dim : sharding) {
    const llvm::json::Array *axes = dim.getAsArray();
    if (!axes)
      return invalid("has a dimension that is not a list of axes");
    uint64_t mask = 0;
    int64_t last = -1;
    for (const llvm::json::Value &axis : *axes) {
      std::optional<StringRef> name = axis.getAsString();
      auto it = name ? llvm::find(mesh.axes, *name) : mesh.axes.end();
      int64_t index = it - mesh.axes.begin();
      if (it == mesh.axes.end() || index <= last || (mask >> index) & 1)
        return invalid("names axes that are not in the mesh, in mesh order, "
                       "once each");
      last = index;
      mask |= uint64_t(1) << index;
    }
    split |= mask != 0;
    splitAxes.push_back(mask);
  }
  if (split)
    spec.splitAxes = std::move(splitAxes);
  return Error::success();
}

Error Artifact::mapWeights() {
  if (Error error = mapWeightFile(weightsName, false, weightsRegion))
    return error;
  if (rankWeightsNames.empty())
    return Error::success();
  return mapWeightFile(rankWeightsNames[rank], true, rankWeightsRegion);
}

Error Artifact::mapWeightFile(StringRef name, bool perRankWeights,
                              llvm::sys::fs::mapped_file_region &region) {
  llvm::SmallString<256> weightsPath(path);
  llvm::sys::path::append(weightsPath, name);
  uint64_t size = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(weightsPath, size))
    return fileError(weightsPath, "cannot read: " + ec.message());
  for (const TensorSpec &weight : weights)
    if (weight.perRank == perRankWeights &&
        weight.offset + weight.nbytes > size)
      return fileError(weightsPath, "weight '" + weight.name +
                                        "' lies beyond the end of the file (" +
                                        llvm::Twine(size) + " bytes)");
  if (size == 0)
    return Error::success();
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(weightsPath);
  if (!file)
    return fileError(weightsPath, llvm::toString(file.takeError()));
  std::error_code ec;
  region = llvm::sys::fs::mapped_file_region(
      *file, llvm::sys::fs::mapped_file_region::readonly, size, 0, ec);
  llvm::sys::fs::closeFile(*file);
  if (ec)
    return fileError(weightsPath, "cannot map: " + ec.message());
  return Error::success();
}

Error Artifact::loadLibrary() {
  // Compiled code calls the runtime's allocation functions and kernels by
  // name. When this library was itself loaded with RTLD_LOCAL (Python's
  // ctypes does that), promote it and its dependencies to the global scope
  // so that model.so can bind to them.
  Dl_info self;
  if (dladdr(reinterpret_cast<void *>(&xf_session_open), &self) &&
      self.dli_fname)
    dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);

  llvm::SmallString<256> libraryPath(path);
  llvm::sys::path::append(libraryPath, libraryName);
  if (!llvm::sys::fs::exists(libraryPath))
    return fileError(libraryPath, "no such file");
  libraryHandle = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!libraryHandle)
    return fileError(libraryPath, llvm::Twine("cannot load: ") + dlerror());
  entry = reinterpret_cast<PackedEntry>(dlsym(libraryHandle, entryName.c_str()));
  if (!entry)
    return fileError(libraryPath, "has no entry point '" + entryName + "'");
  return Error::success();
}

const void *Artifact::getWeightData(size_t index) const {
  const llvm::sys::fs::mapped_file_region &region =
      weights[index].perRank ? rankWeightsRegion : weightsRegion;
  return region.const_data() + weights[index].offset;
}
