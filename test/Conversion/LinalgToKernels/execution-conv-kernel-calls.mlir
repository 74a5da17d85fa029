// RUN: exaforge-opt %s --exaforge-graph-optimize --exaforge-graph-to-linalg \
// RUN:   --exaforge-linalg-to-llvm \
// RUN: | env OMP_NUM_THREADS=2 mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%exaforge_runtime_lib,%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs a residual block through the whole pipeline and the runtime's oneDNN
// convolution kernel, and compares the printed results with onnxruntime's
// (opset 17, the same model in ONNX): Conv (pads 1) + BatchNormalization
// (folded into the weights) + Relu, whose result is also returned; a
// strided Conv (pads 1, stride 2: the kernel drops the last padded row and
// column that no window reaches) + BatchNormalization, added to a strided
// 1x1 projection Conv with a bias, then Relu. The kernels absorb the
// paddings, biases, residual add and ReLUs. Every value is exact in f32
// (epsilon 1 and variance 3 make every BatchNormalization factor 0.5 or 1).
// Then three MaxPools run through the runtime's pooling kernel: 3x3, stride 2,
// pads 1 on the first result; 3x3, stride 2, ceil_mode (the last window
// overhangs the input); 2x2, dilations 2, end pads 1. Last, MaxPool 2x2,
// stride 2 of a Conv (pads 1) that nothing else reads: their buffer is NHWC
// (use-channels-last-kernel-buffers). @main creates the execution context
// that @run and @block pass to the kernels and allocations
// (pass-exec-context), and destroys it once @run has freed its buffers.

func.func private @xf_exec_context_create() -> !llvm.ptr
func.func private @xf_exec_context_destroy(!llvm.ptr)
func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

func.func private @block(%x: tensor<1x2x6x6xf32>) -> (tensor<1x3x6x6xf32>, tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x5x5xf32>, tensor<1x3x3x3xf32>) {
  %w1 = graph.constant dense<[[[[1.0, 0.0, 0.0], [-1.0, 0.0, 1.0], [0.0, -1.0, 0.0]], [[-1.0, 1.0, 1.0], [-1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]], [[[-1.0, 1.0, 0.0], [-1.0, -1.0, 0.0], [1.0, 0.0, 0.0]], [[1.0, 1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]]], [[[0.0, -1.0, -1.0], [-1.0, 0.0, 1.0], [0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]]> : tensor<3x2x3x3xf32>
  %w2 = graph.constant dense<[[[[1.0, -1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 1.0]], [[-1.0, 0.0, 1.0], [1.0, -1.0, -1.0], [1.0, -1.0, -1.0]], [[0.0, 1.0, -1.0], [0.0, 0.0, -1.0], [1.0, 1.0, 0.0]]], [[[1.0, 0.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 0.0, -1.0]], [[1.0, 1.0, -1.0], [0.0, -1.0, -1.0], [0.0, 1.0, 1.0]], [[0.0, 0.0, 0.0], [-1.0, 0.0, 1.0], [0.0, -1.0, -1.0]]], [[[1.0, -1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]], [[-1.0, 0.0, 1.0], [-1.0, -1.0, 1.0], [0.0, 1.0, -1.0]], [[1.0, -1.0, 0.0], [1.0, -1.0, 0.0], [1.0, 0.0, -1.0]]]]> : tensor<3x3x3x3xf32>
  %wp = graph.constant dense<[[[[0.0]], [[0.0]]], [[[1.0]], [[1.0]]], [[[0.0]], [[-1.0]]]]> : tensor<3x2x1x1xf32>
  %bp = graph.constant dense<[1.0, -2.0, 0.5]> : tensor<3xf32>
  %s1 = graph.constant dense<[1.0, 2.0, 1.0]> : tensor<3xf32>
  %b1 = graph.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %m1 = graph.constant dense<[1.0, 0.0, -2.0]> : tensor<3xf32>
  %s2 = graph.constant dense<[2.0, 1.0, 2.0]> : tensor<3xf32>
  %b2 = graph.constant dense<[-1.0, 0.0, 2.0]> : tensor<3xf32>
  %m2 = graph.constant dense<[0.0, -1.0, 3.0]> : tensor<3xf32>
  %v = graph.constant dense<[3.0, 3.0, 3.0]> : tensor<3xf32>
  %c1 = graph.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  %n1 = graph.batch_normalization %c1, %s1, %b1, %m1, %v {epsilon = 1.0 : f32} : (tensor<1x3x6x6xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  %r1 = graph.relu %n1 : (tensor<1x3x6x6xf32>) -> tensor<1x3x6x6xf32>
  %c2 = graph.conv %r1, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x6x6xf32>, tensor<3x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %n2 = graph.batch_normalization %c2, %s2, %b2, %m2, %v {epsilon = 1.0 : f32} : (tensor<1x3x3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x3x3xf32>
  %p = graph.conv %x, %wp, %bp {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x3x3xf32>
  %a = graph.add %n2, %p : (tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %out = graph.relu %a : (tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %mp1 = graph.max_pool %r1 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x6x6xf32>) -> tensor<1x3x3x3xf32>
  %mp2 = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  %mp3 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, dilations = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x5x5xf32>
  %c = graph.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  %cp = graph.max_pool %c {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x6x6xf32>) -> tensor<1x3x3x3xf32>
  return %r1, %out, %mp1, %mp2, %mp3, %cp : tensor<1x3x6x6xf32>, tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x5x5xf32>, tensor<1x3x3x3xf32>
}

func.func @main() {
  %context = call @xf_exec_context_create() : () -> !llvm.ptr
  call @run() : () -> ()
  call @xf_exec_context_destroy(%context) : (!llvm.ptr) -> ()
  return
}

func.func private @run() {
  %x = arith.constant dense<[[[[2.0, 1.0, 1.0, 2.0, 0.0, 1.0], [2.0, -1.0, -2.0, -1.0, -1.0, 2.0], [2.0, -2.0, 0.0, 2.0, -2.0, 1.0], [-2.0, 0.0, 2.0, -1.0, -1.0, -1.0], [1.0, -1.0, 2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0, 2.0, 1.0]], [[1.0, 1.0, -1.0, 2.0, 0.0, -1.0], [2.0, -2.0, 2.0, 1.0, -2.0, -2.0], [0.0, -2.0, -2.0, 0.0, 2.0, 0.0], [2.0, 2.0, 2.0, 1.0, 0.0, 0.0], [-1.0, 0.0, -1.0, -1.0, 2.0, -2.0], [-2.0, -2.0, 2.0, 1.0, 2.0, -1.0]]]]> : tensor<1x2x6x6xf32>
  %r1, %out, %p0, %p1, %p2, %cp = call @block(%x) : (tensor<1x2x6x6xf32>) -> (tensor<1x3x6x6xf32>, tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x5x5xf32>, tensor<1x3x3x3xf32>)
  %r1u = tensor.cast %r1 : tensor<1x3x6x6xf32> to tensor<*xf32>
  %outu = tensor.cast %out : tensor<1x3x3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%r1u) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%outu) : (tensor<*xf32>) -> ()
  %p0u = tensor.cast %p0 : tensor<1x3x3x3xf32> to tensor<*xf32>
  %p1u = tensor.cast %p1 : tensor<1x2x3x3xf32> to tensor<*xf32>
  %p2u = tensor.cast %p2 : tensor<1x2x5x5xf32> to tensor<*xf32>
  call @printMemrefF32(%p0u) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%p1u) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%p2u) : (tensor<*xf32>) -> ()
  %cpu = tensor.cast %cp : tensor<1x3x3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%cpu) : (tensor<*xf32>) -> ()
  return
}

// Relu(BatchNormalization(Conv)): zeros are +0, as max(x, 0) gives.
// CHECK: sizes = [1, 3, 6, 6]
// CHECK-NEXT: {{\[\[\[\[}}0.5, 0, 1.5, 1.5, 0, 0],
// CHECK-NEXT: [0, 0, 0, 0, 1, 1],
// CHECK-NEXT: [0, 0, 5.5, 0, 0, 0],
// CHECK-NEXT: [0, 0.5, 0, 0, 1.5, 0],
// CHECK-NEXT: [0, 0, 0, 1, 0, 0],
// CHECK-NEXT: [0, 2, 0.5, 2.5, 0, 0]],
// CHECK-NEXT: {{\[\[}}0, 0, 0, 0, 0, 1],
// CHECK-NEXT: [4, 1, 3, 10, 7, 0],
// CHECK-NEXT: [5, 0, 0, 1, 0, 0],
// CHECK-NEXT: [3, 0, 0, 3, 2, 6],
// CHECK-NEXT: [0, 10, 9, 0, 5, 1],
// CHECK-NEXT: [3, 0, 2, 0, 0, 0]],
// CHECK-NEXT: {{\[\[}}0, 0.5, 1, 0, 0, 0],
// CHECK-NEXT: [0, 0, 0, 0, 2, 0],
// CHECK-NEXT: [0, 2.5, 3, 1, 0, 0],
// CHECK-NEXT: [0, 2.5, 0, 0, 0, 1],
// CHECK-NEXT: [0, 1.5, 1.5, 2, 1, 0.5],
// CHECK-NEXT: [0, 0, 0, 0.5, 0, 0]]]]

// Relu(BatchNormalization(strided Conv) + projection Conv).
// CHECK: sizes = [1, 3, 3, 3]
// CHECK-NEXT: {{\[\[\[\[}}0, 0, 5],
// CHECK-NEXT: [0, 6, 0],
// CHECK-NEXT: [0, 0, 0]],
// CHECK-NEXT: {{\[\[}}4.25, 4, 0.75],
// CHECK-NEXT: [0.75, 0, 10.5],
// CHECK-NEXT: [0, 0, 0]],
// CHECK-NEXT: {{\[\[}}1.5, 0, 9],
// CHECK-NEXT: [0, 11, 0],
// CHECK-NEXT: [14, 0, 0]]]]

// MaxPool 3x3, stride 2, pads 1.
// CHECK: sizes = [1, 3, 3, 3]
// CHECK-NEXT: {{\[\[\[\[}}0.5, 1.5, 1.5],
// CHECK-NEXT: [0.5, 5.5, 1.5],
// CHECK-NEXT: [2, 2.5, 2.5]],
// CHECK-NEXT: {{\[\[}}4, 10, 10],
// CHECK-NEXT: [5, 10, 10],
// CHECK-NEXT: [10, 10, 6]],
// CHECK-NEXT: {{\[\[}}0.5, 1, 2],
// CHECK-NEXT: [2.5, 3, 2],
// CHECK-NEXT: [2.5, 2.5, 2]]]]

// MaxPool 3x3, stride 2, ceil_mode.
// CHECK: sizes = [1, 2, 3, 3]
// CHECK-NEXT: {{\[\[\[\[}}2, 2, 2],
// CHECK-NEXT: [2, 2, 1],
// CHECK-NEXT: [2, 2, 2]],
// CHECK-NEXT: {{\[\[}}2, 2, 2],
// CHECK-NEXT: [2, 2, 2],
// CHECK-NEXT: [2, 2, 2]]]]

// MaxPool 2x2, dilations 2, end pads 1.
// CHECK: sizes = [1, 2, 5, 5]
// CHECK-NEXT: {{\[\[\[\[}}2, 2, 1, 2, 0],
// CHECK-NEXT: [2, 0, 2, 2, -1],
// CHECK-NEXT: [2, 2, 2, 2, 0],
// CHECK-NEXT: [2, 2, 2, 2, 2],
// CHECK-NEXT: [2, 0, 2, 0, 0]],
// CHECK-NEXT: {{\[\[}}1, 2, 2, 2, 2],
// CHECK-NEXT: [2, 2, 2, 1, 0],
// CHECK-NEXT: [0, 0, 2, 0, 2],
// CHECK-NEXT: [2, 2, 2, 1, 2],
// CHECK-NEXT: [-1, 0, 2, -1, 2]]]]

// MaxPool 2x2, stride 2 of Conv (pads 1), through an NHWC buffer.
// CHECK: sizes = [1, 3, 3, 3]
// CHECK-NEXT: {{\[\[\[\[}}2, 4, 3],
// CHECK-NEXT: [2, 12, 4],
// CHECK-NEXT: [5, 6, -2]],
// CHECK-NEXT: {{\[\[}}3, 9, 6],
// CHECK-NEXT: [4, 2, 5],
// CHECK-NEXT: [9, 8, 4]],
// CHECK-NEXT: {{\[\[}}1, 2, 4],
// CHECK-NEXT: [5, 6, 2],
// CHECK-NEXT: [3, 4, 2]]]]
