// RUN: exaforge-opt %s --dist-pipeline-partition="stages=2 microbatches=2" | FileCheck %s

// After data and tensor parallelism, on the mesh `dist-declare-mesh` declares
// (`dp x pp x tp`): the pass uses the "pp" axis and keeps the mesh. The
// tensor-parallel all-reduce runs in one stage (among the "tp" ranks of that
// stage); the cut may pass the partial sums (each "tp" rank sends its own
// to the same "tp" coordinate of the next stage).
// CHECK-LABEL: dist.mesh @mesh axes = ["dp", "pp", "tp"] shape = [2, 2, 2]
// CHECK-LABEL: func.func @main
// CHECK:         case 0 {
// CHECK-NOT:       dist.all_reduce
// CHECK:           dist.send %{{.*}} on @mesh axis = "pp" to = 1 : tensor<?x8xf32>
// CHECK:         default {
// CHECK:           %[[P:.*]] = dist.recv on @mesh axis = "pp" from = 0 : tensor<?x8xf32>
// CHECK-NEXT:      dist.all_reduce %[[P]] on @mesh axes = ["tp"]
dist.mesh @mesh axes = ["dp", "pp", "tp"] shape = [2, 2, 2]
func.func @main(%x: tensor<?x8xf32> {dist.sharding = #dist.sharding<@mesh, [["dp"], []]>}) -> (tensor<?x8xf32> {dist.sharding = #dist.sharding<@mesh, [["dp"], []]>}) {
  %w = graph.constant dense<0.5> : tensor<8x4xf32>
  %v = graph.constant dense<0.5> : tensor<4x8xf32>
  %0 = graph.mat_mul %x, %w : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
  %1 = graph.mat_mul %0, %v : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x8xf32>
  %2 = dist.all_reduce %1 on @mesh axes = ["tp"] reduction = <sum> : tensor<?x8xf32>
  %3 = graph.relu %2 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %4 = graph.sigmoid %3 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %5 = graph.tanh %4 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %5 : tensor<?x8xf32>
}
