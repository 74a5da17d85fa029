// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --convert-asserts-to-runtime-calls \
// RUN:   --pass-exec-context --expand-strided-metadata --lower-affine --convert-scf-to-cf \
// RUN:   --finalize-memref-to-llvm --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs,%exaforge_runtime_lib \
// RUN: | FileCheck %s

// Runs elementwise ops and Expand whose operands have dimensions known only
// at run time that are 1 there and broadcast (ONNX multidirectional
// broadcasting), as a Llama attention mask typed ?x?x?x? that is
// [1, 1, S, S] at run time does, and a real mismatch, which is a run-time
// check failure naming the node. Expected values follow numpy broadcasting.

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_exec_context_destroy(!llvm.ptr)
func.func private @xf_checks_take_failure() -> !llvm.ptr
func.func private @puts(!llvm.ptr) -> i32
func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
llvm.mlir.global internal constant @passed("no check failed\00")

// Prints the first failed check's message since the last call, or "no
// check failed".
func.func @report() {
  %message = call @xf_checks_take_failure() : () -> !llvm.ptr
  %null = llvm.mlir.zero : !llvm.ptr
  %none = llvm.icmp "eq" %message, %null : !llvm.ptr
  %text = scf.if %none -> !llvm.ptr {
    %passed = llvm.mlir.addressof @passed : !llvm.ptr
    scf.yield %passed : !llvm.ptr
  } else {
    scf.yield %message : !llvm.ptr
  }
  %written = call @puts(%text) : (!llvm.ptr) -> i32
  return
}

// A static result, an operand of unknown sizes.
func.func @add_static_result(%a: tensor<2x3xf32>, %b: tensor<?x?xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<?x?xf32>) -> tensor<2x3xf32> loc("Add_static")
  return %0 : tensor<2x3xf32>
}

// Two operands of unknown sizes, either of which may broadcast.
func.func @add_dynamic(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = graph.add %a, %b : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32> loc("Add_dynamic")
  return %0 : tensor<?x?xf32>
}

// Where with a condition of unknown sizes.
func.func @where(%c: tensor<?x?xi1>, %x: tensor<2x3xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
  %0 = graph.where %c, %x, %y : (tensor<?x?xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32> loc("Where_0")
  return %0 : tensor<2x3xf32>
}

// Expand of an input of unknown size to a target shape given at run time.
func.func @expand(%x: tensor<?x?xf32>, %shape: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = graph.expand %x, %shape : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32> loc("Expand_0")
  return %0 : tensor<?x?xf32>
}

func.func @print(%t: tensor<?x?xf32>) {
  %p = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p) : (tensor<*xf32>) -> ()
  return
}

// CHECK: [0,   11,   22],
// CHECK-NEXT: [3,   14,   25]
// CHECK: no check failed
// CHECK: [10,   11,   12],
// CHECK-NEXT: [20,   21,   22]
// CHECK: no check failed
// CHECK: [10,   11,   12],
// CHECK-NEXT: [20,   21,   22]
// CHECK: no check failed
// CHECK: [0,   1,   -1],
// CHECK-NEXT: [3,   4,   -1]
// CHECK: no check failed
// CHECK: [10,   20,   30],
// CHECK-NEXT: [10,   20,   30]
// CHECK: no check failed
// CHECK: node 'Add_static': Add: dimension 0 of operand 1 is neither 1 nor the result's size (the operands do not broadcast)
// CHECK-NEXT: node 'Add_dynamic': Add: dimension 1 of operand 0 is neither 1 nor the result's size (the operands do not broadcast)
// CHECK-NEXT: node 'Expand_0': Expand: dimension 1 of the input is neither 1 nor the target shape's size (they do not broadcast)
func.func @main() {
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  %x23 = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %row = arith.constant dense<[[0.0, 10.0, 20.0]]> : tensor<1x3xf32>
  %col = arith.constant dense<[[10.0], [20.0]]> : tensor<2x1xf32>
  %x13 = arith.constant dense<[[0.0, 1.0, 2.0]]> : tensor<1x3xf32>
  %row3 = arith.constant dense<[[10.0, 20.0, 30.0]]> : tensor<1x3xf32>
  %x32 = arith.constant dense<1.0> : tensor<3x2xf32>
  %x22 = arith.constant dense<1.0> : tensor<2x2xf32>

  // [2, 3] + [1, 3] (typed ?x?): the row broadcasts.
  %rowd = tensor.cast %row : tensor<1x3xf32> to tensor<?x?xf32>
  %0 = call @add_static_result(%x23, %rowd) : (tensor<2x3xf32>, tensor<?x?xf32>) -> tensor<2x3xf32>
  %r0 = tensor.cast %0 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%r0) : (tensor<?x?xf32>) -> ()
  call @report() : () -> ()

  // [2, 1] + [1, 3], both typed ?x?: both broadcast to [2, 3].
  %cold = tensor.cast %col : tensor<2x1xf32> to tensor<?x?xf32>
  %x13d = tensor.cast %x13 : tensor<1x3xf32> to tensor<?x?xf32>
  %1 = call @add_dynamic(%cold, %x13d) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  call @print(%1) : (tensor<?x?xf32>) -> ()
  call @report() : () -> ()
  // The same with the operands swapped (the first operand broadcasts).
  %2 = call @add_dynamic(%x13d, %cold) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  call @print(%2) : (tensor<?x?xf32>) -> ()
  call @report() : () -> ()

  // Where with a condition [1, 3] (typed ?x?), an else value of rank 0.
  %cond = arith.constant dense<[[true, true, false]]> : tensor<1x3xi1>
  %condd = tensor.cast %cond : tensor<1x3xi1> to tensor<?x?xi1>
  %minus1 = arith.constant dense<-1.0> : tensor<f32>
  %3 = call @where(%condd, %x23, %minus1) : (tensor<?x?xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %r3 = tensor.cast %3 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%r3) : (tensor<?x?xf32>) -> ()
  call @report() : () -> ()

  // Expand of [1, 3] (typed ?x?) to [2, 1]: [2, 3].
  %row3d = tensor.cast %row3 : tensor<1x3xf32> to tensor<?x?xf32>
  %shape21 = arith.constant dense<[2, 1]> : tensor<2xi64>
  %4 = call @expand(%row3d, %shape21) : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  call @print(%4) : (tensor<?x?xf32>) -> ()
  call @report() : () -> ()

  // Mismatches: [2, 3] + [3, 2]; [2, 2] + [1, 3]; Expand of [1, 3] to [1, 2].
  %x32d = tensor.cast %x32 : tensor<3x2xf32> to tensor<?x?xf32>
  %5 = call @add_static_result(%x23, %x32d) : (tensor<2x3xf32>, tensor<?x?xf32>) -> tensor<2x3xf32>
  call @report() : () -> ()
  %x22d = tensor.cast %x22 : tensor<2x2xf32> to tensor<?x?xf32>
  %6 = call @add_dynamic(%x22d, %x13d) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  call @report() : () -> ()
  %shape12 = arith.constant dense<[1, 2]> : tensor<2xi64>
  %7 = call @expand(%row3d, %shape12) : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  call @report() : () -> ()
  call @xf_exec_context_destroy(%context) : (!llvm.ptr) -> ()
  return
}
