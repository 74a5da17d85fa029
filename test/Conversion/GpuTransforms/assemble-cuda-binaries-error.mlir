// RUN: exaforge-opt %s --verify-diagnostics \
// RUN:   --assemble-cuda-binaries='ptxas=%t.missing/ptxas'
// RUN: not exaforge-opt %s --assemble-cuda-binaries='ptxas=no-such-ptxas-exaforge' 2>&1 \
// RUN: | FileCheck %s --check-prefix=PATH

// Tests that a ptxas that is not there is an error at the binary, whether
// given as a path or as a name looked up in PATH.

// PATH: error: cannot find 'no-such-ptxas-exaforge' in PATH: assembling CUDA kernels needs the CUDA toolkit's ptxas
module attributes {gpu.container_module} {
  // expected-error @+1 {{is not an executable ptxas}}
  gpu.binary @xf_kernels [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = ".version 8.0\0A.target sm_90\0A.address_size 64\0A">]
}
