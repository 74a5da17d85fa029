//===- TargetOptions.cpp - Checking what a compile targets ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/TargetOptions.h"

#include "compiler/Compile/Compile.h"
#include "passes/Conversion/KernelTarget/GpuArchitectures.h"

#include "exaforge/abi/Contract.h"

using namespace exaforge;

std::optional<std::string> exaforge::setTargetOptions(
    llvm::StringRef target, llvm::StringRef gpuArch, llvm::StringRef precision,
    llvm::StringRef cudaToolkit, CompileOptions &options) {
  if (target != abi::kTargetCpu && target != abi::kTargetCuda)
    return ("unknown --target '" + target + "' (expected cpu or cuda)").str();
  bool cuda = target == abi::kTargetCuda;
  if (!cuda && !gpuArch.empty())
    return std::string("--gpu-arch goes with --target cuda");
  if (!cuda && !cudaToolkit.empty())
    return std::string("--cuda-toolkit goes with --target cuda");
  if (cuda && !gpuArch.empty() && !isKnownGpuArchitecture(gpuArch)) {
    std::string known;
    for (const GpuArchitecture &arch : kGpuArchitectures)
      known += (known.empty() ? "" : ", ") + arch.name.str() + " (" +
               arch.examples.str() + ")";
    return ("unknown --gpu-arch '" + gpuArch + "' (expected " + known + ")")
        .str();
  }
  if (precision == "bf16" || precision == "f16")
    return ("--precision " + precision +
            " is not implemented yet (only f32 and tf32)")
        .str();
  if (precision != "f32" && precision != "tf32")
    return ("unknown --precision '" + precision + "' (expected f32 or tf32)")
        .str();
  // TF32 is a mode of NVIDIA's tensor cores: the matmuls' inputs rounded to
  // 10 mantissa bits, products accumulated in f32.
  if (precision == "tf32" && !cuda)
    return std::string("--precision tf32 goes with --target cuda");
  options.target = target.str();
  options.precision = precision.str();
  options.cudaToolkitPath = cudaToolkit.str();
  if (cuda)
    options.gpuArch =
        gpuArch.empty() ? kDefaultGpuArchitecture.str() : gpuArch.str();
  return std::nullopt;
}
