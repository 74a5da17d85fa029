//===- Parallelism.h - Ranks and mesh axes of a compile ---------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The rule that turns a requested number of ranks and the sizes of the mesh
// axes (data, tensor and pipeline parallelism) into the data-parallel size
// of `CompileOptions`: shared by `exaforge compile --ranks --dp --tp --pp`
// and the Python package's `exaforge.compile(ranks=, dp=, tp=, pp=)`.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_PARALLELISM_H
#define EXAFORGE_COMPILER_COMPILE_PARALLELISM_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace exaforge {

/// Returns the number of data-parallel ranks for `ranks` ranks (0: not
/// given) split into `dataParallel` (0: not given) x `tensorParallel` x
/// `pipelineParallel`: D defaults to N / (T x P) (at least 1), N to
/// D x T x P, and D x T x P must be N. On an inconsistent request returns
/// nullopt and sets `error`, naming the values as `<optionPrefix>ranks`,
/// `<optionPrefix>dp`, ... (`--` for the command line, "" for Python).
std::optional<int64_t> resolveDataParallelRanks(int64_t ranks,
                                                int64_t dataParallel,
                                                int64_t tensorParallel,
                                                int64_t pipelineParallel,
                                                llvm::StringRef optionPrefix,
                                                std::string &error);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_PARALLELISM_H
