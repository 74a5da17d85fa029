// RUN: exaforge-opt %s --convert-allocs-to-runtime-calls --pass-exec-context \
// RUN:   --run-parallel-loops-on-threads | FileCheck %s

// Allocations take the run's execution context like every other runtime
// call, so the runtime keeps no per-thread "current" run: a helper that
// allocates receives the context, and the outlined body of a parallel loop
// that allocates (on the worker threads) gets it among its captured values.

// CHECK-LABEL: func.func @xf_model_main(
// CHECK-SAME:      %[[CTX:.*]]: !llvm.ptr, %[[N:.*]]: index)
// CHECK:         call @make(%[[CTX]], %[[N]]) : (!llvm.ptr, index) -> memref<?xf32>
// CHECK:         llvm.insertvalue %[[CTX]], %{{.*}}
// CHECK:         call @xf_parallel_for(
// CHECK-LABEL: func.func private @xf_model_main_parallel(
// CHECK-SAME:      %[[CAPTURES:.*]]: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK:         %[[PACKED:.*]] = llvm.load %[[CAPTURES]]
// CHECK:         %[[BCTX:.*]] = llvm.extractvalue %[[PACKED]][0] : !llvm.struct<{{.*}}>
// CHECK:         scf.for
// CHECK:           func.call @xf_alloc(%[[BCTX]], %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, i64, !llvm.ptr) -> !llvm.ptr
// CHECK:           func.call @xf_free(%[[BCTX]], %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> ()
// CHECK-LABEL: func.func private @make(
// CHECK-SAME:      %[[MCTX:.*]]: !llvm.ptr, %{{.*}}: index)
// CHECK:         call @xf_alloc(%[[MCTX]], %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, i64, !llvm.ptr) -> !llvm.ptr
// CHECK-DAG:   func.func private @xf_alloc(!llvm.ptr, i64, i64, !llvm.ptr) -> (!llvm.ptr {llvm.noalias})
// CHECK-DAG:   func.func private @xf_free(!llvm.ptr, !llvm.ptr)

func.func @xf_model_main(%n: index) -> memref<?xf32> {
  %a = call @make(%n) : (index) -> memref<?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %t = memref.alloc() : memref<16xf32>
    %v = memref.load %t[%c0] : memref<16xf32>
    memref.store %v, %a[%i] : memref<?xf32>
    memref.dealloc %t : memref<16xf32>
    scf.reduce
  }
  return %a : memref<?xf32>
}

func.func private @make(%n: index) -> memref<?xf32> {
  %a = memref.alloc(%n) : memref<?xf32>
  return %a : memref<?xf32>
}
