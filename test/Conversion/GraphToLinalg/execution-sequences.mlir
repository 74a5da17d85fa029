// RUN: exaforge-opt %s --convert-graph-sequences-to-tensors --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map allow-return-allocs-from-loops" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the sequence and optional ops end to end: a sequence of tensors of
// different sizes and ranks built, spliced and read back, and an optional.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

func.func @main() {
  %a = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<[[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]> : tensor<2x3xf32>
  %c = arith.constant dense<9.0> : tensor<f32>
  %front = arith.constant dense<0> : tensor<1xi64>
  %last = arith.constant dense<-1> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>

  // [a] -> [b, a] -> [b, a, c] -> erase a -> [b, c]
  %s0 = graph.sequence_construct %a : tensor<2xf32> -> !graph.sequence<tensor<*xf32>>
  %s1 = graph.sequence_insert %s0, %b, %front : !graph.sequence<tensor<*xf32>>,
      tensor<2x3xf32>, tensor<1xi64> -> !graph.sequence<tensor<*xf32>>
  %s2 = graph.sequence_insert %s1, %c : !graph.sequence<tensor<*xf32>>,
      tensor<f32> -> !graph.sequence<tensor<*xf32>>
  %s3 = graph.sequence_erase %s2, %one : !graph.sequence<tensor<*xf32>>,
      tensor<i64> -> !graph.sequence<tensor<*xf32>>
  %n = graph.sequence_length %s3 : !graph.sequence<tensor<*xf32>> -> tensor<i64>
  %pn = tensor.cast %n : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%pn) : (tensor<*xi64>) -> ()

  %s4 = graph.sequence_empty : !graph.sequence<tensor<?x?xf32>>
  %s5 = graph.sequence_insert %s4, %b : !graph.sequence<tensor<?x?xf32>>,
      tensor<2x3xf32> -> !graph.sequence<tensor<?x?xf32>>
  %x = graph.sequence_at %s5, %last : !graph.sequence<tensor<?x?xf32>>,
      tensor<i64> -> tensor<?x?xf32>
  %px = tensor.cast %x : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%px) : (tensor<*xf32>) -> ()

  %o = graph.optional %a : tensor<2xf32> -> !graph.optional<tensor<2xf32>>
  %v = graph.optional_get_element %o : !graph.optional<tensor<2xf32>>
      -> tensor<2xf32>
  %pv = tensor.cast %v : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%pv) : (tensor<*xf32>) -> ()
  return
}

// CHECK: sizes = []
// CHECK-NEXT: [2]
// CHECK: sizes = [2, 3]
// CHECK-NEXT: [3,   4,   5],
// CHECK-NEXT: [6,   7,   8]
// CHECK: sizes = [2]
// CHECK-NEXT: [1,  2]
