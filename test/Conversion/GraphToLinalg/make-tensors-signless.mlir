// RUN: exaforge-opt %s --make-tensors-signless -split-input-file | FileCheck %s

// Tests that the signature, the generic's operands and block arguments
// become signless and that the bitcasts around the generic disappear.
// CHECK-LABEL: func.func @max_ui8
// CHECK-SAME: (%[[A:.*]]: tensor<4xi8>, %[[B:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK-NOT: tensor.bitcast
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4xi8>, tensor<4xi8>)
// CHECK: ^bb0(%{{.*}}: i8, %{{.*}}: i8, %{{.*}}: i8):
// CHECK: arith.maxui
// CHECK-NOT: tensor.bitcast
// CHECK: return %[[R]] : tensor<4xi8>
#map = affine_map<(d0) -> (d0)>
func.func @max_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = tensor.bitcast %a : tensor<4xui8> to tensor<4xi8>
  %1 = tensor.bitcast %b : tensor<4xui8> to tensor<4xi8>
  %2 = tensor.empty() : tensor<4xi8>
  %3 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%0, %1 : tensor<4xi8>, tensor<4xi8>) outs(%2 : tensor<4xi8>) {
  ^bb0(%x: i8, %y: i8, %out: i8):
    %m = arith.maxui %x, %y : i8
    linalg.yield %m : i8
  } -> tensor<4xi8>
  %4 = tensor.bitcast %3 : tensor<4xi8> to tensor<4xui8>
  return %4 : tensor<4xui8>
}

// -----

// Tests that data movement on unsigned tensors, whose generic has unsigned
// block arguments, and signed types become signless.
// CHECK-LABEL: func.func @transpose_ui16
// CHECK-SAME: (%{{.*}}: tensor<2x3xi16>, %{{.*}}: tensor<3xi32>) -> (tensor<3x2xi16>, tensor<3xi32>)
// CHECK: tensor.empty() : tensor<3x2xi16>
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.*]]: i16, %{{.*}}: i16):
// CHECK: linalg.yield %[[IN]] : i16
// CHECK: } -> tensor<3x2xi16>
#in = affine_map<(d0, d1) -> (d1, d0)>
#out = affine_map<(d0, d1) -> (d0, d1)>
func.func @transpose_ui16(%x: tensor<2x3xui16>, %s: tensor<3xsi32>) -> (tensor<3x2xui16>, tensor<3xsi32>) {
  %0 = tensor.empty() : tensor<3x2xui16>
  %1 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xui16>) outs(%0 : tensor<3x2xui16>) {
  ^bb0(%in: ui16, %o: ui16):
    linalg.yield %in : ui16
  } -> tensor<3x2xui16>
  return %1, %s : tensor<3x2xui16>, tensor<3xsi32>
}

// -----

// Tests that dense constants keep their bits under the signless type.
// CHECK-LABEL: func.func @constants
// CHECK: arith.constant dense<[1, -1]> : tensor<2xi16>
// CHECK: arith.constant dense<-56> : tensor<3xi8>
func.func @constants() -> (tensor<2xui16>, tensor<3xui8>) {
  %0 = arith.constant dense<[1, 65535]> : tensor<2xui16>
  %1 = arith.constant dense<200> : tensor<3xui8>
  return %0, %1 : tensor<2xui16>, tensor<3xui8>
}

// -----

// Tests that a bitcast that changes more than the signedness stays, and that
// calls and callees agree.
// CHECK-LABEL: func.func @callee
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>) -> tensor<4xf32>
// CHECK: tensor.bitcast %[[X]] : tensor<4xi32> to tensor<4xf32>
// CHECK-LABEL: func.func @caller
// CHECK: call @callee(%{{.*}}) : (tensor<4xi32>) -> tensor<4xf32>
func.func @callee(%x: tensor<4xui32>) -> tensor<4xf32> {
  %0 = tensor.bitcast %x : tensor<4xui32> to tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @caller(%x: tensor<4xui32>) -> tensor<4xf32> {
  %0 = call @callee(%x) : (tensor<4xui32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
