// RUN: exaforge-opt %s --strip-runtime-checks --canonicalize | FileCheck %s

// Tests that the checks are erased and canonicalization then removes what
// computed their conditions.
// CHECK-LABEL: func @checked_sizes
// CHECK-NOT: cf.assert
// CHECK-NOT: arith.cmpi
// CHECK: return %arg0
func.func @checked_sizes(%x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %m = tensor.dim %y, %c0 : tensor<?xf32>
  %ok = arith.cmpi eq, %n, %m : index
  cf.assert %ok, "node 'Add_0': Add: sizes differ"
  return %x : tensor<?xf32>
}
