//===- NativeModule.cpp - The exaforge._native module ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

NB_MODULE(_native, module) {
  module.doc() = "Exaforge's compiler and runtime, for the exaforge package";
  exaforge::python::bindCompile(module);
  exaforge::python::bindSession(module);
}
