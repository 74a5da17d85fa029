// RUN: exaforge-opt %s --convert-graph-to-linalg --canonicalize --cse -split-input-file | FileCheck %s

// Layout parameters given at run time (function arguments, as graph inputs
// are): they are read with tensor.extract, the values ONNX rejects are
// checked with cf.assert, and the layout is computed in index arithmetic.
// (canonicalize and cse fold the checks and sizes that constants decide.)
// execution-runtime-params.mlir and execution-runtime-checks.mlir run them.

// Tests Squeeze with run-time axes: range and unit-size checks (the static
// size-1 dimensions need none), then a reshape to the computed sizes.
// CHECK-LABEL: func.func @squeeze
// CHECK-SAME: %[[X:.*]]: tensor<1x3x1x5xf32>, %[[AXES:.*]]: tensor<1xi64>
// CHECK: %[[A:.*]] = tensor.extract %[[AXES]][%{{.*}}] : tensor<1xi64>
// CHECK: arith.index_cast %[[A]] : i64 to index
// CHECK: cf.assert %{{.*}}, "Squeeze: an 'axes' entry is outside [-4, 3]"
// CHECK-NOT: lists a dimension twice
// CHECK: cf.assert %{{.*}}, "Squeeze: a dimension listed in 'axes' does not have size 1"
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}}, %{{.*}}, %{{.*}} : tensor<3xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<1x3x1x5xf32>, tensor<3xindex>) -> tensor<?x?x?xf32>
// CHECK: return %[[R]]
func.func @squeeze(%x: tensor<1x3x1x5xf32>, %axes: tensor<1xi64>) -> tensor<?x?x?xf32> {
  %0 = graph.squeeze %x, %axes : (tensor<1x3x1x5xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// Tests Unsqueeze with two run-time axes: range and repeat checks, then a
// reshape to the computed sizes.
// CHECK-LABEL: func.func @unsqueeze
// CHECK-SAME: %[[X:.*]]: tensor<3x4xf32>
// CHECK: cf.assert %{{.*}}, "Unsqueeze: an 'axes' entry is outside [-4, 3]"
// CHECK: cf.assert %{{.*}}, "Unsqueeze: 'axes' lists a dimension twice"
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}} : tensor<4xindex>
// CHECK: tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<3x4xf32>, tensor<4xindex>) -> tensor<?x?x?x?xf32>
func.func @unsqueeze(%x: tensor<3x4xf32>, %axes: tensor<2xi64>) -> tensor<?x?x?x?xf32> {
  %0 = graph.unsqueeze %x, %axes : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// Tests that a result size the type declares is checked, and the result
// copied into a tensor of the declared shape.
// CHECK-LABEL: func.func @unsqueeze_declared
// CHECK: cf.assert %{{.*}}, "Unsqueeze: result dimension 0 differs from its declared size 4"
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<4x?xf32>
// CHECK: %[[PART:.*]] = tensor.extract_slice %{{.*}}[0, 0] [%{{.*}}, %{{.*}}] [1, 1] : tensor<?x?xf32> to tensor<?x?xf32>
// CHECK: %[[R:.*]] = tensor.insert_slice %[[PART]] into %[[E]][0, 0] [%{{.*}}, %{{.*}}] [1, 1] : tensor<?x?xf32> into tensor<4x?xf32>
// CHECK: return %[[R]]
func.func @unsqueeze_declared(%x: tensor<4xf32>, %axes: tensor<1xi64>) -> tensor<4x?xf32> {
  %0 = graph.unsqueeze %x, %axes : (tensor<4xf32>, tensor<1xi64>) -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// -----

// Tests Slice with run-time starts and ends on a constant axis and no
// steps: no check (ONNX clamps every value), a view with computed offset and
// size.
// CHECK-LABEL: func.func @slice_view
// CHECK-SAME: %[[X:.*]]: tensor<8x16xf32>
// CHECK-NOT: cf.assert
// CHECK: %[[S:.*]] = tensor.extract_slice %[[X]][0, %{{.*}}] [8, %{{.*}}] [1, 1] : tensor<8x16xf32> to tensor<8x?xf32>
// CHECK: return %[[S]]
func.func @slice_view(%x: tensor<8x16xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>) -> tensor<8x?xf32> {
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  %0 = graph.slice %x, %starts, %ends axes %axes : (tensor<8x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<8x?xf32>
  return %0 : tensor<8x?xf32>
}

// -----

// Tests Slice with run-time axes and steps: axis and step checks, then a
// copy that reads element `first + i * step` of each dimension.
// CHECK-LABEL: func.func @slice_steps
// CHECK-SAME: %[[X:.*]]: tensor<5x6xf32>
// CHECK: cf.assert %{{.*}}, "Slice: an 'axes' entry is outside [-2, 1]"
// CHECK: cf.assert %{{.*}}, "Slice: 'axes' lists a dimension twice"
// CHECK: cf.assert %{{.*}}, "Slice: a 'steps' entry is 0"
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<?x?xf32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[OI:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK: %[[SI:.*]] = arith.addi %{{.*}}, %[[OI]] : index
// CHECK: %[[OJ:.*]] = arith.muli %[[J]], %{{.*}} : index
// CHECK: %[[SJ:.*]] = arith.addi %{{.*}}, %[[OJ]] : index
// CHECK: tensor.extract %[[X]][%[[SI]], %[[SJ]]] : tensor<5x6xf32>
func.func @slice_steps(%x: tensor<5x6xf32>, %starts: tensor<2xi64>, %ends: tensor<2xi64>, %axes: tensor<2xi64>, %steps: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<5x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests Slice with a constant negative step on a dimension of unknown size:
// the copy reads backwards from the clamped start.
// CHECK-LABEL: func.func @slice_negative_step_dynamic
// CHECK-SAME: %[[X:.*]]: tensor<?x16xf32>
// CHECK-NOT: cf.assert
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x16xf32>
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<?x16xf32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[BACK:.*]] = arith.subi %{{.*}}, %[[I]] : index
// CHECK: tensor.extract %[[X]][%[[BACK]], %[[J]]] : tensor<?x16xf32>
func.func @slice_negative_step_dynamic(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %starts = graph.constant dense<[-1]> : tensor<1xi64>
  %ends = graph.constant dense<[-9223372036854775807]> : tensor<1xi64>
  %axes = graph.constant dense<[0]> : tensor<1xi64>
  %steps = graph.constant dense<[-1]> : tensor<1xi64>
  %0 = graph.slice %x, %starts, %ends axes %axes steps %steps : (tensor<?x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// Tests Split with run-time sizes: sign and total checks, then one view per
// piece at clamped offsets.
// CHECK-LABEL: func.func @split
// CHECK-SAME: %[[X:.*]]: tensor<6xf32>
// CHECK: cf.assert %{{.*}}, "Split: a 'split' entry is negative"
// CHECK: cf.assert %{{.*}}, "Split: the 'split' entries do not add up to the size of axis 0"
// CHECK: %[[A:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: %[[B:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: %[[P0:.*]] = tensor.extract_slice %[[X]][0] [%[[A]]] [1] : tensor<6xf32> to tensor<?xf32>
// CHECK: %[[P1:.*]] = tensor.extract_slice %[[X]][%[[A]]] [%[[B]]] [1] : tensor<6xf32> to tensor<?xf32>
// CHECK: return %[[P0]], %[[P1]]
func.func @split(%x: tensor<6xf32>, %split: tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0:2 = graph.split %x, %split {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<6xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// Tests that Split of an empty axis makes empty pieces (the slice verifier
// rejects offset 0 in a dimension of size 0).
// CHECK-LABEL: func.func @split_empty
// CHECK: cf.assert %{{.*}}, "Split: the 'split' entries do not add up to the size of axis 0"
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[E]] : tensor<0xf32> to tensor<?xf32>
// CHECK: return %[[C]], %[[C]]
func.func @split_empty(%x: tensor<0xf32>, %split: tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0:2 = graph.split %x, %split {axis = 0 : i64, num_outputs = 2 : i64} : (tensor<0xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// Tests Pad with run-time axes: each dimension takes the pads of the entry
// naming it.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: %[[X:.*]]: tensor<3x4xf32>, %[[PADS:.*]]: tensor<2xi64>
// CHECK: cf.assert %{{.*}}, "Pad: an 'axes' entry is outside [-2, 1]"
// CHECK: tensor.extract %[[PADS]]
// CHECK: tensor.extract %[[PADS]]
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<?x?xf32>)
func.func @pad(%x: tensor<3x4xf32>, %pads: tensor<2xi64>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = graph.pad %x, %pads axes %axes : (tensor<3x4xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests ReduceSum with run-time axes and keepdims: a copy moving the listed
// dimension last, a reduction of the last dimension, and a reshape to the
// keepdims sizes.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK: cf.assert %{{.*}}, "ReduceSum: an 'axes' entry is outside [-2, 1]"
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK: %[[MOVED:.*]] = linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel", "parallel"]} outs(%[[E]] : tensor<?x?xf32>)
// CHECK: tensor.extract %[[X]]
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]], iterator_types = ["parallel", "reduction"]} ins(%[[MOVED]] : tensor<?x?xf32>)
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[SUM]](%[[SHAPE]]) : (tensor<?xf32>, tensor<2xindex>) -> tensor<?x?xf32>
// CHECK: return %[[R]]
func.func @reduce_sum_keepdims(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = graph.reduce_sum %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests ReduceMean with two run-time axes without keepdims: the mean
// divides by the element count of the moved dimensions.
// CHECK-LABEL: func.func @reduce_mean
// CHECK: cf.assert %{{.*}}, "ReduceMean: 'axes' lists a dimension twice"
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: arith.divf
// CHECK-NOT: tensor.reshape
func.func @reduce_mean(%x: tensor<2x3x4xf32>, %axes: tensor<2xi64>) -> tensor<?xf32> {
  %0 = graph.reduce_mean %x, %axes {keepdims = false} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Tests CumSum with a run-time axis: a generic over the result whose body
// sums along the axis with an scf.for, reading the input with the axis
// coordinate replaced by the loop index.
// CHECK-LABEL: func.func @cum_sum
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>, %[[AXIS:.*]]: tensor<i64>
// CHECK: tensor.extract %[[AXIS]][] : tensor<i64>
// CHECK: cf.assert %{{.*}}, "CumSum: an 'axis' entry is outside [-2, 1]"
// CHECK: linalg.generic
// CHECK: %[[SUM:.*]] = scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%{{.*}}, %{{.*}}] : tensor<2x3xf32>
// CHECK: %[[NEXT:.*]] = arith.addf %[[V]], %[[ACC]] : f32
// CHECK: scf.yield %[[NEXT]] : f32
// CHECK: linalg.yield %[[SUM]] : f32
func.func @cum_sum(%x: tensor<2x3xf32>, %axis: tensor<i64>) -> tensor<2x3xf32> {
  %0 = graph.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
