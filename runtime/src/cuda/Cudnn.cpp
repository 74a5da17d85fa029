//===- Cudnn.cpp - cuDNN, loaded at run time ------------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Cudnn.h"
#include "DynamicLibrary.h"

#include <cstdlib>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {

namespace {
/// Loads cuDNN: the body of Cudnn::get.
Error loadCudnn(DnnFunctions &functions) {
  const char *override = std::getenv("EXAFORGE_CUDNN");
  std::string libraryName = override && *override ? override : "libcudnn.so.9";
  // Loaded for the life of the process, like the driver.
  void *library = dlopen(libraryName.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return makeError(
        "cannot load cuDNN (", libraryName,
        "), which runs the convolutions of CUDA artifacts: ", dlerror());
  const char *missing = findUnresolved({
      resolveSymbol(library, "cudnnCreate", functions.create),
      resolveSymbol(library, "cudnnSetStream", functions.setStream),
      resolveSymbol(library, "cudnnGetErrorString", functions.getErrorString),
      resolveSymbol(library, "cudnnCreateTensorDescriptor",
                    functions.createTensorDescriptor),
      resolveSymbol(library, "cudnnSetTensor4dDescriptorEx",
                    functions.setTensor4dDescriptorEx),
      resolveSymbol(library, "cudnnDestroyTensorDescriptor",
                    functions.destroyTensorDescriptor),
      resolveSymbol(library, "cudnnCreateFilterDescriptor",
                    functions.createFilterDescriptor),
      resolveSymbol(library, "cudnnSetFilter4dDescriptor",
                    functions.setFilter4dDescriptor),
      resolveSymbol(library, "cudnnDestroyFilterDescriptor",
                    functions.destroyFilterDescriptor),
      resolveSymbol(library, "cudnnCreateConvolutionDescriptor",
                    functions.createConvolutionDescriptor),
      resolveSymbol(library, "cudnnSetConvolution2dDescriptor",
                    functions.setConvolution2dDescriptor),
      resolveSymbol(library, "cudnnSetConvolutionGroupCount",
                    functions.setConvolutionGroupCount),
      resolveSymbol(library, "cudnnSetConvolutionMathType",
                    functions.setConvolutionMathType),
      resolveSymbol(library, "cudnnDestroyConvolutionDescriptor",
                    functions.destroyConvolutionDescriptor),
      resolveSymbol(library, "cudnnCreateActivationDescriptor",
                    functions.createActivationDescriptor),
      resolveSymbol(library, "cudnnSetActivationDescriptor",
                    functions.setActivationDescriptor),
      resolveSymbol(library, "cudnnSetActivationDescriptorSwishBeta",
                    functions.setActivationDescriptorSwishBeta),
      resolveSymbol(library, "cudnnDestroyActivationDescriptor",
                    functions.destroyActivationDescriptor),
      resolveSymbol(library, "cudnnGetConvolutionForwardAlgorithm_v7",
                    functions.getConvolutionForwardAlgorithm_v7),
      resolveSymbol(library, "cudnnGetConvolutionForwardWorkspaceSize",
                    functions.getConvolutionForwardWorkspaceSize),
      resolveSymbol(library, "cudnnConvolutionForward",
                    functions.convolutionForward),
      resolveSymbol(library, "cudnnAddTensor", functions.addTensor),
      resolveSymbol(library, "cudnnActivationForward",
                    functions.activationForward),
  });
  if (missing)
    return makeError("cuDNN (", libraryName, ") has no function ", missing);
  return Error::success();
}
} // namespace

Expected<const Cudnn *> Cudnn::get() {
  static Cudnn cudnn;
  // Initialized once, by the first caller (the other threads wait).
  static const Expected<const Cudnn *> loaded =
      [&]() -> Expected<const Cudnn *> {
    if (Error error = loadCudnn(cudnn.functions))
      return error;
    return &cudnn;
  }();
  return loaded;
}

std::string Cudnn::describe(DnnStatus status) const {
  const char *name = functions.getErrorString(status);
  return name ? name : concat("cuDNN status ", status);
}

} // namespace exaforge::runtime::cuda
