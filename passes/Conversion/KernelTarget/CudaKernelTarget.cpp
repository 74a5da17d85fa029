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
// (`xf_cuda_matmul_bf16`, ..., from reduce-matmul-precision); f32
// convolutions that cuDNN computes are calls of its cuDNN kernel
// (`xf_cuda_conv2d_nchw_f32`, runtime/src/cuda/CudaConv.cpp: bias,
// residual, ReLU and swish epilogues; grouped; padding alike on both sides
// of a dimension, see isCudnnPadding); every other kernel op stays a linalg
// op and becomes a loop nest. Its code generator turns every loop nest into
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

/// Whether cuDNN, which pads both sides of a dimension alike, computes the
/// padding of `conv`: in each spatial dimension, padding by the padding
/// before on both sides gives the output's size. That holds when the
/// padding after equals the padding before, and also when they differ only
/// by rows (columns) no window reaches, which the op ignores (then sizes
/// must be static to tell).
bool isCudnnPadding(kernel::Conv2DOp conv) {
  ArrayRef<int64_t> padding = conv.getPadding();
  auto input = cast<ShapedType>(conv.getInput().getType());
  auto filter = cast<ShapedType>(conv.getFilter().getType());
  auto output = cast<ShapedType>(conv.getInit().getType());
  for (int dim = 0; dim < 2; ++dim) {
    int64_t before = padding[dim], after = padding[dim + 2];
    if (before == after)
      continue;
    int64_t size = input.getDimSize(2 + dim);
    int64_t kernel = filter.getDimSize(2 + dim);
    int64_t outputSize = output.getDimSize(2 + dim);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel) ||
        ShapedType::isDynamic(outputSize))
      return false;
    int64_t window = (kernel - 1) * conv.getDilations()[dim] + 1;
    int64_t padded = size + 2 * before - window;
    if (padded < 0 || padded / conv.getStrides()[dim] + 1 != outputSize)
      return false;
  }
  return true;
}

/// Generated CUDA kernels.
class CudaKernelTarget final : public KernelTarget {
public:
  StringRef getName() const override { return "cuda"; }

  /// cuBLASLt takes the matmuls with f32 operands, and those with bf16 or
  /// f16 operands and an f32 destination (`--precision bf16|f16`); cuDNN
  /// the f32 convolutions whose padding it computes (isCudnnPadding) and
  /// whose activation it has (not HardSwish: the convolution is then
  /// selected again without its epilogue, which becomes a generated
  /// kernel); the other kernel ops are compiled as loops.
  bool selectKernel(Operation *op) const override {
    if (auto conv = dyn_cast<kernel::Conv2DOp>(op))
      return hasF32Operands(op) && !conv.getHardSwish() && isCudnnPadding(conv);
    auto matmul = dyn_cast<kernel::MatmulOp>(op);
    return matmul && getMatmulSuffix(matmul);
  }

  LogicalResult lowerToCall(Operation *op, int64_t site,
                            RewriterBase &rewriter) const override {
    rewriter.setInsertionPoint(op);
    if (auto matmul = dyn_cast<kernel::MatmulOp>(op);
        matmul && getMatmulSuffix(matmul)) {
      const char *suffix = getMatmulSuffix(matmul);
      lowerMatmulToCall(matmul, site, rewriter,
                        (Twine("xf_cuda_matmul_") + suffix).str(),
                        (Twine("xf_cuda_batch_matmul_") + suffix).str());
    } else if (auto conv = dyn_cast<kernel::Conv2DOp>(op);
               conv && selectKernel(conv)) {
      lowerConv2DToCall(conv, site, rewriter, "xf_cuda_conv2d_nchw_f32");
    } else {
      return op->emitOpError("has no CUDA library kernel");
    }
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
    // A copy between contiguous buffers is enqueued on the stream, not
    // done by the host.
    pm.addPass(createConvertCopiesToCudaCopies());
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
    // Launches do not wait (the runtime's mgpuStreamSynchronize returns at
    // once): the host code waits where it touches memory itself.
    pm.addPass(createSynchronizeGpuBeforeHostAccess());

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
