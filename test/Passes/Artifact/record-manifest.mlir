// RUN: exaforge-opt %s --split-input-file --verify-diagnostics --artifact-record-manifest | FileCheck %s

// The interface of @main becomes the module attribute `artifact.manifest`:
// inputs and outputs with their ONNX names and dimension names, the weights of
// the module in their order, with their values and shardings, the mesh. Element types keep their ONNX
// signedness; shapes are those of one rank (-1: dynamic). @main and the
// weights are left unchanged.

// CHECK-LABEL: module attributes {artifact.manifest = {
// CHECK-SAME: inputs = [{dim_names = ["batch", ""], dtype = "uint8", name = "x", shape = array<i64: -1, 4>, sharding = #dist.sharding<@mesh, {{\[}}[], []]>}]
// CHECK-SAME: mesh = {axes = ["pp", "tp"], shape = array<i64: 2, 2>}
// CHECK-SAME: outputs = [{dim_names = ["batch", ""], dtype = "float32", name = "y", produced_on = {pp = 1 : i64}, shape = array<i64: -1, 2>}, {dtype = "int64", name = "output_1", shape = array<i64: 3>}]
// CHECK-SAME: weights = [{dtype = "float32", name = "w", shape = array<i64: 4, 1>, sharding = #dist.sharding<@mesh, {{\[}}[], ["tp"]]>, value = dense<1.000000e+00> : tensor<4x2xf32>}, {dtype = "float32", name = "b", shape = array<i64: 2>, value = dense_resource<b> : tensor<2xf32>}]
// CHECK: dist.mesh @mesh
// CHECK: func.func @main(%{{.*}}: tensor<?x4xui8> {dist.sharding
// CHECK: graph.weight @w
// CHECK: graph.weight @b
module {
  dist.mesh @mesh axes = ["pp", "tp"] shape = [2, 2]
  func.func @main(%x: tensor<?x4xui8> {dist.sharding = #dist.sharding<@mesh, [[], []]>, graph.dim_params = ["batch", ""], graph.name = "x"})
      -> (tensor<?x2xf32> {dist.produced_on = {pp = 1 : i64}, graph.dim_params = ["batch", ""], graph.name = "y"}, tensor<3xi64>) {
    %c = arith.constant 1 : index
    %0 = tensor.empty(%c) : tensor<?x2xf32>
    %1 = arith.constant dense<1> : tensor<3xi64>
    return %0, %1 : tensor<?x2xf32>, tensor<3xi64>
  }
  graph.weight @w : tensor<4x1xf32> = dense<1.0> : tensor<4x2xf32> {dist.sharding = #dist.sharding<@mesh, [[], ["tp"]]>}
  graph.weight @b : tensor<2xf32> = dense_resource<b> : tensor<2xf32>
}

// -----

// expected-error @+1 {{cannot describe 'x' of type 'tensor<4xcomplex<f32>>' in the artifact manifest}}
func.func @main(%x: tensor<4xcomplex<f32>> {graph.name = "x"}) -> tensor<4xcomplex<f32>> {
  return %x : tensor<4xcomplex<f32>>
}

// -----

// expected-error @+1 {{the module has no @main function}}
module {
  func.func @other() {
    return
  }
}
