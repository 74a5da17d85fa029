// RUN: exaforge-opt %s -insert-profile-regions | FileCheck %s

// Each kernel call and each outermost loop nest that calls no function is
// enclosed in xf_profile_begin / xf_profile_end with its region's number:
// one region per ONNX node (location name) and kind, listed in order.

// CHECK-LABEL: module attributes {artifact.profile_regions = [
// CHECK-SAME: {kind = "kernel", name = "fc"},
// CHECK-SAME: {kind = "loop", name = "relu"},
// CHECK-SAME: {kind = "loop", name = "fc"},
// CHECK-SAME: {kind = "loop", name = "mul"},
// CHECK-SAME: {kind = "loop", name = "(compiler)"},
// CHECK-SAME: {kind = "kernel", name = "inner"}]}

func.func private @xf_kernel_matmul_f32(i64)
func.func private @helper()

// CHECK-LABEL: func.func @main
func.func @main(%buffer: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %site = arith.constant 7 : i64
  %zero = arith.constant 0.0 : f32

  // CHECK: %[[R0:.*]] = arith.constant 0 : i64
  // CHECK-NEXT: call @xf_profile_begin(%[[R0]]) : (i64) -> ()
  // CHECK-NEXT: call @xf_kernel_matmul_f32
  // CHECK-NEXT: call @xf_profile_end(%[[R0]]) : (i64) -> ()
  func.call @xf_kernel_matmul_f32(%site) : (i64) -> () loc("fc")

  // A loop nest is one region, around its outermost loop only.
  // CHECK: %[[R1:.*]] = arith.constant 1 : i64
  // CHECK-NEXT: call @xf_profile_begin(%[[R1]])
  // CHECK-NEXT: scf.parallel
  // CHECK-NOT: xf_profile
  // CHECK: scf.reduce
  // CHECK-NEXT: }
  // CHECK-NEXT: call @xf_profile_end(%[[R1]])
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.for %j = %c0 to %c8 step %c1 {
      memref.store %zero, %buffer[%i, %j] : memref<8x8xf32>
    }
  } loc("relu")

  // The same node and kind: the same region.
  // CHECK: %[[AGAIN:.*]] = arith.constant 0 : i64
  // CHECK-NEXT: call @xf_profile_begin(%[[AGAIN]])
  // CHECK-NEXT: call @xf_kernel_matmul_f32
  // CHECK-NEXT: call @xf_profile_end(%[[AGAIN]])
  func.call @xf_kernel_matmul_f32(%site) : (i64) -> () loc("fc")

  // The same node as a loop (a fused epilogue): a region of its own.
  // CHECK: %[[R2:.*]] = arith.constant 2 : i64
  // CHECK-NEXT: call @xf_profile_begin(%[[R2]])
  // CHECK-NEXT: scf.for
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %zero, %buffer[%i, %i] : memref<8x8xf32>
  } loc("fc")

  // A fused location is named after its first node.
  // CHECK: %[[R3:.*]] = arith.constant 3 : i64
  // CHECK-NEXT: call @xf_profile_begin(%[[R3]])
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %zero, %buffer[%i, %c0] : memref<8x8xf32>
  } loc(fused["mul", "sigmoid"])

  // A loop without a node name: code the compiler added.
  // CHECK: %[[R4:.*]] = arith.constant 4 : i64
  // CHECK-NEXT: call @xf_profile_begin(%[[R4]])
  // CHECK: call @xf_profile_end(%[[R4]])
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %zero, %buffer[%c0, %i] : memref<8x8xf32>
  }

  // A loop that calls functions (an ONNX Loop's body) is not a region; the
  // kernel calls inside it are.
  // CHECK-NEXT: scf.for
  // CHECK-NEXT: %[[R5:.*]] = arith.constant 5 : i64
  // CHECK-NEXT: func.call @xf_profile_begin(%[[R5]])
  // CHECK-NEXT: func.call @xf_kernel_matmul_f32
  // CHECK-NEXT: func.call @xf_profile_end(%[[R5]])
  // CHECK-NEXT: func.call @helper()
  // CHECK-NEXT: }
  scf.for %i = %c0 to %c8 step %c1 {
    func.call @xf_kernel_matmul_f32(%site) : (i64) -> () loc("inner")
    func.call @helper() : () -> ()
  } loc("loop_node")
  return
}

// CHECK-DAG: func.func private @xf_profile_begin(i64)
// CHECK-DAG: func.func private @xf_profile_end(i64)
