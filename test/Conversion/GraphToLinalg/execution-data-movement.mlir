// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the data movement lowerings end to end on small inputs and compares
// the printed results with onnxruntime's (opset 18; inputs are numpy
// aranges). Every value is an exact small integer in f32. The run-time
// Reshape becomes memref.reshape, which only finalize-memref-to-llvm (as in
// the exaforge pipeline) lowers.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

// Shape of a tensor with a dynamic batch.
func.func @shape(%x: tensor<?x12xf32>) -> tensor<2xi64> {
  %0 = graph.shape %x : (tensor<?x12xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// Reshape to a run-time shape [0, -1, 4] (tensor.reshape).
func.func @reshape_runtime(%x: tensor<?x12xf32>, %s: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %0 = graph.reshape %x, %s : (tensor<?x12xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// Flatten at a negative axis, then Unsqueeze and Squeeze back.
func.func @flatten_squeeze(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = graph.flatten %x {axis = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %a = graph.constant dense<[0, -1]> : tensor<2xi64>
  %1 = graph.unsqueeze %0, %a : (tensor<2x12xf32>, tensor<2xi64>) -> tensor<1x2x12x1xf32>
  %2 = graph.squeeze %1 : (tensor<1x2x12x1xf32>) -> tensor<2x12xf32>
  return %2 : tensor<2x12xf32>
}

// Transpose with perm [2, 0, 1].
func.func @transpose(%x: tensor<2x3x2xf32>) -> tensor<2x2x3xf32> {
  %0 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x2xf32>) -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// Concat of a dynamic and a static operand along axis -1.
func.func @concat(%a: tensor<2x?xf32>, %b: tensor<2x3xf32>) -> tensor<2x?xf32> {
  %0 = graph.concat %a, %b {axis = -1 : i64} : (tensor<2x?xf32>, tensor<2x3xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// Split of 7 columns into 3 pieces: 3, 3, 1.
func.func @split(%x: tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>) {
  %0:3 = graph.split %x {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>
}

// Slice rows 1:100:2 and columns -1:-100:-2 (a negative step).
func.func @slice_negative_step(%x: tensor<5x6xf32>) -> tensor<2x3xf32> {
  %starts = graph.constant dense<[1, -1]> : tensor<2xi64>
  %ends = graph.constant dense<[100, -100]> : tensor<2xi64>
  %axes = graph.constant dense<[0, 1]> : tensor<2xi64>
  %steps = graph.constant dense<[2, -2]> : tensor<2xi64>
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<5x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Slice of the last 3 rows of a dynamic dimension (-3:INT64_MAX).
func.func @slice_dynamic(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %starts = graph.constant dense<[-3]> : tensor<1xi64>
  %ends = graph.constant dense<[9223372036854775807]> : tensor<1xi64>
  %0 = graph.slice %x, %starts, %ends : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// Gather of columns [-1, 1].
func.func @gather(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<3x2xf32> {
  %0 = graph.gather %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// Expand of a 3x1 column to [2, 1, 4] given at run time.
func.func @expand(%x: tensor<3x1xf32>, %s: tensor<3xi64>) -> tensor<2x3x?xf32> {
  %0 = graph.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x?xf32>
  return %0 : tensor<2x3x?xf32>
}

// Trilu upper with k = -1 and lower with k = 1, both read at run time, and
// Size of a dynamic tensor.
func.func @trilu_size(%x: tensor<?x4xf32>, %kneg: tensor<i64>, %kpos: tensor<i64>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<i64>) {
  %0 = graph.trilu %x, %kneg : (tensor<?x4xf32>, tensor<i64>) -> tensor<?x4xf32>
  %1 = graph.trilu %x, %kpos {upper = false} : (tensor<?x4xf32>, tensor<i64>) -> tensor<?x4xf32>
  %2 = graph.size %x : (tensor<?x4xf32>) -> tensor<i64>
  return %0, %1, %2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<i64>
}

// shape, batch 2:
// CHECK: [2,  12]
// reshape_runtime:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 4]
// CHECK-NEXT: {{\[\[\[}}0,   1,   2,   3],
// CHECK-NEXT: [4,   5,   6,   7],
// CHECK-NEXT: [8,   9,   10,   11]],
// CHECK-NEXT: {{\[\[}}12,   13,   14,   15],
// CHECK-NEXT: [16,   17,   18,   19],
// CHECK-NEXT: [20,   21,   22,   23]]]
// flatten_squeeze:
// CHECK: rank = 2 offset = 0 sizes = [2, 12]
// CHECK-NEXT: {{\[\[}}0,   1,   2,   3,   4,   5,   6,   7,   8,   9,   10,   11],
// CHECK-NEXT: [12,   13,   14,   15,   16,   17,   18,   19,   20,   21,   22,   23]]
// transpose:
// CHECK: {{\[\[\[}}0,   2,   4],
// CHECK-NEXT: [6,   8,   10]],
// CHECK-NEXT: {{\[\[}}1,   3,   5],
// CHECK-NEXT: [7,   9,   11]]]
// concat:
// CHECK: {{\[\[}}1,   2,   5,   6,   7],
// CHECK-NEXT: [3,   4,   8,   9,   10]]
// split:
// CHECK: {{\[\[}}0,   1,   2],
// CHECK-NEXT: [7,   8,   9]]
// CHECK: {{\[\[}}3,   4,   5],
// CHECK-NEXT: [10,   11,   12]]
// CHECK: {{\[\[}}6],
// CHECK-NEXT: [13]]
// slice_negative_step:
// CHECK: {{\[\[}}11,   9,   7],
// CHECK-NEXT: [23,   21,   19]]
// slice_dynamic, 4 rows:
// CHECK: rank = 2 offset = 0 sizes = [3, 6]
// CHECK-NEXT: {{\[\[}}6,   7,   8,   9,   10,   11],
// CHECK-NEXT: [12,   13,   14,   15,   16,   17],
// CHECK-NEXT: [18,   19,   20,   21,   22,   23]]
// gather:
// CHECK: {{\[\[}}3,   1],
// CHECK-NEXT: [7,   5],
// CHECK-NEXT: [11,   9]]
// expand:
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 4]
// CHECK-NEXT: {{\[\[\[}}1,   1,   1,   1],
// CHECK-NEXT: [2,   2,   2,   2],
// CHECK-NEXT: [3,   3,   3,   3]],
// CHECK-NEXT: {{\[\[}}1,   1,   1,   1],
// CHECK-NEXT: [2,   2,   2,   2],
// CHECK-NEXT: [3,   3,   3,   3]]]
// trilu upper, k = -1:
// CHECK: {{\[\[}}1,   2,   3,   4],
// CHECK-NEXT: [5,   6,   7,   8],
// CHECK-NEXT: [0,   10,   11,   12]]
// trilu lower, k = 1:
// CHECK: {{\[\[}}1,   2,   0,   0],
// CHECK-NEXT: [5,   6,   7,   0],
// CHECK-NEXT: [9,   10,   11,   12]]
// size:
// CHECK: rank = 0
// CHECK-NEXT: [12]
func.func @main() {
  %r = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
                             [12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0]]> : tensor<2x12xf32>
  %rd = tensor.cast %r : tensor<2x12xf32> to tensor<?x12xf32>
  %sh = call @shape(%rd) : (tensor<?x12xf32>) -> tensor<2xi64>
  %p0 = tensor.cast %sh : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%p0) : (tensor<*xi64>) -> ()

  %rs = arith.constant dense<[0, -1, 4]> : tensor<3xi64>
  %re = call @reshape_runtime(%rd, %rs) : (tensor<?x12xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %p1 = tensor.cast %re : tensor<?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()

  %f = tensor.expand_shape %r [[0], [1, 2]] output_shape [2, 3, 4] : tensor<2x12xf32> into tensor<2x3x4xf32>
  %fs = call @flatten_squeeze(%f) : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %p2 = tensor.cast %fs : tensor<2x12xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()

  %t = arith.constant dense<[[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [[6.0, 7.0], [8.0, 9.0], [10.0, 11.0]]]> : tensor<2x3x2xf32>
  %tr = call @transpose(%t) : (tensor<2x3x2xf32>) -> tensor<2x2x3xf32>
  %p3 = tensor.cast %tr : tensor<2x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()

  %ca = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %cad = tensor.cast %ca : tensor<2x2xf32> to tensor<2x?xf32>
  %cb = arith.constant dense<[[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]]> : tensor<2x3xf32>
  %c = call @concat(%cad, %cb) : (tensor<2x?xf32>, tensor<2x3xf32>) -> tensor<2x?xf32>
  %p4 = tensor.cast %c : tensor<2x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()

  %sx = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0]]> : tensor<2x7xf32>
  %s:3 = call @split(%sx) : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>)
  %p5 = tensor.cast %s#0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()
  %p6 = tensor.cast %s#1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p6) : (tensor<*xf32>) -> ()
  %p7 = tensor.cast %s#2 : tensor<2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%p7) : (tensor<*xf32>) -> ()

  %x = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
                             [12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [18.0, 19.0, 20.0, 21.0, 22.0, 23.0],
                             [24.0, 25.0, 26.0, 27.0, 28.0, 29.0]]> : tensor<5x6xf32>
  %sl = call @slice_negative_step(%x) : (tensor<5x6xf32>) -> tensor<2x3xf32>
  %p8 = tensor.cast %sl : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p8) : (tensor<*xf32>) -> ()

  %x4 = tensor.extract_slice %x[0, 0] [4, 6] [1, 1] : tensor<5x6xf32> to tensor<4x6xf32>
  %x4d = tensor.cast %x4 : tensor<4x6xf32> to tensor<?x6xf32>
  %sd = call @slice_dynamic(%x4d) : (tensor<?x6xf32>) -> tensor<?x6xf32>
  %p9 = tensor.cast %sd : tensor<?x6xf32> to tensor<*xf32>
  call @printMemrefF32(%p9) : (tensor<*xf32>) -> ()

  %g = tensor.extract_slice %r[0, 0] [1, 12] [1, 1] : tensor<2x12xf32> to tensor<12xf32>
  %g34 = tensor.expand_shape %g [[0, 1]] output_shape [3, 4] : tensor<12xf32> into tensor<3x4xf32>
  %gi = arith.constant dense<[-1, 1]> : tensor<2xi64>
  %ga = call @gather(%g34, %gi) : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %p10 = tensor.cast %ga : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p10) : (tensor<*xf32>) -> ()

  %ex = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %es = arith.constant dense<[2, 1, 4]> : tensor<3xi64>
  %e = call @expand(%ex, %es) : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x?xf32>
  %p11 = tensor.cast %e : tensor<2x3x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p11) : (tensor<*xf32>) -> ()

  %t1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %td = tensor.cast %t1 : tensor<3x4xf32> to tensor<?x4xf32>
  %kneg = arith.constant dense<-1> : tensor<i64>
  %kpos = arith.constant dense<1> : tensor<i64>
  %tl:3 = call @trilu_size(%td, %kneg, %kpos) : (tensor<?x4xf32>, tensor<i64>, tensor<i64>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<i64>)
  %p12 = tensor.cast %tl#0 : tensor<?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p12) : (tensor<*xf32>) -> ()
  %p13 = tensor.cast %tl#1 : tensor<?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p13) : (tensor<*xf32>) -> ()
  %p14 = tensor.cast %tl#2 : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%p14) : (tensor<*xi64>) -> ()
  return
}
