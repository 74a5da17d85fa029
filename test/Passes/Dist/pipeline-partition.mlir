// RUN: exaforge-opt %s --dist-pipeline-partition="stages=2 microbatches=2" -split-input-file | FileCheck %s
// RUN: exaforge-opt %s --dist-pipeline-partition="stages=3 microbatches=1" -split-input-file | FileCheck %s --check-prefix=THREE

// Two stages, two micro-batches. The cost of the first MatMul (16x32) about
// equals that of the rest (ReLU, 32x32 MatMul, Add, 32x4 MatMul), so the cut
// falls after it: stage 0 sends one value per micro-batch, %0, which stage 1
// uses twice (ReLU and the residual Add). Each stage materializes only its
// own weights, outside its loop over min(2, batch) slices of the batch.

// CHECK-LABEL: dist.mesh @mesh axes = ["pp"] shape = [2]
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: tensor<?x16xf32> {graph.name = "x"})
// CHECK-SAME:    -> (tensor<?x4xf32> {dist.produced_on = {pp = 1 : i64}, graph.name = "y"})
// CHECK:         %[[STAGE:.*]] = dist.axis_index on @mesh axis = "pp"
// CHECK:         %[[OUT:.*]] = scf.index_switch %[[STAGE]] {dist.microbatches = 2 : i64} -> tensor<?x4xf32>
// CHECK-NEXT:    case 0 {
// CHECK-NEXT:      %[[W1:.*]] = graph.constant dense<5.000000e-01> : tensor<16x32xf32>
// CHECK-NOT:       graph.constant
// CHECK:           %[[BATCH:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x16xf32>
// CHECK:           %[[COUNT:.*]] = arith.minui %[[BATCH]], %c2
// CHECK:           scf.for %[[M:.*]] = %{{.*}} to %[[COUNT]] step %{{.*}} {
// CHECK:             %[[NEXT:.*]] = arith.addi %[[M]], %{{.*}}
// CHECK:             %[[BEGIN_ROWS:.*]] = arith.muli %[[M]], %[[BATCH]]
// CHECK:             %[[BEGIN:.*]] = arith.divui %[[BEGIN_ROWS]], %[[COUNT]]
// CHECK:             %[[END_ROWS:.*]] = arith.muli %[[NEXT]], %[[BATCH]]
// CHECK:             %[[END:.*]] = arith.divui %[[END_ROWS]], %[[COUNT]]
// CHECK:             %[[SIZE:.*]] = arith.subi %[[END]], %[[BEGIN]]
// CHECK:             %[[SLICE:.*]] = tensor.extract_slice %[[X]][%[[BEGIN]], 0] [%[[SIZE]], 16] [1, 1]
// CHECK:             %[[H:.*]] = graph.mat_mul %[[SLICE]], %[[W1]]
// CHECK-NEXT:        dist.send %[[H]] on @mesh axis = "pp" to = 1 : tensor<?x32xf32>
// CHECK-NEXT:      }
// CHECK:           %[[PLACEHOLDER:.*]] = tensor.empty(%c0{{.*}}) : tensor<?x4xf32>
// CHECK-NEXT:      scf.yield %[[PLACEHOLDER]]
// CHECK-NEXT:    }
// CHECK-NEXT:    default {
// CHECK-DAG:       %[[W2:.*]] = graph.constant dense<2.500000e-01> : tensor<32x32xf32>
// CHECK-DAG:       %[[W3:.*]] = graph.constant dense<1.250000e-01> : tensor<32x4xf32>
// CHECK:           %[[EMPTY:.*]] = tensor.empty(%{{.*}}) : tensor<?x4xf32>
// CHECK:           %[[ASSEMBLED:.*]] = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[EMPTY]]) -> (tensor<?x4xf32>) {
// CHECK:             %[[R:.*]] = dist.recv on @mesh axis = "pp" from = 0 : tensor<?x32xf32>
// CHECK-NEXT:        %[[A:.*]] = graph.relu %[[R]]
// CHECK-NEXT:        %[[B:.*]] = graph.mat_mul %[[A]], %[[W2]]
// CHECK-NEXT:        %[[C:.*]] = graph.add %[[B]], %[[R]]
// CHECK-NEXT:        %[[Y:.*]] = graph.mat_mul %[[C]], %[[W3]]
// CHECK-NEXT:        %[[NEXT_ACC:.*]] = tensor.insert_slice %[[Y]] into %[[ACC]][%{{.*}}, 0] [%{{.*}}, 4] [1, 1]
// CHECK-NEXT:        scf.yield %[[NEXT_ACC]]
// CHECK:           scf.yield %[[ASSEMBLED]]
// CHECK:         return %[[OUT]]
// CHECK-NOT:     graph.mat_mul

// THREE-LABEL: dist.mesh @mesh axes = ["pp"] shape = [3]
// Three stages, one micro-batch: no loop, no slices. %0 is used by the
// last stage, so stage 1 receives it and forwards it with its own result.
// THREE:       case 0 {
// THREE-NOT:     scf.for
// THREE:         %[[H0:.*]] = graph.mat_mul %{{.*}}, %{{.*}} : (tensor<?x16xf32>
// THREE-NEXT:    dist.send %[[H0]] on @mesh axis = "pp" to = 1
// THREE:       case 1 {
// THREE:         %[[R0:.*]] = dist.recv on @mesh axis = "pp" from = 0 : tensor<?x32xf32>
// THREE-NEXT:    %[[H1:.*]] = graph.relu %[[R0]]
// THREE-NEXT:    dist.send %[[R0]] on @mesh axis = "pp" to = 2
// THREE-NEXT:    dist.send %[[H1]] on @mesh axis = "pp" to = 2
// THREE:       default {
// THREE:         %[[F0:.*]] = dist.recv on @mesh axis = "pp" from = 1 : tensor<?x32xf32>
// THREE-NEXT:    %[[F1:.*]] = dist.recv on @mesh axis = "pp" from = 1 : tensor<?x32xf32>
// THREE-NEXT:    %[[F2:.*]] = graph.mat_mul %[[F1]]
// THREE-NEXT:    graph.add %[[F2]], %[[F0]]
func.func @main(%x: tensor<?x16xf32> {graph.name = "x"}) -> (tensor<?x4xf32> {graph.name = "y"}) {
  %w1 = graph.constant dense<0.5> : tensor<16x32xf32>
  %w2 = graph.constant dense<0.25> : tensor<32x32xf32>
  %w3 = graph.constant dense<0.125> : tensor<32x4xf32>
  %0 = graph.mat_mul %x, %w1 : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
  %1 = graph.relu %0 : (tensor<?x32xf32>) -> tensor<?x32xf32>
  %2 = graph.mat_mul %1, %w2 : (tensor<?x32xf32>, tensor<32x32xf32>) -> tensor<?x32xf32>
  %3 = graph.add %2, %0 : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x32xf32>
  %4 = graph.mat_mul %3, %w3 : (tensor<?x32xf32>, tensor<32x4xf32>) -> tensor<?x4xf32>
  return %4 : tensor<?x4xf32>
}
