// The CUDA target's code generation (CudaKernelTarget::buildLoopCodegen),
// one step per RUN line, on an elementwise loop nest and a row reduction.
//
// 1. Loop nests to outlined GPU kernels in one gpu.module.
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules)' \
// RUN: | FileCheck %s --check-prefix=GPU
//
// 2. The kernels in the NVVM dialect, for sm_80.
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules,nvvm-attach-target{chip=sm_80 features=+ptx80 O=3},gpu.module(lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts))' \
// RUN: | FileCheck %s --check-prefix=NVVM
//
// 3. PTX for sm_80 and sm_90, by LLVM's NVPTX back end (no CUDA toolkit
//    needed: the kernels call no libdevice function).
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules,nvvm-attach-target{chip=sm_80 features=+ptx80 O=3},gpu.module(lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts),gpu-module-to-binary{format=isa})' \
// RUN: | FileCheck %s --check-prefixes=PTX,PTX80
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules,nvvm-attach-target{chip=sm_90 features=+ptx80 O=3},gpu.module(lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts),gpu-module-to-binary{format=isa})' \
// RUN: | FileCheck %s --check-prefixes=PTX,PTX90
//
// 4. The host code: each launch becomes the mgpu* launch calls' LLVM form.
// RUN: exaforge-opt %s --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize),gpu-kernel-outlining,merge-gpu-modules,nvvm-attach-target{chip=sm_90 features=+ptx80 O=3},gpu.module(lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts),gpu-module-to-binary{format=isa},lower-affine,convert-scf-to-cf,gpu-to-llvm,convert-to-llvm,reconcile-unrealized-casts)' \
// RUN: | FileCheck %s --check-prefix=HOST

// GPU-LABEL: func.func @softmax_parts
// GPU:         gpu.launch_func @xf_kernels::@softmax_parts_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%[[C256:.*]], %{{.*}}, %{{.*}})
// GPU:         gpu.launch_func @xf_kernels::@softmax_parts_kernel_0 blocks
// GPU:       gpu.module @xf_kernels {
// GPU:         gpu.func @softmax_parts_kernel(
// GPU-SAME:      kernel attributes {known_block_size = array<i32: 256, 1, 1>
// GPU:           gpu.block_id x
// GPU:           gpu.thread_id x
// GPU:           arith.subf
// GPU:         gpu.func @softmax_parts_kernel_0(
// GPU:           scf.for
// GPU:             arith.addf

// NVVM:      gpu.module @xf_kernels [#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">]
// NVVM:        llvm.func @softmax_parts_kernel(
// NVVM-SAME:     nvvm.kernel, nvvm.maxntid = array<i32: 256, 1, 1>
// NVVM:          nvvm.read.ptx.sreg.ctaid.x
// NVVM:          nvvm.read.ptx.sreg.tid.x
// NVVM:          llvm.fsub
// NVVM:        llvm.func @softmax_parts_kernel_0(
// NVVM-SAME:     nvvm.kernel, nvvm.maxntid = array<i32: 4, 1, 1>
// NVVM:          nvvm.read.ptx.sreg.tid.x
// NVVM:          llvm.fadd

// PTX:       gpu.binary @xf_kernels
// PTX80-SAME:  chip = "sm_80"
// PTX90-SAME:  chip = "sm_90"
// PTX-SAME:    assembly = "
// PTX-SAME:    .version 8.0
// PTX80-SAME:  .target sm_80
// PTX90-SAME:  .target sm_90
// PTX-SAME:    .visible .entry softmax_parts_kernel(
// PTX-SAME:    .maxntid 256, 1, 1
// PTX-SAME:    %tid.x
// PTX-SAME:    sub.rn.f32
// PTX-SAME:    .visible .entry softmax_parts_kernel_0(
// PTX-SAME:    add.rn.f32
// PTX-NOT:   gpu.module

// HOST:      llvm.func @softmax_parts(
// HOST:        gpu.launch_func @xf_kernels::@softmax_parts_kernel {{.*}} : i64 args(
// HOST:        gpu.launch_func @xf_kernels::@softmax_parts_kernel_0 {{.*}} : i64 args(
// HOST:      gpu.binary @xf_kernels

func.func @softmax_parts(%x: memref<4x1000xf32>, %max: memref<4xf32>,
                         %y: memref<4x1000xf32>, %sum: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c1000 = arith.constant 1000 : index
  // y = x - max (broadcast over the rows).
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c1000) step (%c1, %c1) {
    %a = memref.load %x[%i, %j] : memref<4x1000xf32>
    %m = memref.load %max[%i] : memref<4xf32>
    %d = arith.subf %a, %m : f32
    memref.store %d, %y[%i, %j] : memref<4x1000xf32>
    scf.reduce
  }
  // sum = the rows' sums of y.
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %j = %c0 to %c1000 step %c1 {
      %a = memref.load %y[%i, %j] : memref<4x1000xf32>
      %s = memref.load %sum[%i] : memref<4xf32>
      %t = arith.addf %a, %s : f32
      memref.store %t, %sum[%i] : memref<4xf32>
    }
    scf.reduce
  }
  return
}
