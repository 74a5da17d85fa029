// RUN: exaforge-opt %s --dist-pipeline-partition="stages=2 microbatches=0" -split-input-file | FileCheck %s

// microbatches=0 chooses: one micro-batch per stage when every input and
// output has a batch dimension, else one micro-batch (no error).

// CHECK-LABEL: func.func @main
// CHECK-SAME:    tensor<8x4xf32>
// CHECK-NOT:     scf.for
// CHECK:         dist.send
func.func @main(%x: tensor<8x4xf32> {graph.name = "x"}) -> tensor<8x4xf32> {
  %0 = graph.relu %x : (tensor<8x4xf32>) -> tensor<8x4xf32>
  %1 = graph.tanh %0 : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %1 : tensor<8x4xf32>
}

// -----

// CHECK-LABEL: func.func @main
// CHECK-SAME:    tensor<?x4xf32>
// CHECK:         arith.minui %{{.*}}, %c2
// CHECK:         scf.for
func.func @main(%x: tensor<?x4xf32> {graph.name = "x"}) -> tensor<?x4xf32> {
  %0 = graph.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = graph.tanh %0 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}
