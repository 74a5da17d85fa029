// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the index-computing data movement lowerings (GatherElements, Tile,
// Pad, DepthToSpace, SpaceToDepth, Range) on small inputs and compares the
// printed results with onnxruntime's (opset 18; inputs are numpy aranges).
// Repeats, pads and range bounds are read at run time.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefI64(tensor<*xi64>) attributes {llvm.emit_c_interface}

func.func @gather_elements(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = graph.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

func.func @tile(%x: tensor<2x3xf32>, %r: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = graph.tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

func.func @pad(%x: tensor<3x4xf32>, %p: tensor<4xi64>, %v: tensor<f32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = graph.pad %x, %p value %v : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>) -> tensor<?x?xf32>
  %1 = graph.pad %x, %p {mode = "reflect"} : (tensor<3x4xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  %2 = graph.pad %x, %p {mode = "edge"} : (tensor<3x4xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

func.func @blocks(%d: tensor<1x8x1x2xf32>, %s: tensor<1x1x4x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x4x2x2xf32>) {
  %0 = graph.depth_to_space %d {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x1x2xf32>) -> tensor<1x2x2x4xf32>
  %1 = graph.depth_to_space %d {blocksize = 2 : i64} : (tensor<1x8x1x2xf32>) -> tensor<1x2x2x4xf32>
  %2 = graph.space_to_depth %s {blocksize = 2 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x4x2x2xf32>
  return %0, %1, %2 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x4x2x2xf32>
}

func.func @range(%a: tensor<i64>, %b: tensor<i64>, %c: tensor<i64>, %fa: tensor<f32>, %fb: tensor<f32>, %fc: tensor<f32>) -> (tensor<?xi64>, tensor<?xf32>) {
  %0 = graph.range %a, %b, %c : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %1 = graph.range %fa, %fb, %fc : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0, %1 : tensor<?xi64>, tensor<?xf32>
}

// gather_elements, axis 1, indices [[0, -1], [2, 1], [-4, 3]]:
// CHECK: {{\[\[}}0,   3],
// CHECK-NEXT: [6,   5],
// CHECK-NEXT: [8,   11]]
// tile [2, 2]:
// CHECK: sizes = [4, 6]
// CHECK-NEXT: {{\[\[}}0,   1,   2,   0,   1,   2],
// CHECK-NEXT: [4,   5,   6,   4,   5,   6],
// CHECK-NEXT: [0,   1,   2,   0,   1,   2],
// CHECK-NEXT: [4,   5,   6,   4,   5,   6]]
// pad constant -1, pads [1, 2, 2, 1]:
// CHECK: sizes = [6, 7]
// CHECK-NEXT: {{\[\[}}-1,   -1,   -1,   -1,   -1,   -1,   -1],
// CHECK-NEXT: [-1,   -1,   0,   1,   2,   3,   -1],
// CHECK-NEXT: [-1,   -1,   4,   5,   6,   7,   -1],
// CHECK-NEXT: [-1,   -1,   8,   9,   10,   11,   -1],
// CHECK-NEXT: [-1,   -1,   -1,   -1,   -1,   -1,   -1],
// CHECK-NEXT: [-1,   -1,   -1,   -1,   -1,   -1,   -1]]
// pad reflect:
// CHECK: {{\[\[}}6,   5,   4,   5,   6,   7,   6],
// CHECK-NEXT: [2,   1,   0,   1,   2,   3,   2],
// CHECK-NEXT: [6,   5,   4,   5,   6,   7,   6],
// CHECK-NEXT: [10,   9,   8,   9,   10,   11,   10],
// CHECK-NEXT: [6,   5,   4,   5,   6,   7,   6],
// CHECK-NEXT: [2,   1,   0,   1,   2,   3,   2]]
// pad edge:
// CHECK: {{\[\[}}0,   0,   0,   1,   2,   3,   3],
// CHECK-NEXT: [0,   0,   0,   1,   2,   3,   3],
// CHECK-NEXT: [4,   4,   4,   5,   6,   7,   7],
// CHECK-NEXT: [8,   8,   8,   9,   10,   11,   11],
// CHECK-NEXT: [8,   8,   8,   9,   10,   11,   11],
// CHECK-NEXT: [8,   8,   8,   9,   10,   11,   11]]
// depth_to_space CRD (as 4x4):
// CHECK: {{\[\[}}0,   2,   1,   3],
// CHECK-NEXT: [4,   6,   5,   7],
// CHECK-NEXT: [8,   10,   9,   11],
// CHECK-NEXT: [12,   14,   13,   15]]
// depth_to_space DCR:
// CHECK: {{\[\[}}0,   4,   1,   5],
// CHECK-NEXT: [8,   12,   9,   13],
// CHECK-NEXT: [2,   6,   3,   7],
// CHECK-NEXT: [10,   14,   11,   15]]
// space_to_depth:
// CHECK: {{\[\[}}0,   2,   8,   10],
// CHECK-NEXT: [1,   3,   9,   11],
// CHECK-NEXT: [4,   6,   12,   14],
// CHECK-NEXT: [5,   7,   13,   15]]
// range 10, 1, -4:
// CHECK: [10,  6,  2]
// range 1.0, 3.0, 0.5:
// CHECK: [1,  1.5,  2,  2.5]
func.func @main() {
  %x = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]> : tensor<3x4xf32>
  %i = arith.constant dense<[[0, -1], [2, 1], [-4, 3]]> : tensor<3x2xi64>
  %g = call @gather_elements(%x, %i) : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  %g0 = tensor.cast %g : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%g0) : (tensor<*xf32>) -> ()

  %t = arith.constant dense<[[0.0, 1.0, 2.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %r = arith.constant dense<[2, 2]> : tensor<2xi64>
  %tt = call @tile(%t, %r) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %t0 = tensor.cast %tt : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%t0) : (tensor<*xf32>) -> ()

  %p = arith.constant dense<[1, 2, 2, 1]> : tensor<4xi64>
  %v = arith.constant dense<-1.0> : tensor<f32>
  %p0, %p1, %p2 = call @pad(%x, %p, %v) : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>)
  %q0 = tensor.cast %p0 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%q0) : (tensor<*xf32>) -> ()
  %q1 = tensor.cast %p1 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%q1) : (tensor<*xf32>) -> ()
  %q2 = tensor.cast %p2 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%q2) : (tensor<*xf32>) -> ()

  %d = arith.constant dense<[[[[0.0, 1.0]], [[2.0, 3.0]], [[4.0, 5.0]], [[6.0, 7.0]], [[8.0, 9.0]], [[10.0, 11.0]], [[12.0, 13.0]], [[14.0, 15.0]]]]> : tensor<1x8x1x2xf32>
  %x16 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0]]> : tensor<4x4xf32>
  %s = tensor.expand_shape %x16 [[0, 1, 2], [3]] output_shape [1, 1, 4, 4] : tensor<4x4xf32> into tensor<1x1x4x4xf32>
  %b0, %b1, %b2 = call @blocks(%d, %s) : (tensor<1x8x1x2xf32>, tensor<1x1x4x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x4x2x2xf32>)
  %c0 = tensor.collapse_shape %b0 [[0, 1, 2], [3]] : tensor<1x2x2x4xf32> into tensor<4x4xf32>
  %e0 = tensor.cast %c0 : tensor<4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%e0) : (tensor<*xf32>) -> ()
  %c1 = tensor.collapse_shape %b1 [[0, 1, 2], [3]] : tensor<1x2x2x4xf32> into tensor<4x4xf32>
  %e1 = tensor.cast %c1 : tensor<4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%e1) : (tensor<*xf32>) -> ()
  %c2 = tensor.collapse_shape %b2 [[0, 1], [2, 3]] : tensor<1x4x2x2xf32> into tensor<4x4xf32>
  %e2 = tensor.cast %c2 : tensor<4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%e2) : (tensor<*xf32>) -> ()

  %a = arith.constant dense<10> : tensor<i64>
  %l = arith.constant dense<1> : tensor<i64>
  %dl = arith.constant dense<-4> : tensor<i64>
  %fa = arith.constant dense<1.0> : tensor<f32>
  %fl = arith.constant dense<3.0> : tensor<f32>
  %fd = arith.constant dense<0.5> : tensor<f32>
  %ri, %rf = call @range(%a, %l, %dl, %fa, %fl, %fd) : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>, tensor<f32>) -> (tensor<?xi64>, tensor<?xf32>)
  %ri0 = tensor.cast %ri : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%ri0) : (tensor<*xi64>) -> ()
  %rf0 = tensor.cast %rf : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%rf0) : (tensor<*xf32>) -> ()
  return
}
