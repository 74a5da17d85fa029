// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Type inference errors of the indexing ops (GraphIndexingOps.td). Each is
// followed by the generic "failed to infer returned types" error.

func.func @gather_nd_dynamic_tuple(%x: tensor<4x4xf32>, %i: tensor<2x?xi64>) {
  // expected-error @+2 {{the last dimension of 'indices' must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.gather_nd %x, %i : (tensor<4x4xf32>, tensor<2x?xi64>) -> tensor<?xf32>
  return
}

// -----

func.func @gather_nd_batch_dims(%x: tensor<4x4xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+2 {{'batch_dims' is 2, must be in [0, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.gather_nd %x, %i {batch_dims = 2 : i64} : (tensor<4x4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) {
  // expected-error @+2 {{'updates' must have shape [2, 4], got [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.scatter_nd %x, %i, %u : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @scatter_reduction(%x: tensor<4xf32>, %i: tensor<1x1xi64>, %u: tensor<1xf32>) {
  // expected-error @+1 {{attribute 'reduction' failed to satisfy constraint: string attribute one of none, add, mul, max, min}}
  %0 = graph.scatter_nd %x, %i, %u {reduction = "sub"} : (tensor<4xf32>, tensor<1x1xi64>, tensor<1xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_elements_rank(%x: tensor<4x4xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'indices' must have the rank of 'data' (2), got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.scatter_elements %x, %i, %u : (tensor<4x4xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @top_k_too_many(%x: tensor<4x4xf32>) {
  %k = graph.constant dense<5> : tensor<1xi64>
  // expected-error @+2 {{'k' is 5, must be in [0, [4]] (the size of the axis)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = graph.top_k %x, %k : (tensor<4x4xf32>, tensor<1xi64>) -> (tensor<4x5xf32>, tensor<4x5xi64>)
  return
}

// -----

func.func @one_hot_values(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<3xf32>) {
  // expected-error @+2 {{'values' must be a vector of two elements (off, on), got 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.one_hot %i, %d, %v : (tensor<3xi64>, tensor<i64>, tensor<3xf32>) -> tensor<3x?xf32>
  return
}

// -----

func.func @reverse_sequence_axes(%x: tensor<4x4xf32>, %l: tensor<4xi64>) {
  // expected-error @+2 {{'batch_axis' and 'time_axis' must be 0 and 1 in some order, got 1 and 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.reverse_sequence %x, %l {batch_axis = 1 : i64, time_axis = 1 : i64} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  return
}

// -----

func.func @einsum_rank(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{equation 'ijk->i': term 'ijk' does not match an input of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.einsum %x {equation = "ijk->i"} : (tensor<4x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @einsum_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{equation 'ij,jk->ik': sizes 3 and 4 of one index disagree}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @det_not_square(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'input' must hold square matrices, got [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.det %x : (tensor<2x3xf32>) -> tensor<f32>
  return
}

// -----

func.func @tfidf_indexes(%x: tensor<2x6xi32>) {
  // expected-error @+2 {{'ngram_indexes' has 1 entries for 2 n-grams}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.tfidf_vectorizer %x {max_gram_length = 2 : i64, max_skip_count = 0 : i64, min_gram_length = 2 : i64, mode = "TF", ngram_counts = array<i64: 0, 0>, ngram_indexes = array<i64: 0>, pool_int64s = array<i64: 5, 6, 7, 8>} : (tensor<2x6xi32>) -> tensor<2x1xf32>
  return
}

// -----

// A depth that is not a number would be undefined to convert to a size.
func.func @one_hot_nan_depth(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  %d = graph.constant dense<0x7FC00000> : tensor<f32>
  // expected-error @+2 {{'depth' is nan, must be a number from 1 to 2^62}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.one_hot %i, %d, %v : (tensor<3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<3x?xf32>
  return
}

// -----

func.func @one_hot_huge_depth(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  %d = graph.constant dense<1.0e30> : tensor<f32>
  // expected-error @+2 {{'depth' is 1.000000e+30, must be a number from 1 to 2^62}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.one_hot %i, %d, %v : (tensor<3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<3x?xf32>
  return
}

// -----

// An infinite range has no size (the fuzzer's Range from 0 to inf).
func.func @range_infinite() {
  %start = graph.constant dense<0.0> : tensor<f32>
  %limit = graph.constant dense<0x7F800000> : tensor<f32>
  %delta = graph.constant dense<1.0> : tensor<f32>
  // expected-error @+2 {{range from 0.000000e+00 to INF by 1.000000e+00 has no representable number of elements}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return
}

// -----

// An empty range (limit below start) has zero elements.
func.func @range_empty() -> tensor<0xf32> {
  %start = graph.constant dense<5.0> : tensor<f32>
  %limit = graph.constant dense<1.0> : tensor<f32>
  %delta = graph.constant dense<1.0> : tensor<f32>
  %0 = graph.range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<0xf32>
  return %0 : tensor<0xf32>
}
