// RUN: exaforge-opt %s --split-input-file --verify-diagnostics \
// RUN:   --dist-data-parallel=ranks=4 | FileCheck %s

// Every input and output is split along its batch dimension over a 4-rank
// "dp" mesh; the program itself is unchanged and has no collective.

// CHECK: dist.mesh @mesh axes = ["dp"] shape = [4]
// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %{{.*}}: tensor<?x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}["dp"], []]>, graph.dim_params = ["batch", ""], graph.name = "x"},
// CHECK-SAME:    %{{.*}}: tensor<?x2x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}["dp"], [], []]>, graph.dim_params = ["batch", "", ""], graph.name = "y"})
// CHECK-SAME:    -> (tensor<?x8xf32> {dist.sharding = #dist.sharding<@mesh, {{\[}}["dp"], []]>, graph.name = "out"})
// CHECK-NOT:   dist.
// CHECK:       graph.add
// CHECK-NOT:   dist.
// CHECK:       return
func.func @main(%x: tensor<?x8xf32> {graph.name = "x", graph.dim_params = ["batch", ""]},
                %y: tensor<?x2x8xf32> {graph.name = "y", graph.dim_params = ["batch", "", ""]})
    -> (tensor<?x8xf32> {graph.name = "out"}) {
  %0 = graph.add %x, %x : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{data parallelism needs a symbolic batch dimension, but input 'x' has a static dimension 0 of size 8 (export the model with a dynamic batch axis)}}
func.func @main(%x: tensor<8x8xf32> {graph.name = "x"}) -> tensor<8x8xf32> {
  return %x : tensor<8x8xf32>
}

// -----

// expected-error @+1 {{data parallelism splits dimension 0 of every input and output, but input 'scale' is a scalar}}
func.func @main(%x: tensor<?x8xf32> {graph.name = "x"}, %s: tensor<f32> {graph.name = "scale"}) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{data parallelism splits dimension 0 of every input, but input 'mask' has 'seq' there and input 'x' has 'batch'}}
func.func @main(%x: tensor<?x8xf32> {graph.name = "x", graph.dim_params = ["batch", ""]},
                %m: tensor<?x8xf32> {graph.name = "mask", graph.dim_params = ["seq", ""]}) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{data parallelism needs a symbolic batch dimension, but output #0 has a static dimension 0 of size 1}}
func.func @main(%x: tensor<?x8xf32> {graph.name = "x"}) -> tensor<1xf32> {
  %c = graph.constant dense<1.0> : tensor<1xf32>
  return %c : tensor<1xf32>
}

// -----

// expected-error @+1 {{the module is already partitioned (@main's arguments have shardings)}}
func.func @main(%x: tensor<?x8xf32> {dist.sharding = #dist.sharding<@mesh, [["dp"], []]>}) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{the distribution passes use the mesh @mesh, not @other}}
dist.mesh @other axes = ["tp"] shape = [2]
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{the "dp" axis of the mesh has size 2, but the pass partitions over 4}}
dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// Tests that an op whose result size depends on the data, here Unique over
// the whole batch, is refused.
func.func @main(%x: tensor<?x3xf32> {graph.name = "x"}) -> (tensor<?xf32> {graph.name = "u"}) {
  // expected-error @+1 {{data parallelism cannot split the batch of 'graph.unique': its result size depends on the values of every sample}}
  %0:4 = graph.unique %x : (tensor<?x3xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>)
  return %0#0 : tensor<?xf32>
}
