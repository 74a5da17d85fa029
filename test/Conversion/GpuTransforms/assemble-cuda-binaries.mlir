// REQUIRES: ptxas
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules,nvvm-attach-target{chip=sm_80 features=+ptx80 O=3},gpu.module(lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts),gpu-module-to-binary{format=isa},assemble-cuda-binaries{ptxas=%cuda_toolkit/bin/ptxas})' \
// RUN: | FileCheck %s --check-prefixes=CHECK,SM80
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules,nvvm-attach-target{chip=sm_90 features=+ptx80 O=3},gpu.module(lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts),gpu-module-to-binary{format=isa},assemble-cuda-binaries{ptxas=%cuda_toolkit/bin/ptxas})' \
// RUN: | FileCheck %s --check-prefixes=CHECK,SM90

// Tests that ptxas assembles the PTX of the binary for its chip: the binary
// then holds the cubin (an ELF file: "\7FELF", machine EM_CUDA = 190 =
// 0xBE at offset 18) first and the PTX second.

// CHECK:      gpu.binary @xf_kernels [
// SM80-SAME:    #gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// SM90-SAME:    #gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-SAME:   bin = "\7FELF\02\01\01{{.}}{{(\\[0-9A-F][0-9A-F]|.)+}}\02\00\BE\00
// CHECK-SAME:   #gpu.object<#nvvm.target
// CHECK-SAME:   assembly = "
// SM80-SAME:    .target sm_80
// SM90-SAME:    .target sm_90

func.func @scale(%x: memref<1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1000 = arith.constant 1000 : index
  scf.parallel (%i) = (%c0) to (%c1000) step (%c1) {
    %a = memref.load %x[%i] : memref<1000xf32>
    %b = arith.mulf %a, %a : f32
    memref.store %b, %x[%i] : memref<1000xf32>
    scf.reduce
  }
  return
}
