// Every collective of the dist dialect on a 2x2 mesh, for test_multi_rank.py:
// a per-rank program (local types; the manifest gets the whole shapes).
// The inputs are split over all 4 ranks along dimension 0, and so are the
// outputs: the gathered output stacks the results of ranks 0..3.
module {
  dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
  func.func @main(
      %x: tensor<2x6xf32> {graph.name = "x", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"], []]>},
      %n: tensor<1xi64> {graph.name = "n", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"]]>})
      -> (tensor<2x6xf32> {graph.name = "all_reduce_tp", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"], []]>},
          tensor<2x24xf32> {graph.name = "all_gather_all_dim1", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"], []]>},
          tensor<2x12xf32> {graph.name = "reduce_scatter_tp_dim1", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"], []]>},
          tensor<4x3xf32> {graph.name = "all_to_all_tp", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"], []]>},
          tensor<2x6xf32> {graph.name = "broadcast_dp_root1", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"], []]>},
          tensor<1xi64> {graph.name = "all_reduce_max_dp", dist.sharding = #dist.sharding<@mesh, [["dp", "tp"]]>}) {
    %0 = dist.all_reduce %x on @mesh axes = ["tp"] reduction = <sum> : tensor<2x6xf32>
    %1 = dist.all_gather %x on @mesh axes = ["dp", "tp"] dim = 1 : tensor<2x6xf32> -> tensor<2x24xf32>
    %2 = dist.reduce_scatter %1 on @mesh axes = ["tp"] dim = 1 reduction = <sum> : tensor<2x24xf32> -> tensor<2x12xf32>
    %3 = dist.all_to_all %x on @mesh axes = ["tp"] split_dim = 1 concat_dim = 0 : tensor<2x6xf32> -> tensor<4x3xf32>
    %4 = dist.broadcast %x on @mesh axes = ["dp"] root = 1 : tensor<2x6xf32>
    %5 = dist.all_reduce %n on @mesh axes = ["dp"] reduction = <max> : tensor<1xi64>
    return %0, %1, %2, %3, %4, %5 : tensor<2x6xf32>, tensor<2x24xf32>, tensor<2x12xf32>, tensor<4x3xf32>, tensor<2x6xf32>, tensor<1xi64>
  }
}
