//===- exaforge.cpp - The exaforge command-line tool ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Thin main of `exaforge`; the subcommands live in compiler/Driver.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Driver.h"

#include "llvm/Support/InitLLVM.h"

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  return exaforge::driver::runExaforge(argc, argv);
}
