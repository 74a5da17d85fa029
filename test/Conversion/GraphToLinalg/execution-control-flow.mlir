// RUN: exaforge-opt %s --convert-graph-control-flow-to-scf --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map allow-return-allocs-from-loops" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs graph.if and graph.loop end to end: both branches of an If, a loop
// stopped by its condition (grown scan output) and one stopped by its trip
// count (preallocated scan output), as ONNX's test_loop11 computes them.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

// Each branch yields a constant of another length.
func.func @choose(%c: tensor<i1>) -> tensor<?xf32> {
  %0 = graph.if %c : tensor<i1> -> (tensor<?xf32>) {
    %a = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
    graph.yield %a : tensor<3xf32>
  } else {
    %b = graph.constant dense<[5.0, 4.0]> : tensor<2xf32>
    graph.yield %b : tensor<2xf32>
  }
  return %0 : tensor<?xf32>
}

// y += x[i] for i < n while y < limit; every y is a scan element.
func.func @accumulate(%n: tensor<i64>, %y0: tensor<1xf32>, %limit: tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  %x = graph.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %true = graph.constant dense<true> : tensor<i1>
  %0:2 = graph.loop max_trip_count %n : tensor<i64> condition %true : tensor<i1>
      iter_args(%y0 : tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %y: tensor<1xf32>):
    %one = graph.constant dense<1> : tensor<i64>
    %end = graph.add %i, %one : (tensor<i64>, tensor<i64>) -> tensor<i64>
    %axes = graph.constant dense<0> : tensor<1xi64>
    %start = graph.unsqueeze %i, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
    %stop = graph.unsqueeze %end, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
    %slice = graph.slice %x, %start, %stop : (tensor<5xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
    %next = graph.add %y, %slice : (tensor<1xf32>, tensor<?xf32>) -> tensor<1xf32>
    %go = graph.less %next, %limit : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xi1>
    %go0 = graph.squeeze %go : (tensor<1xi1>) -> tensor<i1>
    graph.yield %go0, %next, %next : tensor<i1>, tensor<1xf32>, tensor<1xf32>
  }
  return %0#0, %0#1 : tensor<1xf32>, tensor<?x1xf32>
}

func.func @main() {
  %t = arith.constant dense<true> : tensor<i1>
  %f = arith.constant dense<false> : tensor<i1>
  %a = call @choose(%t) : (tensor<i1>) -> tensor<?xf32>
  %pa = tensor.cast %a : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%pa) : (tensor<*xf32>) -> ()
  %b = call @choose(%f) : (tensor<i1>) -> tensor<?xf32>
  %pb = tensor.cast %b : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%pb) : (tensor<*xf32>) -> ()

  %n = arith.constant dense<5> : tensor<i64>
  %y0 = arith.constant dense<[-2.0]> : tensor<1xf32>
  %big = arith.constant dense<[100.0]> : tensor<1xf32>
  %y:2 = call @accumulate(%n, %y0, %big) : (tensor<i64>, tensor<1xf32>, tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>)
  %py = tensor.cast %y#1 : tensor<?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%py) : (tensor<*xf32>) -> ()
  %small = arith.constant dense<[2.0]> : tensor<1xf32>
  %z:2 = call @accumulate(%n, %y0, %small) : (tensor<i64>, tensor<1xf32>, tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>)
  %pz = tensor.cast %z#1 : tensor<?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%pz) : (tensor<*xf32>) -> ()
  return
}

// CHECK: sizes = [3]
// CHECK-NEXT: [1,  2,  3]
// CHECK: sizes = [2]
// CHECK-NEXT: [5,  4]
// CHECK: sizes = [5, 1]
// CHECK-NEXT: [-1],
// CHECK-NEXT: [1],
// CHECK-NEXT: [4],
// CHECK-NEXT: [8],
// CHECK-NEXT: [13]]
// The condition fails once y = 4 (-2 + 1 + 2 + 3): three rows.
// CHECK: sizes = [3, 1]
// CHECK-NEXT: [-1],
// CHECK-NEXT: [1],
// CHECK-NEXT: [4]
