// RUN: exaforge-opt %s --convert-asserts-to-runtime-calls -split-input-file | FileCheck %s

// Tests that each cf.assert becomes a call of xf_check_failed under the
// negated condition, with one global string per distinct message.
// CHECK-LABEL: func.func @checks
// CHECK-SAME: %[[A:.*]]: i1, %[[B:.*]]: i1
// CHECK: %[[T:.*]] = arith.constant true
// CHECK: %[[NA:.*]] = arith.xori %[[A]], %[[T]] : i1
// CHECK: scf.if %[[NA]] {
// CHECK:   %[[M:.*]] = llvm.mlir.addressof @xf_check_message : !llvm.ptr
// CHECK:   func.call @xf_check_failed(%[[M]]) : (!llvm.ptr) -> ()
// CHECK: }
// CHECK: %[[NB:.*]] = arith.xori %[[B]], %{{.*}} : i1
// CHECK: scf.if %[[NB]] {
// CHECK:   llvm.mlir.addressof @xf_check_message_0 : !llvm.ptr
// CHECK: %[[NA2:.*]] = arith.xori %[[A]], %{{.*}} : i1
// CHECK: scf.if %[[NA2]] {
// CHECK:   llvm.mlir.addressof @xf_check_message : !llvm.ptr
// CHECK-NOT: cf.assert
// CHECK-DAG: func.func private @xf_check_failed(!llvm.ptr)
// CHECK-DAG: llvm.mlir.global internal constant @xf_check_message("node 'A': Squeeze: first\00")
// CHECK-DAG: llvm.mlir.global internal constant @xf_check_message_0("second\00")
func.func @checks(%a: i1, %b: i1) {
  cf.assert %a, "node 'A': Squeeze: first"
  cf.assert %b, "second"
  cf.assert %a, "node 'A': Squeeze: first"
  return
}

// -----

// Tests that a module without asserts is left as it is.
// CHECK-LABEL: func.func @none
// CHECK-NOT: xf_check_failed
func.func @none() {
  return
}

// -----

// Tests that a check inside a loop body becomes a call there.
// CHECK-LABEL: func.func @in_loop
// CHECK: scf.for
// CHECK: scf.if
// CHECK: func.call @xf_check_failed
func.func @in_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %ok = arith.cmpi ult, %i, %n : index
    cf.assert %ok, "in a loop"
  }
  return
}
