// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests MatMulInteger with zero points whose length is a symbolic
// dimension: each may hold one element at run time (then it is broadcast to
// every row of `a` or column of `b`) or one per row (column), which a
// run-time check enforces; the contraction reads the broadcast vector per
// row (column). It used to read the one-element vector at every row index.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[COLUMN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @symbolic_zero_points
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xui8>, %[[B:.*]]: tensor<3x2xui8>, %[[ZA:.*]]: tensor<?xui8>, %[[ZB:.*]]: tensor<?xui8>)
// CHECK: %[[ZA_SIZE:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?xi8>
// CHECK: %[[ZA_ONE:.*]] = arith.cmpi eq, %[[ZA_SIZE]], %{{.*}} : index
// CHECK: %[[ZA_ROWS:.*]] = arith.cmpi eq, %[[ZA_SIZE]], %{{.*}} : index
// CHECK: %[[ZA_OK:.*]] = arith.ori %[[ZA_ONE]], %[[ZA_ROWS]] : i1
// CHECK: cf.assert %[[ZA_OK]], "node 'mmi': MatMulInteger: 'a_zero_point' holds neither one element nor one per row of 'a'"
// CHECK: %[[ZA_FULL:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4xi8>)
// CHECK: tensor.extract
// CHECK: cf.assert %{{.*}}, "node 'mmi': MatMulInteger: 'b_zero_point' holds neither one element nor one per column of 'b'"
// CHECK: %[[ZB_FULL:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2xi8>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[ROW]], #[[COLUMN]], #{{.*}}], {{.*}} ins(%{{.*}}, %{{.*}}, %[[ZA_FULL]], %[[ZB_FULL]] : tensor<4x3xi8>, tensor<3x2xi8>, tensor<4xi8>, tensor<2xi8>)
func.func @symbolic_zero_points(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %za: tensor<?xui8>, %zb: tensor<?xui8>) -> tensor<4x2xi32> {
  %0 = graph.mat_mul_integer %a, %b a_zero_point %za b_zero_point %zb : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<?xui8>, tensor<?xui8>) -> tensor<4x2xi32> loc("mmi")
  return %0 : tensor<4x2xi32>
}

// -----

// Tests that a static per-row zero point against rows known only at run
// time is checked, and read as it is.
// CHECK-LABEL: func.func @static_zero_point_dynamic_rows
// CHECK: cf.assert %{{.*}}, "MatMulInteger: 'a_zero_point' holds neither one element nor one per row of 'a'"
// CHECK-NOT: tensor.extract
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x3xi8>, tensor<3x2xi8>, tensor<4xi8>)
func.func @static_zero_point_dynamic_rows(%a: tensor<?x3xi8>, %b: tensor<3x2xi8>, %za: tensor<4xi8>) -> tensor<?x2xi32> {
  %0 = graph.mat_mul_integer %a, %b a_zero_point %za : (tensor<?x3xi8>, tensor<3x2xi8>, tensor<4xi8>) -> tensor<?x2xi32>
  return %0 : tensor<?x2xi32>
}
