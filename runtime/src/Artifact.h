//===- Artifact.h - A compiled artifact opened for running ------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Reads an artifact directory (docs/design/compiled-artifact.md): parses and
// checks manifest.json, maps weights.bin read-only, and loads model.so with
// its packed entry point. Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_ARTIFACT_H
#define EXAFORGE_RUNTIME_ARTIFACT_H

#include "DistContext.h"

#include "Profiler.h"
#include "exaforge/runtime/api.h"
#include "runtime/support/Files.h"
#include "runtime/support/Json.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace exaforge::runtime {

namespace cuda {
class CudaDevice;
class ManagedBuffer;
} // namespace cuda

/// A tensor the manifest declares: a model input, output or weight.
struct TensorSpec {
  std::string name;
  xf_dtype_t dtype;
  /// Sizes; -1 for a dimension known only at run time.
  std::vector<int64_t> shape;
  /// The ONNX symbol of each dimension, or "".
  std::vector<std::string> dimNames;
  /// `dimNames` as C strings, for xf_tensor_info_t.
  std::vector<const char *> dimNamePointers;
  /// For an input or output of a multi-rank artifact: per dimension, the
  /// mesh axes it is split over as a bit set (bit i: mesh axis i; the
  /// manifest lists them in mesh order). Empty when it is not split.
  std::vector<uint64_t> splitAxes;
  /// For an output only some ranks compute (manifest `produced_on`): per
  /// mesh axis, the coordinate of the ranks that hold it, or -1 for any.
  /// Empty when every rank holds it.
  std::vector<int64_t> producedOn;
  /// Where a weight lies in weights.bin (unused for inputs and outputs).
  uint64_t offset = 0;
  uint64_t nbytes = 0;
  /// The weight lies in the weight file of the session's rank
  /// (`rank_weights_files`), not in weights.bin.
  bool perRank = false;
};

/// The packed entry point of model.so: `args[0]` points to the results
/// struct, `args[1]` is the execution context of the run, `args[2 + i]`
/// points to the descriptor of argument `i`.
using PackedEntry = void (*)(void **args);

/// An opened artifact. Immutable once opened; shared by the runs of a
/// session.
class Artifact {
public:
  /// Opens the artifact directory `path` for rank `rank` (which must be
  /// below the artifact's world size): the weights stored per rank are
  /// those of `rank`. Errors name the file at fault.
  static support::Expected<std::unique_ptr<Artifact>>
  open(const std::string &path, int64_t rank = 0);
  ~Artifact();
  Artifact(const Artifact &) = delete;
  Artifact &operator=(const Artifact &) = delete;

  const std::vector<TensorSpec> &getInputs() const { return inputs; }
  const std::vector<TensorSpec> &getOutputs() const { return outputs; }
  const std::vector<TensorSpec> &getWeights() const { return weights; }
  /// The mesh the artifact was compiled for; a single-rank artifact has a
  /// mesh of no axes (one rank).
  const MeshSpec &getMesh() const { return mesh; }
  /// The first byte of weight `index`: in the mapped weights file, or, for
  /// a CUDA artifact, in the GPU memory it was uploaded to at open.
  const void *getWeightData(size_t index) const;
  /// The GPU a CUDA artifact runs on; null for a CPU artifact.
  const cuda::CudaDevice *getDevice() const { return device; }
  /// Whether the library kernels may compute matmuls in TF32 (a CUDA
  /// artifact compiled with `--precision tf32`).
  bool allowsTf32() const { return precision == "tf32"; }
  PackedEntry getEntry() const { return entry; }
  const std::string &getPath() const { return path; }
  /// The profile regions of the compiled code (nodes.json); empty for an
  /// artifact of format 6, which has none.
  const std::vector<ProfileRegion> &getProfileRegions() const {
    return profileRegions;
  }

private:
  Artifact() = default;
  support::Error readManifest(const std::string &manifestPath);
  support::Error readRanks(const support::json::Object &manifest,
                           const std::string &manifestPath);
  support::Error readSharding(const support::json::Array &sharding,
                              TensorSpec &spec,
                              const std::string &manifestPath) const;
  /// Reads an output's `produced_on` (mesh axis name to coordinate).
  support::Error readProducedOn(const support::json::Object &producedOn,
                                TensorSpec &spec,
                                const std::string &manifestPath) const;
  /// Reads nodes.json, the profile regions of a format-7 artifact.
  support::Error readProfileRegions(const std::string &nodesPath);
  support::Error mapWeights();
  /// Maps the file `name` of the artifact after checking that the weights
  /// with `perRank` equal to `perRankWeights` lie inside it.
  support::Error mapWeightFile(const std::string &name, bool perRankWeights,
                               support::MappedFile &region);
  support::Error loadLibrary();
  /// For a CUDA artifact: opens the GPU (cuda/CudaDevice.h) before model.so,
  /// whose constructor loads its kernels on it.
  support::Error openDevice();
  /// Copies the mapped weights to GPU memory and unmaps them.
  support::Error uploadWeights();

  std::string path;
  std::string libraryName, entryName, weightsName;
  /// The rank the artifact was opened for, and the number of ranks it was
  /// compiled for.
  int64_t rank = 0, worldSize = 1;
  /// The weight file of each rank (`rank_weights_files`), if any.
  std::vector<std::string> rankWeightsNames;
  std::vector<TensorSpec> inputs, outputs, weights;
  /// The format version of the manifest.
  int64_t formatVersion = 0;
  std::vector<ProfileRegion> profileRegions;
  MeshSpec mesh;
  /// The manifest's target: `cpu` or `cuda`, and for CUDA the GPU
  /// architecture and the PTX file ("" when the model has no GPU kernel).
  std::string targetName = "cpu", gpuArch, ptxName;
  /// The manifest's `precision`: `f32`, or `tf32` for a CUDA artifact.
  std::string precision = "f32";
  const cuda::CudaDevice *device = nullptr;
  /// A CUDA artifact's weight files, in GPU memory.
  std::unique_ptr<cuda::ManagedBuffer> deviceWeights, deviceRankWeights;
  support::MappedFile weightsRegion, rankWeightsRegion;
  void *libraryHandle = nullptr;
  PackedEntry entry = nullptr;
};

/// Parses a numpy dtype name ("float32"); returns false when unknown.
bool parseDType(const std::string &name, xf_dtype_t &dtype);

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_ARTIFACT_H
