// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests that a constant becomes arith.constant with the same attribute.
// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.*]] = arith.constant dense<[3, -1]> : tensor<2xi64>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xi64> {
  %0 = graph.constant dense<[3, -1]> : tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests that Identity forwards its operand.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: %[[X:.*]]: tensor<?x4xf32>
// CHECK-NEXT: return %[[X]]
func.func @identity(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.identity %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Tests that Shape of static dimensions (from `start`) is a constant.
// CHECK-LABEL: func.func @shape_static
// CHECK: %[[C:.*]] = arith.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_static(%x: tensor<?x3x4xf32>) -> tensor<2xi64> {
  %0 = graph.shape %x {start = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests that Shape with a dynamic dimension reads every size at run time.
// CHECK-LABEL: func.func @shape_dynamic
// CHECK-SAME: %[[X:.*]]: tensor<?x3xf32>
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[I0:.*]] = arith.index_cast %[[D0]] : index to i64
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[I1:.*]] = arith.index_cast %[[D1]] : index to i64
// CHECK: %[[S:.*]] = tensor.from_elements %[[I0]], %[[I1]] : tensor<2xi64>
// CHECK: return %[[S]]
func.func @shape_dynamic(%x: tensor<?x3xf32>) -> tensor<2xi64> {
  %0 = graph.shape %x : (tensor<?x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests that Reshape with a constant shape holding 0 and -1 is one
// collapse_shape.
// CHECK-LABEL: func.func @reshape_constant
// CHECK: %[[R:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: return %[[R]]
func.func @reshape_constant(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %s = graph.constant dense<[0, -1]> : tensor<2xi64>
  %0 = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// Tests that Reshape keeping a dynamic batch (0) regroups only the
// dimensions after it, with the batch size read by tensor.dim.
// CHECK-LABEL: func.func @reshape_dynamic_batch
// CHECK-SAME: %[[X:.*]]: tensor<?x3x4xf32>
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2]] : tensor<?x3x4xf32> into tensor<?x12xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{\[\[}}0], [1, 2]] output_shape [%[[B]], 2, 6] : tensor<?x12xf32> into tensor<?x2x6xf32>
// CHECK: return %[[E]]
func.func @reshape_dynamic_batch(%x: tensor<?x3x4xf32>) -> tensor<?x2x6xf32> {
  %s = graph.constant dense<[0, 2, -1]> : tensor<3xi64>
  %0 = graph.reshape %x, %s : (tensor<?x3x4xf32>, tensor<3xi64>) -> tensor<?x2x6xf32>
  return %0 : tensor<?x2x6xf32>
}

// -----

// Tests that Reshape to a run-time shape with several unknown sizes reads
// the shape (0 copies the input size, -1 is inferred) and uses
// tensor.reshape.
// CHECK-LABEL: func.func @reshape_runtime
// CHECK-SAME: %[[X:.*]]: tensor<?x12xf32>, %[[S:.*]]: tensor<3xi64>
// CHECK-COUNT-3: tensor.extract %[[S]]
// CHECK: arith.divui
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}}, %{{.*}}, %{{.*}} : tensor<3xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<?x12xf32>, tensor<3xindex>) -> tensor<?x?x?xf32>
// CHECK: return %[[R]]
func.func @reshape_runtime(%x: tensor<?x12xf32>, %s: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %0 = graph.reshape %x, %s : (tensor<?x12xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// Tests Flatten at axis 0 (a leading unit dimension), in the middle, at the
// rank (a trailing unit dimension) and at a negative axis.
// CHECK-LABEL: func.func @flatten
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// CHECK: %[[C0:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[A0:.*]] = tensor.expand_shape %[[C0]] {{\[\[}}0, 1]] output_shape [1, 24] : tensor<24xf32> into tensor<1x24xf32>
// CHECK: %[[A2:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[C3:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[A3:.*]] = tensor.expand_shape %[[C3]] {{\[\[}}0, 1]] output_shape [24, 1] : tensor<24xf32> into tensor<24x1xf32>
// CHECK: %[[AN:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: return %[[A0]], %[[A2]], %[[A3]], %[[AN]]
func.func @flatten(%x: tensor<2x3x4xf32>) -> (tensor<1x24xf32>, tensor<6x4xf32>, tensor<24x1xf32>, tensor<2x12xf32>) {
  %0 = graph.flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  %1 = graph.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %2 = graph.flatten %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  %3 = graph.flatten %x {axis = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0, %1, %2, %3 : tensor<1x24xf32>, tensor<6x4xf32>, tensor<24x1xf32>, tensor<2x12xf32>
}

// -----

// Tests Squeeze of listed axes (one negative) around a dynamic dimension and
// Unsqueeze at a negative axis.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME: %[[X:.*]]: tensor<1x?x1x4xf32>
// CHECK: %[[S:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2], [3]] : tensor<1x?x1x4xf32> into tensor<?x4xf32>
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[U:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, %[[D]], 1, 4, 1] : tensor<1x?x1x4xf32> into tensor<1x?x1x4x1xf32>
// CHECK: return %[[S]], %[[U]]
func.func @squeeze_unsqueeze(%x: tensor<1x?x1x4xf32>) -> (tensor<?x4xf32>, tensor<1x?x1x4x1xf32>) {
  %a = graph.constant dense<[0, -2]> : tensor<2xi64>
  %0 = graph.squeeze %x, %a : (tensor<1x?x1x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  %b = graph.constant dense<[-1]> : tensor<1xi64>
  %1 = graph.unsqueeze %x, %b : (tensor<1x?x1x4xf32>, tensor<1xi64>) -> tensor<1x?x1x4x1xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<1x?x1x4x1xf32>
}

// -----

// Tests that Transpose is linalg.transpose into a tensor sized from the
// permuted input sizes.
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: %[[X:.*]]: tensor<?x3x4xf32>
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<4x?x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<?x3x4xf32>) outs(%[[E]] : tensor<4x?x3xf32>) permutation = [2, 0, 1]
// CHECK: return %[[T]]
func.func @transpose(%x: tensor<?x3x4xf32>) -> tensor<4x?x3xf32> {
  %0 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<?x3x4xf32>) -> tensor<4x?x3xf32>
  return %0 : tensor<4x?x3xf32>
}

// -----

// Tests that Concat along a negative axis inserts each operand at the sum of
// the sizes before it.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: %[[A:.*]]: tensor<2x?xf32>, %[[B:.*]]: tensor<2x3xf32>
// CHECK: %[[SUM:.*]] = arith.addi %[[DA:.*]], %{{.*}} : index
// CHECK: %[[E:.*]] = tensor.empty(%[[SUM]]) : tensor<2x?xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, %{{.*}}] [1, 1]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][0, %[[DA]]] [2, 3] [1, 1]
// CHECK: return %[[I1]]
func.func @concat(%a: tensor<2x?xf32>, %b: tensor<2x3xf32>) -> tensor<2x?xf32> {
  %0 = graph.concat %a, %b {axis = -1 : i64} : (tensor<2x?xf32>, tensor<2x3xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// Tests Split into 3 equal pieces but a smaller last one, and with constant
// sizes along a negative axis: views of the input.
// CHECK-LABEL: func.func @split
// CHECK-SAME: %[[X:.*]]: tensor<2x7xf32>
// CHECK: tensor.extract_slice %[[X]][0, 0] [2, 3] [1, 1] : tensor<2x7xf32> to tensor<2x3xf32>
// CHECK: tensor.extract_slice %[[X]][0, 3] [2, 3] [1, 1] : tensor<2x7xf32> to tensor<2x3xf32>
// CHECK: tensor.extract_slice %[[X]][0, 6] [2, 1] [1, 1] : tensor<2x7xf32> to tensor<2x1xf32>
// CHECK: tensor.extract_slice %[[X]][0, 0] [2, 2] [1, 1] : tensor<2x7xf32> to tensor<2x2xf32>
// CHECK: tensor.extract_slice %[[X]][0, 2] [2, 5] [1, 1] : tensor<2x7xf32> to tensor<2x5xf32>
func.func @split(%x: tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x2xf32>, tensor<2x5xf32>) {
  %0:3 = graph.split %x {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>)
  %s = graph.constant dense<[2, 5]> : tensor<2xi64>
  %1:2 = graph.split %x, %s {axis = -1 : i64, num_outputs = 2 : i64} : (tensor<2x7xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x5xf32>)
  return %0#0, %0#1, %0#2, %1#0, %1#1 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x2xf32>, tensor<2x5xf32>
}

// -----

// Tests Split of a dynamic dimension: ceil(dim / 2), then the rest.
// CHECK-LABEL: func.func @split_dynamic
// CHECK-SAME: %[[X:.*]]: tensor<?x4xf32>
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[P:.*]] = arith.ceildivui %[[D]], %{{.*}} : index
// CHECK: %[[L:.*]] = arith.subi %[[D]], %{{.*}} : index
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[X]][0, 0] [%[[P]], 4] [1, 1]
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[X]][%[[P]], 0] [%[[L]], 4] [1, 1]
// CHECK: return %[[S0]], %[[S1]]
func.func @split_dynamic(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %0:2 = graph.split %x {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>)
  return %0#0, %0#1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// Tests Slice with a positive step (a strided extract_slice) and a negative
// step with clamped bounds (a generic reading the view backwards).
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (d0, d1 * -2 + 5)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @slice
// CHECK-SAME: %[[X:.*]]: tensor<5x6xf32>
// CHECK: %[[V:.*]] = tensor.extract_slice %[[X]][1, 0] [2, 6] [2, 1] : tensor<5x6xf32> to tensor<2x6xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[REV]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[V]] : tensor<2x6xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: return %[[G]]
func.func @slice(%x: tensor<5x6xf32>) -> tensor<2x3xf32> {
  %starts = graph.constant dense<[1, -1]> : tensor<2xi64>
  %ends = graph.constant dense<[100, -100]> : tensor<2xi64>
  %axes = graph.constant dense<[0, 1]> : tensor<2xi64>
  %steps = graph.constant dense<[2, -2]> : tensor<2xi64>
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<5x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests Slice of a dynamic dimension: the bounds are clamped at run time.
// CHECK-LABEL: func.func @slice_dynamic
// CHECK-SAME: %[[X:.*]]: tensor<?x6xf32>
// CHECK: %[[SH:.*]] = arith.addi %[[D:.*]], %{{.*}} : index
// CHECK: %[[START:.*]] = arith.maxsi %[[SH]], %{{.*}} : index
// CHECK: %[[END:.*]] = arith.minsi %{{.*}}, %[[D]] : index
// CHECK: %[[EXT:.*]] = arith.subi %[[END]], %[[START]] : index
// CHECK: %[[POS:.*]] = arith.maxsi %[[EXT]], %{{.*}} : index
// CHECK: %[[SIZE:.*]] = arith.ceildivsi %[[POS]], %{{.*}} : index
// CHECK: %[[S:.*]] = tensor.extract_slice %[[X]][%[[START]], 0] [%[[SIZE]], 6] [1, 1] : tensor<?x6xf32> to tensor<?x6xf32>
// CHECK: return %[[S]]
func.func @slice_dynamic(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %starts = graph.constant dense<[-3]> : tensor<1xi64>
  %ends = graph.constant dense<[9223372036854775807]> : tensor<1xi64>
  %0 = graph.slice %x, %starts, %ends : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

// Tests that Gather on axis 1 loads each element with tensor.extract after
// wrapping negative indices and clamping.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: %[[X:.*]]: tensor<3x4xf32>, %[[I:.*]]: tensor<2xi64>
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel"]} ins(%[[I]] : tensor<2xi64>)
// CHECK: %[[IN:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[IN]]
// CHECK: %[[WRAP:.*]] = arith.addi %[[IN]], %{{.*}}
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[IN]]
// CHECK: %[[MIN:.*]] = arith.minsi %[[SEL]]
// CHECK: %[[CL:.*]] = arith.maxsi %[[MIN]]
// CHECK: %[[ROW:.*]] = linalg.index 0
// CHECK: %[[E:.*]] = tensor.extract %[[X]][%[[ROW]], %[[CL]]]
// CHECK: linalg.yield %[[E]]
func.func @gather(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<3x2xf32> {
  %0 = graph.gather %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Tests that Expand to a constant shape is a broadcasting generic copy.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @expand
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: outs(%[[E]] : tensor<2x3x4xf32>)
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %s = graph.constant dense<[2, 1, 4]> : tensor<3xi64>
  %0 = graph.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Tests that Expand to a run-time shape reads the dynamic result size from
// it (an entry of 1 keeps the input size).
// CHECK-LABEL: func.func @expand_runtime
// CHECK-SAME: %[[X:.*]]: tensor<3x1xf32>, %[[S:.*]]: tensor<2xi64>
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK: %[[ENTRY:.*]] = tensor.extract %[[S]]
// CHECK: %[[N:.*]] = arith.index_cast %[[ENTRY]] : i64 to index
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %[[N]]
// CHECK: %[[SIZE:.*]] = arith.select %[[ONE]], %[[D]], %[[N]] : index
// CHECK: tensor.empty(%[[SIZE]]) : tensor<3x?xf32>
func.func @expand_runtime(%x: tensor<3x1xf32>, %s: tensor<2xi64>) -> tensor<3x?xf32> {
  %0 = graph.expand %x, %s : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x?xf32>
  return %0 : tensor<3x?xf32>
}

// -----

// Tests that Size of a static shape is a constant and of a dynamic one the
// product of the sizes.
// CHECK-LABEL: func.func @size
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<?x4xf32>
// CHECK: %[[C:.*]] = arith.constant dense<6> : tensor<i64>
// CHECK: %[[D:.*]] = tensor.dim %[[Y]], %{{.*}}
// CHECK: %[[P:.*]] = arith.muli %[[D]], %{{.*}} : index
// CHECK: %[[I:.*]] = arith.index_cast %[[P]] : index to i64
// CHECK: %[[N:.*]] = tensor.from_elements %[[I]] : tensor<i64>
// CHECK: return %[[C]], %[[N]]
func.func @size(%x: tensor<2x3xf32>, %y: tensor<?x4xf32>) -> (tensor<i64>, tensor<i64>) {
  %0 = graph.size %x : (tensor<2x3xf32>) -> tensor<i64>
  %1 = graph.size %y : (tensor<?x4xf32>) -> tensor<i64>
  return %0, %1 : tensor<i64>, tensor<i64>
}

// -----

// Tests that Trilu is a generic selecting the element or zero from the
// column minus the row compared with k (0 by default, else read at run
// time), on the last two dimensions.
// CHECK-LABEL: func.func @trilu
// CHECK-SAME: %[[X:.*]]: tensor<?x3x4xi64>, %[[K:.*]]: tensor<i64>
// CHECK: %[[K0:.*]] = arith.constant 0 : index
// CHECK: linalg.generic
// CHECK: %[[R:.*]] = linalg.index 1 : index
// CHECK: %[[C:.*]] = linalg.index 2 : index
// CHECK: %[[DIAG:.*]] = arith.subi %[[C]], %[[R]] : index
// CHECK: %[[KEEP:.*]] = arith.cmpi sge, %[[DIAG]], %[[K0]] : index
// CHECK: arith.select %[[KEEP]], %{{.*}}, %{{.*}} : i64
// CHECK: %[[KE:.*]] = tensor.extract %[[K]][] : tensor<i64>
// CHECK: %[[KI:.*]] = arith.index_cast %[[KE]] : i64 to index
// CHECK: linalg.generic
// CHECK: arith.cmpi sle, %{{.*}}, %[[KI]] : index
func.func @trilu(%x: tensor<?x3x4xi64>, %k: tensor<i64>) -> (tensor<?x3x4xi64>, tensor<?x3x4xi64>) {
  %0 = graph.trilu %x : (tensor<?x3x4xi64>) -> tensor<?x3x4xi64>
  %1 = graph.trilu %x, %k {upper = false} : (tensor<?x3x4xi64>, tensor<i64>) -> tensor<?x3x4xi64>
  return %0, %1 : tensor<?x3x4xi64>, tensor<?x3x4xi64>
}
