// RUN: exaforge-opt %s --synchronize-gpu-before-host-access --split-input-file | FileCheck %s

// Tests that the host waits once after a launch, before its first access of
// memory, and not again while nothing new is enqueued; a function starts
// with work pending (its caller's).

// CHECK-LABEL: func.func @store_after_launch
// CHECK-NEXT:    arith.constant
// CHECK-NEXT:    arith.constant
// CHECK-NEXT:    call @xf_cuda_synchronize() : () -> ()
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    gpu.launch_func
// CHECK-NEXT:    memref.dim
// CHECK-NEXT:    call @xf_cuda_synchronize() : () -> ()
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    memref.load
// CHECK-NEXT:    memref.copy
// CHECK-NEXT:    return
// CHECK:       func.func private @xf_cuda_synchronize()
module attributes {gpu.container_module} {
  func.func @store_after_launch(%a: memref<4xf32>, %b: memref<f32>, %c: memref<f32>) -> f32 {
    %c1 = arith.constant 1 : index
    %zero = arith.constant 0.0 : f32
    memref.store %zero, %b[] : memref<f32>
    gpu.launch_func @xf_kernels::@k blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    %n = memref.dim %a, %c1 : memref<4xf32>
    memref.store %zero, %b[] : memref<f32>
    %x = memref.load %c[] : memref<f32>
    memref.copy %b, %c : memref<f32> to memref<f32>
    return %x : f32
  }
  gpu.module @xf_kernels {
    gpu.func @k(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// Tests that the runtime's data-free calls (allocation, checks, profile
// regions) keep the wait done, that a library kernel of the run's stream
// and a collective enqueue work, that an unknown function may read its
// memref operands (a wait before it) and enqueue work (a wait after it),
// and how calls of the module's own functions count.

// CHECK-LABEL: func.func @runtime_calls
// CHECK:         call @xf_cuda_synchronize()
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    call @xf_alloc
// CHECK-NEXT:    call @xf_profile_begin
// CHECK-NEXT:    call @xf_free
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    call @xf_cuda_matmul_f32
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    call @xf_dist_all_reduce_f32
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    call @host_helper(%{{.*}}) : (index) -> ()
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    call @reads_memory
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    call @stores_on_host
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    call @launches
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    call @stores_on_host
// CHECK-NEXT:    call @xf_cuda_matmul_f32
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    call @reads_pointer
// CHECK-NEXT:    return
// CHECK-LABEL: func.func private @stores_on_host
// CHECK-NEXT:    arith.constant
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    memref.store
// CHECK-LABEL: func.func private @launches
// CHECK-NEXT:    call @xf_cuda_matmul_f32
// CHECK-NEXT:    return
func.func private @xf_alloc(i64) -> !llvm.ptr
func.func private @xf_free(!llvm.ptr)
func.func private @xf_profile_begin(i64)
func.func private @xf_cuda_matmul_f32(memref<2x2xf32>)
func.func private @xf_dist_all_reduce_f32(memref<2x2xf32>)
func.func private @host_helper(index)
func.func private @reads_memory(memref<f32>)
func.func @runtime_calls(%m: memref<2x2xf32>, %b: memref<f32>, %size: i64, %i: index, %ptr: !llvm.ptr) {
  %zero = arith.constant 0.0 : f32
  memref.store %zero, %b[] : memref<f32>
  %p = func.call @xf_alloc(%size) : (i64) -> !llvm.ptr
  func.call @xf_profile_begin(%size) : (i64) -> ()
  func.call @xf_free(%p) : (!llvm.ptr) -> ()
  memref.store %zero, %b[] : memref<f32>
  func.call @xf_cuda_matmul_f32(%m) : (memref<2x2xf32>) -> ()
  memref.store %zero, %b[] : memref<f32>
  func.call @xf_dist_all_reduce_f32(%m) : (memref<2x2xf32>) -> ()
  memref.store %zero, %b[] : memref<f32>
  func.call @host_helper(%i) : (index) -> ()
  func.call @reads_memory(%b) : (memref<f32>) -> ()
  memref.store %zero, %b[] : memref<f32>
  func.call @stores_on_host(%b) : (memref<f32>) -> ()
  memref.store %zero, %b[] : memref<f32>
  func.call @launches(%m) : (memref<2x2xf32>) -> ()
  func.call @stores_on_host(%b) : (memref<f32>) -> ()
  func.call @xf_cuda_matmul_f32(%m) : (memref<2x2xf32>) -> ()
  func.call @reads_pointer(%ptr) : (!llvm.ptr) -> ()
  return
}
// A pointer operand is memory too.
func.func private @reads_pointer(%p: !llvm.ptr) {
  return
}
// A function of the module that enqueues nothing touches its memref and
// pointer operands on the host (a wait before a call of it when work is
// pending, none after), and one that calls a library kernel enqueues work.
func.func private @stores_on_host(%b: memref<f32>) {
  %one = arith.constant 1.0 : f32
  memref.store %one, %b[] : memref<f32>
  return
}
func.func private @launches(%m: memref<2x2xf32>) {
  func.call @xf_cuda_matmul_f32(%m) : (memref<2x2xf32>) -> ()
  return
}

// -----

// Tests that a host loop (no GPU work inside) waits once, before it, and
// that a loop that launches has its body scanned: its accesses wait at
// every iteration, after the previous one's launch.

// CHECK-LABEL: func.func @loops
// CHECK:         gpu.launch_func
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    scf.for
// CHECK-NOT:       xf_cuda_synchronize
// CHECK:           memref.store
// CHECK:         }
// CHECK-NEXT:    scf.for
// CHECK-NEXT:      call @xf_cuda_synchronize()
// CHECK-NEXT:      memref.store
// CHECK-NEXT:      gpu.launch_func
// CHECK-NEXT:    }
// CHECK-NEXT:    call @xf_cuda_synchronize()
// CHECK-NEXT:    memref.store
module attributes {gpu.container_module} {
  func.func @loops(%a: memref<4xf32>, %n: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %zero = arith.constant 0.0 : f32
    gpu.launch_func @xf_kernels::@k blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    scf.for %i = %c0 to %n step %c1 {
      memref.store %zero, %a[%i] : memref<4xf32>
    }
    scf.for %i = %c0 to %n step %c1 {
      memref.store %zero, %a[%i] : memref<4xf32>
      gpu.launch_func @xf_kernels::@k blocks in (%c1, %c1, %c1)
          threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    }
    memref.store %zero, %a[%c0] : memref<4xf32>
    return
  }
  gpu.module @xf_kernels {
    gpu.func @k(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// Tests that a function whose host code touches no memory gets no wait and
// no declaration.

// CHECK-LABEL: func.func @launch_only
// CHECK-NOT:   xf_cuda_synchronize
module attributes {gpu.container_module} {
  func.func @launch_only(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @xf_kernels::@k blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    %v = memref.subview %a[0] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1]>>
    return
  }
  gpu.module @xf_kernels {
    gpu.func @k(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
}
