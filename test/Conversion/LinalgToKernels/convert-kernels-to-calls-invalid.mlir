// RUN: exaforge-opt %s --convert-kernels-to-calls -verify-diagnostics

// Tests that a kernel op that was not bufferized is reported.
func.func @on_tensors(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'kernel.matmul' op must be bufferized before it becomes a call}}
  %0 = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}
