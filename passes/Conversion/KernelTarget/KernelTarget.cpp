//===- KernelTarget.cpp - The known kernel targets ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The list of kernel targets that the `target` option of the kernel passes
// may name. A new target adds one line here.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelTarget.h"

#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace exaforge;

KernelTarget::~KernelTarget() = default;

bool KernelTarget::prefersChannelsLast(Operation *op) const { return false; }

bool KernelTarget::fusesSwish() const { return true; }

bool KernelTarget::canReadHostConstants() const { return true; }

void KernelTarget::buildHostLowering(OpPassManager &pm) const {}

const KernelTarget *exaforge::lookupKernelTarget(llvm::StringRef name) {
  const KernelTarget *targets[] = {&getCpuKernelTarget(),
                                   &getCudaKernelTarget()};
  for (const KernelTarget *target : targets)
    if (target->getName() == name)
      return target;
  return nullptr;
}

FailureOr<const KernelTarget *>
exaforge::getKernelTargetOrError(Operation *op, llvm::StringRef name) {
  if (const KernelTarget *target = lookupKernelTarget(name))
    return target;
  return op->emitError("unknown kernel target '") << name << "'";
}
