//===- CudaKernelTarget.cpp - Loop nests as generated CUDA kernels --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The CUDA kernel target. f32 matmuls (batched or not, with transposed
// operands) are calls of the runtime's cuBLASLt kernels
// (`xf_cuda_matmul_f32`, `xf_cuda_batch_matmul_f32`: the arguments of
// KernelCalls.h, implemented in runtime/src/cuda/CudaMatmul.cpp), and so
// are those with bf16 or f16 operands and an f32 destination
// (`xf_cuda_matmul_bf16`, ..., from reduce-matmul-precision); every
// other kernel op stays a linalg op and becomes a loop nest (cuDNN for
// convolutions is to come). Its code generator turns every loop nest into
// a GPU kernel, with upstream passes and three of Exaforge's:
//   tile-parallel-loops-for-gpu    blocks of `kBlockSize` threads, serial
//                                  nests into one-thread kernels
//   gpu-map-parallel-loops, convert-parallel-loops-to-gpu, canonicalize
//                                  gpu.launch of static block sizes
//   gpu-kernel-outlining, merge-gpu-modules   one gpu.module @xf_kernels
//   nvvm-attach-target             #nvvm.target<chip = --gpu-arch>
//   (in the gpu.module) lower-affine, convert-scf-to-cf,
//     convert-gpu-to-nvvm          the NVVM dialect
//   gpu-module-to-binary{format=isa}   PTX (LLVM's NVPTX back end; math
//                                  functions from the toolkit's libdevice)
//   assemble-cuda-binaries         cubin (ptxas) next to the PTX
// and, in the host code, `gpu-to-llvm` makes each launch calls of the
// `mgpu*` functions (module load, kernel launch on a stream) that the
// runtime's CUDA layer is to define (docs/design/cuda-target.md).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelTarget.h"

#include "passes/Conversion/KernelTarget/GpuArchitectures.h"
#include "passes/Conversion/KernelTarget/KernelCalls.h"
#include "passes/Conversion/Passes.h"

#include "dialects/Kernel/KernelOps.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace exaforge;

namespace {

/// Threads per block of the generated kernels.
constexpr int64_t kBlockSize = 256;

/// Generated CUDA kernels.
class CudaKernelTarget final : public KernelTarget {
public:
  StringRef getName() const override { return "cuda"; }

  /// cuBLASLt takes the matmuls with f32 operands, and those with bf16 or
  /// f16 operands and an f32 destination (`--precision bf16|f16`); the
  /// other kernel ops are compiled as loops.
  bool selectKernel(Operation *op) const override {
    auto matmul = dyn_cast<kernel::MatmulOp>(op);
    return matmul && getMatmulSuffix(matmul);
  }

  LogicalResult lowerToCall(Operation *op, int64_t site,
                            RewriterBase &rewriter) const override {
    auto matmul = dyn_cast<kernel::MatmulOp>(op);
    const char *suffix = matmul ? getMatmulSuffix(matmul) : nullptr;
    if (!suffix)
      return op->emitOpError("has no CUDA library kernel");
    rewriter.setInsertionPoint(op);
    lowerMatmulToCall(matmul, site, rewriter,
                      (Twine("xf_cuda_matmul_") + suffix).str(),
                      (Twine("xf_cuda_batch_matmul_") + suffix).str());
    rewriter.eraseOp(op);
    return success();
  }

  /// The suffix of the runtime's cuBLASLt matmul for the element types of
  /// `op` (kernels.h), or null when there is none.
  static const char *getMatmulSuffix(kernel::MatmulOp op) {
    Type lhs = getElementTypeOrSelf(op.getLhs().getType());
    Type rhs = getElementTypeOrSelf(op.getRhs().getType());
    Type init = getElementTypeOrSelf(op.getInit().getType());
    if (lhs != rhs || !init.isF32())
      return nullptr;
    if (lhs.isF32())
      return "f32";
    if (lhs.isBF16())
      return "bf16";
    if (lhs.isF16())
      return "f16";
    return nullptr;
  }

  void buildLoopCodegen(OpPassManager &pm,
                        const KernelTargetOptions &options) const override {
    OpPassManager &func = pm.nest<func::FuncOp>();
    func.addPass(createTileParallelLoopsForGpu(
        TileParallelLoopsForGpuOptions{kBlockSize}));
    func.addPass(createGpuMapParallelLoopsPass());
    func.addPass(createConvertParallelLoopToGpuPass());
    // Folds the launches' sizes (`affine.apply`s of the loop bounds), so
    // that outlining records static block sizes (`known_block_size`, PTX's
    // `.maxntid`).
    func.addPass(createCanonicalizerPass());
    pm.addPass(createGpuKernelOutliningPass());
    pm.addPass(createMergeGpuModules());

    GpuNVVMAttachTargetOptions attach;
    attach.chip = options.gpuArch.empty() ? kDefaultGpuArchitecture.str()
                                          : options.gpuArch;
    attach.features = kPtxFeatures.str();
    attach.optLevel = 3;
    pm.addPass(createGpuNVVMAttachTarget(attach));

    OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
    device.addPass(createLowerAffinePass());
    device.addPass(createSCFToControlFlowPass());
    device.addPass(createConvertGpuOpsToNVVMOps());
    device.addPass(createCanonicalizerPass());
    device.addPass(createReconcileUnrealizedCastsPass());

    GpuModuleToBinaryPassOptions toBinary;
    toBinary.toolkitPath = options.cudaToolkitPath;
    toBinary.compilationTarget = "isa";
    pm.addPass(createGpuModuleToBinaryPass(toBinary));

    std::string ptxas = "ptxas";
    if (!options.cudaToolkitPath.empty()) {
      llvm::SmallString<256> path(options.cudaToolkitPath);
      llvm::sys::path::append(path, "bin", "ptxas");
      ptxas = path.str().str();
    }
    pm.addPass(createAssembleCudaBinaries(AssembleCudaBinariesOptions{ptxas}));
  }

  /// The host code's constants are host memory, which the GPU cannot read.
  bool canReadHostConstants() const override { return false; }

  /// Each gpu.launch_func becomes calls of the `mgpu*` launch functions.
  void buildHostLowering(OpPassManager &pm) const override {
    pm.addPass(createGpuToLLVMConversionPass());
  }
};

} // namespace

const KernelTarget &exaforge::getCudaKernelTarget() {
  static const CudaKernelTarget target;
  return target;
}
