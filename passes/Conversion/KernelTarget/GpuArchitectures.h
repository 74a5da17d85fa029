//===- GpuArchitectures.h - The NVIDIA GPUs the CUDA target knows -*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The NVIDIA GPU architectures `exaforge compile --target cuda --gpu-arch`
// accepts, with what the code generator needs to know about each: the
// machines of the mission (Leonardo's A100, MareNostrum 5's H100, JUPITER's
// GH200) and the Ampere/Ada GPUs between them. A cubin runs on GPUs of its
// major architecture only (sm_80 code on sm_86, not on sm_90); the PTX kept
// next to it is compiled by the driver for newer ones.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_KERNELTARGET_GPUARCHITECTURES_H
#define EXAFORGE_PASSES_CONVERSION_KERNELTARGET_GPUARCHITECTURES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace exaforge {

/// One GPU architecture the CUDA target compiles for.
struct GpuArchitecture {
  /// The name `--gpu-arch` takes and ptxas's `-arch` (`sm_90`).
  llvm::StringLiteral name;
  /// GPUs of this architecture, for messages and `--help`.
  llvm::StringLiteral examples;
};

/// The architectures, oldest first.
inline constexpr GpuArchitecture kGpuArchitectures[] = {
    {"sm_80", "A100"},
    {"sm_86", "A40, RTX 30xx"},
    {"sm_89", "L40, RTX 40xx"},
    {"sm_90", "H100, H200, GH200"},
};

/// The architecture `--gpu-arch` defaults to: the Hopper GPUs of the
/// mission's newest machines.
inline constexpr llvm::StringLiteral kDefaultGpuArchitecture = "sm_90";

/// The LLVM NVPTX features of the generated PTX: ISA 8.0 (CUDA 12.0), the
/// first that sm_90 accepts, for every architecture (ptxas of CUDA 12 and
/// 13 assemble it).
inline constexpr llvm::StringLiteral kPtxFeatures = "+ptx80";

/// Whether `name` is one of `kGpuArchitectures`.
inline bool isKnownGpuArchitecture(llvm::StringRef name) {
  for (const GpuArchitecture &arch : kGpuArchitectures)
    if (arch.name == name)
      return true;
  return false;
}

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_KERNELTARGET_GPUARCHITECTURES_H
