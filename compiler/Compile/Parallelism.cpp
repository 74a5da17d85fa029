//===- Parallelism.cpp - Ranks and mesh axes of a compile -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/Parallelism.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>

std::optional<int64_t> exaforge::resolveDataParallelRanks(
    int64_t ranks, int64_t dataParallel, int64_t tensorParallel,
    int64_t pipelineParallel, llvm::StringRef optionPrefix,
    std::string &error) {
  std::string prefix = optionPrefix.str();
  if (ranks < 0 || dataParallel < 0 || tensorParallel < 1 ||
      pipelineParallel < 1) {
    error = prefix + "ranks, " + prefix + "dp, " + prefix + "tp and " +
            prefix + "pp must be positive";
    return std::nullopt;
  }
  if (dataParallel == 0)
    dataParallel =
        ranks == 0 ? 1
                   : std::max<int64_t>(1, ranks / (tensorParallel *
                                                   pipelineParallel));
  if (ranks != 0 && ranks != dataParallel * tensorParallel * pipelineParallel) {
    error = (prefix + "dp " + llvm::Twine(dataParallel) + " x " + prefix +
             "tp " + llvm::Twine(tensorParallel) + " x " + prefix + "pp " +
             llvm::Twine(pipelineParallel) + " is " +
             llvm::Twine(dataParallel * tensorParallel * pipelineParallel) +
             " ranks, not the " + llvm::Twine(ranks) + " of " + prefix +
             "ranks")
                .str();
    return std::nullopt;
  }
  return dataParallel;
}
