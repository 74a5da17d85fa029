// RUN: exaforge-opt %s --split-input-file --verify-diagnostics --artifact-prepare-entry-point | FileCheck %s

// @main becomes @xf_model_main with a C interface; weights are constant
// buffers; no argument is writable; the graph and dist annotations and the
// mesh go, the recorded manifest and other attributes stay.

// CHECK-LABEL: module attributes {artifact.manifest = {inputs = []}, other.attr = 1 : i64} {
// CHECK-NOT:   dist.mesh
// CHECK:       func.func @xf_model_main(
// CHECK-SAME:    %{{.*}}: tensor<?x4xf32> {bufferization.writable = false},
// CHECK-SAME:    %{{.*}}: tensor<4x1xf32> {bufferization.writable = false, exaforge.constant_buffer})
// CHECK-SAME:    -> (tensor<?x1xf32> {other.result = 1 : i64})
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK-NOT:   graph.
// CHECK-NOT:   dist.
module attributes {artifact.manifest = {inputs = []}, graph.name = "model", graph.opset = 17 : i64, other.attr = 1 : i64} {
  dist.mesh @mesh axes = ["pp", "tp"] shape = [2, 2]
  func.func @main(%x: tensor<?x4xf32> {dist.sharding = #dist.sharding<@mesh, [[], []]>, graph.dim_params = ["batch", ""], graph.name = "x"},
                  %w: tensor<4x1xf32> {dist.sharding = #dist.sharding<@mesh, [[], ["tp"]]>, graph.weight_name = "w", graph.weight_value = dense<1.0> : tensor<4x2xf32>})
      -> (tensor<?x1xf32> {dist.produced_on = {pp = 1 : i64}, dist.sharding = #dist.sharding<@mesh, [[], []]>, graph.name = "y", other.result = 1 : i64}) {
    %c0 = arith.constant 0 : index
    %batch = tensor.dim %x, %c0 : tensor<?x4xf32>
    %0 = tensor.empty(%batch) : tensor<?x1xf32>
    return %0 : tensor<?x1xf32>
  }
}

// -----

// expected-error @+1 {{the module has no @main function}}
module {
  func.func @other() {
    return
  }
}
