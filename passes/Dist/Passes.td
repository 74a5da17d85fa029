//===- Passes.td - Distribution passes ---------------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes that spread a model over ranks (the dist dialect).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_PASSES_TD
#define EXAFORGE_PASSES_DIST_PASSES_TD

include "mlir/Pass/PassBase.td"

def DistDeclareMesh : Pass<"dist-declare-mesh", "mlir::ModuleOp"> {
  let summary = "Declare the mesh of ranks the module is compiled for";
  let description = [{
    Declares `dist.mesh @mesh` with one axis per parallelism of more than one
    rank, in the fixed order `dp x pp x tp`: data-parallel replicas, pipeline
    stages, tensor-parallel ranks. The last axis varies fastest in the MPI
    rank, so the ranks of a tensor-parallel group, which communicate most,
    are neighbours. `dist-data-parallel`, `dist-tensor-parallel-sharding` and
    `dist-pipeline-partition` then partition along their axis of this mesh;
    none of them adds an axis, so the order does not depend on the order of
    the passes.

    Example: `dist-declare-mesh{dp=2 tp=2}` declares
    ```mlir
    dist.mesh @mesh axes = ["dp", "tp"] shape = [2, 2]
    ```
    With every size 1 the pass does nothing; a size below 1 or a module that
    already declares a mesh is an error.
  }];
  let options = [
    Option<"dp", "dp", "int64_t", /*default=*/"1",
           "Number of data-parallel replicas (the \"dp\" axis)">,
    Option<"pp", "pp", "int64_t", /*default=*/"1",
           "Number of pipeline stages (the \"pp\" axis)">,
    Option<"tp", "tp", "int64_t", /*default=*/"1",
           "Number of tensor-parallel ranks (the \"tp\" axis)">,
  ];
  let dependentDialects = ["exaforge::dist::DistDialect"];
}

def DistDataParallel : Pass<"dist-data-parallel", "mlir::ModuleOp"> {
  let summary = "Split the batch dimension of @main over a data-parallel mesh";
  let description = [{
    Marks every argument and result of `@main` with the sharding
    `#dist.sharding<@mesh, [["dp"], [], ...]>`: dimension 0, the batch, is
    split evenly over the ranks, the weights are replicated. Every rank then
    runs the unchanged program on its slice of the batch, and no
    communication is needed in between (inference): the runtime scatters the
    inputs and gathers the outputs along dimension 0.

    The batch must be a symbolic dimension (the same ONNX symbol, or none,
    in every input and output), so the one compiled program runs on any
    slice; a scalar input or output, a static batch size, or a dimension 0
    with a different symbol is an error that names the input or output.
    (`exaforge compile` frees a static batch that the ranks divide at import,
    before any shape is inferred from it: `OnnxImportOptions::
    dataParallelRanks`.)
    The pass assumes that the samples of a batch are independent (no op
    reduces or reorders across dimension 0), as in the models it is meant
    for; checking that needs the sharding propagation of the tensor-parallel
    passes. Only the ops whose result size depends on the data (NonZero,
    Unique, NonMaxSuppression, Compress), which gather the whole batch, are
    refused.

    The ranks are the "dp" axis of `@mesh`, which must have size `ranks`
    (`dist-declare-mesh`); a module without a mesh gets
    `dist.mesh @mesh axes = ["dp"] shape = [ranks]`. A module whose `@main`
    arguments already have shardings is an error. With `ranks=1` the pass
    does nothing.
  }];
  let options = [
    Option<"ranks", "ranks", "int64_t", /*default=*/"1",
           "Number of data-parallel ranks">,
  ];
  let dependentDialects = ["exaforge::dist::DistDialect"];
}

def DistPipelinePartition : Pass<"dist-pipeline-partition", "mlir::ModuleOp"> {
  let summary = "Cut @main into pipeline stages that pass activations with "
                "send/recv, over micro-batches";
  let description = [{
    Spreads the ops of `@main` (after data and tensor parallelism, if any)
    over `stages` ranks along the "pp" axis of `@mesh`, which must have size
    `stages` (`dist-declare-mesh` declares e.g. `axes = ["dp", "pp", "tp"]`);
    a module without a mesh gets `dist.mesh @mesh axes = ["pp"]`.

    **Stage cuts.** The ops are cut, in program order, into `stages`
    contiguous ranges that minimize the cost of the slowest stage. An op
    costs its roofline time on a nominal machine (FLOPs at 100 GFLOP/s,
    bytes at 20 GB/s, `estimateOpCost`); a cut costs the transfer of the
    values that cross it (5 GB/s and 5 us per message), paid by the stages
    on both sides (passes/Dist/PipelineStages.h). Constants are not cut:
    each stage materializes those it uses, so the weights of a stage are
    only touched by its ranks.

    **Transfers.** The values crossing the cut before stage `s` are received
    from stage `s - 1` (`dist.recv`) and those crossing the cut after it are
    sent to stage `s + 1` (`dist.send`), in program order; a stage forwards
    the values a later stage needs that it does not use. Function arguments
    (the model inputs) are on every rank and are never sent.

    **Micro-batches.** With `microbatches` M > 1, each stage loops over M
    slices of dimension 0 (the batch) of every input: slice `m` is rows
    `[m * B / M, (m + 1) * B / M)` (`min(M, B)` slices when the batch B is
    smaller). Stage `s` works on slice `m` while stage `s + 1` works on
    slice `m - 1`: the blocking transfers make the stages overlap, with the
    usual pipeline bubble of `(stages - 1) / (M + stages - 1)`. Like data
    parallelism, this needs a symbolic batch dimension in every input and
    output, and independent samples (the ops whose result size depends on
    the data, NonZero, Unique, NonMaxSuppression and Compress, are
    refused).

    **Program.** `@main` becomes one `scf.index_switch` on
    `dist.axis_index on @mesh axis = "pp"`, one case per stage, marked
    `dist.microbatches = M`. The last
    stage assembles the outputs; each result of `@main` gets
    `dist.produced_on = {pp = stages - 1}`, so that the runtime gathers it
    from there. The other stages return placeholders (uninitialized, dynamic
    sizes 0).

    Example, 2 stages, 2 micro-batches (abbreviated):
    ```mlir
    %stage = dist.axis_index on @mesh axis = "pp"
    %out = scf.index_switch %stage -> tensor<?x4xf32>
    case 0 {
      scf.for %m = %c0 to %count step %c1 {
        %x_m = tensor.extract_slice %x[%begin, 0] [%size, 16] [1, 1]
        %h = graph.mat_mul %x_m, %w1 ...
        dist.send %h on @mesh axis = "pp" to = 1 : tensor<?x32xf32>
      }
      scf.yield %placeholder : tensor<?x4xf32>
    }
    default {
      %y = scf.for %m = %c0 to %count step %c1 iter_args(%acc = %empty) {
        %h = dist.recv on @mesh axis = "pp" from = 0 : tensor<?x32xf32>
        %o = graph.mat_mul %h, %w2 ...
        %next = tensor.insert_slice %o into %acc[%begin, 0] [%size, 4] [1, 1]
        scf.yield %next
      }
      scf.yield %y : tensor<?x4xf32>
    }
    ```

    Errors name the reason: fewer ops than stages, a module already cut
    into stages, or (with micro-batches) a missing batch dimension or an
    output with another dynamic dimension. With `stages=1` the pass does
    nothing.
  }];
  let options = [
    Option<"stages", "stages", "int64_t", /*default=*/"1",
           "Number of pipeline stages (ranks along the \"pp\" axis)">,
    Option<"microbatches", "microbatches", "int64_t", /*default=*/"1",
           "Number of micro-batches each run is cut into (0: as many as "
           "stages when every input and output has a batch dimension, "
           "else 1)">,
  ];
  let dependentDialects = [
    "exaforge::dist::DistDialect", "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect"
  ];
}

def DistSplitFusedProjections
    : Pass<"dist-split-fused-projections", "mlir::ModuleOp"> {
  let summary = "Give each output of a Split of a constant projection its own "
                "projection";
  let description = [{
    Rewrites `Split(MatMul(x, W) + b)` and `Split(MatMul(x, W))`, cut along
    the last axis with sizes known at compile time, with W a constant
    matrix and b a constant vector, into one `MatMul(x, W_i) + b_i` per
    output, where `W_i` and `b_i` are the matching columns (a fused
    query/key/value projection becomes three projections). The results are
    the same; each projection can then be split by columns on its own by
    `dist-tensor-parallel-sharding` (a split of the fused matrix by columns
    would give a rank some queries but the keys of other heads).
    `dense_resource` parts are new resources named `<key>.part<i>`.
    Other splits are left alone.
  }];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

def DistTensorParallelSharding
    : Pass<"dist-tensor-parallel-sharding", "mlir::ModuleOp"> {
  let summary = "Decide how @main is split over tensor-parallel ranks "
                "(Megatron layout)";
  let description = [{
    Splits over the axis "tp" of the mesh `@mesh`, which must have size
    `ranks` (`dist-declare-mesh`; a module without a mesh gets
    `dist.mesh @mesh axes = ["tp"] shape = [ranks]`), and annotates every op of `@main` with the layout over "tp" in which it
    consumes each operand (`dist.operand_shardings`) and produces each
    result (`dist.result_shardings`), one `#dist.sharding` per value. A
    layout is replicated, split along one dimension (`[..., ["tp"], ...]`)
    or a partial sum (`partial = ["tp"]`). The annotations name only the
    "tp" axis: the batch split over "dp" (`dist-data-parallel`) is the
    same in every program and changes nothing here.

    Layouts flow forward from the inputs, which are replicated over "tp":
    - A linear layer (MatMul with a constant matrix, Gemm with a constant
      B) with a replicated input is column-parallel: its weight (and bias)
      is split along the output features, the result along its last
      dimension.
    - A linear layer whose input is split along the contraction dimension
      is row-parallel: its weight is split along the input features and the
      result is a partial sum. A Gemm's C, and a constant added to a partial
      sum (Add, Sub), become partial constants: only the first rank of the
      group holds the value, the others zeros, so it is added once.
    - Elementwise ops (with numpy broadcasting, constants sliced to match),
      Transpose, Reshape with a constant shape (the split moves to the
      output dimension holding the same blocks: `[b, s, hidden]` split on
      `hidden` reshaped to `[b, s, heads, head_dim]` is split on `heads`, so
      attention is split by heads), Softmax, LayerNormalization (outside the
      normalized axes), Split (outside its axis), Gather and batched MatMul
      (both operands split along the same batch dimension, e.g. the heads)
      keep a split.
    - Any other op, or an op that cannot keep its operands' layouts, takes
      replicated operands: a partial sum is summed there (one
      `dist.all_reduce` after each row-parallel layer, where its result
      meets a replicated value, e.g. the residual Add) and a split value
      would be gathered.
    A split that would have to be gathered is not worth making: the pass
    then keeps the column-parallel layers it comes from whole and starts
    again, until no gather is left. The last layer of the MLP, whose result
    is an output of the model, thus stays replicated. Likewise a dimension
    that does not divide by `ranks` (a weight, the head count) is never
    split: the layers concerned stay replicated, which is correct, just not
    faster.

    With `ranks=1` the pass does nothing. `dist-tensor-parallel-partition`
    turns the annotated program into the per-rank one.
  }];
  let options = [
    Option<"ranks", "ranks", "int64_t", /*default=*/"1",
           "Number of tensor-parallel ranks">,
  ];
  let dependentDialects = ["exaforge::dist::DistDialect"];
}

def DistTensorParallelPartition
    : Pass<"dist-tensor-parallel-partition", "mlir::ModuleOp"> {
  let summary = "Rewrite the annotated @main into the program of one "
                "tensor-parallel rank";
  let description = [{
    Reads the annotations of `dist-tensor-parallel-sharding` and rewrites
    `@main` into the program every rank runs (SPMD) on local shards:
    - Each result gets its local type: a dimension split over "tp" is
      divided by the size of the axis.
    - A constant consumed split or partial becomes a `graph.weight` of the
      local type, read through `graph.weight_ref`: it is named after its
      resource key (or `tp_const`), holds the global value and records its
      layout in `dist.sharding`; the artifact writer stores each rank's
      shard. A constant used in two layouts gives two weights.
    - A Reshape whose result is split gets a new constant shape whose
      positive size of the split dimension is divided by the size of the
      axis (`[0, 0, heads, head_dim]` becomes `[0, 0, heads/T, head_dim]`).
    - Where an op consumes a value in another layout than the one it was
      produced in, a collective over "tp" is inserted right after the value
      (once per value and layout): `dist.all_reduce` (sum) from partial to
      replicated, `dist.all_gather` from split to replicated,
      `dist.reduce_scatter` from partial to split. Other changes (splitting
      a replicated value, which needs the rank's coordinate) are errors.
    Annotations are removed. A module without annotations is left alone.
  }];
  let dependentDialects = ["exaforge::dist::DistDialect"];
}

#endif // EXAFORGE_PASSES_DIST_PASSES_TD
