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
  if (precision != "f32" && precision != "tf32" && precision != "bf16" &&
      precision != "f16")
    return ("unknown --precision '" + precision +
            "' (expected f32, tf32, bf16 or f16)")
        .str();
  // TF32 is a mode of NVIDIA's tensor cores: the matmuls' inputs rounded to
  // 10 mantissa bits, products accumulated in f32. bf16 and f16: the
  // matmuls' operands stored in that type, products accumulated in f32
  // (reduce-matmul-precision).
  if (precision != "f32" && !cuda)
    return ("--precision " + precision + " goes with --target cuda").str();
  options.target = target.str();
  options.precision = precision.str();
  options.cudaToolkitPath = cudaToolkit.str();
  if (cuda)
    options.gpuArch =
        gpuArch.empty() ? kDefaultGpuArchitecture.str() : gpuArch.str();
  return std::nullopt;
}
