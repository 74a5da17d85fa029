// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Round-trips the indexing ops (GraphIndexingOps.td) through the printer and
// parser, with the result types their inference gives.

// CHECK-LABEL: func.func @indexing
func.func @indexing(%x: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>,
                    %e: tensor<4x2xi32>, %eu: tensor<4x2xf32>, %k: tensor<1xi64>,
                    %depth: tensor<i64>, %values: tensor<2xf32>, %lens: tensor<4xi64>,
                    %b: tensor<3x4x5xf32>, %i2: tensor<2x2xi64>) {
  // CHECK: graph.gather_nd %{{.*}} : (tensor<4x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  %0 = graph.gather_nd %x, %i {batch_dims = 0 : i64} : (tensor<4x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  // CHECK: graph.scatter_nd %{{.*}} {reduction = "mul"} : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
  %1 = graph.scatter_nd %x, %i, %u {reduction = "mul"} : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
  // CHECK: graph.scatter_elements %{{.*}} {axis = -1 : i64} : (tensor<4x4xf32>, tensor<4x2xi32>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %2 = graph.scatter_elements %x, %e, %eu {axis = -1 : i64} : (tensor<4x4xf32>, tensor<4x2xi32>, tensor<4x2xf32>) -> tensor<4x4xf32>
  // CHECK: graph.top_k %{{.*}} {axis = 0 : i64} : (tensor<4x4xf32>, tensor<1xi64>) -> (tensor<?x4xf32>, tensor<?x4xi64>)
  %3:2 = graph.top_k %x, %k {axis = 0 : i64} : (tensor<4x4xf32>, tensor<1xi64>) -> (tensor<?x4xf32>, tensor<?x4xi64>)
  // CHECK: graph.one_hot %{{.*}} : (tensor<4xi64>, tensor<i64>, tensor<2xf32>) -> tensor<4x?xf32>
  %4 = graph.one_hot %lens, %depth, %values : (tensor<4xi64>, tensor<i64>, tensor<2xf32>) -> tensor<4x?xf32>
  // CHECK: graph.eye_like %{{.*}} {dtype = i64, k = 2 : i64} : (tensor<4x4xf32>) -> tensor<4x4xi64>
  %5 = graph.eye_like %x {dtype = i64, k = 2 : i64} : (tensor<4x4xf32>) -> tensor<4x4xi64>
  // CHECK: graph.reverse_sequence %{{.*}} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  %6 = graph.reverse_sequence %x, %lens : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  // CHECK: graph.einsum %{{.*}} {equation = "...ij->...ji"} : (tensor<3x4x5xf32>) -> tensor<3x5x4xf32>
  %7 = graph.einsum %b {equation = "...ij->...ji"} : (tensor<3x4x5xf32>) -> tensor<3x5x4xf32>
  // Implicit output: the letters used once (i, k); b and j are summed.
  // CHECK: graph.einsum %{{.*}} {equation = "bij,bjk"} : (tensor<3x4x5xf32>, tensor<3x5x4xf32>) -> tensor<4x4xf32>
  %8 = graph.einsum %b, %7 {equation = "bij,bjk"} : (tensor<3x4x5xf32>, tensor<3x5x4xf32>) -> tensor<4x4xf32>
  // CHECK: graph.det %{{.*}} : (tensor<4x4xf32>) -> tensor<f32>
  %9 = graph.det %x : (tensor<4x4xf32>) -> tensor<f32>
  // The result has one column per n-gram index (the largest is 2).
  // CHECK: graph.tfidf_vectorizer %{{.*}} : (tensor<2x2xi64>) -> tensor<2x3xf32>
  %10 = graph.tfidf_vectorizer %i2 {max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 2, 0>, pool_int64s = array<i64: 4, 5, 6>, weights = array<f32: 1.0, 2.0, 3.0>} : (tensor<2x2xi64>) -> tensor<2x3xf32>
  return
}
