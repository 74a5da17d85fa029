// RUN: exaforge-opt %s --convert-allocs-to-runtime-calls --split-input-file --verify-diagnostics | FileCheck %s

// A static buffer: its size in bytes (the address of element 4x8 of a null
// f32 pointer), the default alignment, the name of the ONNX node of its
// location (a constant string, named by an out-of-memory message), a
// descriptor around the pointer xf_alloc returns; its dealloc frees the
// descriptor's allocated pointer. xf_alloc returns fresh memory
// (llvm.noalias).

// CHECK-LABEL: func.func @static(
// CHECK:         %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[END:.*]] = llvm.getelementptr %[[NULL]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %[[BYTES:.*]] = llvm.ptrtoint %[[END]] : !llvm.ptr to i64
// CHECK:         %[[ALIGN:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK:         %[[NODE:.*]] = llvm.mlir.addressof @xf_node_name : !llvm.ptr
// CHECK:         %[[PTR:.*]] = call @xf_alloc(%[[BYTES]], %[[ALIGN]], %[[NODE]]) : (i64, i64, !llvm.ptr) -> !llvm.ptr
// CHECK:         llvm.insertvalue %[[PTR]], %{{.*}}[0]
// CHECK:         llvm.insertvalue %[[PTR]], %{{.*}}[1]
// CHECK:         %[[DESC:.*]] = llvm.insertvalue %{{.*}}[4, 1]
// CHECK:         %[[BUF:.*]] = builtin.unrealized_conversion_cast %[[DESC]] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<4x8xf32>
// CHECK:         memref.store %{{.*}}, %[[BUF]]
// CHECK:         %[[ALLOCATED:.*]] = llvm.extractvalue %[[DESC]][0]
// CHECK:         call @xf_free(%[[ALLOCATED]]) : (!llvm.ptr) -> ()
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     memref.dealloc
// CHECK-DAG:   func.func private @xf_alloc(i64, i64, !llvm.ptr) -> (!llvm.ptr {llvm.noalias})
// CHECK-DAG:   func.func private @xf_free(!llvm.ptr)
// CHECK-DAG:   llvm.mlir.global internal constant @xf_node_name("Add_3\00")
func.func @static(%v: f32, %i: index) {
  %a = memref.alloc() : memref<4x8xf32> loc("Add_3")
  memref.store %v, %a[%i, %i] : memref<4x8xf32>
  memref.dealloc %a : memref<4x8xf32>
  return
}

// -----

// A dynamic size enters the byte count; the op's alignment is passed on.
// A function that only allocates declares only xf_alloc. Without an ONNX
// node in its location, the node name is "".

// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME:      %[[N:.*]]: index)
// CHECK:         %[[N64:.*]] = builtin.unrealized_conversion_cast %[[N]] : index to i64
// CHECK:         %[[COUNT:.*]] = llvm.mul %{{.*}}, %[[N64]] : i64
// CHECK:         %[[END:.*]] = llvm.getelementptr %{{.*}}[%[[COUNT]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK:         %[[BYTES:.*]] = llvm.ptrtoint %[[END]] : !llvm.ptr to i64
// CHECK:         %[[ALIGN:.*]] = llvm.mlir.constant(256 : i64) : i64
// CHECK:         %[[NODE:.*]] = llvm.mlir.addressof @xf_node_name : !llvm.ptr
// CHECK:         call @xf_alloc(%[[BYTES]], %[[ALIGN]], %[[NODE]])
// CHECK-NOT:   @xf_free
// CHECK:       llvm.mlir.global internal constant @xf_node_name("\00")
func.func @dynamic(%n: index) -> memref<?x16xi8> {
  %a = memref.alloc(%n) {alignment = 256 : i64} : memref<?x16xi8>
  return %a : memref<?x16xi8>
}

// -----

// A module without heap buffers is left alone: stack buffers
// (memref.alloca) are not the runtime's.

// CHECK-LABEL: func.func @stack(
// CHECK:         memref.alloca() : memref<4xf32>
// CHECK-NOT:   @xf_alloc
func.func @stack() {
  %a = memref.alloca() : memref<4xf32>
  return
}

// -----

func.func @strided() {
  // expected-error @below {{'memref.alloc' op allocates a buffer with a layout; only buffers with the identity layout come from the runtime}}
  %a = memref.alloc() : memref<4x4xf32, strided<[8, 1]>>
  return
}

// -----

func.func @unranked(%a: memref<*xf32>) {
  // expected-error @below {{'memref.dealloc' op frees an unranked buffer; only ranked buffers go back to the runtime}}
  memref.dealloc %a : memref<*xf32>
  return
}

// -----

// expected-error @below {{'xf_alloc' must be the runtime function of type '(i64, i64, !llvm.ptr) -> !llvm.ptr'}}
func.func private @xf_alloc(i64) -> !llvm.ptr

func.func @taken() {
  %a = memref.alloc() : memref<4xf32>
  return
}
