//===- Bindings.h - Parts of the exaforge._native module --------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The native module `exaforge._native` is made of three parts, one per file:
// the compiler (CompileBinding.cpp), the planner (PlanBinding.cpp) and the
// runtime's sessions (SessionBinding.cpp, with SessionArrays.cpp).
// NativeModule.cpp defines the module and calls each. The sessions of
// multi-rank artifacts are a module of their own, `exaforge._mpi`
// (MpiSessionModule.cpp), so that `_native` needs no MPI library.
// The Python API over them is in python/exaforge/.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PYTHON_SRC_BINDINGS_H
#define EXAFORGE_PYTHON_SRC_BINDINGS_H

#include <nanobind/nanobind.h>

namespace exaforge::python {

/// Adds `compile_model` to `module`.
void bindCompile(nanobind::module_ &module);

/// Adds `plan_model` to `module`.
void bindPlan(nanobind::module_ &module);

/// Adds the class `NativeSession` to `module`.
void bindSession(nanobind::module_ &module);

} // namespace exaforge::python

#endif // EXAFORGE_PYTHON_SRC_BINDINGS_H
