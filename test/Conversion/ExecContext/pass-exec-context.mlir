// RUN: exaforge-opt %s --pass-exec-context --split-input-file --verify-diagnostics | FileCheck %s

// The entry receives the context and passes it, first, to the runtime
// functions it calls and to the helpers that reach one (here through a
// second helper); a helper without runtime calls, the functions called
// without a context and the other callees keep their signatures.

// CHECK-DAG: func.func private @xf_check_failed(!llvm.ptr, !llvm.ptr)
// CHECK-DAG: func.func private @xf_dist_axis_index(!llvm.ptr, i64) -> i64
// CHECK-DAG: func.func private @xf_kernel_matmul_f32(!llvm.ptr, i64, i64) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @xf_parallel_for((!llvm.ptr, i64, i64) -> (), !llvm.ptr, i64, i64, i64)
// CHECK-DAG: func.func private @printF32(memref<4xf32>)
// CHECK-LABEL: func.func @xf_model_main(
// CHECK-SAME:      %[[CTX:.*]]: !llvm.ptr, %[[X:.*]]: memref<4xf32>)
// CHECK:         call @xf_check_failed(%[[CTX]], %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> ()
// CHECK:         call @outer(%[[CTX]], %[[X]]) : (!llvm.ptr, memref<4xf32>) -> ()
// CHECK:         call @pure(%[[X]]) : (memref<4xf32>) -> ()
// CHECK:         call @printF32(%[[X]]) : (memref<4xf32>) -> ()
// CHECK-LABEL: func.func private @outer(
// CHECK-SAME:      %[[OCTX:.*]]: !llvm.ptr, %[[OX:.*]]: memref<4xf32>)
// CHECK:         call @inner(%[[OCTX]], %[[OX]])
// CHECK-LABEL: func.func private @inner(
// CHECK-SAME:      %[[ICTX:.*]]: !llvm.ptr, %{{.*}}: memref<4xf32>)
// CHECK:         scf.if
// CHECK:           %{{.*}} = func.call @xf_dist_axis_index(%[[ICTX]], %{{.*}}) : (!llvm.ptr, i64) -> i64
// CHECK:         call @xf_kernel_matmul_f32(%[[ICTX]], %{{.*}}, %{{.*}})
// CHECK-LABEL: func.func private @pure(
// CHECK-SAME:      %{{.*}}: memref<4xf32>)

func.func private @xf_check_failed(!llvm.ptr)
func.func private @xf_dist_axis_index(i64) -> i64
func.func private @xf_kernel_matmul_f32(i64, i64) attributes {llvm.emit_c_interface}
func.func private @xf_parallel_for((!llvm.ptr, i64, i64) -> (), !llvm.ptr, i64, i64, i64)
func.func private @printF32(memref<4xf32>)

func.func @xf_model_main(%x: memref<4xf32>) {
  %message = llvm.mlir.zero : !llvm.ptr
  call @xf_check_failed(%message) : (!llvm.ptr) -> ()
  call @outer(%x) : (memref<4xf32>) -> ()
  call @pure(%x) : (memref<4xf32>) -> ()
  call @printF32(%x) : (memref<4xf32>) -> ()
  return
}

func.func private @outer(%x: memref<4xf32>) {
  call @inner(%x) : (memref<4xf32>) -> ()
  return
}

func.func private @inner(%x: memref<4xf32>) {
  %true = arith.constant true
  %c0 = arith.constant 0 : i64
  scf.if %true {
    %index = func.call @xf_dist_axis_index(%c0) : (i64) -> i64
  }
  call @xf_kernel_matmul_f32(%c0, %c0) : (i64, i64) -> ()
  return
}

func.func private @pure(%x: memref<4xf32>) {
  return
}

// -----

// Code run outside a session creates its own context: the function that
// creates it passes it on and receives none. The entry option names
// another function; without it nothing receives a context from outside.

// CHECK-DAG: func.func private @xf_exec_context_create() -> !llvm.ptr
// CHECK-DAG: func.func private @xf_exec_context_destroy(!llvm.ptr)
// CHECK-DAG: func.func private @xf_checks_take_failure(!llvm.ptr) -> !llvm.ptr
// CHECK-LABEL: func.func @main()
// CHECK:         %[[CTX:.*]] = call @xf_exec_context_create() : () -> !llvm.ptr
// CHECK:         call @run(%[[CTX]]) : (!llvm.ptr) -> ()
// CHECK:         call @xf_exec_context_destroy(%[[CTX]]) : (!llvm.ptr) -> ()
// CHECK-LABEL: func.func private @run(
// CHECK-SAME:      %[[RCTX:.*]]: !llvm.ptr)
// CHECK:         call @xf_checks_take_failure(%[[RCTX]])

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_exec_context_destroy(!llvm.ptr)
func.func private @xf_checks_take_failure() -> !llvm.ptr

func.func @main() {
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  call @run() : () -> ()
  call @xf_exec_context_destroy(%context) : (!llvm.ptr) -> ()
  return
}

func.func private @run() {
  %failure = call @xf_checks_take_failure() : () -> !llvm.ptr
  return
}

// -----

// The entry receives the context even when it calls no runtime function:
// the runtime always passes it.

// CHECK-LABEL: func.func @xf_model_main(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %{{.*}}: memref<4xf32>)
func.func @xf_model_main(%x: memref<4xf32>) {
  return
}

// -----

func.func private @xf_check_failed(!llvm.ptr)

func.func private @reports(%message: !llvm.ptr) {
  call @xf_check_failed(%message) : (!llvm.ptr) -> ()
  return
}

func.func @xf_model_main() {
  // expected-error @below {{'reports' receives the execution context and may only be called}}
  %f = func.constant @reports : (!llvm.ptr) -> ()
  return
}

// -----

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_check_failed(!llvm.ptr)

func.func @main(%message: !llvm.ptr) {
  // expected-error @below {{'xf_check_failed' is called before the execution context is created}}
  call @xf_check_failed(%message) : (!llvm.ptr) -> ()
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  return
}

// -----

// The buffer deallocation passes free buffers at the end of their block, so
// code that creates its own context destroys it in a caller of the code
// that allocates.

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_exec_context_destroy(!llvm.ptr)
func.func private @xf_free(!llvm.ptr)

func.func @main(%buffer: !llvm.ptr) {
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  call @xf_exec_context_destroy(%context) : (!llvm.ptr) -> ()
  // expected-error @below {{'xf_free' is called after the execution context is destroyed}}
  call @xf_free(%buffer) : (!llvm.ptr) -> ()
  return
}

// -----

// expected-error @below {{the entry function has no body}}
func.func private @xf_model_main(memref<4xf32>)
