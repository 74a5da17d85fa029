// REQUIRES: ptxas
// RUN: not exaforge-opt %s --assemble-cuda-binaries='ptxas=%cuda_toolkit/bin/ptxas' 2>&1 \
// RUN: | FileCheck %s

// Tests that PTX ptxas rejects is an error that quotes ptxas.

// CHECK: error: ptxas failed for sm_90 (exit status {{[0-9]+}}):
// CHECK: ptxas
module attributes {gpu.container_module} {
  gpu.binary @xf_kernels [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = ".version 8.0\0A.target sm_90\0A.address_size 64\0A.visible .entry broken( {\0A  not.an.instruction;\0A}\0A">]
}
