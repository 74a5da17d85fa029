// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --finalize-memref-to-llvm --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the lowerings of layout parameters given at run time (function
// arguments, as graph inputs are) on small inputs and compares the printed
// results with onnxruntime's (opset 18; inputs are numpy aranges). Every
// run-time check passes here (a failed one would abort); see
// execution-runtime-checks.mlir for the failing ones.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

// Slice of a 5x6 tensor: axes [1, 0], starts [-1, 1], ends [-100, 5],
// steps [-2, 2] (a copy reading start + i * step).
func.func @slice_steps(%x: tensor<5x6xf32>, %starts: tensor<2xi64>, %ends: tensor<2xi64>, %axes: tensor<2xi64>, %steps: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<5x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// Slice of columns 1:-1 (axes [-1]) of a tensor with a dynamic batch, without
// steps (a view).
func.func @slice_view(%x: tensor<?x6xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = graph.slice %x, %starts, %ends axes %axes : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// Squeeze of axes [-2] from 1x3x1x2.
func.func @squeeze(%x: tensor<1x3x1x2xf32>, %axes: tensor<1xi64>) -> tensor<?x?x?xf32> {
  %0 = graph.squeeze %x, %axes : (tensor<1x3x1x2xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// Unsqueeze of 3x2 at axes [3, 0] (unsorted).
func.func @unsqueeze(%x: tensor<3x2xf32>, %axes: tensor<2xi64>) -> tensor<?x?x?x?xf32> {
  %0 = graph.unsqueeze %x, %axes : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// Split of 2x5 along axis 1 into [1, 4].
func.func @split(%x: tensor<2x5xf32>, %split: tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>) {
  %0:2 = graph.split %x, %split {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  return %0#0, %0#1 : tensor<2x?xf32>, tensor<2x?xf32>
}

// Pad of 2x3 with 9 at axes [-1], pads [1, 2].
func.func @pad(%x: tensor<2x3xf32>, %pads: tensor<2xi64>, %v: tensor<f32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = graph.pad %x, %pads value %v axes %axes : (tensor<2x3xf32>, tensor<2xi64>, tensor<f32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// Reductions of 2x3x4: ReduceSum over axes [2, 0] (keepdims), ReduceMax over
// [-1, 0] and ReduceMean over [1] (both without keepdims).
func.func @reductions(%x: tensor<2x3x4xf32>, %sumAxes: tensor<2xi64>, %maxAxes: tensor<2xi64>, %meanAxes: tensor<1xi64>) -> (tensor<?x?x?xf32>, tensor<?xf32>, tensor<?x?xf32>) {
  %0 = graph.reduce_sum %x, %sumAxes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?x?xf32>
  %1 = graph.reduce_max %x, %maxAxes {keepdims = false} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?xf32>
  %2 = graph.reduce_mean %x, %meanAxes {keepdims = false} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?x?xf32>, tensor<?xf32>, tensor<?x?xf32>
}

// CumSum of 2x3 along axis -1 (an i32 scalar), and along axis 0 exclusive
// and reversed.
func.func @cum_sum(%x: tensor<2x3xf32>, %a: tensor<i32>, %b: tensor<i64>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = graph.cum_sum %x, %a : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  %1 = graph.cum_sum %x, %b {exclusive = true, reverse = true} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// slice_steps:
// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}11,   9,   7],
// CHECK-NEXT: [23,   21,   19]]
// slice_view, 4 rows:
// CHECK: rank = 2 offset = 0 sizes = [4, 4]
// CHECK-NEXT: {{\[\[}}1,   2,   3,   4],
// CHECK-NEXT: [7,   8,   9,   10],
// CHECK-NEXT: [13,   14,   15,   16],
// CHECK-NEXT: [19,   20,   21,   22]]
// squeeze:
// CHECK: rank = 3 offset = 0 sizes = [1, 3, 2]
// CHECK-NEXT: {{\[\[\[}}0,   1],
// CHECK-NEXT: [2,   3],
// CHECK-NEXT: [4,   5]]]
// unsqueeze:
// CHECK: rank = 4 offset = 0 sizes = [1, 3, 2, 1]
// CHECK-NEXT: {{\[\[\[\[}}0],
// CHECK-NEXT: [1]],
// CHECK-NEXT: {{\[\[}}2],
// CHECK-NEXT: [3]],
// CHECK-NEXT: {{\[\[}}4],
// CHECK-NEXT: [5]]]]
// split:
// CHECK: rank = 2 offset = 0 sizes = [2, 1]
// CHECK-NEXT: {{\[\[}}0],
// CHECK-NEXT: [5]]
// CHECK: rank = 2 offset = 0 sizes = [2, 4]
// CHECK-NEXT: {{\[\[}}1,   2,   3,   4],
// CHECK-NEXT: [6,   7,   8,   9]]
// pad:
// CHECK: rank = 2 offset = 0 sizes = [2, 6]
// CHECK-NEXT: {{\[\[}}9,   1,   2,   3,   9,   9],
// CHECK-NEXT: [9,   4,   5,   6,   9,   9]]
// reduce_sum:
// CHECK: rank = 3 offset = 0 sizes = [1, 3, 1]
// CHECK-NEXT: {{\[\[\[}}60],
// CHECK-NEXT: [92],
// CHECK-NEXT: [124]]]
// reduce_max:
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [15,  19,  23]
// reduce_mean:
// CHECK: rank = 2 offset = 0 sizes = [2, 4]
// CHECK-NEXT: {{\[\[}}4,   5,   6,   7],
// CHECK-NEXT: [16,   17,   18,   19]]
// cum_sum:
// CHECK: {{\[\[}}1,   3,   6],
// CHECK-NEXT: [4,   9,   15]]
// CHECK: {{\[\[}}4,   5,   6],
// CHECK-NEXT: [0,   0,   0]]
func.func @main() {
  %x56 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
                               [12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [18.0, 19.0, 20.0, 21.0, 22.0, 23.0],
                               [24.0, 25.0, 26.0, 27.0, 28.0, 29.0]]> : tensor<5x6xf32>
  %starts = arith.constant dense<[-1, 1]> : tensor<2xi64>
  %ends = arith.constant dense<[-100, 5]> : tensor<2xi64>
  %axes = arith.constant dense<[1, 0]> : tensor<2xi64>
  %steps = arith.constant dense<[-2, 2]> : tensor<2xi64>
  %s0 = call @slice_steps(%x56, %starts, %ends, %axes, %steps) : (tensor<5x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  %p0 = tensor.cast %s0 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()

  %x46 = tensor.extract_slice %x56[0, 0] [4, 6] [1, 1] : tensor<5x6xf32> to tensor<4x6xf32>
  %x46d = tensor.cast %x46 : tensor<4x6xf32> to tensor<?x6xf32>
  %vstarts = arith.constant dense<[1]> : tensor<1xi64>
  %vends = arith.constant dense<[-1]> : tensor<1xi64>
  %vaxes = arith.constant dense<[-1]> : tensor<1xi64>
  %s1 = call @slice_view(%x46d, %vstarts, %vends, %vaxes) : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  %p1 = tensor.cast %s1 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()

  %x1312 = arith.constant dense<[[[[0.0, 1.0]], [[2.0, 3.0]], [[4.0, 5.0]]]]> : tensor<1x3x1x2xf32>
  %sqaxes = arith.constant dense<[-2]> : tensor<1xi64>
  %sq = call @squeeze(%x1312, %sqaxes) : (tensor<1x3x1x2xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  %p2 = tensor.cast %sq : tensor<?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()

  %x32 = arith.constant dense<[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]> : tensor<3x2xf32>
  %unaxes = arith.constant dense<[3, 0]> : tensor<2xi64>
  %un = call @unsqueeze(%x32, %unaxes) : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  %p3 = tensor.cast %un : tensor<?x?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()

  %x25 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0, 9.0]]> : tensor<2x5xf32>
  %sizes = arith.constant dense<[1, 4]> : tensor<2xi64>
  %sp:2 = call @split(%x25, %sizes) : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  %p4 = tensor.cast %sp#0 : tensor<2x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()
  %p5 = tensor.cast %sp#1 : tensor<2x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()

  %x23 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %pads = arith.constant dense<[1, 2]> : tensor<2xi64>
  %nine = arith.constant dense<9.0> : tensor<f32>
  %padaxes = arith.constant dense<[-1]> : tensor<1xi64>
  %pd = call @pad(%x23, %pads, %nine, %padaxes) : (tensor<2x3xf32>, tensor<2xi64>, tensor<f32>, tensor<1xi64>) -> tensor<?x?xf32>
  %p6 = tensor.cast %pd : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p6) : (tensor<*xf32>) -> ()

  %x234 = arith.constant dense<[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]],
                                [[12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0]]]> : tensor<2x3x4xf32>
  %sumaxes = arith.constant dense<[2, 0]> : tensor<2xi64>
  %maxaxes = arith.constant dense<[-1, 0]> : tensor<2xi64>
  %meanaxes = arith.constant dense<[1]> : tensor<1xi64>
  %r:3 = call @reductions(%x234, %sumaxes, %maxaxes, %meanaxes) : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<1xi64>) -> (tensor<?x?x?xf32>, tensor<?xf32>, tensor<?x?xf32>)
  %p7 = tensor.cast %r#0 : tensor<?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p7) : (tensor<*xf32>) -> ()
  %p8 = tensor.cast %r#1 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%p8) : (tensor<*xf32>) -> ()
  %p9 = tensor.cast %r#2 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p9) : (tensor<*xf32>) -> ()

  %ca = arith.constant dense<-1> : tensor<i32>
  %cb = arith.constant dense<0> : tensor<i64>
  %cs:2 = call @cum_sum(%x23, %ca, %cb) : (tensor<2x3xf32>, tensor<i32>, tensor<i64>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  %p10 = tensor.cast %cs#0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p10) : (tensor<*xf32>) -> ()
  %p11 = tensor.cast %cs#1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p11) : (tensor<*xf32>) -> ()
  return
}
