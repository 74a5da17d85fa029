//===- NativeCodegen.cpp - LLVM dialect to a shared library ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements NativeCodegen.h. Errors are reported as MLIR diagnostics at an
// unknown location (they concern the host toolchain, not the user's model).
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/NativeCodegen.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using namespace exaforge;

/// Whether loops compiled for a CPU of `hostFeatures` should use its full
/// 512-bit vectors where LLVM's tuning for it prefers 256-bit ones. LLVM's
/// tuning for Intel's AVX-512 server CPUs prefers 256 bits, for Skylake's
/// sake, whose clock dropped under 512-bit arithmetic; from Sapphire Rapids
/// on (recognized by AVX-512 FP16) the clock barely drops, and the
/// compute-bound loops run faster on full-width vectors. Measured on 2 cores of
/// such a Xeon (median ms, 256-bit / 512-bit): a SiLU over 8x144x56x56 values
/// 1.07 / 0.88 with 1 thread, 0.55 / 0.48 with 2; 2 threads,
/// efficientnet_b0 4.40 / 4.23 (batch 1), 30.9 / 29.5 (batch 8); vit_b_16
/// 101.5 / 99.4; bert 65.4 / 64.4; resnet50, regnet_y_400mf,
/// mobilenet_v3_small, lraspp_mobilenet_v3_large, gpt2 and llama within
/// noise (benchmarks/README.md).
static bool prefersFullWidthVectors(const llvm::StringMap<bool> &hostFeatures) {
  return hostFeatures.lookup("avx512fp16");
}

FailureOr<HostTarget> HostTarget::create(unsigned optLevel, bool portable) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    llvm::errs() << "error: no LLVM target for the host '" << triple.str()
                 << "': " << error << "\n";
    return failure();
  }
  llvm::SubtargetFeatures features;
  std::string cpu = llvm::sys::getHostCPUName().str();
  if (portable)
    cpu = triple.isX86() ? "x86-64-v2" : "generic";
  else {
    llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
    for (const auto &feature : hostFeatures)
      features.AddFeature(feature.getKey(), feature.getValue());
    if (prefersFullWidthVectors(hostFeatures))
      features.AddFeature("prefer-256-bit", false);
  }
  // Global constructors go to .init_array, which the dynamic loader runs
  // when model.so is opened (the CUDA target's module load is one).
  llvm::TargetOptions targetOptions;
  targetOptions.UseInitArray = true;
  static constexpr llvm::CodeGenOptLevel kLevels[] = {
      llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less,
      llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
  std::shared_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features.getString(), targetOptions, llvm::Reloc::PIC_,
      std::nullopt,
      kLevels[std::min(optLevel, 3u)]));
  if (!machine) {
    llvm::errs() << "error: cannot create a target machine for '"
                 << triple.str() << "'\n";
    return failure();
  }
  return HostTarget(std::move(machine), std::min(optLevel, 3u));
}

FailureOr<std::unique_ptr<llvm::Module>>
HostTarget::translate(ModuleOp module, llvm::LLVMContext &context) {
  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  module->getContext()->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "exaforge_model");
  if (!llvmModule)
    return emitError(module.getLoc(), "translation to LLVM IR failed");
  llvmModule->setTargetTriple(machine->getTargetTriple());
  llvmModule->setDataLayout(machine->createDataLayout());
  return llvmModule;
}

void HostTarget::optimize(llvm::Module &llvmModule) {
  static const llvm::OptimizationLevel kLevels[] = {
      llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1,
      llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
  llvm::LoopAnalysisManager loopAnalyses;
  llvm::FunctionAnalysisManager functionAnalyses;
  llvm::CGSCCAnalysisManager cgsccAnalyses;
  llvm::ModuleAnalysisManager moduleAnalyses;
  llvm::PassBuilder builder(machine.get());
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses,
                               moduleAnalyses);
  llvm::ModulePassManager passes =
      optLevel == 0
          ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
          : builder.buildPerModuleDefaultPipeline(kLevels[optLevel]);
  passes.run(llvmModule, moduleAnalyses);
}

LogicalResult exaforge::addPackedEntryPoint(llvm::Module &module,
                                            StringRef cInterface,
                                            StringRef packedName) {
  llvm::Function *callee = module.getFunction(cInterface);
  if (!callee) {
    llvm::errs() << "error: the compiled module has no '" << cInterface
                 << "'\n";
    return failure();
  }
  llvm::LLVMContext &context = module.getContext();
  auto *pointerType = llvm::PointerType::getUnqual(context);
  for (llvm::Type *type : callee->getFunctionType()->params())
    if (!type->isPointerTy()) {
      llvm::errs() << "error: '" << cInterface
                   << "' takes a non-pointer argument\n";
      return failure();
    }
  auto *packed = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {pointerType},
                              /*isVarArg=*/false),
      llvm::GlobalValue::ExternalLinkage, packedName, module);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", packed));
  SmallVector<llvm::Value *> arguments;
  for (unsigned i = 0, e = callee->arg_size(); i < e; ++i) {
    llvm::Value *slot = builder.CreateConstGEP1_64(
        pointerType, packed->getArg(0), i, "arg" + llvm::Twine(i) + ".slot");
    arguments.push_back(builder.CreateLoad(pointerType, slot));
  }
  builder.CreateCall(callee, arguments);
  builder.CreateRetVoid();
  return success();
}

LogicalResult HostTarget::emitObjectFile(llvm::Module &module, StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    llvm::errs() << "error: cannot write '" << path << "': " << ec.message()
                 << "\n";
    return failure();
  }
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile)) {
    llvm::errs() << "error: the host target cannot emit object files\n";
    return failure();
  }
  passes.run(module);
  return success();
}

LogicalResult exaforge::linkSharedLibrary(StringRef objectPath,
                                          StringRef libraryPath) {
  SmallVector<std::string> args;
  if (auto lld = llvm::sys::findProgramByName("ld.lld-22"))
    args = {*lld, "-shared", "-Bsymbolic"};
  else if (auto lld = llvm::sys::findProgramByName("ld.lld"))
    args = {*lld, "-shared", "-Bsymbolic"};
  else if (auto cc = llvm::sys::findProgramByName("cc"))
    args = {*cc, "-shared", "-Wl,-Bsymbolic"};
  else {
    llvm::errs() << "error: no linker found (ld.lld-22, ld.lld or cc)\n";
    return failure();
  }
  args.append({"-o", libraryPath.str(), objectPath.str()});
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string error;
  int status = llvm::sys::ExecuteAndWait(argRefs.front(), argRefs,
                                         /*Env=*/std::nullopt,
                                         /*Redirects=*/{}, 0, 0, &error);
  if (status != 0) {
    llvm::errs() << "error: linking '" << libraryPath << "' failed"
                 << (error.empty() ? "" : ": " + error) << " (exit status "
                 << status << ")\n";
    return failure();
  }
  return success();
}
