// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the lowerings of the ops with data-dependent result sizes (NonZero,
// Compress, Unique, NonMaxSuppression) and checks the printed results and
// their run-time sizes against numpy's and onnxruntime's.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

func.func @non_zero(%x: tensor<2x3xf32>) -> tensor<2x?xi64> {
  %0 = graph.non_zero %x : (tensor<2x3xf32>) -> tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

func.func @compress(%x: tensor<2x3xf32>, %c: tensor<3xi1>, %f: tensor<4xi1>) -> (tensor<2x?xf32>, tensor<?xf32>) {
  %0 = graph.compress %x, %c {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<2x?xf32>
  %1 = graph.compress %x, %f : (tensor<2x3xf32>, tensor<4xi1>) -> tensor<?xf32>
  return %0, %1 : tensor<2x?xf32>, tensor<?xf32>
}

func.func @unique(%x: tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>, tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>) {
  %0:4 = graph.unique %x : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  %1:4 = graph.unique %x {sorted = false} : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  return %0#0, %0#1, %0#2, %0#3, %1#0, %1#1, %1#2, %1#3 : tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>, tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>
}

func.func @unique_axis(%x: tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>) {
  %0:4 = graph.unique %x {axis = 0 : i64} : (tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
  return %0#0, %0#1, %0#2, %0#3 : tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>
}

func.func @nms(%b: tensor<1x6x4xf32>, %s: tensor<1x2x6xf32>, %m: tensor<1xi64>, %iou: tensor<1xf32>, %t: tensor<1xf32>) -> tensor<?x3xi64> {
  %0 = graph.non_max_suppression %b, %s max_output %m iou_threshold %iou score_threshold %t : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

func.func @main() {
  %x = arith.constant dense<[[0.0, 1.5, 0.0], [-2.0, 0.0, 3.0]]> : tensor<2x3xf32>
  %nz = call @non_zero(%x) : (tensor<2x3xf32>) -> tensor<2x?xi64>
  %nz0 = tensor.cast %nz : tensor<2x?xi64> to tensor<*xi64>
  call @printMemrefI64(%nz0) : (tensor<*xi64>) -> ()

  %c = arith.constant dense<[true, false, true]> : tensor<3xi1>
  %f = arith.constant dense<[false, true, true, true]> : tensor<4xi1>
  %ca, %cf = call @compress(%x, %c, %f) : (tensor<2x3xf32>, tensor<3xi1>, tensor<4xi1>) -> (tensor<2x?xf32>, tensor<?xf32>)
  %ca0 = tensor.cast %ca : tensor<2x?xf32> to tensor<*xf32>
  call @printMemrefF32(%ca0) : (tensor<*xf32>) -> ()
  %cf0 = tensor.cast %cf : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%cf0) : (tensor<*xf32>) -> ()

  %u = arith.constant dense<[2.0, 1.0, 1.0, 3.0, 4.0, 3.0]> : tensor<6xf32>
  %u0, %u1, %u2, %u3, %n0, %n1, %n2, %n3 = call @unique(%u) : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>, tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  %pu0 = tensor.cast %u0 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%pu0) : (tensor<*xf32>) -> ()
  %pu1 = tensor.cast %u1 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%pu1) : (tensor<*xi64>) -> ()
  %pu2 = tensor.cast %u2 : tensor<6xi64> to tensor<*xi64>
  call @printMemrefI64(%pu2) : (tensor<*xi64>) -> ()
  %pu3 = tensor.cast %u3 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%pu3) : (tensor<*xi64>) -> ()
  %pn0 = tensor.cast %n0 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%pn0) : (tensor<*xf32>) -> ()
  %pn1 = tensor.cast %n1 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%pn1) : (tensor<*xi64>) -> ()
  %pn2 = tensor.cast %n2 : tensor<6xi64> to tensor<*xi64>
  call @printMemrefI64(%pn2) : (tensor<*xi64>) -> ()
  %pn3 = tensor.cast %n3 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%pn3) : (tensor<*xi64>) -> ()

  %a = arith.constant dense<[[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 2.0, 1.0]]> : tensor<3x3xf32>
  %a0, %a1, %a2, %a3 = call @unique_axis(%a) : (tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
  %pa0 = tensor.cast %a0 : tensor<?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pa0) : (tensor<*xf32>) -> ()
  %pa1 = tensor.cast %a1 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%pa1) : (tensor<*xi64>) -> ()
  %pa2 = tensor.cast %a2 : tensor<3xi64> to tensor<*xi64>
  call @printMemrefI64(%pa2) : (tensor<*xi64>) -> ()
  %pa3 = tensor.cast %a3 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%pa3) : (tensor<*xi64>) -> ()

  %boxes = arith.constant dense<[[[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, -0.1, 1.0, 0.9], [0.0, 10.0, 1.0, 11.0], [0.0, 10.1, 1.0, 11.1], [0.0, 100.0, 1.0, 101.0]]]> : tensor<1x6x4xf32>
  %scores = arith.constant dense<[[[0.9, 0.75, 0.6, 0.95, 0.5, 0.3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]]> : tensor<1x2x6xf32>
  %m = arith.constant dense<2> : tensor<1xi64>
  %iou = arith.constant dense<0.5> : tensor<1xf32>
  %t = arith.constant dense<0.35> : tensor<1xf32>
  %sel = call @nms(%boxes, %scores, %m, %iou, %t) : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  %psel = tensor.cast %sel : tensor<?x3xi64> to tensor<*xi64>
  call @printMemrefI64(%psel) : (tensor<*xi64>) -> ()
  return
}

// non_zero: numpy.nonzero, 3 elements
// CHECK: sizes = [2, 3]
// CHECK: {{\[\[}}0,   1,   1],
// CHECK-NEXT: [1,   0,   2]]
// compress along axis 1 with [true, false, true]:
// CHECK: sizes = [2, 2]
// CHECK: {{\[\[}}0,   0],
// CHECK-NEXT: [-2,   3]]
// compress of the flattened input with a shorter condition:
// CHECK: sizes = [3]
// CHECK: [1.5,  0,  -2]
// unique, sorted: values, indices, inverse_indices, counts
// CHECK: sizes = [4]
// CHECK: [1,  2,  3,  4]
// CHECK: [1,  0,  3,  4]
// CHECK: [1,  0,  0,  2,  3,  2]
// CHECK: [2,  1,  2,  1]
// unique, in order of first occurrence:
// CHECK: [2,  1,  3,  4]
// CHECK: [0,  1,  3,  4]
// CHECK: [0,  1,  1,  2,  3,  2]
// CHECK: [1,  2,  2,  1]
// unique rows (axis 0), sorted lexicographically:
// CHECK: sizes = [2, 3]
// CHECK: {{\[\[}}0,   2,   1],
// CHECK-NEXT: [1,   0,   0]]
// CHECK: [2,  0]
// CHECK: [1,  1,  0]
// CHECK: [1,  2]
// non_max_suppression: two per class, score above 0.35, IoU at most 0.5
// CHECK: sizes = [4, 3]
// CHECK: {{\[\[}}0,   0,   3],
// CHECK-NEXT: [0,   0,   0],
// CHECK-NEXT: [0,   1,   5],
// CHECK-NEXT: [0,   1,   4]]
