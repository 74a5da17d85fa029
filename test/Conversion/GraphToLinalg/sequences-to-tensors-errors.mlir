// Tests that convert-graph-sequences-to-tensors refuses a sequence used by
// an op that takes none.
// RUN: exaforge-opt %s -allow-unregistered-dialect -convert-graph-sequences-to-tensors -verify-diagnostics

func.func @unknown_user(%s: !graph.sequence<tensor<*xf32>>) {
  // expected-error @+1 {{cannot take or make a sequence or an optional}}
  "test.use"(%s) : (!graph.sequence<tensor<*xf32>>) -> ()
  return
}
