// RUN: exaforge-opt %s --convert-dist-to-runtime-calls --split-input-file --verify-diagnostics | FileCheck %s

// Each collective becomes a call of xf_dist_<op>_<type> on unranked memrefs:
// the operand's buffer (read only) and a new dense result buffer. The group
// is the mesh axes packed one per byte (position + 1): "tp" is 2, ["dp",
// "tp"] is 1 + (2 << 8) = 513.

dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 4]

// CHECK-LABEL: func.func @all_reduce
// CHECK-SAME:    (%[[X:.*]]: tensor<?x8xf32>)
// CHECK:         %[[DIM:.*]] = tensor.dim %[[X]], %c0
// CHECK:         %[[IN:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<?x8xf32> to memref<?x8xf32, strided<[?, ?], offset: ?>>
// CHECK:         %[[INU:.*]] = memref.cast %[[IN]] : {{.*}} to memref<*xf32>
// CHECK:         %[[OUT:.*]] = memref.alloc(%[[DIM]]) : memref<?x8xf32>
// CHECK:         %[[OUTU:.*]] = memref.cast %[[OUT]] : memref<?x8xf32> to memref<*xf32>
// CHECK-DAG:     %[[MAX:.*]] = arith.constant 2 : i32
// CHECK-DAG:     %[[TP:.*]] = arith.constant 2 : i64
// CHECK:         call @xf_dist_all_reduce_f32(%[[INU]], %[[OUTU]], %[[MAX]], %[[TP]]) : (memref<*xf32>, memref<*xf32>, i32, i64) -> ()
// CHECK:         %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<?x8xf32> to tensor<?x8xf32>
// CHECK:         return %[[R]]
func.func @all_reduce(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = dist.all_reduce %x on @mesh axes = ["tp"] reduction = <max> : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// The gathered dimension grows by the group size (4), the scattered one
// shrinks by it; dynamic sizes are computed from the operand's.
// CHECK-LABEL: func.func @gather_and_scatter
// CHECK:         %[[D0:.*]] = tensor.dim %{{.*}}, %c0
// CHECK:         %[[G:.*]] = arith.muli %[[D0]], %c4
// CHECK:         memref.alloc(%[[G]]) : memref<?x3xi64>
// CHECK-DAG:     %[[DIM0:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[TP:.*]] = arith.constant 2 : i64
// CHECK:         call @xf_dist_all_gather_i64(%{{.*}}, %{{.*}}, %[[DIM0]], %[[TP]]) : (memref<*xi64>, memref<*xi64>, i64, i64) -> ()
// CHECK:         %[[S:.*]] = arith.divui %{{.*}}, %c4
// CHECK:         memref.alloc(%[[S]]) : memref<?x3xi64>
// CHECK:         call @xf_dist_reduce_scatter_i64(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<*xi64>, memref<*xi64>, i64, i32, i64) -> ()
func.func @gather_and_scatter(%x: tensor<?x3xi64>) -> tensor<?x3xi64> {
  %0 = dist.all_gather %x on @mesh axes = ["tp"] dim = 0 : tensor<?x3xi64> -> tensor<?x3xi64>
  %1 = dist.reduce_scatter %0 on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<?x3xi64> -> tensor<?x3xi64>
  return %1 : tensor<?x3xi64>
}

// CHECK-LABEL: func.func @all_to_all_and_broadcast
// CHECK:         memref.alloc() : memref<16x1xf16>
// CHECK-DAG:     %[[SPLIT:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[CONCAT:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[BOTH:.*]] = arith.constant 513 : i64
// CHECK:         call @xf_dist_all_to_all_f16(%{{.*}}, %{{.*}}, %[[SPLIT]], %[[CONCAT]], %[[BOTH]])
// CHECK-DAG:     %[[ROOT:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[TP:.*]] = arith.constant 2 : i64
// CHECK:         call @xf_dist_broadcast_f16(%{{.*}}, %{{.*}}, %[[ROOT]], %[[TP]])
func.func @all_to_all_and_broadcast(%x: tensor<2x8xf16>) -> (tensor<16x1xf16>, tensor<2x8xf16>) {
  %0 = dist.all_to_all %x on @mesh axes = ["dp", "tp"] split_dim = 1 concat_dim = 0 : tensor<2x8xf16> -> tensor<16x1xf16>
  %1 = dist.broadcast %x on @mesh axes = ["tp"] root = 3 : tensor<2x8xf16>
  return %0, %1 : tensor<16x1xf16>, tensor<2x8xf16>
}

// Point-to-point: the axis position and the peer's coordinate on it; an
// annotation disappears.
// CHECK-LABEL: func.func @send_recv_shard
// CHECK-NOT:     dist.
// CHECK-DAG:     %[[AXIS:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[TO:.*]] = arith.constant 3 : i64
// CHECK:         call @xf_dist_send_ui8(%{{.*}}, %[[AXIS]], %[[TO]]) : (memref<*xui8>, i64, i64) -> ()
// CHECK:         memref.alloc() : memref<4xui8>
// CHECK:         call @xf_dist_recv_ui8(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<*xui8>, i64, i64) -> ()
func.func @send_recv_shard(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = dist.shard %x : tensor<4xui8> as #dist.sharding<@mesh, [[]]>
  dist.send %0 on @mesh axis = "tp" to = 3 : tensor<4xui8>
  %1 = dist.recv on @mesh axis = "tp" from = 1 : tensor<4xui8>
  return %1 : tensor<4xui8>
}

// CHECK-DAG: func.func private @xf_dist_all_reduce_f32(memref<*xf32>, memref<*xf32>, i32, i64)
// CHECK-DAG: func.func private @xf_dist_send_ui8(memref<*xui8>, i64, i64)

// -----

dist.mesh @mesh axes = ["dp", "pp"] shape = [2, 3]

// A transfer with dynamic sizes sends the shape first (a tensor<2xi64>); the
// receiver reads it, allocates the dynamic sizes from it, then receives the
// data. "pp" is axis 1 of the mesh.
// CHECK-LABEL: func.func @transfer_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x8xf32>)
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %c0
// CHECK:         %[[S0:.*]] = arith.index_cast %[[D0]] : index to i64
// CHECK:         %[[D1:.*]] = tensor.dim %[[X]], %c1
// CHECK:         %[[S1:.*]] = arith.index_cast %[[D1]] : index to i64
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[S0]], %[[S1]] : tensor<2xi64>
// CHECK:         %[[SHAPE_BUFFER:.*]] = bufferization.to_buffer %[[SHAPE]] read_only
// CHECK:         %[[SHAPE_CAST:.*]] = memref.cast %[[SHAPE_BUFFER]]
// CHECK:         call @xf_dist_send_i64(%[[SHAPE_CAST]], %c1_i64, %c2_i64)
// CHECK:         call @xf_dist_send_f32(%{{.*}}, %c1_i64{{.*}}, %c2_i64{{.*}})
// CHECK:         %[[HEADER:.*]] = memref.alloc() : memref<2xi64>
// CHECK:         call @xf_dist_recv_i64(%{{.*}}, %c1_i64{{.*}}, %c0_i64{{.*}})
// CHECK:         %[[RECEIVED_SHAPE:.*]] = bufferization.to_tensor %[[HEADER]]
// CHECK:         %[[ROWS:.*]] = tensor.extract %[[RECEIVED_SHAPE]][%c0{{.*}}] : tensor<2xi64>
// CHECK:         %[[ROWS_INDEX:.*]] = arith.index_cast %[[ROWS]] : i64 to index
// CHECK:         memref.alloc(%[[ROWS_INDEX]]) : memref<?x8xf32>
// CHECK:         call @xf_dist_recv_f32(%{{.*}}, %c1_i64{{.*}}, %c0_i64{{.*}})
func.func @transfer_dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  dist.send %x on @mesh axis = "pp" to = 2 : tensor<?x8xf32>
  %0 = dist.recv on @mesh axis = "pp" from = 0 : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// This rank's coordinate: the runtime's, as an index.
// CHECK-LABEL: func.func @axis_index
// CHECK:         %[[AXIS:.*]] = arith.constant 1 : i64
// CHECK:         %[[COORDINATE:.*]] = call @xf_dist_axis_index(%[[AXIS]]) : (i64) -> i64
// CHECK:         %[[INDEX:.*]] = arith.index_cast %[[COORDINATE]] : i64 to index
// CHECK:         return %[[INDEX]]
func.func @axis_index() -> index {
  %0 = dist.axis_index on @mesh axis = "pp"
  return %0 : index
}

// CHECK-DAG: func.func private @xf_dist_axis_index(i64) -> i64

// -----

dist.mesh @mesh axes = ["tp"] shape = [2]

func.func @odd_element_type(%x: tensor<4xi4>) -> tensor<4xi4> {
  // expected-error @+1 {{'dist.all_reduce' op on 'i4' elements has no runtime implementation}}
  %0 = dist.all_reduce %x on @mesh axes = ["tp"] reduction = <sum> : tensor<4xi4>
  return %0 : tensor<4xi4>
}
