// RUN: not exaforge-opt %s --select-kernels=target=tpu 2>&1 | FileCheck %s
// RUN: not exaforge-opt %s --convert-kernels-to-calls=target=tpu 2>&1 | FileCheck %s

// Tests that the kernel passes reject a target they do not know.
// CHECK: error: unknown kernel target 'tpu'
module {}
