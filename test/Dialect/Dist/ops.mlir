// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Every dist op and attribute prints in the form it parses (round trip).

// CHECK: dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
// CHECK: dist.mesh @pipeline axes = ["pp"] shape = [4]
dist.mesh @pipeline axes = ["pp"] shape = [4]

// CHECK-LABEL: func.func @annotations
func.func @annotations(%x: tensor<8x16xf32>, %y: tensor<?x16xf32>) -> (tensor<8x16xf32>, tensor<?x16xf32>) {
  // CHECK: dist.shard %{{.*}} : tensor<8x16xf32> as #dist.sharding<@mesh, {{\[}}["dp"], ["tp"]]>
  %0 = dist.shard %x : tensor<8x16xf32> as #dist.sharding<@mesh, [["dp"], ["tp"]]>
  // CHECK: dist.shard %{{.*}} : tensor<?x16xf32> as #dist.sharding<@mesh, {{\[}}["dp"], []], partial = ["tp"]>
  %1 = dist.shard %y : tensor<?x16xf32> as #dist.sharding<@mesh, [["dp"], []], partial = ["tp"]>
  // A dimension split over both axes, outermost first.
  // CHECK: #dist.sharding<@mesh, {{\[}}["dp", "tp"], []]>
  %2 = dist.shard %0 : tensor<8x16xf32> as #dist.sharding<@mesh, [["dp", "tp"], []]>
  return %2, %1 : tensor<8x16xf32>, tensor<?x16xf32>
}

// CHECK-LABEL: func.func @collectives
func.func @collectives(%x: tensor<4x8xf32>, %n: tensor<?x8xi64>) {
  // CHECK: dist.all_reduce %{{.*}} on @mesh axes = ["tp"] reduction = <sum> : tensor<4x8xf32>
  %0 = dist.all_reduce %x on @mesh axes = ["tp"] reduction = <sum> : tensor<4x8xf32>
  // CHECK: dist.all_reduce %{{.*}} on @mesh axes = ["dp", "tp"] reduction = <max> : tensor<?x8xi64>
  %1 = dist.all_reduce %n on @mesh axes = ["dp", "tp"] reduction = <max> : tensor<?x8xi64>
  // CHECK: dist.all_gather %{{.*}} on @mesh axes = ["tp"] dim = 1 : tensor<4x8xf32> -> tensor<4x16xf32>
  %2 = dist.all_gather %x on @mesh axes = ["tp"] dim = 1 : tensor<4x8xf32> -> tensor<4x16xf32>
  // A dynamic dimension gathers into a dynamic one.
  // CHECK: dist.all_gather %{{.*}} on @mesh axes = ["dp", "tp"] dim = 0 : tensor<?x8xi64> -> tensor<?x8xi64>
  %3 = dist.all_gather %n on @mesh axes = ["dp", "tp"] dim = 0 : tensor<?x8xi64> -> tensor<?x8xi64>
  // CHECK: dist.reduce_scatter %{{.*}} on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<4x8xf32> -> tensor<2x8xf32>
  %4 = dist.reduce_scatter %x on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<4x8xf32> -> tensor<2x8xf32>
  // CHECK: dist.all_to_all %{{.*}} on @mesh axes = ["tp"] split_dim = 1 concat_dim = 0 : tensor<4x8xf32> -> tensor<8x4xf32>
  %5 = dist.all_to_all %x on @mesh axes = ["tp"] split_dim = 1 concat_dim = 0 : tensor<4x8xf32> -> tensor<8x4xf32>
  // CHECK: dist.broadcast %{{.*}} on @mesh axes = ["dp"] root = 1 : tensor<4x8xf32>
  %6 = dist.broadcast %x on @mesh axes = ["dp"] root = 1 : tensor<4x8xf32>
  return
}

// CHECK-LABEL: func.func @stages
func.func @stages(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: dist.send %{{.*}} on @pipeline axis = "pp" to = 1 : tensor<4x8xf32>
  dist.send %x on @pipeline axis = "pp" to = 1 : tensor<4x8xf32>
  // CHECK: dist.recv on @pipeline axis = "pp" from = 3 : tensor<4x8xf32>
  %0 = dist.recv on @pipeline axis = "pp" from = 3 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @stage_index
func.func @stage_index() -> index {
  // CHECK: dist.axis_index on @pipeline axis = "pp"
  %0 = dist.axis_index on @pipeline axis = "pp"
  return %0 : index
}
