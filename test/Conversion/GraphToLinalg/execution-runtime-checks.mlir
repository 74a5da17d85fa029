// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --convert-asserts-to-runtime-calls \
// RUN:   --pass-exec-context --expand-strided-metadata --lower-affine --convert-scf-to-cf \
// RUN:   --finalize-memref-to-llvm --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs,%exaforge_runtime_lib \
// RUN: | FileCheck %s

// Runs the lowerings of layout parameters given at run time with values
// that ONNX rejects, as the exaforge pipeline compiles them: each failed
// check is reported to the runtime (xf_check_failed), the code runs on
// without leaving its buffers, and @report prints the first message of the
// call (xf_checks_take_failure). The node names come from the locations.
// @main creates the execution context the failures go to; the functions it
// calls receive it (pass-exec-context).

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_exec_context_destroy(!llvm.ptr)
func.func private @xf_checks_take_failure() -> !llvm.ptr
func.func private @puts(!llvm.ptr) -> i32
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

func.func @squeeze(%x: tensor<1x3x1x2xf32>, %axes: tensor<1xi64>) -> tensor<?x?x?xf32> {
  %0 = graph.squeeze %x, %axes : (tensor<1x3x1x2xf32>, tensor<1xi64>) -> tensor<?x?x?xf32> loc("Squeeze_0")
  return %0 : tensor<?x?x?xf32>
}

func.func @unsqueeze(%x: tensor<3x2xf32>, %axes: tensor<2xi64>) -> tensor<?x?x?x?xf32> {
  %0 = graph.unsqueeze %x, %axes : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32> loc("Unsqueeze_0")
  return %0 : tensor<?x?x?x?xf32>
}

func.func @split(%x: tensor<2x5xf32>, %split: tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>) {
  %0:2 = graph.split %x, %split {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>) loc("Split_0")
  return %0#0, %0#1 : tensor<2x?xf32>, tensor<2x?xf32>
}

func.func @slice(%x: tensor<5x6xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>, %axes: tensor<1xi64>, %steps: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<5x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32> loc("Slice_0")
  return %0 : tensor<?x?xf32>
}

// A Slice whose result type declares 2 rows.
func.func @slice_declared(%x: tensor<5x6xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>) -> tensor<2x6xf32> {
  %0 = graph.slice %x, %starts, %ends : (tensor<5x6xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x6xf32> loc("Slice_1")
  return %0 : tensor<2x6xf32>
}

func.func @reduce_sum(%x: tensor<2x3xf32>, %axes: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = graph.reduce_sum %x, %axes : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32> loc("ReduceSum_0")
  return %0 : tensor<?x?xf32>
}

func.func @cum_sum(%x: tensor<2x3xf32>, %axis: tensor<i64>) -> tensor<2x3xf32> {
  %0 = graph.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32> loc("CumSum_0")
  return %0 : tensor<2x3xf32>
}

func.func @resize(%x: tensor<1x1x2x2xf32>, %scales: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  %0 = graph.resize %x scales(%scales) : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32> loc("Resize_0")
  return %0 : tensor<?x?x?x?xf32>
}

// CHECK: no check failed
// CHECK-NEXT: node 'Squeeze_0': Squeeze: a dimension listed in 'axes' does not have size 1
// CHECK-NEXT: node 'Unsqueeze_0': Unsqueeze: 'axes' lists a dimension twice
// CHECK-NEXT: node 'Unsqueeze_0': Unsqueeze: an 'axes' entry is outside [-4, 3]
// CHECK-NEXT: node 'Split_0': Split: the 'split' entries do not add up to the size of axis 1
// CHECK-NEXT: node 'Split_0': Split: a 'split' entry is negative
// CHECK-NEXT: node 'Slice_0': Slice: a 'steps' entry is 0
// CHECK-NEXT: node 'Slice_0': Slice: an 'axes' entry is outside [-2, 1]
// CHECK-NEXT: node 'Slice_1': Slice: result dimension 0 differs from its declared size 2
// CHECK-NEXT: node 'ReduceSum_0': ReduceSum: 'axes' lists a dimension twice
// CHECK-NEXT: node 'CumSum_0': CumSum: an 'axis' entry is outside [-2, 1]
// CHECK-NEXT: node 'Resize_0': Resize: the output size of dimension 2 (its size times the scale) is negative, not a number or too large
// CHECK-NEXT: node 'Resize_0': Resize: the output size of dimension 3 (its size times the scale) is negative, not a number or too large
// CHECK-NEXT: no check failed
func.func @main() {
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  %x1312 = arith.constant dense<1.0> : tensor<1x3x1x2xf32>
  %x32 = arith.constant dense<1.0> : tensor<3x2xf32>
  %x25 = arith.constant dense<1.0> : tensor<2x5xf32>
  %x56 = arith.constant dense<1.0> : tensor<5x6xf32>
  %x23 = arith.constant dense<1.0> : tensor<2x3xf32>

  // Valid axes: nothing to report.
  %a2 = arith.constant dense<[2]> : tensor<1xi64>
  %0 = call @squeeze(%x1312, %a2) : (tensor<1x3x1x2xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  call @report() : () -> ()

  // Axis 1 has size 3.
  %a1 = arith.constant dense<[1]> : tensor<1xi64>
  %1 = call @squeeze(%x1312, %a1) : (tensor<1x3x1x2xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  call @report() : () -> ()

  // 0 and -4 both name dimension 0 of the rank-4 result; 4 is out of range.
  %twice = arith.constant dense<[0, -4]> : tensor<2xi64>
  %2 = call @unsqueeze(%x32, %twice) : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  call @report() : () -> ()
  %outside = arith.constant dense<[1, 4]> : tensor<2xi64>
  %3 = call @unsqueeze(%x32, %outside) : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  call @report() : () -> ()

  // [2, 2] does not cover the 5 columns; [-1, 6] adds up but is negative.
  %short = arith.constant dense<[2, 2]> : tensor<2xi64>
  %4:2 = call @split(%x25, %short) : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  call @report() : () -> ()
  %negative = arith.constant dense<[-1, 6]> : tensor<2xi64>
  %5:2 = call @split(%x25, %negative) : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  call @report() : () -> ()

  // Step 0, then axis 2 of a rank-2 tensor.
  %s0 = arith.constant dense<[0]> : tensor<1xi64>
  %e3 = arith.constant dense<[3]> : tensor<1xi64>
  %ax0 = arith.constant dense<[0]> : tensor<1xi64>
  %ax2 = arith.constant dense<[2]> : tensor<1xi64>
  %step0 = arith.constant dense<[0]> : tensor<1xi64>
  %step1 = arith.constant dense<[1]> : tensor<1xi64>
  %6 = call @slice(%x56, %s0, %e3, %ax0, %step0) : (tensor<5x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  call @report() : () -> ()
  %7 = call @slice(%x56, %s0, %e3, %ax2, %step1) : (tensor<5x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  call @report() : () -> ()

  // Rows 0:3 of a slice declared to have 2.
  %8 = call @slice_declared(%x56, %s0, %e3) : (tensor<5x6xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x6xf32>
  call @report() : () -> ()

  // Axes [1, -1] name dimension 1 twice.
  %again = arith.constant dense<[1, -1]> : tensor<2xi64>
  %9 = call @reduce_sum(%x23, %again) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  call @report() : () -> ()

  // Axis 2 of a rank-2 tensor.
  %c2 = arith.constant dense<2> : tensor<i64>
  %10 = call @cum_sum(%x23, %c2) : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  call @report() : () -> ()

  // An infinite scale, then one that is not a number (the fuzzer's inf
  // scale as a run-time value).
  %x1122 = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %inf = arith.constant dense<[1.0, 1.0, 0x7F800000, 1.0]> : tensor<4xf32>
  %11 = call @resize(%x1122, %inf) : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  call @report() : () -> ()
  %nan = arith.constant dense<[1.0, 1.0, 1.0, 0x7FC00000]> : tensor<4xf32>
  %12 = call @resize(%x1122, %nan) : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  call @report() : () -> ()

  // The report cleared the failure.
  call @report() : () -> ()
  call @xf_exec_context_destroy(%context) : (!llvm.ptr) -> ()
  return
}
