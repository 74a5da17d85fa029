// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// The zoo's Llama (TorchScript export, symbolic batch) adds a mask typed
// ?x?x?x? that is [1, 1, S, S] at run time to scores of 8 heads. The
// broadcast maps read a dynamic dimension as is, so an operand dimension
// that may be 1 at run time while the result's is not is broadcast at run
// time: a copy reading index `dim == 1 ? 0 : i` through tensor.extract,
// after a run-time check that the size is 1 or the result's (a clean error
// naming the node when the operands do not broadcast).
// CHECK-LABEL: func @dynamic_operand_against_static_result
// CHECK-SAME: (%[[A:.*]]: tensor<2x8xf32>, %[[B:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[B]], %{{.*}}
// CHECK: %[[ONE0:.*]] = arith.cmpi eq, %[[D0]], %[[C1]]
// CHECK: %[[EQ0:.*]] = arith.cmpi eq, %[[D0]], %[[C2]]
// CHECK: %[[OK0:.*]] = arith.ori %[[ONE0]], %[[EQ0]]
// CHECK: cf.assert %[[OK0]], "node 'scores': Add: dimension 0 of operand 1 is neither 1 nor the result's size (the operands do not broadcast)"
// CHECK: cf.assert %{{.*}}, "node 'scores': Add: dimension 1 of operand 1 is neither 1
// When a check fails, the run goes on to the end of the model: the copy
// then reads nothing (scf.if on all sizes being 1 or the result's) and
// yields zeros, so that it never reads outside the operand.
// CHECK: %[[ISONE0:.*]] = arith.cmpi eq, %[[SIZE0:.*]], %[[ONE:.*]] : index
// CHECK-NEXT: %[[FITS0:.*]] = arith.cmpi eq, %[[SIZE0]], %[[C2]] : index
// CHECK-NEXT: %[[OKB0:.*]] = arith.ori %[[ISONE0]], %[[FITS0]]
// CHECK: %[[ISONE1:.*]] = arith.cmpi eq, %[[SIZE1:.*]], %[[ONE]] : index
// CHECK-NEXT: %[[FITS1:.*]] = arith.cmpi eq, %[[SIZE1]], %{{.*}} : index
// CHECK-NEXT: %[[OKB1:.*]] = arith.ori %[[ISONE1]], %[[FITS1]]
// CHECK-NEXT: %[[INSIDE:.*]] = arith.andi %[[OKB0]], %[[OKB1]]
// CHECK: %[[BCAST:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x8xf32>)
// CHECK: %[[I0:.*]] = linalg.index 0
// CHECK: %[[I1:.*]] = linalg.index 1
// CHECK: %[[J0:.*]] = arith.select %[[ISONE0]], %{{.*}}, %[[I0]]
// CHECK: %[[J1:.*]] = arith.select %[[ISONE1]], %{{.*}}, %[[I1]]
// CHECK: scf.if %[[INSIDE]] -> (f32)
// CHECK-NEXT: tensor.extract %[[B]][%[[J0]], %[[J1]]]
// CHECK: } else {
// CHECK-NEXT: arith.constant 0.000000e+00 : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[A]], %[[BCAST]] : tensor<2x8xf32>, tensor<2x8xf32>)
// CHECK: arith.addf
func.func @dynamic_operand_against_static_result(%a: tensor<2x8xf32>, %b: tensor<?x?xf32>) -> tensor<2x8xf32> {
  %0 = graph.add %a, %b : (tensor<2x8xf32>, tensor<?x?xf32>) -> tensor<2x8xf32> loc("scores")
  return %0 : tensor<2x8xf32>
}

// -----

// Two inputs with a dynamic batch: either may be 1 at run time, the result
// has the larger size, and both are checked and read through a run-time
// broadcast.
// CHECK-LABEL: func @two_dynamic_batches
// CHECK-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>)
// CHECK: %[[DA:.*]] = tensor.dim %[[A]]
// CHECK: %[[DB:.*]] = tensor.dim %[[B]]
// CHECK: %[[SIZE:.*]] = arith.maxui %[[DA]], %[[DB]]
// CHECK: cf.assert %{{.*}}, "Add: dimension 0 of operand 0 is neither 1 nor the result's size
// CHECK: cf.assert %{{.*}}, "Add: dimension 0 of operand 1 is neither 1 nor the result's size
// CHECK: %[[EA:.*]] = tensor.empty(%[[SIZE]]) : tensor<?x4xf32>
// CHECK: %[[BA:.*]] = linalg.generic {{.*}} outs(%[[EA]]
// CHECK: tensor.extract %[[A]]
// CHECK: %[[EB:.*]] = tensor.empty(%[[SIZE]]) : tensor<?x4xf32>
// CHECK: %[[BB:.*]] = linalg.generic {{.*}} outs(%[[EB]]
// CHECK: tensor.extract %[[B]]
// CHECK: linalg.generic {{.*}} ins(%[[BA]], %[[BB]] :
func.func @two_dynamic_batches(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.add %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// SiLU with a symbolic batch: x and sigmoid(x) have the same size along it
// (the sigmoid's generic writes into tensor.empty(dim(x, 0))), so the Mul
// reads both with plain indexing maps, without a check or a run-time
// broadcast, and the two generics can fuse. Sigmoid of another tensor of
// the same type is not known to have x's size: broadcast at run time.
// CHECK-LABEL: func @silu_symbolic_batch
// CHECK-NOT: cf.assert
// CHECK-NOT: tensor.extract
// CHECK: %[[SIG:.*]] = linalg.generic
// CHECK-NOT: tensor.extract
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SIG]] :
// CHECK: arith.mulf
// CHECK-NOT: cf.assert
// CHECK-NOT: tensor.extract
// CHECK: return
// CHECK-LABEL: func @mul_sigmoid_of_another
// CHECK: cf.assert %{{.*}}, "Mul: dimension 0 of operand 0 is neither 1 nor the result's size
// CHECK: cf.assert %{{.*}}, "Mul: dimension 0 of operand 1 is neither 1 nor the result's size
// CHECK: tensor.extract
func.func @silu_symbolic_batch(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %s = graph.sigmoid %x : (tensor<?x16xf32>) -> tensor<?x16xf32>
  %0 = graph.mul %x, %s : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}
func.func @mul_sigmoid_of_another(%x: tensor<?x16xf32>, %y: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %s = graph.sigmoid %y : (tensor<?x16xf32>) -> tensor<?x16xf32>
  %0 = graph.mul %x, %s : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// One dynamic input (the one the result's size comes from) and static ones:
// nothing to check, plain indexing maps.
// CHECK-LABEL: func @one_dynamic_input
// CHECK-NOT: cf.assert
// CHECK-NOT: tensor.extract
// CHECK: linalg.generic
// CHECK-NOT: tensor.extract
func.func @one_dynamic_input(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = graph.add %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Expand of an input whose dynamic dimension may be 1 at run time against a
// target entry that may not: checked, then broadcast at run time.
// CHECK-LABEL: func @expand_dynamic_input
// CHECK-SAME: (%[[X:.*]]: tensor<?xf32>, %[[S:.*]]: tensor<1xi64>)
// CHECK: cf.assert %{{.*}}, "node 'Expand_0': Expand: dimension 0 of the input is neither 1 nor the target shape's size (they do not broadcast)"
// CHECK: linalg.generic
// CHECK: tensor.extract %[[X]]
// CHECK: linalg.generic
func.func @expand_dynamic_input(%x: tensor<?xf32>, %shape: tensor<1xi64>) -> tensor<?xf32> {
  %0 = graph.expand %x, %shape : (tensor<?xf32>, tensor<1xi64>) -> tensor<?xf32> loc("Expand_0")
  return %0 : tensor<?xf32>
}

// -----

// Squeeze-and-excitation with a symbolic batch (efficientnet_b0,
// mobilenet_v3): the mean over H and W with kept dimensions is a reduction
// reshaped to [N, C, 1, 1], whose batch size the reshape takes from x's, so
// the Mul of x by sigmoid(mean) reads both with plain broadcast maps,
// without a check or a run-time broadcast.
// CHECK-LABEL: func @squeeze_excitation_symbolic_batch
// CHECK-NOT: cf.assert
// CHECK-NOT: tensor.extract
// CHECK: tensor.expand_shape
// CHECK-NOT: cf.assert
// CHECK-NOT: tensor.extract
// CHECK: arith.mulf
// CHECK-NOT: cf.assert
// CHECK-NOT: tensor.extract
// CHECK: return
func.func @squeeze_excitation_symbolic_batch(%x: tensor<?x16x4x4xf32>) -> tensor<?x16x4x4xf32> {
  %axes = graph.constant dense<[2, 3]> : tensor<2xi64>
  %m = graph.reduce_mean %x, %axes : (tensor<?x16x4x4xf32>, tensor<2xi64>) -> tensor<?x16x1x1xf32>
  %s = graph.sigmoid %m : (tensor<?x16x1x1xf32>) -> tensor<?x16x1x1xf32>
  %0 = graph.mul %x, %s : (tensor<?x16x4x4xf32>, tensor<?x16x1x1xf32>) -> tensor<?x16x4x4xf32>
  return %0 : tensor<?x16x4x4xf32>
}
