#include "Artifact.h"
#include "cuda/CudaDevice.h"
#include "cuda/CudaLaunch.h"

#include "exaforge/abi/Contract.h"
#include "exaforge/abi/kernels.h"

#include <algorithm>
#include <cstring>
#include <dlfcn.h>

using namespace exaforge::runtime;
using namespace exaforge::support;
namespace abi = exaforge::abi;

namespace {
/// An error about `file`.
template <typename... Parts>
Error fileError(const std::string &file, const Parts &...parts) {
  return makeError(file, ": ", parts...);
}

/// True when `name` names a file inside the artifact directory.
bool isPlainFileName(const std::string &name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." &&
         name != "..";
}

/// The position of `name` in `axes`, or -1.
int64_t findAxis(const std::vector<std::string> &axes,
                 const std::string &name) {
  auto it = std::find(axes.begin(), axes.end(), name);
  return it == axes.end() ? -1 : it - axes.begin();
}

/// Reads one tensor entry of the manifest; `where` names it in errors.
Error readTensorSpec(const json::Value &value, bool isWeight, TensorSpec &spec,
                     const std::string &file, const std::string &where) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return fileError(file, where, " is not an object");
  const std::string *name = object->getString(abi::kKeyName);
  const std::string *dtype = object->getString(abi::kKeyDType);
  const json::Array *shape = object->getArray(abi::kKeyShape);
  if (!name || !dtype || !shape)
    return fileError(file, where, " needs '", abi::kKeyName, "', '",
                     abi::kKeyDType, "' and '", abi::kKeyShape, "'");
  spec.name = *name;
  if (!parseDType(*dtype, spec.dtype))
    return fileError(file, where, " '", *name, "' has unknown dtype '", *dtype,
                     "'");
  for (const json::Value &dim : *shape) {
    std::optional<int64_t> size = dim.getAsInteger();
    if (!size || *size < -1 || (isWeight && *size < 0))
      return fileError(file, where, " '", *name, "' has an invalid shape");
    spec.shape.push_back(*size);
  }
  spec.dimNames.assign(spec.shape.size(), "");
  if (const json::Array *names = object->getArray(abi::kKeyDimNames)) {
    if (names->size() != spec.shape.size())
      return fileError(file, where, " '", *name, "': '", abi::kKeyDimNames,
                       "' and '", abi::kKeyShape, "' differ in length");
    for (size_t i = 0; i < names->size(); ++i)
      if (const std::string *text = (*names)[i].getAsString())
        spec.dimNames[i] = *text;
  }
  for (const std::string &dimName : spec.dimNames)
    spec.dimNamePointers.push_back(dimName.c_str());
  if (isWeight) {
    std::optional<int64_t> offset = object->getInteger(abi::kKeyOffset);
    std::optional<int64_t> nbytes = object->getInteger(abi::kKeyNBytes);
    if (!offset || !nbytes || *offset < 0 || *nbytes < 0)
      return fileError(file, where, " '", *name, "' needs a non-negative '",
                       abi::kKeyOffset, "' and '", abi::kKeyNBytes, "'");
    spec.offset = *offset;
    spec.nbytes = *nbytes;
    spec.perRank = object->getBoolean(abi::kKeyPerRank).value_or(false);
    uint64_t elements = 1;
    for (int64_t size : spec.shape)
      elements *= size;
    if (elements * xf_dtype_size(spec.dtype) != spec.nbytes)
      return fileError(file, where, " '", *name, "': '", abi::kKeyNBytes,
                       "' does not match its shape");
  }
  return Error::success();
}

/// Reads the tensor array `key` of `manifest` into `specs`.
Error readTensorSpecs(const json::Object &manifest, const char *key,
                      bool isWeight, std::vector<TensorSpec> &specs,
                      const std::string &file) {
  const json::Array *array = manifest.getArray(key);
  if (!array)
    return fileError(file, "missing array '", key, "'");
  for (size_t i = 0; i < array->size(); ++i) {
    TensorSpec spec;
    if (Error error = readTensorSpec((*array)[i], isWeight, spec, file,
                                     concat(key, "[", i, "]")))
      return error;
    specs.push_back(std::move(spec));
  }
  return Error::success();
}
} // namespace

bool exaforge::runtime::parseDType(const std::string &name, xf_dtype_t &dtype) {
  for (int value = XF_DTYPE_FLOAT32; value <= XF_DTYPE_BOOL; ++value)
    if (name == xf_dtype_name(static_cast<xf_dtype_t>(value))) {
      dtype = static_cast<xf_dtype_t>(value);
      return true;
    }
  return false;
}

Expected<std::unique_ptr<Artifact>> Artifact::open(const std::string &path,
                                                   int64_t rank) {
  if (!isDirectory(path))
    return fileError(path, exists(path) ? "not an artifact directory"
                                        : "no such artifact directory");
  std::unique_ptr<Artifact> artifact(new Artifact());
  artifact->path = path;
  artifact->rank = rank;
  if (Error error =
          artifact->readManifest(joinPath(path, abi::kManifestFileName)))
    return error;
  if (artifact->formatVersion >= 7)
    if (Error error =
            artifact->readProfileRegions(joinPath(path, abi::kNodesFileName)))
      return error;
  if (Error error = artifact->openDevice())
    return error;
  if (Error error = artifact->mapWeights())
    return error;
  if (Error error = artifact->uploadWeights())
    return error;
  if (Error error = artifact->loadLibrary())
    return error;
  return artifact;
}

Error Artifact::readProfileRegions(const std::string &nodesPath) {
  Expected<json::Value> json = json::parseFile(nodesPath);
  if (!json)
    return json.getError();
  const json::Object *nodes = json->getAsObject();
  const json::Array *regions =
      nodes ? nodes->getArray(abi::kKeyRegions) : nullptr;
  if (!regions)
    return fileError(nodesPath, "needs a '", abi::kKeyRegions, "' array");
  for (size_t i = 0; i < regions->size(); ++i) {
    const json::Object *entry = (*regions)[i].getAsObject();
    const std::string *name = entry ? entry->getString(abi::kKeyName) : nullptr;
    const std::string *opType =
        entry ? entry->getString(abi::kKeyOpType) : nullptr;
    const std::string *kind = entry ? entry->getString(abi::kKeyKind) : nullptr;
    if (!name || !opType || !kind ||
        (*kind != abi::kRegionKindKernel && *kind != abi::kRegionKindLoop))
      return fileError(nodesPath, "region ", i, " needs '", abi::kKeyName,
                       "', '", abi::kKeyOpType, "' and a '", abi::kKeyKind,
                       "' of \"", abi::kRegionKindKernel, "\" or \"",
                       abi::kRegionKindLoop, "\"");
    profileRegions.push_back(ProfileRegion{*name, *opType,
                                           *kind == abi::kRegionKindKernel
                                               ? ProfileCategory::Kernel
                                               : ProfileCategory::Loop});
  }
  return Error::success();
}

Artifact::~Artifact() {
  // Packed copies of these weights must not outlive their mapping.
  for (const MappedFile *region : {&weightsRegion, &rankWeightsRegion})
    if (*region)
      xf_kernels_forget_weights(region->getData(), region->getSize());
  if (libraryHandle)
    dlclose(libraryHandle);
}

Error Artifact::readManifest(const std::string &manifestPath) {
  Expected<json::Value> json = json::parseFile(manifestPath);
  if (!json)
    return json.getError();
  const json::Object *manifest = json->getAsObject();
  if (!manifest)
    return fileError(manifestPath, "not a JSON object");
  std::optional<int64_t> version = manifest->getInteger(abi::kKeyFormatVersion);
  if (!version)
    return fileError(manifestPath, "missing '", abi::kKeyFormatVersion, "'");
  if (*version < abi::kOldestArtifactFormatVersion ||
      *version > abi::kArtifactFormatVersion)
    return fileError(manifestPath, "format version ", *version,
                     " is not supported (this runtime reads versions ",
                     abi::kOldestArtifactFormatVersion, " to ",
                     abi::kArtifactFormatVersion, ")");
  formatVersion = *version;
  if (const json::Object *target = manifest->getObject(abi::kKeyTarget)) {
    const std::string *name = target->getString(abi::kKeyName);
    if (!name)
      return fileError(manifestPath, "'", abi::kKeyTarget, "' needs a '",
                       abi::kKeyName, "'");
    if (*name != abi::kTargetCpu && *name != abi::kTargetCuda)
      return fileError(manifestPath, "the artifact was compiled for --target ",
                       *name, ", which this runtime does not run (it runs ",
                       abi::kTargetCpu, " and ", abi::kTargetCuda,
                       " artifacts)");
    targetName = *name;
    if (const std::string *value = target->getString(abi::kKeyPrecision)) {
      bool reduced = *value == "tf32" || *value == "bf16" || *value == "f16";
      if (*value != "f32" && !(reduced && *name == abi::kTargetCuda))
        return fileError(manifestPath, "precision '", *value,
                         "' is not one this runtime computes in for --target ",
                         *name);
      precision = *value;
    }
    if (*name == abi::kTargetCuda) {
      // A model whose work is all library calls has no kernels, and no
      // `ptx`.
      const std::string *arch = target->getString(abi::kKeyGpuArch);
      const std::string *ptx = target->getString(abi::kKeyPtxFile);
      if (!arch || (ptx && !isPlainFileName(*ptx)))
        return fileError(manifestPath, "a '", abi::kTargetCuda,
                         "' target needs a '", abi::kKeyGpuArch,
                         "', and its '", abi::kKeyPtxFile,
                         "' must be a file inside the artifact directory");
      gpuArch = *arch;
      ptxName = ptx ? *ptx : "";
    }
  }
  const std::string *library = manifest->getString(abi::kKeyLibrary);
  const std::string *entryPoint = manifest->getString(abi::kKeyEntry);
  const std::string *weightsFile = manifest->getString(abi::kKeyWeightsFile);
  if (!library || !entryPoint || !weightsFile)
    return fileError(manifestPath, "needs '", abi::kKeyLibrary, "', '",
                     abi::kKeyEntry, "' and '", abi::kKeyWeightsFile, "'");
  for (const std::string *file : {library, weightsFile})
    if (!isPlainFileName(*file))
      return fileError(manifestPath, "'", *file,
                       "' must be a file name inside the artifact directory");
  libraryName = *library;
  entryName = *entryPoint;
  weightsName = *weightsFile;
  if (const json::Object *ranks = manifest->getObject(abi::kKeyRanks))
    worldSize = ranks->getInteger(abi::kKeyWorldSize).value_or(1);
  if (worldSize < 1)
    return fileError(manifestPath, "'", abi::kKeyRanks, ".", abi::kKeyWorldSize,
                     "' must be positive");
  if (rank >= worldSize)
    return fileError(manifestPath, "rank ", rank,
                     " is out of range: the artifact was compiled for ",
                     worldSize, " rank(s)");
  if (const json::Array *files =
          manifest->getArray(abi::kKeyRankWeightsFiles)) {
    if (static_cast<int64_t>(files->size()) != worldSize)
      return fileError(manifestPath, "'", abi::kKeyRankWeightsFiles,
                       "' must name one file per rank");
    for (const json::Value &file : *files) {
      const std::string *name = file.getAsString();
      if (!name || !isPlainFileName(*name))
        return fileError(manifestPath, "'", abi::kKeyRankWeightsFiles,
                         "' must list file names inside the artifact "
                         "directory");
      rankWeightsNames.push_back(*name);
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
      return fileError(manifestPath, "weight '", weight.name,
                       "' is stored per rank but there is no '",
                       abi::kKeyRankWeightsFiles, "'");
  return Error::success();
}

Error Artifact::readRanks(const json::Object &manifest,
                          const std::string &manifestPath) {
  const json::Object *ranks = manifest.getObject(abi::kKeyRanks);
  if (!ranks)
    return Error::success();
  std::optional<int64_t> worldSize = ranks->getInteger(abi::kKeyWorldSize);
  if (!worldSize || *worldSize < 1)
    return fileError(manifestPath, "'", abi::kKeyRanks, ".", abi::kKeyWorldSize,
                     "' must be a positive integer");
  const json::Object *meshObject = ranks->getObject(abi::kKeyMesh);
  if (!meshObject) {
    if (*worldSize != 1)
      return fileError(manifestPath, "'", abi::kKeyRanks, "' needs a '",
                       abi::kKeyMesh, "' for ", *worldSize, " ranks");
    return Error::success();
  }
  const json::Array *axes = meshObject->getArray(abi::kKeyAxes);
  const json::Array *shape = meshObject->getArray(abi::kKeyShape);
  if (!axes || !shape || axes->size() != shape->size() || axes->empty() ||
      axes->size() > 8)
    return fileError(manifestPath, "'", abi::kKeyRanks, ".", abi::kKeyMesh,
                     "' needs '", abi::kKeyAxes, "' and '", abi::kKeyShape,
                     "' of the same length (1 to 8)");
  for (size_t i = 0; i < axes->size(); ++i) {
    const std::string *name = (*axes)[i].getAsString();
    std::optional<int64_t> extent = (*shape)[i].getAsInteger();
    if (!name || !extent || *extent < 1 || findAxis(mesh.axes, *name) >= 0)
      return fileError(manifestPath, "'", abi::kKeyRanks, ".", abi::kKeyMesh,
                       "' has an invalid axis");
    mesh.axes.push_back(*name);
    mesh.shape.push_back(*extent);
  }
  if (mesh.getNumRanks() != *worldSize)
    return fileError(manifestPath, "'", abi::kKeyRanks, ".", abi::kKeyMesh,
                     "' has ", mesh.getNumRanks(), " ranks, '", abi::kKeyRanks,
                     ".", abi::kKeyWorldSize, "' says ", *worldSize);
  // The shardings of the inputs and outputs.
  for (auto [key, specs] : {std::pair<const char *, std::vector<TensorSpec> *>{
                                abi::kKeyInputs, &inputs},
                            {abi::kKeyOutputs, &outputs}}) {
    const json::Array *array = manifest.getArray(key);
    for (size_t i = 0; i < specs->size(); ++i) {
      const json::Object *entry = (*array)[i].getAsObject();
      TensorSpec &spec = (*specs)[i];
      if (const json::Object *producedOn =
              entry->getObject(abi::kKeyProducedOn))
        if (Error error = readProducedOn(*producedOn, spec, manifestPath))
          return error;
      const json::Array *sharding = entry->getArray(abi::kKeySharding);
      if (!sharding)
        continue;
      if (Error error = readSharding(*sharding, spec, manifestPath))
        return error;
    }
  }
  return Error::success();
}

Error Artifact::readProducedOn(const json::Object &producedOn, TensorSpec &spec,
                               const std::string &manifestPath) const {
  spec.producedOn.assign(mesh.axes.size(), -1);
  for (size_t i = 0; i < producedOn.size(); ++i) {
    int64_t index = findAxis(mesh.axes, producedOn.getKey(i));
    std::optional<int64_t> coordinate = producedOn.getValue(i).getAsInteger();
    if (index < 0 || !coordinate || *coordinate < 0 ||
        *coordinate >= mesh.shape[index])
      return fileError(manifestPath, "'", abi::kKeyProducedOn, "' of '",
                       spec.name,
                       "' needs a coordinate of each listed mesh axis");
    spec.producedOn[index] = *coordinate;
  }
  return Error::success();
}

Error Artifact::readSharding(const json::Array &sharding, TensorSpec &spec,
                             const std::string &manifestPath) const {
  auto invalid = [&](const char *why) {
    return fileError(manifestPath, "the ", abi::kKeySharding, " of '",
                     spec.name, "' ", why);
  };
  if (sharding.size() != spec.shape.size())
    return invalid("needs one entry per dimension");
  bool split = false;
  std::vector<uint64_t> splitAxes;
  for (const json::Value &dim : sharding) {
    const json::Array *axes = dim.getAsArray();
    if (!axes)
      return invalid("has a dimension that is not a list of axes");
    uint64_t mask = 0;
    int64_t last = -1;
    for (const json::Value &axis : *axes) {
      const std::string *name = axis.getAsString();
      int64_t index = name ? findAxis(mesh.axes, *name) : -1;
      if (index < 0 || index <= last || (mask >> index) & 1)
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

Error Artifact::mapWeightFile(const std::string &name, bool perRankWeights,
                              MappedFile &region) {
  std::string weightsPath = joinPath(path, name);
  Expected<uint64_t> size = getFileSize(weightsPath);
  if (!size)
    return size.getError();
  for (const TensorSpec &weight : weights)
    if (weight.perRank == perRankWeights &&
        weight.offset + weight.nbytes > *size)
      return fileError(weightsPath, "weight '", weight.name,
                       "' lies beyond the end of the file (", *size, " bytes)");
  Expected<MappedFile> mapped = MappedFile::open(weightsPath);
  if (!mapped)
    return mapped.getError();
  region = std::move(*mapped);
  return Error::success();
}

Error Artifact::openDevice() {
  if (targetName != abi::kTargetCuda)
    return Error::success();
  Expected<const cuda::CudaDevice *> opened = cuda::CudaDevice::acquire();
  if (!opened)
    return fileError(path, "the artifact was compiled for --target ",
                     abi::kTargetCuda, " (", gpuArch,
                     ") and needs an NVIDIA GPU: ", opened.getMessage());
  device = *opened;
  return Error::success();
}

Error Artifact::uploadWeights() {
  if (!device)
    return Error::success();
  for (auto [region, buffer] :
       {std::pair{&weightsRegion, &deviceWeights},
        std::pair{&rankWeightsRegion, &deviceRankWeights}}) {
    if (!*region)
      continue;
    Expected<cuda::ManagedBuffer> copy =
        cuda::ManagedBuffer::allocate(*device, region->getSize());
    if (!copy)
      return fileError(path, "cannot upload the weights: ",
                       copy.getMessage());
    if (region->getSize())
      std::memcpy(copy->getData(), region->getData(), region->getSize());
    *buffer = std::make_unique<cuda::ManagedBuffer>(std::move(*copy));
    // The GPU copy is the one runs read.
    *region = MappedFile();
  }
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

  std::string libraryPath = joinPath(path, libraryName);
  if (!exists(libraryPath))
    return fileError(libraryPath, "no such file");
  // The constructor of a CUDA model.so loads its kernels (CudaLaunch.h).
  std::optional<cuda::ModuleLoadScope> kernelLoad;
  if (device)
    kernelLoad.emplace(*device,
                       ptxName.empty() ? "" : joinPath(path, ptxName),
                       gpuArch);
  libraryHandle = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!libraryHandle)
    return fileError(libraryPath, "cannot load: ", dlerror());
  if (kernelLoad)
    if (Error error = kernelLoad->takeError())
      return fileError(libraryPath, error.getMessage());
  entry = reinterpret_cast<PackedEntry>(dlsym(libraryHandle, entryName.c_str()));
  if (!entry)
    return fileError(libraryPath, "has no entry point '", entryName, "'");
  return Error::success();
}

const void *Artifact::getWeightData(size_t index) const {
  if (device) {
    const std::unique_ptr<cuda::ManagedBuffer> &buffer =
        weights[index].perRank ? deviceRankWeights : deviceWeights;
    return buffer ? buffer->getData() + weights[index].offset : nullptr;
  }
  const MappedFile &region =
      weights[index].perRank ? rankWeightsRegion : weightsRegion;
  return region.getData() + weights[index].offset;
}
