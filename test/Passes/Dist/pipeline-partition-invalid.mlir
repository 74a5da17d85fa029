// RUN: exaforge-opt %s --dist-pipeline-partition="stages=2 microbatches=2" -split-input-file -verify-diagnostics
// RUN: not exaforge-opt %s --dist-pipeline-partition="stages=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=ZERO

// ZERO: error: pipeline parallelism needs at least one stage and one micro-batch, got 0 stages and 1 micro-batches

// Micro-batches cut the batch: a static dimension 0 is refused
// (pipeline-partition-automatic.mlir: microbatches=0 falls back to one).
// expected-error @+1 {{pipeline micro-batching needs a symbolic batch dimension, but input 'x' has a static dimension 0 of size 8}}
func.func @main(%x: tensor<8x4xf32> {graph.name = "x"}) -> tensor<8x4xf32> {
  %0 = graph.relu %x : (tensor<8x4xf32>) -> tensor<8x4xf32>
  %1 = graph.tanh %0 : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %1 : tensor<8x4xf32>
}

// -----

// The last stage assembles the outputs: their other dimensions must be
// static.
// expected-error @+1 {{pipeline micro-batching needs outputs whose only dynamic dimension is the batch, but output 'y' has type 'tensor<?x?xf32>'}}
func.func @main(%x: tensor<?x?xf32> {graph.name = "x"}) -> (tensor<?x?xf32> {graph.name = "y"}) {
  %0 = graph.relu %x : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %1 = graph.tanh %0 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Micro-batches cut the batch: an op whose result size depends on the
// data, here NonZero over the whole batch, is refused.
func.func @main(%x: tensor<?x4xf32> {graph.name = "x"}) -> (tensor<?x2xi64> {graph.name = "y"}) {
  %0 = graph.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // expected-error @+1 {{pipeline micro-batching cannot split the batch of 'graph.non_zero': its result size depends on the values of every sample}}
  %1 = graph.non_zero %0 : (tensor<?x4xf32>) -> tensor<2x?xi64>
  %2 = graph.transpose %1 {perm = array<i64: 1, 0>} : (tensor<2x?xi64>) -> tensor<?x2xi64>
  return %2 : tensor<?x2xi64>
}

// -----

// Fewer ops than stages.
// expected-error @+1 {{cannot cut @main into 2 pipeline stages: it has only 1 ops to distribute}}
func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// A mesh whose "pp" axis has another size than the stages.
// expected-error @+1 {{the "pp" axis of the mesh has size 3, but the pass partitions over 2}}
dist.mesh @mesh axes = ["pp"] shape = [3]
func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = graph.tanh %0 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// A mesh declared without the "pp" axis.
// expected-error @+1 {{the mesh has no "pp" axis (dist-declare-mesh declares the axes of every parallelism the module is compiled for)}}
dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = graph.tanh %0 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// An op with regions cannot be cut.
func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %i = arith.constant 0 : index
  // expected-error @+1 {{'scf.index_switch' op has regions, which pipeline parallelism cannot cut}}
  %0 = scf.index_switch %i -> tensor<?x4xf32>
  default {
    scf.yield %x : tensor<?x4xf32>
  }
  %1 = graph.tanh %0 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}
