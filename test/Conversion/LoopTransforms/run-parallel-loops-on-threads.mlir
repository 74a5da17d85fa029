// RUN: exaforge-opt %s --run-parallel-loops-on-threads --split-input-file | FileCheck %s

// A 2-D loop: the outer dimension is shared out among threads, the inner one
// stays a loop. The memrefs and the dynamic size travel in the context
// struct; the constants are cloned into the outlined function. The cost of
// one shared iteration is the inner trip count (64) times the 4 operations
// of the body.

// CHECK-LABEL: func.func @add_rows(
// CHECK-SAME:      %[[A:.*]]: memref<?x64xf32>, %[[B:.*]]: memref<?x64xf32>, %[[OUT:.*]]: memref<?x64xf32>)
// CHECK:         %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK:         %[[CTX:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, i64)>
// CHECK:         %[[N:.*]] = memref.dim %[[A]]
// CHECK:         %[[DA:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<?x64xf32> to !llvm.struct
// CHECK:         llvm.insertvalue %[[DA]], %{{.*}}[0]
// CHECK:         builtin.unrealized_conversion_cast %[[B]]
// CHECK:         builtin.unrealized_conversion_cast %[[OUT]]
// CHECK:         %[[N64:.*]] = builtin.unrealized_conversion_cast %[[N]] : index to i64
// CHECK:         %[[PACKED:.*]] = llvm.insertvalue %[[N64]], %{{.*}}[3]
// CHECK:         llvm.store %[[PACKED]], %[[CTX]]
// CHECK:         %[[C4:.*]] = arith.constant 4 : index
// CHECK-NEXT:    %[[COST:.*]] = arith.muli %{{.*}}, %[[C4]] : index
// CHECK:         %[[BODY:.*]] = constant @add_rows_parallel : (!llvm.ptr, i64, i64) -> ()
// CHECK:         %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK:         %[[ITERS:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:         %[[COST64:.*]] = arith.index_cast %[[COST]] : index to i64
// CHECK:         call @xf_parallel_for(%[[BODY]], %[[CTX]], %[[ZERO]], %[[ITERS]], %[[COST64]])
// CHECK-NOT:     scf.parallel
// CHECK:         return

// CHECK-LABEL: func.func private @add_rows_parallel(
// CHECK-SAME:      %[[CTXARG:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK:         %[[LOADED:.*]] = llvm.load %[[CTXARG]]
// CHECK:         %[[F0:.*]] = llvm.extractvalue %[[LOADED]][0]
// CHECK:         %[[A2:.*]] = builtin.unrealized_conversion_cast %[[F0]] : !llvm.struct<{{.*}}> to memref<?x64xf32>
// CHECK:         %[[C64:.*]] = arith.constant 64 : index
// CHECK:         %[[LO:.*]] = arith.index_cast %[[BEGIN]] : i64 to index
// CHECK:         %[[HI:.*]] = arith.index_cast %[[END]] : i64 to index
// CHECK:         scf.for %[[I:.*]] = %[[LO]] to %[[HI]]
// CHECK:           scf.parallel (%[[J:.*]]) = (%{{.*}}) to (%[[C64]])
// CHECK:             memref.load %[[A2]][%{{.*}}, %[[J]]]
// CHECK:             arith.addf
// CHECK:             memref.store
// CHECK: func.func private @xf_parallel_for((!llvm.ptr, i64, i64) -> (), !llvm.ptr, i64, i64, i64)

func.func @add_rows(%a: memref<?x64xf32>, %b: memref<?x64xf32>, %out: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %n = memref.dim %a, %c0 : memref<?x64xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c64) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<?x64xf32>
    %y = memref.load %b[%i, %j] : memref<?x64xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %out[%i, %j] : memref<?x64xf32>
    scf.reduce
  }
  return
}

// -----

// A 3-D loop: the two outer dimensions are shared out as one linear range of
// 2 * 3 iterations, delinearized with the second dimension's trip count.

// CHECK-LABEL: func.func @scale
// CHECK:         call @xf_parallel_for
// CHECK-LABEL: func.func private @scale_parallel(
// CHECK:         %[[C3:.*]] = arith.constant 3 : index
// CHECK:         scf.for %[[LINEAR:.*]] = 
// CHECK:           %[[J:.*]] = arith.remui %[[LINEAR]], %[[TRIPS:.*]] : index
// CHECK:           %[[I:.*]] = arith.divui %[[LINEAR]], %[[TRIPS]] : index
// CHECK:           scf.parallel (%[[K:.*]]) =
// CHECK:             memref.load %{{.*}}[%{{.*}}, %{{.*}}, %[[K]]] : memref<2x3x8xf32>

func.func @scale(%x: memref<2x3x8xf32>, %factor: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c2, %c3, %c8) step (%c1, %c1, %c1) {
    %v = memref.load %x[%i, %j, %k] : memref<2x3x8xf32>
    %s = arith.mulf %v, %factor : f32
    memref.store %s, %x[%i, %j, %k] : memref<2x3x8xf32>
    scf.reduce
  }
  return
}

// -----

// A 1-D loop with a reduction loop inside (a row sum): the whole parallel
// dimension is shared out; the cost of one iteration counts the 16
// iterations of the inner loop (4 operations each) plus the loop itself.

// CHECK-LABEL: func.func @row_sums
// CHECK:         %[[COST:.*]] = arith.constant 65 : index
// CHECK:         call @xf_parallel_for
// CHECK-LABEL: func.func private @row_sums_parallel(
// CHECK:         scf.for %[[LINEAR:.*]] =
// CHECK:           %[[OFFSET:.*]] = arith.muli %[[LINEAR]], %{{.*}} : index
// CHECK:           %[[I:.*]] = arith.addi %{{.*}}, %[[OFFSET]] : index
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for
// CHECK:             memref.load %{{.*}}[%[[I]], %{{.*}}] : memref<4x16xf32>

func.func @row_sums(%x: memref<4x16xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %j = %c0 to %c16 step %c1 {
      %v = memref.load %x[%i, %j] : memref<4x16xf32>
      %acc = memref.load %out[%i] : memref<4xf32>
      %s = arith.addf %v, %acc : f32
      memref.store %s, %out[%i] : memref<4xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Left alone: a loop with a reduction (results), and a loop that uses a
// value of a type the context struct cannot carry (complex). The inner loop
// of a nested pair is never outlined on its own.

// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     xf_parallel_for
// CHECK:         scf.parallel
// CHECK:         scf.parallel
// CHECK:         scf.parallel
// CHECK-NOT:     xf_parallel_for

func.func @left_alone(%x: memref<8xf32>, %c: complex<f32>, %out: memref<8xcomplex<f32>>,
                      %zeros: memref<8x8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      memref.store %zero, %zeros[%i, %j] : memref<8x8xf32>
      scf.reduce
    }
    %v = memref.load %x[%i] : memref<8xf32>
    scf.reduce(%v : f32) {
    ^bb0(%lhs: f32, %rhs: f32):
      %s = arith.addf %lhs, %rhs : f32
      scf.reduce.return %s : f32
    }
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %c, %out[%i] : memref<8xcomplex<f32>>
    scf.reduce
  }
  return %sum : f32
}
