// RUN: exaforge-opt %s --merge-gpu-modules --verify-diagnostics

// Tests that the name of the merged module must be free.

// expected-error @+1 {{the module already has a symbol @xf_kernels}}
module attributes {gpu.container_module} {
  func.func private @xf_kernels()
  gpu.module @main_kernel {
  }
}
