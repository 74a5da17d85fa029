// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Verifier errors of every dist op and of #dist.sharding.

// expected-error @+1 {{'dist.mesh' op has 2 axes but a shape of 1 sizes}}
dist.mesh @mesh axes = ["dp", "tp"] shape = [2]

// -----

// expected-error @+1 {{'dist.mesh' op axis 'tp' is declared twice}}
dist.mesh @mesh axes = ["tp", "tp"] shape = [2, 2]

// -----

// expected-error @+1 {{'dist.mesh' op axis 'dp' must have a positive size, got 0}}
dist.mesh @mesh axes = ["dp"] shape = [0]

// -----

// expected-error @+1 {{'dist.mesh' op must have at least one axis}}
dist.mesh @mesh axes = [] shape = []

// -----

// expected-error @+1 {{'dist.mesh' op axis names must not be empty}}
dist.mesh @mesh axes = [""] shape = [2]

// -----

func.func @mesh_inside_function() {
  // expected-error @+1 {{'dist.mesh' op expects parent op 'builtin.module'}}
  dist.mesh @mesh axes = ["dp"] shape = [2]
  return
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @axis_twice_in_sharding(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{mesh axis 'dp' appears more than once in the sharding}}
  %0 = dist.shard %x : tensor<8x8xf32> as #dist.sharding<@mesh, [["dp"], ["dp"]]>
  return %0 : tensor<8x8xf32>
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @partial_and_split_axis(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{mesh axis 'tp' appears more than once in the sharding}}
  %0 = dist.shard %x : tensor<8x8xf32> as #dist.sharding<@mesh, [[], ["tp"]], partial = ["tp"]>
  return %0 : tensor<8x8xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @dimension_not_a_list(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{sharding of dimension 0 must be a list of mesh axes, got "dp"}}
  %0 = dist.shard %x : tensor<8xf32> as #dist.sharding<@mesh, ["dp"]>
  return %0 : tensor<8xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @axis_not_a_string(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{the sharding of a dimension must list mesh axis names (strings), got 0 : i64}}
  %0 = dist.shard %x : tensor<8xf32> as #dist.sharding<@mesh, [[0]]>
  return %0 : tensor<8xf32>
}

// -----

func.func @no_such_mesh(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'dist.shard' op refers to @mesh, which is not a 'dist.mesh'}}
  %0 = dist.shard %x : tensor<8xf32> as #dist.sharding<@mesh, [["dp"]]>
  return %0 : tensor<8xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @wrong_rank(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'dist.shard' op sharding has 1 dimensions, the tensor has rank 2}}
  %0 = dist.shard %x : tensor<8x8xf32> as #dist.sharding<@mesh, [["dp"]]>
  return %0 : tensor<8x8xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @unknown_axis(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'dist.shard' op mesh @mesh has no axis 'tp'}}
  %0 = dist.shard %x : tensor<8xf32> as #dist.sharding<@mesh, [["tp"]]>
  return %0 : tensor<8xf32>
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 3]
func.func @not_divisible(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'dist.shard' op dimension 1 of size 8 cannot be split into 3 equal parts}}
  %0 = dist.shard %x : tensor<8x8xf32> as #dist.sharding<@mesh, [["dp"], ["tp"]]>
  return %0 : tensor<8x8xf32>
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 3]
func.func @not_divisible_by_both(%x: tensor<12x8xf32>, %y: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // 12 splits into 6 (dp and tp), 8 does not.
  %0 = dist.shard %x : tensor<12x8xf32> as #dist.sharding<@mesh, [["dp", "tp"], []]>
  // expected-error @+1 {{'dist.shard' op dimension 0 of size 8 cannot be split into 6 equal parts}}
  %1 = dist.shard %y : tensor<8x8xf32> as #dist.sharding<@mesh, [["dp", "tp"], []]>
  return %1 : tensor<8x8xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @unknown_partial_axis(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'dist.shard' op mesh @mesh has no axis 'tp'}}
  %0 = dist.shard %x : tensor<8xf32> as #dist.sharding<@mesh, [[]], partial = ["tp"]>
  return %0 : tensor<8xf32>
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @collective_without_axes(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dist.all_reduce' op must name at least one mesh axis}}
  %0 = dist.all_reduce %x on @mesh axes = [] reduction = <sum> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @collective_axis_twice(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dist.all_reduce' op lists mesh axis 'tp' twice}}
  %0 = dist.all_reduce %x on @mesh axes = ["tp", "tp"] reduction = <sum> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
func.func @collective_unknown_axis(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dist.all_reduce' op mesh @mesh has no axis 'pp'}}
  %0 = dist.all_reduce %x on @mesh axes = ["pp"] reduction = <sum> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @collective_unknown_mesh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dist.all_reduce' op refers to @nowhere, which is not a 'dist.mesh'}}
  %0 = dist.all_reduce %x on @nowhere axes = ["tp"] reduction = <sum> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_reduce_of_bools(%x: tensor<4xi1>) -> tensor<4xi1> {
  // An i1 is an integer: this verifies.
  %0 = dist.all_reduce %x on @mesh axes = ["tp"] reduction = <max> : tensor<4xi1>
  // expected-error @+2 {{expected ::exaforge::dist::ReductionKind to be one of: sum, product, max, min}}
  // expected-error @+1 {{failed to parse Dist_ReductionKindAttr parameter 'value'}}
  %1 = dist.all_reduce %x on @mesh axes = ["tp"] reduction = <mean> : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_gather_wrong_size(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dist.all_gather' op result dimension 1 is 8, expected 16}}
  %0 = dist.all_gather %x on @mesh axes = ["tp"] dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_gather_other_dim_changed(%x: tensor<4x8xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'dist.all_gather' op result dimension 0 is 8, expected 4}}
  %0 = dist.all_gather %x on @mesh axes = ["tp"] dim = 1 : tensor<4x8xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_gather_dim_out_of_range(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dist.all_gather' op dimension 2 is out of range for a tensor of rank 2}}
  %0 = dist.all_gather %x on @mesh axes = ["tp"] dim = 2 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_gather_element_type(%x: tensor<4x8xf32>) -> tensor<4x16xf16> {
  // expected-error @+1 {{'dist.all_gather' op result element type 'f16' differs from the operand's 'f32'}}
  %0 = dist.all_gather %x on @mesh axes = ["tp"] dim = 1 : tensor<4x8xf32> -> tensor<4x16xf16>
  return %0 : tensor<4x16xf16>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_gather_rank(%x: tensor<4x8xf32>) -> tensor<64xf32> {
  // expected-error @+1 {{'dist.all_gather' op result rank 1 differs from the operand's 2}}
  %0 = dist.all_gather %x on @mesh axes = ["tp"] dim = 0 : tensor<4x8xf32> -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [3]
func.func @reduce_scatter_not_divisible(%x: tensor<4x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'dist.reduce_scatter' op dimension 0 of size 4 is not divisible by the group size 3}}
  %0 = dist.reduce_scatter %x on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<4x8xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @reduce_scatter_wrong_size(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dist.reduce_scatter' op result dimension 0 is 4, expected 2}}
  %0 = dist.reduce_scatter %x on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_to_all_wrong_shape(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dist.all_to_all' op result dimension 0 is 4, expected 8}}
  %0 = dist.all_to_all %x on @mesh axes = ["tp"] split_dim = 1 concat_dim = 0 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]
func.func @all_to_all_concat_dim_out_of_range(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dist.all_to_all' op dimension -1 is out of range for a tensor of rank 2}}
  %0 = dist.all_to_all %x on @mesh axes = ["tp"] split_dim = 1 concat_dim = -1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @broadcast_root(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dist.broadcast' op root 2 is not a position in the group of 2 ranks}}
  %0 = dist.broadcast %x on @mesh axes = ["dp"] root = 2 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

dist.mesh @mesh axes = ["pp"] shape = [2]
func.func @send_outside_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{'dist.send' op 'to' coordinate 2 is outside axis 'pp' of size 2}}
  dist.send %x on @mesh axis = "pp" to = 2 : tensor<4xf32>
  return
}

// -----

dist.mesh @mesh axes = ["pp"] shape = [2]
func.func @recv_unknown_axis() -> tensor<4xf32> {
  // expected-error @+1 {{'dist.recv' op mesh @mesh has no axis 'tp'}}
  %0 = dist.recv on @mesh axis = "tp" from = 0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

dist.mesh @mesh axes = ["pp"] shape = [2]
func.func @recv_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dist.recv' op 'from' coordinate -1 is outside axis 'pp' of size 2}}
  %0 = dist.recv on @mesh axis = "pp" from = -1 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

dist.mesh @mesh axes = ["dp"] shape = [2]
func.func @axis_index_unknown_axis() -> index {
  // expected-error @+1 {{'dist.axis_index' op mesh @mesh has no axis 'pp'}}
  %0 = dist.axis_index on @mesh axis = "pp"
  return %0 : index
}

// -----

func.func @axis_index_unknown_mesh() -> index {
  // expected-error @+1 {{'dist.axis_index' op refers to @nowhere, which is not a 'dist.mesh'}}
  %0 = dist.axis_index on @nowhere axis = "pp"
  return %0 : index
}
