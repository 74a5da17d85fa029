// RUN: exaforge-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm \
// RUN:   --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

// Runs the lowerings of the elementwise math, comparison, logic and
// activation ops end to end. The expected values were computed with
// onnxruntime (opset 16 single-node models with the same inputs, integer
// and bool results converted to float32). printMemrefF32 prints 6
// significant digits; the checks match the first 4 significant digits of
// the onnxruntime value, integers exactly.

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

func.func @leaky_relu(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.leaky_relu %x {alpha = 0.1 : f32} : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// leaky_relu alpha 0.1:
// CHECK: [-0.25, -0.1, -0.05, 0, 0.5, 2.5]

func.func @elu(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.elu %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// elu:
// CHECK: [-0.9179{{[0-9]*}}, -0.6321{{[0-9]*}}, -0.3934{{[0-9]*}}, 0, 0.5, 2.5]

func.func @selu(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.selu %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// selu:
// CHECK: [-1.613{{[0-9]*}}, -1.111{{[0-9]*}}, -0.6917{{[0-9]*}}, 0, 0.5253{{[0-9]*}}, 2.626{{[0-9]*}}]

func.func @celu(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.celu %x {alpha = 2.0 : f32} : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// celu alpha 2:
// CHECK: [-1.426{{[0-9]*}}, -0.7869{{[0-9]*}}, -0.4423{{[0-9]*}}, 0, 0.5, 2.5]

func.func @hard_sigmoid(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.hard_sigmoid %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// hard_sigmoid:
// CHECK: [0, 0.3, 0.4, 0.5, 0.6, 1]

func.func @hard_swish(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.hard_swish %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// hard_swish:
// CHECK: [-0.2083{{[0-9]*}}, -0.3333{{[0-9]*}}, -0.2083{{[0-9]*}}, 0, 0.2916{{[0-9]*}}, 2.291{{[0-9]*}}]

func.func @thresholded_relu(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.thresholded_relu %x {alpha = 0.5 : f32} : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// thresholded_relu alpha 0.5:
// CHECK: [0, 0, 0, 0, 0, 2.5]

func.func @shrink(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.shrink %x {bias = 0.25 : f32, lambd = 0.75 : f32} : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// shrink bias 0.25 lambd 0.75:
// CHECK: [-2.25, -0.75, 0, 0, 0, 2.25]

func.func @softplus(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.softplus %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// softplus:
// CHECK: [0.07888{{[0-9]*}}, 0.3132{{[0-9]*}}, 0.4740{{[0-9]*}}, 0.6931{{[0-9]*}}, 0.9740{{[0-9]*}}, 2.578{{[0-9]*}}]

func.func @softsign(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.softsign %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// softsign:
// CHECK: [-0.7142{{[0-9]*}}, -0.5, -0.3333{{[0-9]*}}, 0, 0.3333{{[0-9]*}}, 0.7142{{[0-9]*}}]

func.func @clip(%x: tensor<6xf32>) -> tensor<6xf32> {
  %lo = arith.constant dense<-1.0> : tensor<f32>
  %hi = arith.constant dense<1.0> : tensor<f32>
  %out = graph.clip %x min %lo max %hi : (tensor<6xf32>, tensor<f32>, tensor<f32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// clip to [-1, 1] (rank-0 bounds):
// CHECK: [-1, -1, -0.5, 0, 0.5, 1]

func.func @prelu(%x: tensor<6xf32>) -> tensor<6xf32> {
  %slope = arith.constant dense<[0.25]> : tensor<1xf32>
  %out = graph.prelu %x, %slope : (tensor<6xf32>, tensor<1xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// prelu with a [1] slope:
// CHECK: [-0.625, -0.25, -0.125, 0, 0.5, 2.5]

func.func @sign(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.sign %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// sign:
// CHECK: [-1, -1, -1, 0, 1, 1]

func.func @round(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.round %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// round (halves to even):
// CHECK: [-2, -1, -0, 0, 0, 2]

func.func @ceil(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.ceil %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// ceil:
// CHECK: [-2, -1, -0, 0, 1, 3]

func.func @floor(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.floor %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// floor:
// CHECK: [-3, -1, -1, 0, 0, 2]

func.func @atan(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.atan %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// atan:
// CHECK: [-1.190{{[0-9]*}}, -0.7853{{[0-9]*}}, -0.4636{{[0-9]*}}, 0, 0.4636{{[0-9]*}}, 1.190{{[0-9]*}}]

func.func @sinh(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.sinh %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// sinh:
// CHECK: [-6.050{{[0-9]*}}, -1.175{{[0-9]*}}, -0.5210{{[0-9]*}}, 0, 0.5210{{[0-9]*}}, 6.050{{[0-9]*}}]

func.func @asinh(%x: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.asinh %x : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// asinh:
// CHECK: [-1.647{{[0-9]*}}, -0.8813{{[0-9]*}}, -0.4812{{[0-9]*}}, 0, 0.4812{{[0-9]*}}, 1.647{{[0-9]*}}]

func.func @asin(%s: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.asin %s : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// asin:
// CHECK: [-0.8480{{[0-9]*}}, -0.3046{{[0-9]*}}, -0.1505{{[0-9]*}}, 0, 0.1505{{[0-9]*}}, 0.8480{{[0-9]*}}]

func.func @acos(%s: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.acos %s : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// acos:
// CHECK: [2.418{{[0-9]*}}, 1.875{{[0-9]*}}, 1.721{{[0-9]*}}, 1.570{{[0-9]*}}, 1.420{{[0-9]*}}, 0.7227{{[0-9]*}}]

func.func @atanh(%s: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.atanh %s : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// atanh:
// CHECK: [-0.9729{{[0-9]*}}, -0.3095{{[0-9]*}}, -0.1511{{[0-9]*}}, 0, 0.1511{{[0-9]*}}, 0.9729{{[0-9]*}}]

func.func @acosh(%c: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.acosh %c : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// acosh:
// CHECK: [0, 0.9624{{[0-9]*}}, 1.316{{[0-9]*}}, 1.762{{[0-9]*}}, 2.184{{[0-9]*}}, 2.993{{[0-9]*}}]

func.func @tan(%s: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.tan %s : (tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// tan:
// CHECK: [-0.9315{{[0-9]*}}, -0.3093{{[0-9]*}}, -0.1511{{[0-9]*}}, 0, 0.1511{{[0-9]*}}, 0.9315{{[0-9]*}}]

func.func @mod_int(%ia: tensor<6xi32>, %ib: tensor<6xi32>) -> tensor<6xf32> {
  %m = graph.mod %ia, %ib : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  %out = graph.cast %m {to = f32} : (tensor<6xi32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// mod i32 (sign of the divisor):
// CHECK: [2, -2, -1, 1, 1, 2]

func.func @fmod_int(%ia: tensor<6xi32>, %ib: tensor<6xi32>) -> tensor<6xf32> {
  %m = graph.mod %ia, %ib {fmod = true} : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  %out = graph.cast %m {to = f32} : (tensor<6xi32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// mod i32 fmod (sign of the dividend):
// CHECK: [-1, 1, -1, 1, 1, -2]

func.func @max_int(%ia: tensor<6xi32>, %ib: tensor<6xi32>) -> tensor<6xf32> {
  %m = graph.max %ia, %ib : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  %out = graph.cast %m {to = f32} : (tensor<6xi32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// max i32:
// CHECK: [3, 7, -3, 7, 5, 4]

func.func @less_or_equal_int(%ia: tensor<6xi32>, %ib: tensor<6xi32>) -> tensor<6xf32> {
  %m = graph.less_or_equal %ia, %ib : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// less_or_equal i32:
// CHECK: [1, 0, 1, 0, 0, 1]

func.func @abs_int(%ia: tensor<6xi32>) -> tensor<6xf32> {
  %m = graph.abs %ia : (tensor<6xi32>) -> tensor<6xi32>
  %out = graph.cast %m {to = f32} : (tensor<6xi32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// abs i32:
// CHECK: [7, 7, 7, 7, 5, 6]

func.func @fmod_float(%x: tensor<6xf32>, %fy: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.mod %x, %fy {fmod = true} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// mod f32 fmod:
// CHECK: [-0.5, -1, -0.5, 0, 0.2, 0.5]

func.func @min_float(%x: tensor<6xf32>, %fy: tensor<6xf32>) -> tensor<6xf32> {
  %out = graph.min %x, %fy : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// min f32:
// CHECK: [-2.5, -2, -0.5, 0, -0.3, 2]

func.func @greater_float(%x: tensor<6xf32>, %fy: tensor<6xf32>) -> tensor<6xf32> {
  %m = graph.greater %x, %fy : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// greater f32:
// CHECK: [0, 1, 0, 0, 1, 1]

func.func @xor(%p: tensor<6xi1>, %q: tensor<6xi1>) -> tensor<6xf32> {
  %m = graph.xor %p, %q : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// xor:
// CHECK: [0, 1, 1, 0, 1, 1]

func.func @or(%p: tensor<6xi1>, %q: tensor<6xi1>) -> tensor<6xf32> {
  %m = graph.or %p, %q : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// or:
// CHECK: [1, 1, 1, 0, 1, 1]

func.func @not(%p: tensor<6xi1>) -> tensor<6xf32> {
  %m = graph.not %p : (tensor<6xi1>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// not:
// CHECK: [0, 0, 1, 1, 0, 1]

func.func @is_nan(%sp: tensor<6xf32>) -> tensor<6xf32> {
  %m = graph.is_nan %sp : (tensor<6xf32>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// is_nan:
// CHECK: [1, 0, 0, 0, 0, 0]

func.func @is_inf(%sp: tensor<6xf32>) -> tensor<6xf32> {
  %m = graph.is_inf %sp {detect_negative = false} : (tensor<6xf32>) -> tensor<6xi1>
  %out = graph.cast %m {to = f32} : (tensor<6xi1>) -> tensor<6xf32>
  return %out : tensor<6xf32>
}
// is_inf detect_negative=0:
// CHECK: [0, 1, 0, 0, 0, 0]

func.func @main() {
  %x = arith.constant dense<[-2.5, -1.0, -0.5, 0.0, 0.5, 2.5]> : tensor<6xf32>
  %s = arith.constant dense<[-0.75, -0.3, -0.15, 0.0, 0.15, 0.75]> : tensor<6xf32>
  %c = arith.constant dense<[1.0, 1.5, 2.0, 3.0, 4.5, 10.0]> : tensor<6xf32>
  %fy = arith.constant dense<[2.0, -2.0, 0.75, 1.0, -0.3, 2.0]> : tensor<6xf32>
  %sp = arith.constant dense<[0x7FC00000, 0x7F800000, 0xFF800000, 1.0, 0.0, -3.0]> : tensor<6xf32>
  %ia = arith.constant dense<[-7, 7, -7, 7, 5, -6]> : tensor<6xi32>
  %ib = arith.constant dense<[3, -3, -3, 3, 2, 4]> : tensor<6xi32>
  %p = arith.constant dense<[true, true, false, false, true, false]> : tensor<6xi1>
  %q = arith.constant dense<[true, false, true, false, false, true]> : tensor<6xi1>
  %r0 = call @leaky_relu(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u0 = tensor.cast %r0 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  %r1 = call @elu(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u1 = tensor.cast %r1 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  %r2 = call @selu(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u2 = tensor.cast %r2 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  %r3 = call @celu(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u3 = tensor.cast %r3 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  %r4 = call @hard_sigmoid(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u4 = tensor.cast %r4 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  %r5 = call @hard_swish(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u5 = tensor.cast %r5 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()
  %r6 = call @thresholded_relu(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u6 = tensor.cast %r6 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  %r7 = call @shrink(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u7 = tensor.cast %r7 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()
  %r8 = call @softplus(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u8 = tensor.cast %r8 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u8) : (tensor<*xf32>) -> ()
  %r9 = call @softsign(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u9 = tensor.cast %r9 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u9) : (tensor<*xf32>) -> ()
  %r10 = call @clip(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u10 = tensor.cast %r10 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u10) : (tensor<*xf32>) -> ()
  %r11 = call @prelu(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u11 = tensor.cast %r11 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u11) : (tensor<*xf32>) -> ()
  %r12 = call @sign(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u12 = tensor.cast %r12 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u12) : (tensor<*xf32>) -> ()
  %r13 = call @round(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u13 = tensor.cast %r13 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u13) : (tensor<*xf32>) -> ()
  %r14 = call @ceil(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u14 = tensor.cast %r14 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u14) : (tensor<*xf32>) -> ()
  %r15 = call @floor(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u15 = tensor.cast %r15 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u15) : (tensor<*xf32>) -> ()
  %r16 = call @atan(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u16 = tensor.cast %r16 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u16) : (tensor<*xf32>) -> ()
  %r17 = call @sinh(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u17 = tensor.cast %r17 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u17) : (tensor<*xf32>) -> ()
  %r18 = call @asinh(%x) : (tensor<6xf32>) -> tensor<6xf32>
  %u18 = tensor.cast %r18 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u18) : (tensor<*xf32>) -> ()
  %r19 = call @asin(%s) : (tensor<6xf32>) -> tensor<6xf32>
  %u19 = tensor.cast %r19 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u19) : (tensor<*xf32>) -> ()
  %r20 = call @acos(%s) : (tensor<6xf32>) -> tensor<6xf32>
  %u20 = tensor.cast %r20 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u20) : (tensor<*xf32>) -> ()
  %r21 = call @atanh(%s) : (tensor<6xf32>) -> tensor<6xf32>
  %u21 = tensor.cast %r21 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u21) : (tensor<*xf32>) -> ()
  %r22 = call @acosh(%c) : (tensor<6xf32>) -> tensor<6xf32>
  %u22 = tensor.cast %r22 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u22) : (tensor<*xf32>) -> ()
  %r23 = call @tan(%s) : (tensor<6xf32>) -> tensor<6xf32>
  %u23 = tensor.cast %r23 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u23) : (tensor<*xf32>) -> ()
  %r24 = call @mod_int(%ia, %ib) : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xf32>
  %u24 = tensor.cast %r24 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u24) : (tensor<*xf32>) -> ()
  %r25 = call @fmod_int(%ia, %ib) : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xf32>
  %u25 = tensor.cast %r25 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u25) : (tensor<*xf32>) -> ()
  %r26 = call @max_int(%ia, %ib) : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xf32>
  %u26 = tensor.cast %r26 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u26) : (tensor<*xf32>) -> ()
  %r27 = call @less_or_equal_int(%ia, %ib) : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xf32>
  %u27 = tensor.cast %r27 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u27) : (tensor<*xf32>) -> ()
  %r28 = call @abs_int(%ia) : (tensor<6xi32>) -> tensor<6xf32>
  %u28 = tensor.cast %r28 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u28) : (tensor<*xf32>) -> ()
  %r29 = call @fmod_float(%x, %fy) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  %u29 = tensor.cast %r29 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u29) : (tensor<*xf32>) -> ()
  %r30 = call @min_float(%x, %fy) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  %u30 = tensor.cast %r30 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u30) : (tensor<*xf32>) -> ()
  %r31 = call @greater_float(%x, %fy) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  %u31 = tensor.cast %r31 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u31) : (tensor<*xf32>) -> ()
  %r32 = call @xor(%p, %q) : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xf32>
  %u32 = tensor.cast %r32 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u32) : (tensor<*xf32>) -> ()
  %r33 = call @or(%p, %q) : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xf32>
  %u33 = tensor.cast %r33 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u33) : (tensor<*xf32>) -> ()
  %r34 = call @not(%p) : (tensor<6xi1>) -> tensor<6xf32>
  %u34 = tensor.cast %r34 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u34) : (tensor<*xf32>) -> ()
  %r35 = call @is_nan(%sp) : (tensor<6xf32>) -> tensor<6xf32>
  %u35 = tensor.cast %r35 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u35) : (tensor<*xf32>) -> ()
  %r36 = call @is_inf(%sp) : (tensor<6xf32>) -> tensor<6xf32>
  %u36 = tensor.cast %r36 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u36) : (tensor<*xf32>) -> ()
  return
}
