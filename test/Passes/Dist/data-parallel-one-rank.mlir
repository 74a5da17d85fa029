// RUN: exaforge-opt %s --dist-data-parallel=ranks=1 | FileCheck %s
// RUN: not exaforge-opt %s --dist-data-parallel=ranks=0 2>&1 | FileCheck %s --check-prefix=ZERO

// One rank: nothing to split, the module is unchanged (even a static batch).

// CHECK-NOT: dist.
// CHECK: func.func @main(%{{.*}}: tensor<8x8xf32>) -> tensor<8x8xf32>
// CHECK-NOT: dist.

// ZERO: error: data parallelism needs at least one rank, got 0
func.func @main(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  return %x : tensor<8x8xf32>
}
