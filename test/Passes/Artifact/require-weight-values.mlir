// RUN: exaforge-opt %s --split-input-file --verify-diagnostics --artifact-require-weight-values | FileCheck %s

// Weights with values, dense or in a resource with data, pass unchanged.
// CHECK-LABEL: func.func @main
// CHECK: graph.constant dense_resource<w>
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = graph.constant dense_resource<w> : tensor<4xf32>
  %b = graph.constant dense<1.0> : tensor<4xf32>
  %0 = graph.add %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.add %0, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// A weight imported shapes only: a resource without data.
// expected-error @+1 {{weight 'elided' has no values (the model was imported shapes only); only --emit=graph can be written without them}}
module {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %w = graph.constant dense_resource<elided> : tensor<4xf32>
    %0 = graph.add %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
