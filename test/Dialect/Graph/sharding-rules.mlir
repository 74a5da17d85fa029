// RUN: exaforge-opt %s -test-sharding-rules=ranks=2 -verify-diagnostics -split-input-file

// Tests the sharding rules the graph ops state (ShardingRuleOpInterface):
// for the operand layouts of `test.operand_layouts`, the layouts the op
// consumes its operands in and produces its results in.

// Elementwise ops with broadcasting: the result is split like the split
// operand, a broadcast constant is sliced to match, a size-1 dimension stays
// replicated.
func.func @elementwise(%x: tensor<4x8xf32>, %y: tensor<1x8xf32>) -> tensor<4x8xf32> {
  %bias = graph.constant dense<1.0> : tensor<8xf32>
  // expected-remark @below {{[split(1), split(0)] -> [split(1)]}}
  %0 = graph.mul %x, %bias {test.operand_layouts = ["split(1)", "replicated"]} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // expected-remark @below {{[split(0), replicated] -> [split(0)]}}
  %1 = graph.mul %0, %y {test.operand_layouts = ["split(0)", "replicated"]} : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  // Split along different dimensions: the op cannot consume them.
  // expected-remark @below {{cannot consume these operand layouts}}
  %2 = graph.div %1, %0 {test.operand_layouts = ["split(0)", "split(1)"]} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  // A partial sum is summed before a non-linear op.
  // expected-remark @below {{[replicated] -> [replicated]}}
  %3 = graph.relu %2 {test.operand_layouts = ["partial"]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %3 : tensor<4x8xf32>
}

// -----

// Add keeps partial sums partial (the constant is added on one rank only).
func.func @add_keeps_partial_sums(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %bias = graph.constant dense<1.0> : tensor<8xf32>
  // expected-remark @below {{[partial(sum), partial(sum)] -> [partial(sum)]}}
  %0 = graph.add %x, %bias {test.operand_layouts = ["partial", "replicated"]} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// MatMul with a constant right-hand matrix: column-parallel when its input
// is replicated, row-parallel (a partial sum for an all-reduce) when its
// input is split along the contraction.
func.func @matmul(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w1 = graph.constant dense<1.0> : tensor<16x32xf32>
  %w2 = graph.constant dense<1.0> : tensor<32x16xf32>
  // expected-remark @below {{[replicated, split(1)] -> [split(1)], column-parallel}}
  %0 = graph.mat_mul %x, %w1 : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  // expected-remark @below {{[split(1), split(0)] -> [partial(sum)]}}
  %1 = graph.mat_mul %0, %w2 {test.operand_layouts = ["split(1)", "replicated"]} : (tensor<4x32xf32>, tensor<32x16xf32>) -> tensor<4x16xf32>
  // A layer whose split had to be gathered stays whole.
  // expected-remark @below {{[replicated, replicated] -> [replicated]}}
  %2 = graph.mat_mul %x, %w1 {test.not_column_parallel} : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// Gemm with a transposed constant B: column-parallel splits B along N (its
// dimension 0) and C with it; row-parallel leaves C to one rank.
func.func @gemm(%x: tensor<4x16xf32>, %h: tensor<4x32xf32>) -> (tensor<4x32xf32>, tensor<4x8xf32>) {
  %w1 = graph.constant dense<1.0> : tensor<32x16xf32>
  %b1 = graph.constant dense<1.0> : tensor<32xf32>
  %w2 = graph.constant dense<1.0> : tensor<8x32xf32>
  %b2 = graph.constant dense<1.0> : tensor<8xf32>
  // expected-remark @below {{[replicated, split(0), split(0)] -> [split(1)], column-parallel}}
  %0 = graph.gemm %x, %w1, %b1 {trans_b = true} : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  // expected-remark @below {{[split(1), split(1), partial(sum)] -> [partial(sum)]}}
  %1 = graph.gemm %h, %w2, %b2 {trans_b = true, test.operand_layouts = ["split(1)", "replicated", "replicated"]} : (tensor<4x32xf32>, tensor<8x32xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x32xf32>, tensor<4x8xf32>
}

// -----

// Ops that move the split dimension of their first operand.
func.func @data_movement(%x: tensor<2x8x6xf32>) -> tensor<2x4x2x6xf32> {
  %shape = graph.constant dense<[2, 4, 2, 6]> : tensor<4xi64>
  // Transpose: the split follows its dimension.
  // expected-remark @below {{[split(1)] -> [split(2)]}}
  %0 = graph.transpose %x {perm = array<i64: 0, 2, 1>, test.operand_layouts = ["split(1)"]} : (tensor<2x8x6xf32>) -> tensor<2x6x8xf32>
  // Softmax keeps a split outside its axis, not along it.
  // expected-remark @below {{[split(1)] -> [split(1)]}}
  %1 = graph.softmax %x {axis = -1 : i64, test.operand_layouts = ["split(1)"]} : (tensor<2x8x6xf32>) -> tensor<2x8x6xf32>
  // expected-remark @below {{cannot consume these operand layouts}}
  %2 = graph.softmax %x {axis = -1 : i64, test.operand_layouts = ["split(2)"]} : (tensor<2x8x6xf32>) -> tensor<2x8x6xf32>
  // Reshape by a constant shape: 8 = 4 x 2 split over 2 ranks moves to the 4.
  // expected-remark @below {{[split(1), replicated] -> [split(1)]}}
  %3 = graph.reshape %1, %shape {test.operand_layouts = ["split(1)", "replicated"]} : (tensor<2x8x6xf32>, tensor<4xi64>) -> tensor<2x4x2x6xf32>
  return %3 : tensor<2x4x2x6xf32>
}

// -----

// GlobalMaxPool keeps a split of the batch or the channels, not of the pooled
// spatial dimensions.
func.func @global_max_pool(%x: tensor<2x8x4x4xf32>) -> tensor<2x8x1x1xf32> {
  // expected-remark @below {{[split(1)] -> [split(1)]}}
  %0 = graph.global_max_pool %x {test.operand_layouts = ["split(1)"]} : (tensor<2x8x4x4xf32>) -> tensor<2x8x1x1xf32>
  // expected-remark @below {{cannot consume these operand layouts}}
  %1 = graph.global_max_pool %x {test.operand_layouts = ["split(2)"]} : (tensor<2x8x4x4xf32>) -> tensor<2x8x1x1xf32>
  return %0 : tensor<2x8x1x1xf32>
}

// -----

// An op without a rule says so (tensor parallelism replicates it).
func.func @no_rule(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-remark @below {{no sharding rule}}
  %0 = graph.sin %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @bad_layout(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @below {{test.operand_layouts: expected "replicated", "partial" or "split(D)", got "diagonal"}}
  %0 = graph.relu %x {test.operand_layouts = ["diagonal"]} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
