// RUN: exaforge-opt %s --split-input-file --verify-diagnostics --artifact-prepare-entry-point | FileCheck %s

// @main becomes @xf_model_main with a C interface; each weight becomes a
// trailing argument, in the order of the weights (not of their reads), that
// is a constant buffer and replaces the weight's reads, even a weight nothing
// reads; no argument is writable; the graph and dist annotations, the
// weights and the mesh go, the recorded manifest and other attributes stay.

// CHECK-LABEL: module attributes {artifact.manifest = {inputs = []}, other.attr = 1 : i64} {
// CHECK-NOT:   dist.mesh
// CHECK:       func.func @xf_model_main(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x4xf32> {bufferization.writable = false},
// CHECK-SAME:    %[[W:[^:]*]]: tensor<4x1xf32> {bufferization.writable = false, exaforge.constant_buffer},
// CHECK-SAME:    %[[B:[^:]*]]: tensor<1xf32> {bufferization.writable = false, exaforge.constant_buffer},
// CHECK-SAME:    %{{[^:]*}}: tensor<2xf32> {bufferization.writable = false, exaforge.constant_buffer})
// CHECK-SAME:    -> (tensor<?x1xf32> {other.result = 1 : i64}, tensor<1xf32>)
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK:         %[[Y:.*]] = linalg.matmul ins(%[[X]], %[[W]] : tensor<?x4xf32>, tensor<4x1xf32>)
// CHECK-NEXT:    return %[[Y]], %[[B]]
// CHECK-NOT:   graph.
// CHECK-NOT:   dist.
module attributes {artifact.manifest = {inputs = []}, graph.name = "model", graph.opset = 17 : i64, other.attr = 1 : i64} {
  dist.mesh @mesh axes = ["pp", "tp"] shape = [2, 2]
  func.func @main(%x: tensor<?x4xf32> {dist.sharding = #dist.sharding<@mesh, [[], []]>, graph.dim_params = ["batch", ""], graph.name = "x"})
      -> (tensor<?x1xf32> {dist.produced_on = {pp = 1 : i64}, dist.sharding = #dist.sharding<@mesh, [[], []]>, graph.name = "y", other.result = 1 : i64}, tensor<1xf32>) {
    %c0 = arith.constant 0 : index
    %batch = tensor.dim %x, %c0 : tensor<?x4xf32>
    %init = tensor.empty(%batch) : tensor<?x1xf32>
    %b = graph.weight_ref @b : tensor<1xf32>
    %w = graph.weight_ref @w : tensor<4x1xf32>
    %0 = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x1xf32>) outs(%init : tensor<?x1xf32>) -> tensor<?x1xf32>
    return %0, %b : tensor<?x1xf32>, tensor<1xf32>
  }
  graph.weight @w : tensor<4x1xf32> = dense<1.0> : tensor<4x2xf32> {dist.sharding = #dist.sharding<@mesh, [[], ["tp"]]>}
  graph.weight @b : tensor<1xf32> = dense<2.0> : tensor<1xf32>
  graph.weight @unread : tensor<2xf32> = dense<3.0> : tensor<2xf32>
}

// -----

// expected-error @+1 {{the module has no @main function}}
module {
  func.func @other() {
    return
  }
}

// -----

// Only @main receives weights.
module {
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
  func.func @other() -> tensor<2xf32> {
    // expected-error @+1 {{reads a weight outside @main, the only function that receives weights}}
    %w = graph.weight_ref @w : tensor<2xf32>
    return %w : tensor<2xf32>
  }
  graph.weight @w : tensor<2xf32> = dense<3.0> : tensor<2xf32>
}
