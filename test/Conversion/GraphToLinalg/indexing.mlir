// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Lowerings of the indexing ops (IndexingToLinalg.cpp); their values are
// checked by execution-indexing.mlir and the ONNX node tests.

// Tests that GatherND checks every index (an `and` reduction, then one
// check), then reads the tuple and the data element in a linalg.generic
// over the result.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @gather_nd
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<4x1xi64>
// CHECK: %[[ALL:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]]], iterator_types = ["reduction", "reduction"]} ins(%[[I]] : tensor<4x1xi64>)
// CHECK: %[[OK:.*]] = tensor.extract %[[ALL]][] : tensor<i1>
// CHECK: cf.assert %[[OK]], "GatherND: an index is outside [-2, 1]"
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[INDEX:.*]] = tensor.extract %[[I]]
// CHECK: arith.minsi
// CHECK: arith.maxsi
// CHECK: tensor.extract %[[X]]
func.func @gather_nd(%x: tensor<2x3xf32>, %i: tensor<4x1xi64>) -> tensor<4x3xf32> {
  %0 = graph.gather_nd %x, %i : (tensor<2x3xf32>, tensor<4x1xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Tests that ScatterND copies `data` and adds the updates one after the
// other in an scf.for nest over `updates`.
// CHECK-LABEL: func.func @scatter_nd
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>, %[[I:.*]]: tensor<2x1xi64>, %[[U:.*]]: tensor<2x4xf32>
// CHECK: cf.assert
// CHECK: %[[COPY:.*]] = linalg.copy ins(%[[X]] : tensor<4x4xf32>)
// CHECK: scf.for {{.*}} iter_args(%[[OUTER:.*]] = %[[COPY]])
// CHECK: scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[OUTER]])
// CHECK: %[[UPDATE:.*]] = tensor.extract %[[U]]
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]]
// CHECK: %[[SUM:.*]] = arith.addf %[[OLD]], %[[UPDATE]] : f32
// CHECK: tensor.insert %[[SUM]] into %[[ACC]]
func.func @scatter_nd(%x: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x4xf32> {
  %0 = graph.scatter_nd %x, %i, %u {reduction = "add"} : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Tests that ScatterElements with `max` on unsigned elements compares them
// unsigned.
// CHECK-LABEL: func.func @scatter_elements
// CHECK: cf.assert {{.*}}"ScatterElements: an index is outside [-3, 2]"
// CHECK: scf.for
// CHECK: arith.maxui
func.func @scatter_elements(%x: tensor<2x3xui8>, %i: tensor<2x2xi32>, %u: tensor<2x2xui8>) -> tensor<2x3xui8> {
  %0 = graph.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "max"} : (tensor<2x3xui8>, tensor<2x2xi32>, tensor<2x2xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// Tests that TopK with a run-time k loops over the k slots, each a
// reduction along the axis into a row inserted at the slot.
// CHECK-LABEL: func.func @top_k
// CHECK: cf.assert {{.*}}"TopK: 'k' is outside [0, the size of the axis]"
// CHECK: %[[K:.*]] = arith.minsi
// CHECK: %[[VALUES:.*]] = tensor.empty(%[[K]]) : tensor<3x?xf32>
// CHECK: %[[INDICES:.*]] = tensor.empty(%[[K]]) : tensor<3x?xi64>
// CHECK: scf.for %[[SLOT:.*]] = %{{.*}} to %[[K]] step %{{.*}} iter_args(%{{.*}} = %[[VALUES]], %{{.*}} = %[[INDICES]])
// CHECK: %[[BEST:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf olt
// CHECK: tensor.insert_slice %[[BEST]]#0 into {{.*}}[0, %[[SLOT]]] [3, 1] [1, 1] : tensor<3xf32> into tensor<3x?xf32>
// CHECK: tensor.insert_slice %[[BEST]]#1 into {{.*}}[0, %[[SLOT]]] [3, 1] [1, 1] : tensor<3xi64> into tensor<3x?xi64>
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %0:2 = graph.top_k %x, %k {axis = 1 : i64, largest = false} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %0#0, %0#1 : tensor<3x?xf32>, tensor<3x?xi64>
}

// -----

// Tests that OneHot with a run-time float depth sizes the new dimension
// from it and truncates float indices.
// CHECK-LABEL: func.func @one_hot
// CHECK: %[[DEPTH:.*]] = arith.fptosi %{{.*}} : f32 to i64
// CHECK: %[[SIZE:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: tensor.empty(%[[SIZE]]) : tensor<?x3xf32>
// CHECK: linalg.generic
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.cmpi eq
// CHECK: arith.select
func.func @one_hot(%i: tensor<3xf32>, %d: tensor<f32>, %v: tensor<2xf32>) -> tensor<?x3xf32> {
  %0 = graph.one_hot %i, %d, %v {axis = 0 : i64} : (tensor<3xf32>, tensor<f32>, tensor<2xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Tests that EyeLike writes 1 where j - i == k.
// CHECK-LABEL: func.func @eye_like
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x4xi32>)
// CHECK: %[[ROW:.*]] = linalg.index 0
// CHECK: %[[COLUMN:.*]] = linalg.index 1
// CHECK: %[[DIAGONAL:.*]] = arith.subi %[[COLUMN]], %[[ROW]]
// CHECK: %[[K:.*]] = arith.constant 1 : index
// CHECK: arith.cmpi eq, %[[DIAGONAL]], %[[K]]
func.func @eye_like(%x: tensor<3x4xf32>) -> tensor<3x4xi32> {
  %0 = graph.eye_like %x {dtype = i32, k = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xi32>
  return %0 : tensor<3x4xi32>
}

// -----

// Tests that ReverseSequence checks the lengths and reads mirrored steps.
// CHECK-LABEL: func.func @reverse_sequence
// CHECK: cf.assert {{.*}}"ReverseSequence: a sequence length is outside [0, the size of the time axis]"
// CHECK: linalg.generic
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract
func.func @reverse_sequence(%x: tensor<4x3xf32>, %l: tensor<3xi64>) -> tensor<4x3xf32> {
  %0 = graph.reverse_sequence %x, %l : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Tests that Einsum is one linalg.generic with the equation's maps: the
// batched product sums over j.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @einsum
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = graph.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Tests that Einsum reads a diagonal through a repeated loop.
// CHECK-DAG: #[[DIAG:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-LABEL: func.func @einsum_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #{{.*}}], iterator_types = ["parallel", "parallel"]}
func.func @einsum_diagonal(%x: tensor<3x5x5xf64>) -> tensor<3x5xf64> {
  %0 = graph.einsum %x {equation = "...ii ->...i"} : (tensor<3x5x5xf64>) -> tensor<3x5xf64>
  return %0 : tensor<3x5xf64>
}

// -----

// Tests that Det eliminates each matrix in scf.for loops.
// CHECK-LABEL: func.func @det
// CHECK: scf.for
// CHECK: tensor.extract_slice {{.*}} : tensor<3x2x2xf32> to tensor<2x2xf32>
// CHECK: linalg.copy
// CHECK: math.absf
// CHECK: arith.divf
// CHECK: tensor.insert {{.*}} : tensor<3xf32>
func.func @det(%x: tensor<3x2x2xf32>) -> tensor<3xf32> {
  %0 = graph.det %x : (tensor<3x2x2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that TfIdfVectorizer counts each pool n-gram (loops: rows, n-grams,
// gaps, starts), sums the counts per column, and weights them (TFIDF); a
// vector input is a matrix of one row.
// CHECK-LABEL: func.func @tfidf
// CHECK: tensor.expand_shape
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: tensor.collapse_shape
func.func @tfidf(%x: tensor<6xi32>) -> tensor<3xf32> {
  %0 = graph.tfidf_vectorizer %x {max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 2, 0>, pool_int64s = array<i64: 4, 5, 6>, weights = array<f32: 1.0, 2.0, 3.0>} : (tensor<6xi32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
