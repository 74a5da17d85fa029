// RUN: exaforge-opt %s --convert-graph-to-linalg --canonicalize -split-input-file | FileCheck %s

// Tests a reverse LSTM with a dynamic sequence and sequence lengths: one
// input product X * W^T for every step before the loop, an scf.for up to
// the dynamic length walking the steps backwards, and in each step the
// recurrent product, one generic for the gates (masked by the lengths),
// the states copied into the loop-carried tensors and the row of Y
// inserted at the step.
// CHECK-LABEL: func.func @lstm_reverse
// CHECK-SAME: %[[X:.*]]: tensor<?x2x4xf32>, %[[W:.*]]: tensor<1x12x4xf32>, %[[R:.*]]: tensor<1x12x3xf32>, %[[LENS:.*]]: tensor<2xi32>
// CHECK: %[[SEQ:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<?x2x4xf32> into tensor<?x4xf32>
// CHECK: %[[WD:.*]] = tensor.extract_slice %[[W]][0, 0, 0] [1, 12, 4] [1, 1, 1] : tensor<1x12x4xf32> to tensor<12x4xf32>
// CHECK: %[[RD:.*]] = tensor.extract_slice %[[R]][0, 0, 0] [1, 12, 3] [1, 1, 1] : tensor<1x12x3xf32> to tensor<12x3xf32>
// CHECK: %[[XW:.*]] = linalg.matmul {{.*}} ins(%[[ROWS]], %[[WD]] : tensor<?x4xf32>, tensor<12x4xf32>)
// CHECK: %[[XW3:.*]] = tensor.expand_shape %[[XW]]
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[T:.*]] = %c0 to %[[SEQ]] step %c1 iter_args(%[[H:.*]] = %{{.*}}, %[[C:.*]] = %{{.*}}, %[[Y:.*]] = %{{.*}})
// CHECK:   %[[LAST:.*]] = arith.subi %[[SEQ]], %c1
// CHECK:   %[[TIME:.*]] = arith.subi %[[LAST]], %[[T]]
// CHECK:   tensor.extract_slice %[[XW3]][%[[TIME]], 0, 0] [1, 2, 12]
// CHECK:   %[[HR:.*]] = linalg.matmul {{.*}} ins(%[[H]], %[[RD]] : tensor<2x3xf32>, tensor<12x3xf32>)
// CHECK:   %[[STEP:.*]]:3 = linalg.generic
// CHECK:     math.tanh
// CHECK:     arith.cmpi slt, %[[TIME]]
// CHECK:   %[[NH:.*]] = linalg.copy ins(%[[STEP]]#0 : tensor<2x3xf32>) outs(%[[H]] : tensor<2x3xf32>)
// CHECK:   %[[NC:.*]] = linalg.copy ins(%[[STEP]]#2 : tensor<2x3xf32>) outs(%[[C]] : tensor<2x3xf32>)
// CHECK:   %[[NY:.*]] = tensor.insert_slice %[[STEP]]#1 into %[[Y]][%[[TIME]], 0, 0, 0] [1, 1, 2, 3]
// CHECK:   scf.yield %[[NH]], %[[NC]], %[[NY]]
// CHECK: %[[YH:.*]] = tensor.insert_slice %[[LOOP]]#0 into %{{.*}}[0, 0, 0] [1, 2, 3]
// CHECK: return %[[LOOP]]#2, %[[YH]]
func.func @lstm_reverse(%x: tensor<?x2x4xf32>, %w: tensor<1x12x4xf32>, %r: tensor<1x12x3xf32>, %lens: tensor<2xi32>) -> (tensor<?x1x2x3xf32>, tensor<1x2x3xf32>) {
  %y, %yh, %yc = graph.lstm %x, %w, %r sequence_lens %lens {hidden_size = 3 : i64, direction = "reverse", activations = ["Sigmoid", "Tanh", "Tanh"], activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>} : (tensor<?x2x4xf32>, tensor<1x12x4xf32>, tensor<1x12x3xf32>, tensor<2xi32>) -> (tensor<?x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
  return %y, %yh : tensor<?x1x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests a bidirectional GRU without linear_before_reset whose Y is unused:
// two loops (the second walking backwards), each step with a second
// product, of r (.) H by the rows of Rh, and no Y rows.
// CHECK-LABEL: func.func @gru_bidirectional
// CHECK: scf.for
// CHECK:   linalg.matmul
// CHECK:   linalg.generic
// CHECK:   %[[RH:.*]] = tensor.extract_slice %{{.*}}[4, 0] [2, 2] [1, 1] : tensor<6x2xf32> to tensor<2x2xf32>
// CHECK:   linalg.matmul {{.*}} ins(%{{.*}}, %[[RH]] : tensor<3x2xf32>, tensor<2x2xf32>)
// CHECK:   linalg.generic
// CHECK-NOT: tensor.insert_slice
// CHECK:   scf.yield %{{.*}} : tensor<3x2xf32>
// CHECK: scf.for
// CHECK:   arith.subi
// CHECK: return
func.func @gru_bidirectional(%x: tensor<4x3x5xf32>, %w: tensor<2x6x5xf32>, %r: tensor<2x6x2xf32>) -> tensor<2x3x2xf32> {
  %y, %yh = graph.gru %x, %w, %r {hidden_size = 2 : i64, direction = "bidirectional", activations = ["Sigmoid", "Tanh", "Sigmoid", "Tanh"], activation_alpha = array<f32: 0.0, 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0, 0.0>} : (tensor<4x3x5xf32>, tensor<2x6x5xf32>, tensor<2x6x2xf32>) -> (tensor<4x2x3x2xf32>, tensor<2x3x2xf32>)
  return %yh : tensor<2x3x2xf32>
}
