// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file | FileCheck %s

// Tests that Add of equal static shapes is one parallel generic with
// identity maps.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: outs(%[[EMPTY]] : tensor<2x3xf32>)
// CHECK: arith.addf
func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that static size-1 dimensions broadcast through constant-0 map
// results, missing leading dimensions are dropped from the map, and the
// dynamic result dimension is read from the operand that provides it.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @add_broadcast_dynamic
// CHECK-SAME: %[[A:.*]]: tensor<?x1x8xf32>
// CHECK: %[[DIM:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x1x8xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[DIM]]) : tensor<?x4x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]]
// CHECK: arith.addf
func.func @add_broadcast_dynamic(%a: tensor<?x1x8xf32>, %b: tensor<4x1xf32>) -> tensor<?x4x8xf32> {
  %0 = graph.add %a, %b : (tensor<?x1x8xf32>, tensor<4x1xf32>) -> tensor<?x4x8xf32>
  return %0 : tensor<?x4x8xf32>
}

// -----

// Tests that a rank-0 operand broadcasts through an empty map result.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @mul_scalar
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: arith.mulf
func.func @mul_scalar(%a: tensor<4xf32>, %b: tensor<f32>) -> tensor<4xf32> {
  %0 = graph.mul %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests integer Sub and Mul.
// CHECK-LABEL: func.func @sub_mul_int
// CHECK: arith.subi %{{.*}}, %{{.*}} : i64
// CHECK: arith.muli %{{.*}}, %{{.*}} : i64
func.func @sub_mul_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = graph.sub %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = graph.mul %0, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %1 : tensor<4xi64>
}

// -----

// Tests Div on floats, signless integers (truncating divsi) and unsigned
// integers (divui on a signless view made with tensor.bitcast).
// CHECK-LABEL: func.func @div
// CHECK: arith.divf
// CHECK: arith.divsi %{{.*}}, %{{.*}} : i32
// CHECK: %[[L:.*]] = tensor.bitcast %{{.*}} : tensor<4xui8> to tensor<4xi8>
// CHECK: %[[R:.*]] = tensor.bitcast %{{.*}} : tensor<4xui8> to tensor<4xi8>
// CHECK: %[[Q:.*]] = linalg.generic
// CHECK-SAME: ins(%[[L]], %[[R]] : tensor<4xi8>, tensor<4xi8>)
// CHECK: arith.divui %{{.*}}, %{{.*}} : i8
// CHECK: tensor.bitcast %[[Q]] : tensor<4xi8> to tensor<4xui8>
func.func @div(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xi32>, %d: tensor<4xi32>,
               %e: tensor<4xui8>, %f: tensor<4xui8>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xui8>) {
  %0 = graph.div %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.div %c, %d : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = graph.div %e, %f : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi32>, tensor<4xui8>
}

// -----

// Tests Pow with float exponents (converted to the base type) and integer
// exponents: fpowi on i32 (i8 sign-extended to i32), powf after sitofp for
// i64.
// CHECK-LABEL: func.func @pow
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
// CHECK: %[[EXT:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: math.powf %{{.*}}, %[[EXT]] : f32
// CHECK: math.fpowi %{{.*}}, %{{.*}} : f32, i32
// CHECK: %[[WIDE:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK: math.fpowi %{{.*}}, %[[WIDE]] : f32, i32
// CHECK: %[[FLOAT:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: math.powf %{{.*}}, %[[FLOAT]] : f32
func.func @pow(%x: tensor<4xf32>, %a: tensor<f32>, %b: tensor<4xf16>, %c: tensor<4xi32>,
               %d: tensor<4xi8>, %e: tensor<i64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.pow %x, %a : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = graph.pow %x, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  %2 = graph.pow %x, %c : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  %3 = graph.pow %x, %d : (tensor<4xf32>, tensor<4xi8>) -> tensor<4xf32>
  %4 = graph.pow %x, %e : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests Pow with an integer base and an integer exponent: square and
// multiply over the exponent's 32 bits, then the truncated reciprocal for a
// negative exponent (1 for a base of 1, +-1 for -1, else 0).
// CHECK-LABEL: func.func @pow_int_int
// CHECK: ^bb0(%[[BASE:.*]]: i64, %[[EXP:.*]]: i32, %{{.*}}: i64):
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[BIT:.*]] = %[[C0]] to %[[C32]] step %{{.*}} iter_args(%[[R:.*]] = %[[ONE]], %[[P:.*]] = %[[BASE]]) -> (i64, i64) {
// CHECK:   %[[SHIFT:.*]] = arith.index_castui %[[BIT]] : index to i32
// CHECK:   %[[SHIFTED:.*]] = arith.shrui %[[EXP]], %[[SHIFT]] : i32
// CHECK:   %[[SET:.*]] = arith.trunci %[[SHIFTED]] : i32 to i1
// CHECK:   %[[PROD:.*]] = arith.muli %[[R]], %[[P]] : i64
// CHECK:   %[[NEXT:.*]] = arith.select %[[SET]], %[[PROD]], %[[R]] : i64
// CHECK:   %[[SQUARE:.*]] = arith.muli %[[P]], %[[P]] : i64
// CHECK:   scf.yield %[[NEXT]], %[[SQUARE]] : i64, i64
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[EXP]], %{{.*}} : i32
// CHECK: %[[IS_ONE:.*]] = arith.cmpi eq, %[[BASE]], %[[ONE]] : i64
// CHECK: %[[ONE_OR_ZERO:.*]] = arith.select %[[IS_ONE]], %[[ONE]], %{{.*}} : i64
// CHECK: %[[IS_MINUS_ONE:.*]] = arith.cmpi eq, %[[BASE]], %{{.*}} : i64
// CHECK: %[[ODD:.*]] = arith.trunci %[[EXP]] : i32 to i1
// CHECK: %[[SIGN:.*]] = arith.select %[[ODD]], %{{.*}}, %[[ONE]] : i64
// CHECK: %[[RECIP:.*]] = arith.select %[[IS_MINUS_ONE]], %[[SIGN]], %[[ONE_OR_ZERO]] : i64
// CHECK: %[[RES:.*]] = arith.select %[[NEG]], %[[RECIP]], %[[LOOP]]#0 : i64
// CHECK: linalg.yield %[[RES]] : i64
func.func @pow_int_int(%x: tensor<4xi64>, %y: tensor<4xi32>) -> tensor<4xi64> {
  %0 = graph.pow %x, %y : (tensor<4xi64>, tensor<4xi32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Tests Pow with an unsigned exponent (no negative case) and an unsigned
// base (viewed as signless around the generic).
// CHECK-LABEL: func.func @pow_uint
// CHECK: tensor.bitcast %{{.*}} : tensor<4xui8> to tensor<4xi8>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (i8, i8)
// CHECK: arith.shrui %{{.*}}, %{{.*}} : i16
// CHECK-NOT: arith.cmpi
// CHECK: linalg.yield %{{.*}} : i8
// CHECK: tensor.bitcast %{{.*}} : tensor<4xi8> to tensor<4xui8>
func.func @pow_uint(%x: tensor<4xui8>, %y: tensor<4xui16>) -> tensor<4xui8> {
  %0 = graph.pow %x, %y : (tensor<4xui8>, tensor<4xui16>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Tests Pow with an integer base and a float exponent: powf in f64, then
// truncation toward zero to the base type.
// CHECK-LABEL: func.func @pow_int_float
// CHECK: ^bb0(%[[BASE:.*]]: i32, %[[EXP:.*]]: f32, %{{.*}}: i32):
// CHECK: %[[B:.*]] = arith.sitofp %[[BASE]] : i32 to f64
// CHECK: %[[E:.*]] = arith.extf %[[EXP]] : f32 to f64
// CHECK: %[[P:.*]] = math.powf %[[B]], %[[E]] : f64
// CHECK: %[[R:.*]] = arith.fptosi %[[P]] : f64 to i32
// CHECK: linalg.yield %[[R]] : i32
func.func @pow_int_float(%x: tensor<4xi32>, %y: tensor<f32>) -> tensor<4xi32> {
  %0 = graph.pow %x, %y : (tensor<4xi32>, tensor<f32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Tests Pow with a constant exponent of 2, 3, 4 (float or integer), 0.5
// and 1: multiplications, sqrt made +0 for -0 and +inf for -inf, or the
// base itself, without powf; an f16 base is computed in f32. Another
// constant (5) still uses powf.
// CHECK-LABEL: func.func @pow_constant_exponent
// CHECK: ^bb0(%[[X2:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ2:.*]] = arith.mulf %[[X2]], %[[X2]] : f32
// CHECK-NEXT: linalg.yield %[[SQ2]] : f32
// CHECK: ^bb0(%[[X3:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ3:.*]] = arith.mulf %[[X3]], %[[X3]] : f32
// CHECK-NEXT: %[[CUBE:.*]] = arith.mulf %[[SQ3]], %[[X3]] : f32
// CHECK-NEXT: linalg.yield %[[CUBE]] : f32
// CHECK: ^bb0(%[[X4:.*]]: f32, %{{.*}}: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ4:.*]] = arith.mulf %[[X4]], %[[X4]] : f32
// CHECK-NEXT: %[[FOURTH:.*]] = arith.mulf %[[SQ4]], %[[SQ4]] : f32
// CHECK-NEXT: linalg.yield %[[FOURTH]] : f32
// CHECK: ^bb0(%[[XH:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[ROOT:.*]] = math.sqrt %[[XH]] : f32
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[ROOT]] : f32
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[IS_NEG_INF:.*]] = arith.cmpf oeq, %[[XH]], %[[NEG_INF]] : f32
// CHECK-NEXT: %[[HALF:.*]] = arith.select %[[IS_NEG_INF]], %[[INF]], %[[ABS]] : f32
// CHECK-NEXT: linalg.yield %[[HALF]] : f32
// CHECK: ^bb0(%[[X1:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X1]] : f32
// CHECK: ^bb0(%[[XF:.*]]: f16, %{{.*}}: f32, %{{.*}}: f16):
// CHECK-NEXT: %[[WIDE:.*]] = arith.extf %[[XF]] : f16 to f32
// CHECK-NEXT: %[[SQF:.*]] = arith.mulf %[[WIDE]], %[[WIDE]] : f32
// CHECK-NEXT: %[[NARROW:.*]] = arith.truncf %[[SQF]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[NARROW]] : f16
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
func.func @pow_constant_exponent(%x: tensor<4xf32>, %h: tensor<4xf16>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>) {
  %two = graph.constant dense<2.0> : tensor<f32>
  %three = graph.constant dense<3.0> : tensor<1xf32>
  %four = graph.constant dense<4> : tensor<i64>
  %half = graph.constant dense<0.5> : tensor<f32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %five = graph.constant dense<5.0> : tensor<f32>
  %0 = graph.pow %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = graph.pow %x, %three : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  %2 = graph.pow %x, %four : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  %3 = graph.pow %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = graph.pow %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %5 = graph.pow %h, %two : (tensor<4xf16>, tensor<f32>) -> tensor<4xf16>
  %6 = graph.pow %x, %five : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>
}

// -----

// Tests Equal on floats (ordered) and integers, producing i1.
// CHECK-LABEL: func.func @equal
// CHECK: arith.cmpf oeq
// CHECK: linalg.yield %{{.*}} : i1
// CHECK: arith.cmpi eq, %{{.*}}, %{{.*}} : i64
func.func @equal(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<2x4xi64>, %d: tensor<4xi64>) -> (tensor<4xi1>, tensor<2x4xi1>) {
  %0 = graph.equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = graph.equal %c, %d : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi1>
  return %0, %1 : tensor<4xi1>, tensor<2x4xi1>
}

// -----

// Tests Where with three-way broadcasting.
// CHECK-DAG: #[[COND:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @where
// CHECK: linalg.generic {indexing_maps = [#[[COND]], #[[LHS]], #[[RHS]], #{{.*}}]
// CHECK: arith.select
func.func @where(%c: tensor<3x1xi1>, %x: tensor<4xf32>, %y: tensor<f32>) -> tensor<3x4xf32> {
  %0 = graph.where %c, %x, %y : (tensor<3x1xi1>, tensor<4xf32>, tensor<f32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Tests the float unary ops.
// CHECK-LABEL: func.func @unary
// CHECK: math.sqrt
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @unary(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %0 = graph.sqrt %x : (tensor<?xf32>) -> tensor<?xf32>
  %1 = graph.erf %x : (tensor<?xf32>) -> tensor<?xf32>
  %2 = graph.tanh %x : (tensor<?xf32>) -> tensor<?xf32>
  %3 = graph.sigmoid %x : (tensor<?xf32>) -> tensor<?xf32>
  return %0, %1, %2, %3 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

// -----

// Tests that transcendental functions of f16 run in f32.
// CHECK-LABEL: func.func @erf_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: math.erf %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @erf_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = graph.erf %x : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Tests Relu on floats, signed integers, and unsigned integers (identity).
// CHECK-LABEL: func.func @relu
// CHECK: arith.maximumf
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : i32
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[IN]] : i8
func.func @relu(%a: tensor<4xf32>, %b: tensor<4xi32>, %c: tensor<4xui8>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xui8>) {
  %0 = graph.relu %a : (tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.relu %b : (tensor<4xi32>) -> tensor<4xi32>
  %2 = graph.relu %c : (tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi32>, tensor<4xui8>
}

// -----

// Tests both Gelu forms.
// CHECK-LABEL: func.func @gelu
// CHECK: arith.constant 0.707106769 : f32
// CHECK: math.erf
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK: arith.constant 0.797884583 : f32
// CHECK: math.tanh
func.func @gelu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests the Cast conversions.
// CHECK-LABEL: func.func @cast
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK: arith.sitofp %{{.*}} : i64 to f32
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.cmpf une
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i64
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.extui %{{.*}} : i1 to i32
func.func @cast(%f32: tensor<4xf32>, %f16: tensor<4xf16>, %i32: tensor<4xi32>, %u8: tensor<4xui8>,
                %i64: tensor<4xi64>, %i1: tensor<4xi1>) {
  %0 = graph.cast %f32 {to = f16} : (tensor<4xf32>) -> tensor<4xf16>
  %1 = graph.cast %f16 {to = bf16} : (tensor<4xf16>) -> tensor<4xbf16>
  %2 = graph.cast %i32 {to = i64} : (tensor<4xi32>) -> tensor<4xi64>
  %3 = graph.cast %u8 {to = i32} : (tensor<4xui8>) -> tensor<4xi32>
  %4 = graph.cast %i64 {to = i8} : (tensor<4xi64>) -> tensor<4xi8>
  %5 = graph.cast %f32 {to = i32} : (tensor<4xf32>) -> tensor<4xi32>
  %6 = graph.cast %f32 {to = ui8} : (tensor<4xf32>) -> tensor<4xui8>
  %7 = graph.cast %i64 {to = f32} : (tensor<4xi64>) -> tensor<4xf32>
  %8 = graph.cast %u8 {to = f32} : (tensor<4xui8>) -> tensor<4xf32>
  %9 = graph.cast %f32 {to = i1} : (tensor<4xf32>) -> tensor<4xi1>
  %10 = graph.cast %i64 {to = i1} : (tensor<4xi64>) -> tensor<4xi1>
  %11 = graph.cast %i1 {to = f32} : (tensor<4xi1>) -> tensor<4xf32>
  %12 = graph.cast %i1 {to = i32} : (tensor<4xi1>) -> tensor<4xi32>
  return
}

// -----

// Tests that Max picks the arith op by signedness: maxui on unsigned
// elements (viewed as signless), maximumf on floats.
// CHECK-LABEL: func.func @max_unsigned_and_float
// CHECK: linalg.generic
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
// CHECK: linalg.generic
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
func.func @max_unsigned_and_float(%a: tensor<4xui8>, %b: tensor<4xui8>, %x: tensor<4xf32>, %y: tensor<f32>) -> (tensor<4xui8>, tensor<4xf32>) {
  %0 = graph.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = graph.max %x, %y : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xui8>, tensor<4xf32>
}

// -----

// Tests that integer Mod guards the divisor (0 and -1 divide by 1) and
// moves a remainder whose sign differs from the divisor's by adding the
// divisor; with fmod it is the plain remsi/remf.
// CHECK-LABEL: func.func @mod
// CHECK: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[B:.*]], %{{.*}} : i32
// CHECK: %[[SAFE:.*]] = arith.select %{{.*}}, %{{.*}}, %[[B]] : i32
// CHECK: %[[REM:.*]] = arith.remsi %{{.*}}, %[[SAFE]] : i32
// CHECK: arith.xori
// CHECK: %[[ADJ:.*]] = arith.addi %[[REM]], %[[SAFE]] : i32
// CHECK: arith.select %{{.*}}, %[[ADJ]], %[[REM]] : i32
// CHECK: linalg.generic
// CHECK: arith.remf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: linalg.yield
func.func @mod(%a: tensor<4xi32>, %b: tensor<4xi32>, %x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %0 = graph.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = graph.mod %x, %y {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xi32>, tensor<4xf32>
}

// -----

// Tests that comparisons produce i1 tensors with the signed, unsigned or
// ordered float predicate.
// CHECK-LABEL: func.func @compare
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i64
// CHECK: linalg.yield %{{.*}} : i1
// CHECK: arith.cmpi ule, %{{.*}}, %{{.*}} : i16
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
func.func @compare(%a: tensor<4xi64>, %u: tensor<4xui16>, %x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = graph.greater %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %1 = graph.less_or_equal %u, %u : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  %2 = graph.less %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Tests that a Clip with only an upper bound reads it through a rank-0 map
// and clamps below at the lowest finite f32, as onnxruntime's default:
// `x < lowest ? lowest : x`, then `max < y ? max : y` (a NaN x stays NaN,
// a NaN bound clamps nothing, -inf becomes the lowest finite value).
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @clip_max
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[HI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[LOWEST:.*]] = arith.constant -3.40282347E+38 : f32
// CHECK-NEXT: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[LOWEST]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.select %[[BELOW]], %[[LOWEST]], %[[X]] : f32
// CHECK-NEXT: %[[ABOVE:.*]] = arith.cmpf olt, %[[HI]], %[[Y]] : f32
// CHECK-NEXT: arith.select %[[ABOVE]], %[[HI]], %[[Y]] : f32
func.func @clip_max(%x: tensor<4xf32>, %hi: tensor<f32>) -> tensor<4xf32> {
  %0 = graph.clip %x max %hi : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that activations on f16 are computed in f32 with their attributes
// as constants.
// CHECK-LABEL: func.func @leaky_relu_f16
// CHECK: linalg.generic
// CHECK: %[[X:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: %[[ALPHA:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: arith.mulf %[[X]], %[[ALPHA]] : f32
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @leaky_relu_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = graph.leaky_relu %x {alpha = 0.25 : f32} : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Tests that BitShift shifts unsigned elements and yields 0 for shift
// amounts of at least the bit width.
// CHECK-LABEL: func.func @bit_shift
// CHECK: %[[SHIFT:.*]] = arith.shrui %{{.*}}, %[[AMOUNT:.*]] : i8
// CHECK: %[[WIDTH:.*]] = arith.constant 8 : i8
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[AMOUNT]], %[[WIDTH]] : i8
// CHECK: arith.select %[[IN]], %[[SHIFT]], %{{.*}} : i8
func.func @bit_shift(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = graph.bit_shift %a, %b {direction = "RIGHT"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Tests the math-function lowerings and IsInf with one detected sign.
// CHECK-LABEL: func.func @math_functions
// CHECK: math.roundeven
// CHECK: math.asinh
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: arith.cmpf oeq, %{{.*}}, %[[INF]] : f32
// CHECK-NOT: 0xFF800000
// CHECK: return
func.func @math_functions(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi1>) {
  %0 = graph.round %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.asinh %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = graph.is_inf %x {detect_negative = false} : (tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xi1>
}
