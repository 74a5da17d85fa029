// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm \
// RUN:   --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the lowerings of ReduceMax, ReduceMin, ReduceProd, ReduceL1,
// ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceSumSquare, ArgMax, ArgMin,
// LogSoftmax, Hardmax, NegativeLogLikelihoodLoss and CumSum end to end. The
// expected values of the first group were computed by onnxruntime (opset 13
// model with the same inputs and attributes); printMemrefF32 prints 6
// significant digits and the checks match the first 4. The empty-set
// reductions at the end check the identity values the ONNX specification
// gives (-inf for ReduceMax and ReduceLogSum, 1 for ReduceProd).

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

// CHECK: [3, 5]
// CHECK: [-6]
// CHECK: {{\[\[}}-4, -10, -18]]
// CHECK: [6, 15]
// CHECK: [3.741{{[0-9]*}}, 8.774{{[0-9]*}}]
// CHECK: [1.791{{[0-9]*}}, 2.708{{[0-9]*}}]
// CHECK: [3.132{{[0-9]*}}, 5.000{{[0-9]*}}]
// CHECK: [17, 29, 45]
// CHECK: [2, 0]
// CHECK: [0, 1]
// CHECK: {{\[\[}}-2.132{{[0-9]*}}, -5.132{{[0-9]*}}, -0.1328{{[0-9]*}}],
// CHECK-NEXT: [-9.000{{[0-9]*}}, -0.0001400{{[0-9]*}}, -11.00{{[0-9]*}}]]
// CHECK: {{\[\[}}0, 1, 0],
// CHECK-NEXT: [1, 0, 0]]
// CHECK: [1.906{{[0-9]*}}]
// CHECK: [0.1328{{[0-9]*}}, 0]
// CHECK: {{\[\[}}1, 3, 0],
// CHECK-NEXT: [-1, -6, 0]]
// Empty-set reductions (ONNX specification values).
// CHECK: [-inf, -inf, -inf]
// CHECK: [1, 1, 1]
// CHECK: [-inf, -inf, -inf]
func.func @main() {
  %x = arith.constant dense<[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]> : tensor<2x3xf32>
  %p = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t = arith.constant dense<[[1.0, 3.0, 3.0], [3.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %tgt = arith.constant dense<[2, 0]> : tensor<2xi64>
  %w = arith.constant dense<[0.5, 1.0, 2.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<0x3xf32>
  %ax0 = arith.constant dense<[0]> : tensor<1xi64>
  %ax1 = arith.constant dense<[1]> : tensor<1xi64>
  %axm1 = arith.constant dense<[-1]> : tensor<1xi64>
  %cax = arith.constant dense<1> : tensor<i64>
  %rmax = graph.reduce_max %x, %ax1 {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  %rmax_u = tensor.cast %rmax : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rmax_u) : (tensor<*xf32>) -> ()
  %rmin = graph.reduce_min %x {keepdims = false} : (tensor<2x3xf32>) -> tensor<f32>
  %rmin_u = tensor.cast %rmin : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%rmin_u) : (tensor<*xf32>) -> ()
  %rprod = graph.reduce_prod %x, %ax0 : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  %rprod_u = tensor.cast %rprod : tensor<1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%rprod_u) : (tensor<*xf32>) -> ()
  %rl1 = graph.reduce_l1 %x, %ax1 {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  %rl1_u = tensor.cast %rl1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rl1_u) : (tensor<*xf32>) -> ()
  %rl2 = graph.reduce_l2 %x, %axm1 {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  %rl2_u = tensor.cast %rl2 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rl2_u) : (tensor<*xf32>) -> ()
  %rls = graph.reduce_log_sum %p, %ax1 {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  %rls_u = tensor.cast %rls : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rls_u) : (tensor<*xf32>) -> ()
  %rlse = graph.reduce_log_sum_exp %x, %ax1 {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  %rlse_u = tensor.cast %rlse : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rlse_u) : (tensor<*xf32>) -> ()
  %rss = graph.reduce_sum_square %x, %ax0 {keepdims = false} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  %rss_u = tensor.cast %rss : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%rss_u) : (tensor<*xf32>) -> ()
  %amax = graph.arg_max %t {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<2x3xf32>) -> tensor<2xi64>
  %amax_f = graph.cast %amax {to = f32} : (tensor<2xi64>) -> tensor<2xf32>
  %amax_u = tensor.cast %amax_f : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%amax_u) : (tensor<*xf32>) -> ()
  %amin = graph.arg_min %t {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
  %amin_f = graph.cast %amin {to = f32} : (tensor<2xi64>) -> tensor<2xf32>
  %amin_u = tensor.cast %amin_f : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%amin_u) : (tensor<*xf32>) -> ()
  %lsm = graph.log_softmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %lsm_u = tensor.cast %lsm : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%lsm_u) : (tensor<*xf32>) -> ()
  %hm = graph.hardmax %t {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %hm_u = tensor.cast %hm : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%hm_u) : (tensor<*xf32>) -> ()
  // A fresh LogSoftmax: %lsm was handed to an external function.
  %lsm2 = graph.log_softmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %nll = graph.negative_log_likelihood_loss %lsm2, %tgt, %w : (tensor<2x3xf32>, tensor<2xi64>, tensor<3xf32>) -> tensor<f32>
  %nll_u = tensor.cast %nll : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%nll_u) : (tensor<*xf32>) -> ()
  %nlln = graph.negative_log_likelihood_loss %lsm2, %tgt {reduction = "none", ignore_index = 0 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  %nlln_u = tensor.cast %nlln : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%nlln_u) : (tensor<*xf32>) -> ()
  %cs = graph.cum_sum %x, %cax {exclusive = true, reverse = true} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  %cs_u = tensor.cast %cs : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%cs_u) : (tensor<*xf32>) -> ()
  %emax = graph.reduce_max %e, %ax0 {keepdims = false} : (tensor<0x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  %emax_u = tensor.cast %emax : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%emax_u) : (tensor<*xf32>) -> ()
  %eprod = graph.reduce_prod %e, %ax0 {keepdims = false} : (tensor<0x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  %eprod_u = tensor.cast %eprod : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%eprod_u) : (tensor<*xf32>) -> ()
  %els = graph.reduce_log_sum %e, %ax0 {keepdims = false} : (tensor<0x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  %els_u = tensor.cast %els : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%els_u) : (tensor<*xf32>) -> ()
  return
}
