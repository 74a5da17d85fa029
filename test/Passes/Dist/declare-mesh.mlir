// RUN: exaforge-opt %s --dist-declare-mesh="dp=2 pp=3 tp=4" | FileCheck %s
// RUN: exaforge-opt %s --dist-declare-mesh="tp=2 dp=2" | FileCheck %s --check-prefix=DPTP
// RUN: exaforge-opt %s --dist-declare-mesh | FileCheck %s --check-prefix=NONE
// RUN: not exaforge-opt %s --dist-declare-mesh="pp=0" 2>&1 | FileCheck %s --check-prefix=ZERO

// The axes come in the order dp x pp x tp, whatever the order of the
// options; an axis of size 1 is left out, and no mesh is declared for one
// rank.

// CHECK: dist.mesh @mesh axes = ["dp", "pp", "tp"] shape = [2, 3, 4]
// CHECK-NEXT: func.func @main
// DPTP: dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
// NONE-NOT: dist.mesh
// ZERO: error: the mesh axis "pp" needs at least one rank, got 0
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}
