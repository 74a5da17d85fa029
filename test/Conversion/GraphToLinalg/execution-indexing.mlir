// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --convert-asserts-to-runtime-calls \
// RUN:   --pass-exec-context --expand-strided-metadata --lower-affine --convert-scf-to-cf \
// RUN:   --finalize-memref-to-llvm --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs,%exaforge_runtime_lib \
// RUN: | FileCheck %s

// Runs the indexing lowerings (IndexingToLinalg.cpp) as the exaforge
// pipeline compiles them, on cases the ONNX node tests leave out (scatter
// reductions max and min with repeated indices, ties in TopK, integer TopK,
// Einsum broadcasting `...`, a singular Det), and with indices ONNX
// rejects: each failed check is reported to the runtime with the node's
// name, the code runs on inside its buffers, and @report prints the first
// message (xf_checks_take_failure). Expected values are onnxruntime's.

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_exec_context_destroy(!llvm.ptr)
func.func private @xf_checks_take_failure() -> !llvm.ptr
func.func private @puts(!llvm.ptr) -> i32
func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}
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

func.func @print(%x: tensor<?x?xf32>) {
  %u = tensor.cast %x : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @print_i64(%x: tensor<?x?xi64>) {
  %u = tensor.cast %x : tensor<?x?xi64> to tensor<*xi64>
  call @printMemrefI64(%u) : (tensor<*xi64>) -> ()
  return
}

func.func @gather_nd(%x: tensor<2x3xf32>, %i: tensor<2x1xi64>) -> tensor<2x3xf32> {
  %0 = graph.gather_nd %x, %i : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32> loc("GatherND_0")
  return %0 : tensor<2x3xf32>
}

func.func @scatter_nd_max(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>, %u: tensor<2xf32>) -> tensor<2x3xf32> {
  %0 = graph.scatter_nd %x, %i, %u {reduction = "max"} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2xf32>) -> tensor<2x3xf32> loc("ScatterND_0")
  return %0 : tensor<2x3xf32>
}

func.func @scatter_elements_min(%x: tensor<2x3xf32>, %i: tensor<2x2xi32>, %u: tensor<2x2xf32>) -> tensor<2x3xf32> {
  %0 = graph.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "min"} : (tensor<2x3xf32>, tensor<2x2xi32>, tensor<2x2xf32>) -> tensor<2x3xf32> loc("ScatterElements_0")
  return %0 : tensor<2x3xf32>
}

func.func @top_k(%x: tensor<2x4xi64>, %k: tensor<1xi64>) -> (tensor<2x?xi64>, tensor<2x?xi64>) {
  %0:2 = graph.top_k %x, %k : (tensor<2x4xi64>, tensor<1xi64>) -> (tensor<2x?xi64>, tensor<2x?xi64>) loc("TopK_0")
  return %0#0, %0#1 : tensor<2x?xi64>, tensor<2x?xi64>
}

func.func @reverse_sequence(%x: tensor<2x3xf32>, %l: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = graph.reverse_sequence %x, %l {batch_axis = 0 : i64, time_axis = 1 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32> loc("ReverseSequence_0")
  return %0 : tensor<2x3xf32>
}

func.func @einsum(%a: tensor<1x2x3xf32>, %b: tensor<2x3x1xf32>) -> tensor<2x2x1xf32> {
  %0 = graph.einsum %a, %b {equation = "...ij,...jk->...ik"} : (tensor<1x2x3xf32>, tensor<2x3x1xf32>) -> tensor<2x2x1xf32>
  return %0 : tensor<2x2x1xf32>
}

func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = graph.det %x : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK: no check failed
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[}}3,   4,   5],
// CHECK-NEXT: [0,   1,   2]]
// CHECK-NEXT: node 'GatherND_0': GatherND: an index is outside [-2, 1]
// CHECK-NEXT: no check failed
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[}}0,   7,   2],
// CHECK-NEXT: [3,   4,   5]]
// CHECK-NEXT: node 'ScatterND_0': ScatterND: an index is outside the dimension it indexes (entry 0 in [-2, 1], entry 1 in [-3, 2])
// CHECK-NEXT: no check failed
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[}}0,   1,   -3],
// CHECK-NEXT: [3,   4,   5]]
// CHECK-NEXT: node 'ScatterElements_0': ScatterElements: an index is outside [-3, 2]
// CHECK-NEXT: no check failed
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[}}7, 7, 5],
// CHECK-NEXT: [-1, -1, -2]]
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[}}1, 3, 0],
// CHECK-NEXT: [1, 3, 2]]
// CHECK-NEXT: node 'TopK_0': TopK: 'k' is outside [0, the size of the axis]
// CHECK-NEXT: no check failed
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[}}1,   0,   2],
// CHECK-NEXT: [5,   4,   3]]
// CHECK-NEXT: node 'ReverseSequence_0': ReverseSequence: a sequence length is outside [0, the size of the time axis]
// CHECK-NEXT: data =
// CHECK-NEXT: {{\[\[\[}}5],
// CHECK-NEXT: [14]],
// CHECK-NEXT: {{\[\[}}3],
// CHECK-NEXT: [12]]]
// CHECK-NEXT: data =
// CHECK-NEXT: [-3,  {{-?}}0]
// CHECK-NEXT: no check failed
func.func @main() {
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  %x = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>

  // Rows 1 and -2 (= 0), then row 2 of 2.
  %rows = arith.constant dense<[[1], [-2]]> : tensor<2x1xi64>
  %0 = call @gather_nd(%x, %rows) : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  call @report() : () -> ()
  %c0 = tensor.cast %0 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%c0) : (tensor<?x?xf32>) -> ()
  %outside = arith.constant dense<[[2], [0]]> : tensor<2x1xi64>
  %1 = call @gather_nd(%x, %outside) : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  call @report() : () -> ()

  // Element (0, 1) twice: max(1, 6, 7) = 7; then row 2.
  %pairs = arith.constant dense<[[0, 1], [0, -2]]> : tensor<2x2xi64>
  %updates = arith.constant dense<[6.0, 7.0]> : tensor<2xf32>
  %2 = call @scatter_nd_max(%x, %pairs, %updates) : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2xf32>) -> tensor<2x3xf32>
  call @report() : () -> ()
  %c2 = tensor.cast %2 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%c2) : (tensor<?x?xf32>) -> ()
  %bad_pairs = arith.constant dense<[[0, 1], [2, 0]]> : tensor<2x2xi64>
  %3 = call @scatter_nd_max(%x, %bad_pairs, %updates) : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2xf32>) -> tensor<2x3xf32>
  call @report() : () -> ()

  // Column 2 of row 0 twice: min(2, -1, -3) = -3; row 1 unchanged
  // (min(5, 9), min(3, 8)). Then column 3 of 3.
  %columns = arith.constant dense<[[2, -1], [2, 0]]> : tensor<2x2xi32>
  %values = arith.constant dense<[[-1.0, -3.0], [9.0, 8.0]]> : tensor<2x2xf32>
  %4 = call @scatter_elements_min(%x, %columns, %values) : (tensor<2x3xf32>, tensor<2x2xi32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  call @report() : () -> ()
  %c4 = tensor.cast %4 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%c4) : (tensor<?x?xf32>) -> ()
  %bad_columns = arith.constant dense<[[3, 0], [0, 0]]> : tensor<2x2xi32>
  %5 = call @scatter_elements_min(%x, %bad_columns, %values) : (tensor<2x3xf32>, tensor<2x2xi32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  call @report() : () -> ()

  // The 3 largest with ties (the lower index first), then k = 5 of 4.
  %ints = arith.constant dense<[[5, 7, -2, 7], [-3, -1, -2, -1]]> : tensor<2x4xi64>
  %k3 = arith.constant dense<3> : tensor<1xi64>
  %6:2 = call @top_k(%ints, %k3) : (tensor<2x4xi64>, tensor<1xi64>) -> (tensor<2x?xi64>, tensor<2x?xi64>)
  call @report() : () -> ()
  %c6 = tensor.cast %6#0 : tensor<2x?xi64> to tensor<?x?xi64>
  call @print_i64(%c6) : (tensor<?x?xi64>) -> ()
  %c7 = tensor.cast %6#1 : tensor<2x?xi64> to tensor<?x?xi64>
  call @print_i64(%c7) : (tensor<?x?xi64>) -> ()
  %k5 = arith.constant dense<5> : tensor<1xi64>
  %7:2 = call @top_k(%ints, %k5) : (tensor<2x4xi64>, tensor<1xi64>) -> (tensor<2x?xi64>, tensor<2x?xi64>)
  call @report() : () -> ()

  // Lengths 2 and 3, then 4 of 3.
  %lengths = arith.constant dense<[2, 3]> : tensor<2xi64>
  %8 = call @reverse_sequence(%x, %lengths) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  call @report() : () -> ()
  %c8 = tensor.cast %8 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%c8) : (tensor<?x?xf32>) -> ()
  %too_long = arith.constant dense<[4, 0]> : tensor<2xi64>
  %9 = call @reverse_sequence(%x, %too_long) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  call @report() : () -> ()

  // One 2x3 matrix times two 3x1 matrices (`...` of size 1 broadcast).
  %a = arith.constant dense<[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]]> : tensor<1x2x3xf32>
  %b = arith.constant dense<[[[0.0], [1.0], [2.0]], [[1.0], [1.0], [1.0]]]> : tensor<2x3x1xf32>
  %10 = call @einsum(%a, %b) : (tensor<1x2x3xf32>, tensor<2x3x1xf32>) -> tensor<2x2x1xf32>
  %c10 = tensor.cast %10 : tensor<2x2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%c10) : (tensor<*xf32>) -> ()

  // A matrix that needs a row swap (det -3), and a singular one.
  %m = arith.constant dense<[[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 3.0]],
                             [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]]> : tensor<2x3x3xf32>
  %11 = call @det(%m) : (tensor<2x3x3xf32>) -> tensor<2xf32>
  %c11 = tensor.cast %11 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%c11) : (tensor<*xf32>) -> ()

  // The report cleared the failure.
  call @report() : () -> ()
  call @xf_exec_context_destroy(%context) : (!llvm.ptr) -> ()
  return
}
