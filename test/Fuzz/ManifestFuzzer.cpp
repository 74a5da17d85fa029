//===- ManifestFuzzer.cpp - libFuzzer target: the artifact loader ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Feeds each input, as the `manifest.json` of an artifact directory, to the
// two readers of a manifest: `readArtifactWorldSize` (what `exaforge-run`
// reads before it starts the ranks) and `xf_session_open` (what `exaforge
// run` and every rank do: the JSON parser, the checks of every field, the
// mapping of the weight files and the loading of the model library), then
// asks an opened session for every input, output and mesh description.
//
// The scratch artifact directory holds, beside the manifest, a weights.bin
// and weights.rank{0..3}.bin of 4 KiB each. When the environment variable
// EXAFORGE_FUZZ_MODEL_LIBRARY names a compiled model.so (utils/fuzz.sh
// passes the one of the runtime tests' artifact), the directory links
// model.so to it, so that manifests naming it and its entry point open.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/api.h"
#include "runtime/io/ArtifactRanks.h"
#include "test/Fuzz/FuzzScratch.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

using namespace exaforge;

/// Writes the weight files and links the model library, once.
extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  std::vector<uint8_t> zeros(4096, 0);
  fuzz::writeScratchFile("weights.bin", zeros.data(), zeros.size());
  for (int rank = 0; rank < 4; ++rank)
    fuzz::writeScratchFile("weights.rank" + std::to_string(rank) + ".bin",
                           zeros.data(), zeros.size());
  if (const char *library = std::getenv("EXAFORGE_FUZZ_MODEL_LIBRARY"))
    if (symlink(library,
                (fuzz::getScratchDirectory() + "/model.so").c_str()) != 0)
      std::abort();
  return 0;
}

/// Opens the scratch artifact as `rank` and reads every description.
static void openAndDescribe(const std::string &artifact, int32_t rank) {
  xf_session_options_t options = {};
  options.num_threads = 1;
  options.rank = rank;
  xf_session_t *session = nullptr;
  if (xf_status_t *status =
          xf_session_open(artifact.c_str(), &options, &session)) {
    xf_status_free(status);
    return;
  }
  xf_tensor_info_t info;
  for (size_t i = 0, e = xf_session_num_inputs(session); i < e; ++i)
    if (xf_status_t *status = xf_session_input_info(session, i, &info))
      xf_status_free(status);
  for (size_t i = 0, e = xf_session_num_outputs(session); i < e; ++i)
    if (xf_status_t *status = xf_session_output_info(session, i, &info))
      xf_status_free(status);
  xf_mesh_info_t mesh;
  xf_session_mesh_info(session, &mesh);
  xf_memory_stats_t memory;
  xf_session_memory_stats(session, &memory);
  xf_session_close(session);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::writeScratchFile("manifest.json", data, size);
  const std::string &artifact = fuzz::getScratchDirectory();
  support::Expected<int64_t> worldSize = io::readArtifactWorldSize(artifact);
  openAndDescribe(artifact, 0);
  // The last rank reads the weights of its own rank file.
  if (worldSize && *worldSize > 1 && *worldSize <= 4)
    openAndDescribe(artifact, static_cast<int32_t>(*worldSize - 1));
  return 0;
}
