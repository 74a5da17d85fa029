// RUN: exaforge-opt %s --merge-gpu-modules --split-input-file | FileCheck %s

// Tests that the kernels of two outlined modules (both named @main_kernel
// inside) move into one @xf_kernels, renamed after their modules, and that
// the launches follow them.

// CHECK-LABEL: func.func @main
// CHECK:         gpu.launch_func @xf_kernels::@main_kernel blocks
// CHECK:         gpu.launch_func @xf_kernels::@main_kernel_0 blocks
// CHECK:       gpu.module @xf_kernels [#nvvm.target<chip = "sm_90">] {
// CHECK:         gpu.func @main_kernel(%{{.*}}: memref<4xf32>) kernel
// CHECK:           arith.addf
// CHECK:         gpu.func @main_kernel_0(%{{.*}}: memref<4xf32>) kernel
// CHECK:           arith.mulf
// CHECK-NOT:   gpu.module
module attributes {gpu.container_module} {
  func.func @main(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @main_kernel::@main_kernel blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @main_kernel_0::@main_kernel blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
  gpu.module @main_kernel [#nvvm.target<chip = "sm_90">] {
    gpu.func @main_kernel(%a: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %x = memref.load %a[%c0] : memref<4xf32>
      %y = arith.addf %x, %x : f32
      memref.store %y, %a[%c0] : memref<4xf32>
      gpu.return
    }
  }
  gpu.module @main_kernel_0 [#nvvm.target<chip = "sm_90">] {
    gpu.func @main_kernel(%a: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %x = memref.load %a[%c0] : memref<4xf32>
      %y = arith.mulf %x, %x : f32
      memref.store %y, %a[%c0] : memref<4xf32>
      gpu.return
    }
  }
}

// -----

// Tests that a module without kernels is left alone.

// CHECK-LABEL: func.func @host_only
// CHECK-NOT:   gpu.module
func.func @host_only() {
  return
}
