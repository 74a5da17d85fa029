// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests QuantizeLinear per axis into uint8: x / scale rounded half to even,
// plus the zero point, saturated to [0, 255] before the conversion.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK:   arith.divf
// CHECK:   math.roundeven
// CHECK:   arith.uitofp
// CHECK:   arith.addf
// CHECK:   arith.maximumf %{{.*}}, %{{.*}}
// CHECK:   arith.constant 2.550000e+02 : f32
// CHECK:   arith.minimumf
// CHECK:   arith.fptoui %{{.*}} : f32 to i8
// CHECK: tensor.bitcast %{{.*}} : tensor<2x3xi8> to tensor<2x3xui8>
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) -> tensor<2x3xui8> {
  %0 = graph.quantize_linear %x, %s, %z : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// Tests DequantizeLinear of int8 with a per-tensor scale and no zero point.
// CHECK-LABEL: func.func @dequantize_int8
// CHECK: linalg.generic
// CHECK:   arith.extsi %{{.*}} : i8 to i32
// CHECK:   arith.sitofp %{{.*}} : i32 to f32
// CHECK:   arith.mulf
func.func @dequantize_int8(%x: tensor<4xi8>, %s: tensor<f32>) -> tensor<4xf32> {
  %0 = graph.dequantize_linear %x, %s : (tensor<4xi8>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests MatMulInteger: one contraction over (m, n, k) reading the 8-bit
// operands, widened to i32 (zero extension for uint8, sign extension for
// int8) with the zero point subtracted, accumulated in i32.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_integer
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<4x2xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[ROW]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x3xi8>, tensor<3x2xi8>, tensor<4xi8>) outs(%[[INIT]] : tensor<4x2xi32>)
// CHECK:   arith.extui %{{.*}} : i8 to i32
// CHECK:   arith.extui %{{.*}} : i8 to i32
// CHECK:   arith.subi
// CHECK:   arith.extsi %{{.*}} : i8 to i32
// CHECK:   arith.muli
// CHECK:   arith.addi
func.func @matmul_integer(%a: tensor<4x3xui8>, %b: tensor<3x2xi8>, %za: tensor<4xui8>) -> tensor<4x2xi32> {
  %0 = graph.mat_mul_integer %a, %b a_zero_point %za : (tensor<4x3xui8>, tensor<3x2xi8>, tensor<4xui8>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// Tests ConvInteger with pads: the input is padded with its zero point,
// then one integer convolution generic accumulates in i32.
// CHECK-LABEL: func.func @conv_integer
// CHECK: %[[ZP:.*]] = tensor.extract %{{.*}}[] : tensor<i8>
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:   tensor.yield %[[ZP]] : i8
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x5x5xi8>, tensor<1x1x2x2xi8>, tensor<i8>) outs(%{{.*}} : tensor<1x1x4x4xi32>)
// CHECK:   arith.subi
// CHECK:   arith.muli
// CHECK:   arith.addi
func.func @conv_integer(%x: tensor<1x1x3x3xui8>, %w: tensor<1x1x2x2xui8>, %z: tensor<ui8>) -> tensor<1x1x4x4xi32> {
  %0 = graph.conv_integer %x, %w x_zero_point %z {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>) -> tensor<1x1x4x4xi32>
  return %0 : tensor<1x1x4x4xi32>
}
