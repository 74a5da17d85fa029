// RUN: exaforge-opt %s --verify-diagnostics --dist-declare-mesh="dp=2"

// expected-error @+1 {{the module already declares a mesh}}
dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}
