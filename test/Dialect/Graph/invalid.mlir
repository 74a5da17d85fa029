// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Verifier errors of every graph op. Each error of an op's type inference is
// followed by the generic "failed to infer returned types" error.

//===----------------------------------------------------------------------===//
// Result type checks and elementwise ops
//===----------------------------------------------------------------------===//

// Tests that a declared result type contradicting the inferred one is rejected.
func.func @result_type_mismatch(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'graph.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'graph.add' op failed to infer returned types}}
  %0 = graph.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that a Clip bound of another element type is rejected.
func.func @clip_bound_type(%x: tensor<4xf32>, %lo: tensor<f16>) {
  // expected-error @+2 {{bound 'min' has element type 'f16', expected 'f32'}}
  // expected-error @+1 {{'graph.clip' op failed to infer returned types}}
  %0 = graph.clip %x min %lo : (tensor<4xf32>, tensor<f16>) -> tensor<4xf32>
  return
}

// -----

// Tests that a Clip bound with more than one element is rejected.
func.func @clip_bound_shape(%x: tensor<4xf32>, %hi: tensor<2xf32>) {
  // expected-error @+2 {{bound 'max' has shape [2], expected a single element}}
  // expected-error @+1 {{'graph.clip' op failed to infer returned types}}
  %0 = graph.clip %x max %hi : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that BitShift rejects a direction other than LEFT and RIGHT.
func.func @bit_shift_direction(%x: tensor<4xui8>) {
  // expected-error @+1 {{attribute 'direction' failed to satisfy constraint}}
  %0 = graph.bit_shift %x, %x {direction = "UP"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

// Tests that a declared result rank contradicting the inferred one is rejected.
func.func @shape_result_length_mismatch(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'graph.shape' op inferred type(s) 'tensor<2xi64>' are incompatible with return type(s) of operation 'tensor<3xi64>'}}
  // expected-error @+1 {{'graph.shape' op failed to infer returned types}}
  %0 = graph.shape %x {start = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<3xi64>
  return
}

// -----

// Tests that a constant whose value is not a ranked tensor is rejected.
func.func @constant_not_tensor() {
  // expected-error @+2 {{'value' must be a ranked tensor}}
  // expected-error @+1 {{'graph.constant' op failed to infer returned types}}
  %0 = "graph.constant"() <{value = dense<1> : vector<2xi64>}> : () -> tensor<2xi64>
  return
}

// -----

// Tests that broadcasting rejects two different static dimensions.
func.func @add_broadcast_mismatch(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+2 {{shapes [2, 3] and [4] are not broadcast-compatible (dimension 3 against 4)}}
  // expected-error @+1 {{'graph.add' op failed to infer returned types}}
  %0 = graph.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that binary ops reject operands of different element types.
func.func @mul_element_type_mismatch(%x: tensor<2xf32>, %y: tensor<2xi64>) {
  // expected-error @+2 {{operands have different element types 'f32' and 'i64'}}
  // expected-error @+1 {{'graph.mul' op failed to infer returned types}}
  %0 = graph.mul %x, %y : (tensor<2xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that comparisons reject operands of different element types.
func.func @equal_element_type_mismatch(%x: tensor<2xi32>, %y: tensor<2xi64>) {
  // expected-error @+2 {{operands have different element types 'i32' and 'i64'}}
  // expected-error @+1 {{'graph.equal' op failed to infer returned types}}
  %0 = graph.equal %x, %y : (tensor<2xi32>, tensor<2xi64>) -> tensor<2xi1>
  return
}

// -----

// Tests that gelu rejects an unknown approximation.
func.func @gelu_bad_approximate(%x: tensor<4xf32>) {
  // expected-error @+2 {{'approximate' must be "none" or "tanh", got "fast"}}
  // expected-error @+1 {{'graph.gelu' op failed to infer returned types}}
  %0 = graph.gelu %x {approximate = "fast"} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that cast rejects a target type that is neither integer nor float.
func.func @cast_to_index(%x: tensor<4xf32>) {
  // expected-error @+2 {{'to' must be an integer or float type, got 'index'}}
  // expected-error @+1 {{'graph.cast' op failed to infer returned types}}
  %0 = graph.cast %x {to = index} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that where rejects branches of different element types.
func.func @where_element_type_mismatch(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf16>) {
  // expected-error @+2 {{'lhs' has element type 'f32' but 'rhs' has 'f16'}}
  // expected-error @+1 {{'graph.where' op failed to infer returned types}}
  %0 = graph.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// Tests that where rejects a condition that does not broadcast with the branches.
func.func @where_broadcast_mismatch(%c: tensor<3xi1>, %x: tensor<4xf32>) {
  // expected-error @+2 {{shapes [3] and [4] are not broadcast-compatible (dimension 3 against 4)}}
  // expected-error @+1 {{'graph.where' op failed to infer returned types}}
  %0 = graph.where %c, %x, %x : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

// Tests that mat_mul rejects operands of different element types.
func.func @matmul_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+2 {{'lhs' has element type 'f32' but 'rhs' has 'f16'}}
  // expected-error @+1 {{'graph.mat_mul' op failed to infer returned types}}
  %0 = graph.mat_mul %a, %b : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that mat_mul rejects a scalar operand.
func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{operands must have rank 1 or more}}
  // expected-error @+1 {{'graph.mat_mul' op failed to infer returned types}}
  %0 = graph.mat_mul %a, %b : (tensor<f32>, tensor<3x4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that mat_mul rejects different contraction dimensions.
func.func @matmul_contraction_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{contraction dimensions differ: 3 (lhs) against 4 (rhs)}}
  // expected-error @+1 {{'graph.mat_mul' op failed to infer returned types}}
  %0 = graph.mat_mul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that mat_mul checks the contraction of a promoted 1-D operand.
func.func @matmul_vector_contraction_mismatch(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{contraction dimensions differ: 3 (lhs) against 4 (rhs)}}
  // expected-error @+1 {{'graph.mat_mul' op failed to infer returned types}}
  %0 = graph.mat_mul %a, %b : (tensor<3xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

// Tests that mat_mul rejects batch dimensions that do not broadcast.
func.func @matmul_batch_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @+2 {{shapes [2] and [5] are not broadcast-compatible (dimension 2 against 5)}}
  // expected-error @+1 {{'graph.mat_mul' op failed to infer returned types}}
  %0 = graph.mat_mul %a, %b : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that gemm rejects operands that are not matrices.
func.func @gemm_not_matrices(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'a' and 'b' must be matrices, got ranks 3 and 2}}
  // expected-error @+1 {{'graph.gemm' op failed to infer returned types}}
  %0 = graph.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that gemm rejects 'a' and 'b' of different element types.
func.func @gemm_element_type_mismatch(%a: tensor<2x4xf32>, %b: tensor<4x5xf16>) {
  // expected-error @+2 {{'a' has element type 'f32' but 'b' has 'f16'}}
  // expected-error @+1 {{'graph.gemm' op failed to infer returned types}}
  %0 = graph.gemm %a, %b : (tensor<2x4xf32>, tensor<4x5xf16>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that gemm compares the contraction dimensions after transposition.
func.func @gemm_contraction_mismatch(%a: tensor<4x8xf32>, %b: tensor<16x7xf32>) {
  // expected-error @+2 {{contraction dimensions differ: 8 (a) against 7 (b)}}
  // expected-error @+1 {{'graph.gemm' op failed to infer returned types}}
  %0 = graph.gemm %a, %b {trans_b = true} : (tensor<4x8xf32>, tensor<16x7xf32>) -> tensor<4x16xf32>
  return
}

// -----

// Tests that gemm rejects a 'c' of another element type.
func.func @gemm_c_element_type_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<16xf16>) {
  // expected-error @+2 {{'a' has element type 'f32' but 'c' has 'f16'}}
  // expected-error @+1 {{'graph.gemm' op failed to infer returned types}}
  %0 = graph.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf16>) -> tensor<4x16xf32>
  return
}

// -----

// Tests that gemm rejects a 'c' that does not broadcast to the result.
func.func @gemm_c_broadcast_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<3xf32>) {
  // expected-error @+2 {{'c' of shape [3] does not broadcast to [4, 16]}}
  // expected-error @+1 {{'graph.gemm' op failed to infer returned types}}
  %0 = graph.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<3xf32>) -> tensor<4x16xf32>
  return
}

// -----

// Tests that gemm rejects a 'c' of higher rank than the result.
func.func @gemm_c_rank_too_high(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<1x4x16xf32>) {
  // expected-error @+2 {{'c' of shape [1, 4, 16] does not broadcast to [4, 16]}}
  // expected-error @+1 {{'graph.gemm' op failed to infer returned types}}
  %0 = graph.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<1x4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// Tests that softmax rejects an axis out of range.
func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'axis' value is 5, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.softmax' op failed to infer returned types}}
  %0 = "graph.softmax"(%x) <{axis = 5 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that layer_normalization rejects an axis out of range.
func.func @layer_norm_axis_out_of_range(%x: tensor<2x8x16xf32>, %g: tensor<16xf32>) {
  // expected-error @+2 {{'axis' value is -4, accepted range is [-3, 2]}}
  // expected-error @+1 {{'graph.layer_normalization' op failed to infer returned types}}
  %0 = graph.layer_normalization %x, %g {axis = -4 : i64} : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Tests that layer_normalization rejects a scale of another element type.
func.func @layer_norm_scale_element_type(%x: tensor<2x8x16xf32>, %g: tensor<16xf16>) {
  // expected-error @+2 {{'input' has element type 'f32' but 'scale' has 'f16'}}
  // expected-error @+1 {{'graph.layer_normalization' op failed to infer returned types}}
  %0 = graph.layer_normalization %x, %g : (tensor<2x8x16xf32>, tensor<16xf16>) -> tensor<2x8x16xf32>
  return
}

// -----

// Tests that layer_normalization rejects a scale that does not broadcast to the normalized dimensions.
func.func @layer_norm_scale_broadcast(%x: tensor<2x8x16xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'scale' of shape [8] does not broadcast to [16]}}
  // expected-error @+1 {{'graph.layer_normalization' op failed to infer returned types}}
  %0 = graph.layer_normalization %x, %g : (tensor<2x8x16xf32>, tensor<8xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Tests that layer_normalization rejects a bias of another element type.
func.func @layer_norm_bias_element_type(%x: tensor<2x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf16>) {
  // expected-error @+2 {{'input' has element type 'f32' but 'bias' has 'f16'}}
  // expected-error @+1 {{'graph.layer_normalization' op failed to infer returned types}}
  %0 = graph.layer_normalization %x, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf16>) -> tensor<2x8x16xf32>
  return
}

// -----

// Tests that layer_normalization rejects a bias that does not broadcast to the normalized dimensions.
func.func @layer_norm_bias_broadcast(%x: tensor<2x8x16xf32>, %g: tensor<8x16xf32>, %b: tensor<2x8x16xf32>) {
  // expected-error @+2 {{'bias' of shape [2, 8, 16] does not broadcast to [8, 16]}}
  // expected-error @+1 {{'graph.layer_normalization' op failed to infer returned types}}
  %0 = graph.layer_normalization %x, %g, %b {axis = 1 : i64} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Tests that batch_normalization rejects an input without a channel dimension.
func.func @batch_norm_rank(%x: tensor<8xf32>, %p: tensor<8xf32>) {
  // expected-error @+2 {{input must have rank 2 or more, got 1}}
  // expected-error @+1 {{'graph.batch_normalization' op failed to infer returned types}}
  %0 = graph.batch_normalization %x, %p, %p, %p, %p : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

// Tests that batch_normalization rejects a parameter of another element type.
func.func @batch_norm_element_type(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %m: tensor<8xf16>) {
  // expected-error @+2 {{'input' has element type 'f32' but 'mean' has 'f16'}}
  // expected-error @+1 {{'graph.batch_normalization' op failed to infer returned types}}
  %0 = graph.batch_normalization %x, %p, %p, %m, %p : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf16>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

// Tests that batch_normalization rejects parameters with the wrong number of channels.
func.func @batch_norm_channels(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %v: tensor<4xf32>) {
  // expected-error @+2 {{'variance' must be a vector of 8 channels, got shape [4]}}
  // expected-error @+1 {{'graph.batch_normalization' op failed to infer returned types}}
  %0 = graph.batch_normalization %x, %p, %p, %p, %v : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

// Tests that batch_normalization rejects a parameter that is not a vector, with a dynamic channel count.
func.func @batch_norm_dynamic_channels(%x: tensor<1x?x4xf32>, %s: tensor<2x2xf32>, %p: tensor<4xf32>) {
  // expected-error @+2 {{'scale' must be a vector of ? channels, got shape [2, 2]}}
  // expected-error @+1 {{'graph.batch_normalization' op failed to infer returned types}}
  %0 = graph.batch_normalization %x, %s, %p, %p, %p : (tensor<1x?x4xf32>, tensor<2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x?x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// Tests that conv rejects an input without spatial dimensions.
func.func @conv_input_rank(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{input must have rank 3 or more (N x C x spatial dims), got rank 2}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64>, pads = array<i64>, strides = array<i64>} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that conv rejects a weight whose rank differs from the input's.
func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3xf32>) {
  // expected-error @+2 {{weight has rank 3 but input has rank 4}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects a weight of another element type.
func.func @conv_weight_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf16>) {
  // expected-error @+2 {{'input' has element type 'f32' but 'weight' has 'f16'}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf16>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects strides with the wrong number of entries.
func.func @conv_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'strides' has 1 entries, expected 2}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects pads with the wrong number of entries.
func.func @conv_pads_length(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'pads' has 2 entries, expected 4}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects negative pads.
func.func @conv_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'pads' entries must be at least 0, got -1}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects a zero dilation.
func.func @conv_zero_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'dilations' entries must be at least 1, got 0}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects a group count below 1.
func.func @conv_zero_group(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'group' must be positive, got 0}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects an input channel count the weight does not expect.
func.func @conv_channel_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{input has 4 channels but weight expects 3 (3 per group x 1 groups)}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects input channels that do not match the channels per group times the groups.
func.func @conv_group_channel_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<16x4x3x3xf32>) {
  // expected-error @+2 {{input has 4 channels but weight expects 8 (4 per group x 2 groups)}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects a filter count that does not divide into the groups.
func.func @conv_filters_not_divisible(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @+2 {{the 5 filters do not divide into 2 groups}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32>
  return
}

// -----

// Tests that conv rejects a bias with another number of elements than filters.
func.func @conv_bias_length(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'bias' must be a vector of 16 elements, got shape [8]}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<8xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects a bias that is not a vector, with a dynamic filter count.
func.func @conv_bias_not_vector(%x: tensor<1x3x8x8xf32>, %w: tensor<?x3x3x3xf32>, %b: tensor<2x2xf32>) {
  // expected-error @+2 {{'bias' must be a vector of ? elements, got shape [2, 2]}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<?x3x3x3xf32>, tensor<2x2xf32>) -> tensor<1x?x6x6xf32>
  return
}

// -----

// Tests that conv rejects a bias of another element type.
func.func @conv_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf16>) {
  // expected-error @+2 {{'input' has element type 'f32' but 'bias' has 'f16'}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf16>) -> tensor<1x16x6x6xf32>
  return
}

// -----

// Tests that conv rejects a dilated kernel larger than the padded input.
func.func @conv_window_too_large(%x: tensor<1x3x4x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{window of size 5 is larger than the padded input of size 4}}
  // expected-error @+1 {{'graph.conv' op failed to infer returned types}}
  %0 = graph.conv %x, %w {dilations = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x4x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x1x6xf32>
  return
}

// -----

// Tests that max_pool rejects an input without spatial dimensions.
func.func @max_pool_input_rank(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{input must have rank 3 or more (N x C x spatial dims), got rank 2}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64>, strides = array<i64>, pads = array<i64>, dilations = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that max_pool rejects a kernel shape with the wrong number of entries.
func.func @max_pool_kernel_shape_length(%x: tensor<1x8x16x16xf32>) {
  // expected-error @+2 {{'kernel_shape' has 1 entries, expected 2}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that max_pool rejects an empty kernel dimension.
func.func @max_pool_zero_kernel(%x: tensor<1x8x16x16xf32>) {
  // expected-error @+2 {{'kernel_shape' entries must be at least 1, got 0}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 0, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that max_pool rejects strides with the wrong number of entries.
func.func @max_pool_strides_length(%x: tensor<1x8x16x16xf32>) {
  // expected-error @+2 {{'strides' has 3 entries, expected 2}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that max_pool rejects pads with the wrong number of entries.
func.func @max_pool_pads_length(%x: tensor<1x8x16x16xf32>) {
  // expected-error @+2 {{'pads' has 2 entries, expected 4}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that max_pool rejects dilations with the wrong number of entries.
func.func @max_pool_dilations_length(%x: tensor<1x8x16x16xf32>) {
  // expected-error @+2 {{'dilations' has 1 entries, expected 2}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that max_pool rejects a window larger than the input.
func.func @max_pool_window_too_large(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{window of size 5 is larger than the padded input of size 4}}
  // expected-error @+1 {{'graph.max_pool' op failed to infer returned types}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 5, 5>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

// Tests that average_pool rejects a zero stride.
func.func @average_pool_zero_stride(%x: tensor<1x8x16x16xf32>) {
  // expected-error @+2 {{'strides' entries must be at least 1, got 0}}
  // expected-error @+1 {{'graph.average_pool' op failed to infer returned types}}
  %0 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that average_pool counts the pads when it rejects a window larger than the input.
func.func @average_pool_window_too_large(%x: tensor<1x8x2x8xf32>) {
  // expected-error @+2 {{window of size 5 is larger than the padded input of size 4}}
  // expected-error @+1 {{'graph.average_pool' op failed to infer returned types}}
  %0 = graph.average_pool %x {kernel_shape = array<i64: 5, 1>, strides = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>} : (tensor<1x8x2x8xf32>) -> tensor<1x8x1x8xf32>
  return
}

// -----

// Tests that global_average_pool rejects an input without spatial dimensions.
func.func @global_average_pool_rank(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{input must have rank 3 or more (N x C x spatial dims), got rank 2}}
  // expected-error @+1 {{'graph.global_average_pool' op failed to infer returned types}}
  %0 = graph.global_average_pool %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that global_max_pool rejects an input without spatial dimensions.
func.func @global_max_pool_rank(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{input must have rank 3 or more (N x C x spatial dims), got rank 2}}
  // expected-error @+1 {{'graph.global_max_pool' op failed to infer returned types}}
  %0 = graph.global_max_pool %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// Tests that reductions reject constant axes out of range.
func.func @reduce_axis_out_of_range(%x: tensor<2x3x4xf32>) {
  %axes = graph.constant dense<3> : tensor<1xi64>
  // expected-error @+2 {{'axes' value is 3, accepted range is [-3, 2]}}
  // expected-error @+1 {{'graph.reduce_sum' op failed to infer returned types}}
  %0 = graph.reduce_sum %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x4xf32>
  return
}

// -----

// Tests that reductions reject an axis listed twice (once as a negative index).
func.func @reduce_axis_twice(%x: tensor<2x3x4xf32>) {
  %axes = graph.constant dense<[1, -2]> : tensor<2xi64>
  // expected-error @+2 {{'axes' lists axis -2 twice}}
  // expected-error @+1 {{'graph.reduce_mean' op failed to infer returned types}}
  %0 = graph.reduce_mean %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x4xf32>
  return
}

// -----

// Tests that non-constant axes of dynamic length cannot drop dimensions.
func.func @reduce_dynamic_axes_no_keepdims(%x: tensor<2x3x4xf32>, %axes: tensor<?xi64>) {
  // expected-error @+2 {{non-constant 'axes' with keepdims = false needs a static, non-zero number of axes}}
  // expected-error @+1 {{'graph.reduce_sum' op failed to infer returned types}}
  %0 = graph.reduce_sum %x, %axes {keepdims = false} : (tensor<2x3x4xf32>, tensor<?xi64>) -> tensor<?xf32>
  return
}

// -----

// Tests that non-constant axes of static length 0 are empty: every
// dimension is reduced.
func.func @reduce_empty_axes_no_keepdims(%x: tensor<2x3x4xf32>, %axes: tensor<0xi64>) {
  // expected-error @+2 {{'graph.reduce_sum' op inferred type(s) 'tensor<f32>' are incompatible with return type(s) of operation 'tensor<2x3x4xf32>'}}
  // expected-error @+1 {{'graph.reduce_sum' op failed to infer returned types}}
  %0 = graph.reduce_sum %x, %axes {keepdims = false} : (tensor<2x3x4xf32>, tensor<0xi64>) -> tensor<2x3x4xf32>
  return
}

// -----

// Tests that non-constant axes may not have more entries than the rank.
func.func @reduce_too_many_axes(%x: tensor<2x3x4xf32>, %axes: tensor<4xi64>) {
  // expected-error @+2 {{'axes' has 4 entries for a tensor of rank 3}}
  // expected-error @+1 {{'graph.reduce_mean' op failed to infer returned types}}
  %0 = graph.reduce_mean %x, %axes {keepdims = false} : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Reshape, transpose, flatten
//===----------------------------------------------------------------------===//

// Tests that reshape needs a shape operand of static length.
func.func @reshape_dynamic_length_shape(%x: tensor<2x3xf32>, %s: tensor<?xi64>) {
  // expected-error @+2 {{'shape' must have a static length}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?xf32>
  return
}

// -----

// Tests that reshape rejects two -1 entries.
func.func @reshape_two_inferred(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+2 {{'shape' has more than one -1 entry}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Tests that reshape rejects a 0 entry (copy) past the input's rank.
func.func @reshape_zero_past_rank(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[2, 3, 0]> : tensor<3xi64>
  // expected-error @+2 {{'shape' entry 2 is 0 (copy the input dimension) but the input has rank 2}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x3x1xf32>
  return
}

// -----

// Tests that reshape rejects negative entries other than -1.
func.func @reshape_negative_entry(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[2, -3]> : tensor<2xi64>
  // expected-error @+2 {{'shape' entry 1 is -3; entries must be -1 or non-negative}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that reshape with allowzero rejects a shape holding both 0 and -1.
func.func @reshape_allowzero_zero_and_inferred(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[0, -1]> : tensor<2xi64>
  // expected-error @+2 {{'shape' may not hold both 0 and -1 when 'allowzero' is set}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s {allowzero = true} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<0x?xf32>
  return
}

// -----

// Tests that reshape rejects a -1 entry that does not divide the element count.
func.func @reshape_inferred_not_divisible(%x: tensor<2x3x4xf32>) {
  %s = graph.constant dense<[5, -1]> : tensor<2xi64>
  // expected-error @+2 {{cannot reshape 24 elements to [5, -1]}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<5x?xf32>
  return
}

// -----

// Tests that reshape rejects a shape with another element count, after copying 0 entries.
func.func @reshape_element_count_mismatch(%x: tensor<2x3x4xf32>) {
  %s = graph.constant dense<[0, 5]> : tensor<2xi64>
  // expected-error @+2 {{cannot reshape 24 elements to [2, 5]}}
  // expected-error @+1 {{'graph.reshape' op failed to infer returned types}}
  %0 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that transpose rejects a perm with the wrong number of entries.
func.func @transpose_perm_length(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'perm' has 2 entries for a tensor of rank 3}}
  // expected-error @+1 {{'graph.transpose' op failed to infer returned types}}
  %0 = graph.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Tests that transpose rejects a perm with a repeated entry.
func.func @transpose_perm_repeated(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'perm' is not a permutation of [0, 3)}}
  // expected-error @+1 {{'graph.transpose' op failed to infer returned types}}
  %0 = graph.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x2x3xf32>
  return
}

// -----

// Tests that transpose rejects a perm entry out of range (negative entries are not accepted).
func.func @transpose_perm_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'perm' is not a permutation of [0, 3)}}
  // expected-error @+1 {{'graph.transpose' op failed to infer returned types}}
  %0 = graph.transpose %x {perm = array<i64: -1, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return
}

// -----

// Tests that flatten rejects an axis past the rank (the rank itself is accepted).
func.func @flatten_axis_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'axis' value is 4, accepted range is [-3, 3]}}
  // expected-error @+1 {{'graph.flatten' op failed to infer returned types}}
  %0 = graph.flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Concat and split
//===----------------------------------------------------------------------===//

// Tests that concat needs at least one input.
func.func @concat_no_inputs() {
  // expected-error @+2 {{needs at least one input}}
  // expected-error @+1 {{'graph.concat' op failed to infer returned types}}
  %0 = graph.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

// Tests that concat rejects an axis out of range.
func.func @concat_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'axis' value is 2, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.concat' op failed to infer returned types}}
  %0 = graph.concat %x, %x {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Tests that concat rejects inputs of different element types.
func.func @concat_element_type_mismatch(%x: tensor<2x3xf32>, %y: tensor<2x3xi64>) {
  // expected-error @+2 {{input 1 has type 'tensor<2x3xi64>', incompatible with input 0 of type 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'graph.concat' op failed to infer returned types}}
  %0 = graph.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that concat rejects inputs of different ranks.
func.func @concat_rank_mismatch(%x: tensor<2x3xf32>, %y: tensor<2x3x1xf32>) {
  // expected-error @+2 {{input 1 has type 'tensor<2x3x1xf32>', incompatible with input 0 of type 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'graph.concat' op failed to infer returned types}}
  %0 = graph.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that concat rejects different sizes outside the concatenation axis.
func.func @concat_size_mismatch(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+2 {{input 1 has size 4 in dimension 1 but input 0 has 3}}
  // expected-error @+1 {{'graph.concat' op failed to infer returned types}}
  %0 = graph.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that concat names the input that fixed a dimension the first input leaves dynamic.
func.func @concat_size_mismatch_after_dynamic(%a: tensor<?x3xf32>, %b: tensor<2x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+2 {{input 2 has size 4 in dimension 0 but input 1 has 2}}
  // expected-error @+1 {{'graph.concat' op failed to infer returned types}}
  %0 = graph.concat %a, %b, %c {axis = 1 : i64} : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<?x9xf32>
  return
}

// -----

// Tests that split rejects an axis out of range.
func.func @split_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{'axis' value is -3, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.split' op failed to infer returned types}}
  %0:2 = graph.split %x {axis = -3 : i64, num_outputs = 2 : i64} : (tensor<2x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>)
  return
}

// -----

// Tests that split rejects a 'split' operand whose length differs from num_outputs.
func.func @split_sizes_length(%x: tensor<2x4xf32>, %s: tensor<3xi64>) {
  // expected-error @+2 {{'split' has 3 entries but the op has 2 results}}
  // expected-error @+1 {{'graph.split' op failed to infer returned types}}
  %0:2 = graph.split %x, %s {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<2x4xf32>, tensor<3xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  return
}

// -----

// Tests that split rejects negative sizes.
func.func @split_negative_size(%x: tensor<2x4xf32>) {
  %s = graph.constant dense<[-1, 5]> : tensor<2xi64>
  // expected-error @+2 {{'split' entries must be non-negative, got -1}}
  // expected-error @+1 {{'graph.split' op failed to infer returned types}}
  %0:2 = graph.split %x, %s {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<2x4xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  return
}

// -----

// Tests that split rejects sizes that do not add up to the split dimension.
func.func @split_sizes_sum(%x: tensor<2x4xf32>) {
  %s = graph.constant dense<[1, 2]> : tensor<2xi64>
  // expected-error @+2 {{'split' sizes add up to 3 but dimension 1 has size 4}}
  // expected-error @+1 {{'graph.split' op failed to infer returned types}}
  %0:2 = graph.split %x, %s {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<2x4xf32>, tensor<2xi64>) -> (tensor<2x1xf32>, tensor<2x2xf32>)
  return
}

// -----

// Tests that split without sizes rejects a dimension too small for non-empty pieces.
func.func @split_too_many_pieces(%x: tensor<4xf32>) {
  // expected-error @+2 {{cannot split dimension 0 of size 4 into 3 non-empty pieces}}
  // expected-error @+1 {{'graph.split' op failed to infer returned types}}
  %0:3 = graph.split %x {num_outputs = 3 : i64} : (tensor<4xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<0xf32>)
  return
}

// -----

// Tests that split rejects a result count other than num_outputs.
func.func @split_result_count(%x: tensor<4xf32>) {
  // expected-error @+2 {{'graph.split' op inferred type(s) 'tensor<2xf32>', 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>', 'tensor<2xf32>', 'tensor<2xf32>'}}
  // expected-error @+1 {{'graph.split' op failed to infer returned types}}
  %0:3 = graph.split %x {num_outputs = 2 : i64} : (tensor<4xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Slice and gather
//===----------------------------------------------------------------------===//

// Tests that slice needs starts of static length.
func.func @slice_dynamic_starts(%x: tensor<8x16xf32>, %s: tensor<?xi64>, %e: tensor<1xi64>) {
  // expected-error @+2 {{'starts' must have a static length}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %e : (tensor<8x16xf32>, tensor<?xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Tests that slice rejects ends of another length than starts.
func.func @slice_ends_length(%x: tensor<8x16xf32>, %s: tensor<1xi64>, %e: tensor<2xi64>) {
  // expected-error @+2 {{'ends' has 2 entries but 'starts' has 1}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %e : (tensor<8x16xf32>, tensor<1xi64>, tensor<2xi64>) -> tensor<?x16xf32>
  return
}

// -----

// Tests that slice rejects steps of another length than starts.
func.func @slice_steps_length(%x: tensor<8x16xf32>, %s: tensor<1xi64>, %a: tensor<1xi64>, %st: tensor<2xi64>) {
  // expected-error @+2 {{'steps' has 2 entries but 'starts' has 1}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %s axes %a steps %st : (tensor<8x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Tests that slice without axes rejects more bounds than dimensions.
func.func @slice_too_many_bounds(%x: tensor<8x16xf32>, %s: tensor<3xi64>) {
  // expected-error @+2 {{'starts' has 3 entries for a tensor of rank 2}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %s : (tensor<8x16xf32>, tensor<3xi64>, tensor<3xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Tests that slice rejects constant axes out of range.
func.func @slice_axis_out_of_range(%x: tensor<8x16xf32>) {
  %s = graph.constant dense<0> : tensor<1xi64>
  %e = graph.constant dense<4> : tensor<1xi64>
  %a = graph.constant dense<2> : tensor<1xi64>
  // expected-error @+2 {{'axes' value is 2, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %e axes %a : (tensor<8x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<8x16xf32>
  return
}

// -----

// Tests that slice rejects an axis listed twice.
func.func @slice_duplicate_axes(%x: tensor<8x16xf32>) {
  %s = graph.constant dense<0> : tensor<2xi64>
  %e = graph.constant dense<4> : tensor<2xi64>
  %a = graph.constant dense<[0, -2]> : tensor<2xi64>
  // expected-error @+2 {{'axes' lists axis -2 twice}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %e axes %a : (tensor<8x16xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<4x16xf32>
  return
}

// -----

// Tests that slice rejects a zero step.
func.func @slice_zero_step(%x: tensor<8x16xf32>) {
  %s = graph.constant dense<0> : tensor<1xi64>
  %e = graph.constant dense<4> : tensor<1xi64>
  %a = graph.constant dense<1> : tensor<1xi64>
  %st = graph.constant dense<0> : tensor<1xi64>
  // expected-error @+2 {{'steps' entries must be non-zero}}
  // expected-error @+1 {{'graph.slice' op failed to infer returned types}}
  %0 = graph.slice %x, %s, %e axes %a steps %st : (tensor<8x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<8x?xf32>
  return
}

// -----

// Tests that gather rejects scalar data.
func.func @gather_scalar_data(%x: tensor<f32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'data' must have rank 1 or more}}
  // expected-error @+1 {{'graph.gather' op failed to infer returned types}}
  %0 = graph.gather %x, %i : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that gather rejects an axis out of range.
func.func @gather_axis_out_of_range(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'axis' value is 2, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.gather' op failed to infer returned types}}
  %0 = graph.gather %x, %i {axis = 2 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Squeeze, unsqueeze, expand
//===----------------------------------------------------------------------===//

// Tests that squeeze without axes needs a static shape.
func.func @squeeze_no_axes_dynamic(%x: tensor<?x1xf32>) {
  // expected-error @+2 {{squeezing without 'axes' needs a static shape, got [?, 1]}}
  // expected-error @+1 {{'graph.squeeze' op failed to infer returned types}}
  %0 = graph.squeeze %x : (tensor<?x1xf32>) -> tensor<?xf32>
  return
}

// -----

// Tests that squeeze rejects a dimension whose size is not 1.
func.func @squeeze_non_unit_dim(%x: tensor<1x4xf32>) {
  %a = graph.constant dense<1> : tensor<1xi64>
  // expected-error @+2 {{cannot squeeze dimension 1 of size 4}}
  // expected-error @+1 {{'graph.squeeze' op failed to infer returned types}}
  %0 = graph.squeeze %x, %a : (tensor<1x4xf32>, tensor<1xi64>) -> tensor<1xf32>
  return
}

// -----

// Tests that squeeze rejects constant axes out of range.
func.func @squeeze_axis_out_of_range(%x: tensor<1x4xf32>) {
  %a = graph.constant dense<-3> : tensor<1xi64>
  // expected-error @+2 {{'axes' value is -3, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.squeeze' op failed to infer returned types}}
  %0 = graph.squeeze %x, %a : (tensor<1x4xf32>, tensor<1xi64>) -> tensor<4xf32>
  return
}

// -----

// Tests that squeeze rejects an axis listed twice.
func.func @squeeze_duplicate_axes(%x: tensor<1x4xf32>) {
  %a = graph.constant dense<[0, -2]> : tensor<2xi64>
  // expected-error @+2 {{'axes' lists axis -2 twice}}
  // expected-error @+1 {{'graph.squeeze' op failed to infer returned types}}
  %0 = graph.squeeze %x, %a : (tensor<1x4xf32>, tensor<2xi64>) -> tensor<4xf32>
  return
}

// -----

// Tests that squeeze needs non-constant axes of static length.
func.func @squeeze_dynamic_length_axes(%x: tensor<1x4xf32>, %a: tensor<?xi64>) {
  // expected-error @+2 {{'axes' must have a static length}}
  // expected-error @+1 {{'graph.squeeze' op failed to infer returned types}}
  %0 = graph.squeeze %x, %a : (tensor<1x4xf32>, tensor<?xi64>) -> tensor<?xf32>
  return
}

// -----

// Tests that squeeze rejects more non-constant axes than dimensions.
func.func @squeeze_too_many_axes(%x: tensor<1x4xf32>, %a: tensor<3xi64>) {
  // expected-error @+2 {{'axes' has 3 entries for a tensor of rank 2}}
  // expected-error @+1 {{'graph.squeeze' op failed to infer returned types}}
  %0 = graph.squeeze %x, %a : (tensor<1x4xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

// Tests that unsqueeze needs axes of static length.
func.func @unsqueeze_dynamic_length_axes(%x: tensor<4xf32>, %a: tensor<?xi64>) {
  // expected-error @+2 {{'axes' must have a static length}}
  // expected-error @+1 {{'graph.unsqueeze' op failed to infer returned types}}
  %0 = graph.unsqueeze %x, %a : (tensor<4xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Tests that unsqueeze checks axes against the result's rank.
func.func @unsqueeze_axis_out_of_range(%x: tensor<2x4xf32>) {
  %a = graph.constant dense<3> : tensor<1xi64>
  // expected-error @+2 {{'axes' value is 3, accepted range is [-3, 2]}}
  // expected-error @+1 {{'graph.unsqueeze' op failed to infer returned types}}
  %0 = graph.unsqueeze %x, %a : (tensor<2x4xf32>, tensor<1xi64>) -> tensor<2x4x1xf32>
  return
}

// -----

// Tests that unsqueeze rejects an axis listed twice.
func.func @unsqueeze_duplicate_axes(%x: tensor<4xf32>) {
  %a = graph.constant dense<[0, -3]> : tensor<2xi64>
  // expected-error @+2 {{'axes' lists axis -3 twice}}
  // expected-error @+1 {{'graph.unsqueeze' op failed to infer returned types}}
  %0 = graph.unsqueeze %x, %a : (tensor<4xf32>, tensor<2xi64>) -> tensor<1x1x4xf32>
  return
}

// -----

// Tests that expand needs a shape of static length.
func.func @expand_dynamic_length_shape(%x: tensor<4xf32>, %s: tensor<?xi64>) {
  // expected-error @+2 {{'shape' must have a static length}}
  // expected-error @+1 {{'graph.expand' op failed to infer returned types}}
  %0 = graph.expand %x, %s : (tensor<4xf32>, tensor<?xi64>) -> tensor<?xf32>
  return
}

// -----

// Tests that expand rejects negative dimensions.
func.func @expand_negative_dim(%x: tensor<4xf32>) {
  %s = graph.constant dense<[-1, 4]> : tensor<2xi64>
  // expected-error @+2 {{'shape' entries must be non-negative, got -1}}
  // expected-error @+1 {{'graph.expand' op failed to infer returned types}}
  %0 = graph.expand %x, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return
}

// -----

// Tests that expand rejects a shape that does not broadcast with the input.
func.func @expand_broadcast_mismatch(%x: tensor<2x3xf32>) {
  %s = graph.constant dense<[4, 3]> : tensor<2xi64>
  // expected-error @+2 {{shapes [2, 3] and [4, 3] are not broadcast-compatible (dimension 2 against 4)}}
  // expected-error @+1 {{'graph.expand' op failed to infer returned types}}
  %0 = graph.expand %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that trilu rejects an input of rank 1.
func.func @trilu_rank_1(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{'input' must have rank 2 or more}}
  // expected-error @+1 {{'graph.trilu' op failed to infer returned types}}
  %0 = graph.trilu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that NegativeLogLikelihoodLoss rejects an unknown reduction.
func.func @nll_bad_reduction(%x: tensor<2x3xf32>, %t: tensor<2xi64>) {
  // expected-error @+2 {{'reduction' must be "none", "sum" or "mean", got "max"}}
  // expected-error @+1 {{'graph.negative_log_likelihood_loss' op failed to infer returned types}}
  %0 = graph.negative_log_likelihood_loss %x, %t {reduction = "max"} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

// Tests that NegativeLogLikelihoodLoss rejects a target of the wrong shape.
func.func @nll_bad_target(%x: tensor<2x3x4xf32>, %t: tensor<2x5xi64>) {
  // expected-error @+2 {{target shape [2, 5] does not match input shape [2, 3, 4]}}
  // expected-error @+1 {{'graph.negative_log_likelihood_loss' op failed to infer returned types}}
  %0 = graph.negative_log_likelihood_loss %x, %t : (tensor<2x3x4xf32>, tensor<2x5xi64>) -> tensor<f32>
  return
}

// -----

// Tests that ArgMax rejects an axis out of range.
func.func @arg_max_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'axis' value is 2, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.arg_max' op failed to infer returned types}}
  %0 = graph.arg_max %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return
}
