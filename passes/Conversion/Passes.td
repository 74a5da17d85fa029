//===- Passes.td - Exaforge conversion passes --------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_PASSES_TD
#define EXAFORGE_PASSES_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// GraphToLinalg
//===----------------------------------------------------------------------===//

def ConvertGraphToLinalg : Pass<"convert-graph-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower graph ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every graph op into upstream ops on tensors: elementwise ops and
    normalizations become `linalg.generic` nests, contractions become
    `linalg.matmul`/`linalg.batch_matmul`, convolutions and pooling become
    `linalg.conv_*`/`linalg.pooling_*`, and data movement becomes `tensor`
    ops. Dynamic dimensions are read with `tensor.dim`. Layout parameters
    given as tensors known only at run time (Slice's starts, ends, axes and
    steps, the axes of Squeeze, Unsqueeze, Pad and the reductions, Split's
    sizes, CumSum's axis) are read with `tensor.extract` and the layout is
    computed in index arithmetic; values that ONNX rejects (an axis out of
    range or repeated, a Squeeze axis whose size is not 1, Split sizes that
    do not add up, a step of 0, a size that differs from the declared one)
    are checked with `cf.assert` (see `convert-asserts-to-runtime-calls`).
    Weights (`graph.weight` and `graph.weight_ref`) stay as they are, until
    `artifact-prepare-entry-point` makes them arguments; with them gone, the
    result is ready for one-shot bufferization. Fails on a graph op it
    cannot lower, naming the op.

    Before:
    ```mlir
    %0 = graph.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
    After:
    ```mlir
    %empty = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%empty : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %max = arith.maximumf %in, %zero : f32
      linalg.yield %max : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::cf::ControlFlowDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ConvertGraphControlFlowToScf
    : Pass<"convert-graph-control-flow-to-scf", "mlir::ModuleOp"> {
  let summary = "Lower graph.if and graph.loop to scf on tensors";
  let description = [{
    Rewrites the graph ops with regions into `scf` ops on tensors, before
    `convert-graph-to-linalg` lowers the graph ops inside them (which then
    sit in scf regions): `graph.if` becomes `scf.if` on the extracted
    condition, `graph.loop` becomes `scf.while` carrying the iteration
    number, the condition, the loop-carried values and one accumulator per
    scan output. A scan output is preallocated and filled with
    `tensor.insert_slice` when the loop has no condition (the trip count is
    known before the loop) and its element shape is static; otherwise it
    grows by one element per iteration. A yielded value more static than the
    region's result is cast with `tensor.cast`. The result bufferizes with
    one-shot bufferization. See docs/design/control-flow.md.

    Before:
    ```mlir
    %0 = graph.if %c : tensor<i1> -> (tensor<2xf32>) {
      graph.yield %a : tensor<2xf32>
    } else {
      graph.yield %b : tensor<2xf32>
    }
    ```
    After:
    ```mlir
    %c0 = tensor.extract %c[] : tensor<i1>
    %0 = scf.if %c0 -> (tensor<2xf32>) {
      scf.yield %a : tensor<2xf32>
    } else {
      scf.yield %b : tensor<2xf32>
    }
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ConvertGraphSequencesToTensors
    : Pass<"convert-graph-sequences-to-tensors", "mlir::ModuleOp"> {
  let summary = "Lower sequences and optionals to tensors";
  let description = [{
    Replaces every `!graph.sequence` value by three tensors and every
    `!graph.optional` value by four, and the sequence and optional ops by
    tensor code on them. A sequence of tensors of element type E is `data:
    tensor<?xE>` (the elements' values, one after the other), `dims:
    tensor<?xi64>` (their sizes, one after the other) and `elements:
    tensor<?x2xi64>` (per element its number of values and its rank); an
    optional is `present: tensor<i1>` followed by the sequence of what it
    holds (a held tensor is a sequence of one element). Function signatures
    (each part named `<name>#data`, `#dims`, `#elements`, `#has_tensor` or
    `#has_sequence`, the
    manifest's names of the model's inputs and outputs), `func.return` and
    the scf ops are converted with them. Positions, element ranks, static
    sizes and an empty optional's use are checked at run time. Runs after
    `convert-graph-control-flow-to-scf` and before `convert-graph-to-linalg`;
    a module without sequences is left as it is. See
    docs/design/control-flow.md.

    Before:
    ```mlir
    func.func @main(%s: !graph.sequence<tensor<*xf32>>) -> tensor<i64> {
      %n = graph.sequence_length %s : !graph.sequence<tensor<*xf32>>
          -> tensor<i64>
      return %n : tensor<i64>
    }
    ```
    After:
    ```mlir
    func.func @main(%data: tensor<?xf32>, %dims: tensor<?xi64>,
                    %elements: tensor<?x2xi64>) -> tensor<i64> {
      %c0 = arith.constant 0 : index
      %n = tensor.dim %elements, %c0 : tensor<?x2xi64>
      %n64 = arith.index_cast %n : index to i64
      %t = tensor.from_elements %n64 : tensor<i64>
      return %t : tensor<i64>
    }
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::cf::ControlFlowDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def MakeTensorsSignless : Pass<"make-tensors-signless", "mlir::ModuleOp"> {
  let summary = "Replace unsigned and signed integer element types by "
                "signless ones before bufferization";
  let description = [{
    After `convert-graph-to-linalg` the signedness of ONNX's unsigned
    integers is carried by the arith ops (`divui`, `cmpi ult`, `shrui`,
    `uitofp`, `extui`, ...), and unsigned types only remain on tensors: at
    the function boundary, on data movement ops and around each
    `linalg.generic`, where `tensor.bitcast` views them as signless.
    One-shot bufferization does not bufferize `tensor.bitcast`, so this pass
    rewrites every `uiN`/`siN` type in the module (function signatures,
    results, block arguments, attributes such as `dense<...>` constants) to
    the signless `iN` of the same width, then erases the `tensor.bitcast`
    ops that have become casts of a type to itself. The bits of every value
    are unchanged, so the computation is too. Run it after writing the
    artifact manifest, which records the model's ONNX element types.

    Before:
    ```mlir
    func.func @f(%x: tensor<4xui8>) -> tensor<4xui8> {
      %0 = tensor.bitcast %x : tensor<4xui8> to tensor<4xi8>
      %1 = linalg.generic ... ins(%0 : tensor<4xi8>) ... -> tensor<4xi8>
      %2 = tensor.bitcast %1 : tensor<4xi8> to tensor<4xui8>
      return %2 : tensor<4xui8>
    }
    ```
    After:
    ```mlir
    func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
      %1 = linalg.generic ... ins(%x : tensor<4xi8>) ... -> tensor<4xi8>
      return %1 : tensor<4xi8>
    }
    ```
  }];
}

//===----------------------------------------------------------------------===//
// LinalgToKernels
//===----------------------------------------------------------------------===//

def SelectKernels : Pass<"select-kernels", "mlir::ModuleOp"> {
  let summary = "Choose library kernels for matmuls, convolutions and max "
                "poolings on tensors";
  let description = [{
    Runs before bufferization. Replaces linalg ops on tensors by ops of the
    `kernel` dialect when the kernel target (option `target`, see
    passes/Conversion/KernelTarget/KernelTarget.h) accepts them; the CPU
    target accepts f32 operands. What the library applies itself is folded
    into the kernel op through SSA use-def chains:
    - `linalg.matmul` (default indexing maps, or maps that read A and/or B
      transposed: `transpose_lhs`/`transpose_rhs`) and `linalg.batch_matmul`
      (default maps) become `kernel.matmul`;
    - `linalg.conv_2d_nchw_fchw` becomes `kernel.conv2d`, which absorbs a
      `tensor.pad` of its input's spatial dimensions with zeros (`padding`);
    - `linalg.conv_2d_ngchw_gfchw` (a grouped or depthwise convolution, as
      the graph-to-linalg lowering writes it: NCHW operands expanded with a
      group dimension, the result collapsed back to NCHW, and that collapse
      its only user) becomes `kernel.conv2d` with `groups`, on the NCHW
      operands under the expansions (or collapses of the grouped ones), in
      place of the collapse; the padding, fill and epilogue are absorbed as
      for the ungrouped convolution;
    - `linalg.pooling_nchw_max` with a static window, into an output filled
      with -infinity (the Max lowering's initial value), becomes
      `kernel.max_pool2d`, which absorbs a -infinity `tensor.pad` of its
      input;
    - a destination that is a `linalg.fill` of zero (of -infinity for max
      pooling) becomes the filled tensor, which the kernel overwrites; any
      other destination is accumulated into (`accumulate`);
    - a weight operand (B, the filter) that is (a view of) a function
      argument marked `exaforge.constant_buffer` sets `constant_weights`, so
      that the library may pre-pack it once. The marks are removed;
    - the epilogue of a convolution that overwrites its output: when the
      only user of its result is a `linalg.generic` reading it with an
      identity map (`tensor.dim`s of the result aside: they read the
      kernel's destination instead), whose body starts with `act(conv +
      bias? + residual?)` (a per-channel bias read at the channel index, an
      elementwise residual, in that order, each step used once), the kernel
      applies those terms (`bias`, the residual as an accumulated
      destination, and the activation: `swish` for `x * (1 / (1 +
      exp(-x)))` (a SiLU), `hard_swish` for `x * max(min(x * (1 / 6) +
      1 / 2, 1), 0)`, or `relu` for `maximumf(x, 0)`, which the kernel
      computes as linalg does: NaN stays NaN, -0 becomes 0) and the generic
      reads the kernel's result
      instead; a generic that computes nothing else is replaced by it.
      Bufferization then writes the result into the residual's buffer when
      nothing reads the residual afterwards, and copies it first otherwise.
    - the epilogue of a matmul or batch matmul that overwrites its output,
      alike: `relu?(product + bias? + residual?)` with the bias read at the
      last index (one value per column: a Gemm's or Linear layer's bias).
      The generic may read the product through a `tensor.expand_shape` of
      its rows and columns (a MatMul of a `[batch, sequence, K]` input,
      computed as a matrix of `batch * sequence` rows; a bias add moved
      past the split of the columns into attention heads, whose bias is
      then read at the columns' indices); other expansions of the product
      may only be read by `tensor.dim`s, which become the expansion's
      sizes. The kernel then reads the residual, and a bias of several
      dimensions, through the inverse `tensor.collapse_shape`, and the
      generic reads the expansion of the kernel's result;
    - a convolution or max pooling gets `channels_last` when the target
      prefers its activations in NHWC memory order
      (`KernelTarget::prefersChannelsLast`; the CPU target does).
    Other ops are left to the loop lowering.

    Before:
    ```mlir
    %zero = linalg.fill ins(%cst : f32) outs(%empty : tensor<4x16xf32>) -> tensor<4x16xf32>
    %c = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
                       outs(%zero : tensor<4x16xf32>) -> tensor<4x16xf32>
    ```
    After:
    ```mlir
    %c = kernel.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
                       outs(%empty : tensor<4x16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "The kernel target whose library is called (cpu: oneDNN)">,
  ];
  let dependentDialects = [
    "::exaforge::kernel::KernelDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ConvertKernelsToCalls
    : Pass<"convert-kernels-to-calls", "mlir::ModuleOp"> {
  let summary = "Lower kernel ops on buffers to calls of the target's "
                "library";
  let description = [{
    Runs after bufferization. Numbers the kernel ops of the module in program
    order (the call-site number, under which a library may cache the
    primitive it prepares) and lets the kernel target (option `target`)
    replace each by calls of its library. The CPU target calls the oneDNN
    kernels of `runtime/include/exaforge/abi/kernels.h`, passing the
    call-site number, the name of the ONNX node the op computes (a constant
    global string `xf_node_name`, so that a oneDNN failure names the node),
    the flags (`XF_KERNEL_ACCUMULATE` for `accumulate`,
    `XF_KERNEL_CONSTANT_WEIGHTS`, `XF_KERNEL_BIAS` with a bias (an empty
    buffer otherwise), `XF_KERNEL_RELU`), the buffers cast to fully dynamic
    strided memrefs (transposed operands as `memref.transpose` views) and
    the window parameters. Fails on a kernel op that is still on tensors.

    Before:
    ```mlir
    kernel.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>)
                  outs(%c : memref<4x16xf32>) {accumulate}
    ```
    After:
    ```mlir
    %site = arith.constant 0 : i64
    %node = llvm.mlir.addressof @xf_node_name : !llvm.ptr
    %flags = arith.constant 1 : i64
    %a_ = memref.cast %a : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    ...
    call @xf_kernel_matmul_f32(%site, %node, %flags, %a_, %b_, %c_) : (i64, !llvm.ptr, i64, ...) -> ()
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "The kernel target whose library is called (cpu: oneDNN)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::LLVM::LLVMDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def UseChannelsLastKernelBuffers
    : Pass<"use-channels-last-kernel-buffers", "mlir::ModuleOp"> {
  let summary = "Lay out as NHWC the activations that window kernels and "
                "channel-innermost loops touch";
  let description = [{
    Runs after bufferization, on kernel ops on buffers, before
    `convert-kernels-to-calls`. The libraries' fast convolutions and
    poolings (oneDNN's, as cuDNN's) run on NHWC activations, so a kernel
    reorders an NCHW buffer into NHWC and back on every call. This pass gives
    every f32 `memref.alloc` N x C x H x W with static channels, height and
    width (or N x C x HW, the destination of a loop whose spatial loops
    `collapse-generic-loops` merged) a channels-last allocation, seen
    through a `memref.reinterpret_cast` (a view that buffer analyses follow)
    as a buffer of the same shape with channels-last strides, when every
    use of it accepts that layout and one computes on it:
    - `kernel.conv2d` and `kernel.max_pool2d` ops marked `channels_last`
      (the kernel target's preference, recorded by `select-kernels`) that
      use it as an input or a destination (they read the strides from the
      descriptors);
    - `linalg.generic` ops whose innermost loop walks it contiguously in
      NHWC (its channels, after `interchange-channels-innermost`);
    - `memref.dim`s, and `memref.expand_shape` and `memref.collapse_shape`
      views that the NHWC strides allow and whose uses accept the layout
      in turn (their types are updated).
    So a chain of kernels and of the loops between them passes NHWC
    activations along without reorders. Buffers that other ops or function
    boundaries see, or that a loop walks along their width, keep their
    layout.

    Before:
    ```mlir
    %y = memref.alloc() : memref<1x64x56x56xf32>
    kernel.conv2d ins(%x, %w : ...) outs(%y : memref<1x64x56x56xf32>) ...
        {channels_last}
    ```
    After:
    ```mlir
    %n = memref.alloc() : memref<1x56x56x64xf32>
    %y = memref.reinterpret_cast %n to offset: [0], sizes: [1, 64, 56, 56],
        strides: [200704, 1, 3584, 64]
        : memref<1x56x56x64xf32> to memref<1x64x56x56xf32, strided<[200704, 1, 3584, 64]>>
    kernel.conv2d ins(%x, %w : ...) outs(%y : memref<1x64x56x56xf32, strided<[200704, 1, 3584, 64]>>) ...
        {channels_last}
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// LinalgTransforms
//===----------------------------------------------------------------------===//

def FuseElementwiseAroundKernels
    : Pass<"fuse-elementwise-around-kernels", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg.generic ops without rewriting the "
                "named ops that become kernel calls";
  let description = [{
    Runs upstream's elementwise fusion patterns (producer/consumer fusion of
    all-parallel `linalg.generic` ops, folding `tensor.expand_shape` and
    `tensor.collapse_shape` into generics by expanding their loops, bubbling
    expand_shape up, constant folding) like `linalg-fuse-elementwise-ops`,
    with one difference: a named linalg op (`linalg.matmul`,
    `linalg.batch_matmul`, convolutions, `linalg.transpose`, ...) is never
    the op that a reshape is folded into. Upstream's pass rewrites
    `expand_shape(matmul)` into one higher-rank `linalg.generic`, which
    `select-kernels` can no longer hand to oneDNN: every
    MatMul of a transformer block whose result is reshaped into heads would
    fall back to a scalar loop nest. Likewise the reshapes around a grouped
    convolution (`linalg.conv_2d_ngchw_gfchw`: the expansions of its NCHW
    operands, the collapse of its result) are not folded into the generics
    around it, through which `select-kernels` sees it as an NCHW
    convolution. As upstream, a producer is fused only into its single user.
    Without `recompute-broadcast-math`, a producer whose body calls a math
    function or divides is not fused into a consumer that broadcasts its
    result (reads its values more than once): the consumer would compute
    the producer's value again for every read, a squeeze-and-excitation
    sigmoid once per pixel rather than once per channel.

    Before:
    ```mlir
    %0 = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) ...
    %1 = tensor.expand_shape %0 [[0, 1], [2]] ... into tensor<?x16x64xf32>
    ```
    After: unchanged (upstream's pass would make %1 a 3-loop-dimension
    `linalg.generic` contraction).
  }];
  let options = [
    Option<"recomputeBroadcastMath", "recompute-broadcast-math", "bool",
           /*default=*/"true",
           "Fuse a producer that calls math functions or divides into a "
           "consumer that broadcasts its result">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ExpandShapesToReshapes
    : Pass<"expand-shapes-to-reshapes", "mlir::func::FuncOp"> {
  let summary = "Turn tensor.expand_shape ops that split one dimension into "
                "several dynamic ones into tensor.reshape";
  let description = [{
    MLIR 22's `expand-strided-metadata` crashes (a null `IntegerAttr` in
    `memref::ReinterpretCastOp::build`) on a `memref.expand_shape` one of
    whose reassociation groups has more than one dynamic size, such as a
    batched MatMul's `?x?x?` result expanded back into `?x?x?x?` (batch and
    heads both dynamic, as in every transformer exported with a symbolic
    batch). This pass runs on tensors, before bufferization, and rewrites
    each such `tensor.expand_shape` into a `tensor.reshape` whose shape
    operand holds the expand's output sizes; that bufferizes to
    `memref.reshape`, which the LLVM lowering handles directly. Other
    expand_shapes (at most one dynamic size per group) are left alone.

    Before:
    ```mlir
    %e = tensor.expand_shape %t [[0, 1], [2]] output_shape [%a, %b, 64]
        : tensor<?x64xf32> into tensor<?x?x64xf32>
    ```
    After:
    ```mlir
    %shape = tensor.from_elements %a, %b, %c64 : tensor<3xindex>
    %e = tensor.reshape %t(%shape)
        : (tensor<?x64xf32>, tensor<3xindex>) -> tensor<?x?x64xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def InterchangeChannelsInnermost
    : Pass<"interchange-channels-innermost", "mlir::func::FuncOp"> {
  let summary = "Make the channels the innermost loop of the linalg.generic "
                "ops around channels-last kernels";
  let description = [{
    Runs on tensors after `select-kernels`, before `collapse-generic-loops`.
    The activations that channels-last kernel ops (`kernel.conv2d` and
    `kernel.max_pool2d` marked `channels_last`) read and write become NHWC
    buffers (`use-channels-last-kernel-buffers`) only when every loop nest
    that touches them walks their channels in its innermost loop: otherwise
    the kernel reorders them into NCHW and back on every call. So this pass
    interchanges the loops of each `linalg.generic` that reads or writes
    such an activation (a squeeze-and-excitation block's global average
    pool and scale, a residual add that no convolution absorbed), with
    spatial sizes other than 1 x 1, so that the loop over its channels
    becomes the innermost one; and then of each generic that reads or
    writes the result of a generic so interchanged, so that a chain of
    loops between two kernels walks one layout. A generic whose operands
    disagree on which loop walks their channels, or whose channel loop is a
    reduction, is left alone. The interchange changes the order of the
    loops only: each reduction still adds its values in the same order.

    Before (`%x` a convolution's result):
    ```mlir
    %y = linalg.generic {indexing_maps = [(d0, d1, d2, d3) -> (d0, d1, 0, 0),
                                          (d0, d1, d2, d3) -> (d0, d1, d2, d3),
                                          (d0, d1, d2, d3) -> (d0, d1, d2, d3)],
                         iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%scale, %x : tensor<1x96x1x1xf32>, tensor<1x96x56x56xf32>) ...
    ```
    After:
    ```mlir
    %y = linalg.generic {indexing_maps = [(d0, d1, d2, d3) -> (d0, d3, 0, 0),
                                          (d0, d1, d2, d3) -> (d0, d3, d1, d2),
                                          (d0, d1, d2, d3) -> (d0, d3, d1, d2)], ...}
        ins(%scale, %x : tensor<1x96x1x1xf32>, tensor<1x96x56x56xf32>) ...
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def CollapseGenericLoops
    : Pass<"collapse-generic-loops", "mlir::func::FuncOp"> {
  let summary = "Merge the loops of linalg.generic ops that walk memory in "
                "one run";
  let description = [{
    Gives `linalg.generic` ops on tensors (elementwise ones and reductions)
    as few and as long loops as their operands allow, so that the innermost
    loop is long enough for LLVM to vectorize: LLVM's loop vectorizer leaves
    loops of fewer than 16 known iterations scalar, and the innermost loop
    of an NCHW activation is its width (14 or 7 in the late stages of a
    CNN). First the size-1 dimensions go (upstream's
    `linalg-fold-unit-extent-dims` on these generics only: a broadcast
    `[N, C, 1, 1]` operand becomes `[N, C]`); then each run of consecutive
    loops of one iterator type that every operand reads as consecutive
    dimensions, in order or not at all, becomes one loop (upstream's
    collapse patterns), with `tensor.collapse_shape` on the operands and
    `tensor.expand_shape` on the results, which bufferize to views. A global
    average pool's two reduced spatial loops become one. Generics with
    dynamic shapes whose body reads its loop indices (`linalg.index`: a
    dimension that may broadcast at run time reads its operand through
    `tensor.extract`) are left alone: collapsed, every value's indices
    became divisions, and efficientnet_b0 with a symbolic batch ran 1.6
    times slower. With static shapes, a loop whose index the body reads
    stays a loop of its own (the loops around it may still merge): a
    Resize computes its source rows from its output row, and with that
    loop merged into the others the row was recovered by a division at
    every element and nothing left the inner loop (a bilinear upsampling
    to 8 x 21 x 224 x 224 ran scalar, 3.3 times slower). Runs after
    `select-kernels`, so the generics that kernels absorb (a ReLU after a
    convolution) are already gone; named ops are left alone.

    Before:
    ```mlir
    %y = linalg.generic {indexing_maps = [(d0, d1, d2, d3) -> (d0, d1, 0, 0),
                                          (d0, d1, d2, d3) -> (d0, d1, d2, d3), ...]}
        ins(%scale, %x : tensor<8x672x1x1xf32>, tensor<8x672x14x14xf32>) ...
    ```
    After: the loops are (d0 d1) and (d2 d3): `%scale` is read as
    `tensor<5376xf32>`, `%x` as `tensor<5376x196xf32>`, and the innermost
    loop has 196 iterations instead of 14.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def ReassociateFloatReductions : Pass<"reassociate-float-reductions"> {
  let summary = "Allow float reductions in linalg.generic to be reordered";
  let description = [{
    Sets the `reassoc` fast-math flag on the float `addf`, `mulf`,
    `maximumf` and `minimumf` ops of `linalg.generic` bodies with a
    reduction iterator that combine a value with the output (the
    accumulator). A reduction in strict order is a serial chain LLVM cannot
    vectorize; with `reassoc` it keeps one partial sum per SIMD lane and
    combines them at the end, as onnxruntime's kernels do. The sums then
    differ from a left-to-right sum by rounding only. Nothing else in the
    body changes.

    Before:
    ```mlir
    ^bb0(%in: f32, %acc: f32):
      %0 = arith.addf %in, %acc : f32
    ```
    After:
    ```mlir
    ^bb0(%in: f32, %acc: f32):
      %0 = arith.addf %in, %acc fastmath<reassoc> : f32
    ```
  }];
}

def ReduceMatmulPrecision
    : Pass<"reduce-matmul-precision", "mlir::ModuleOp"> {
  let summary = "Multiply f32 matrices in bf16 or f16, accumulating in f32";
  let description = [{
    `exaforge compile --precision bf16|f16` (CUDA target): every
    `linalg.matmul` and `linalg.batch_matmul` on f32 tensors reads its two
    operands in `element-type` and keeps its f32 destination, so that
    cuBLASLt multiplies on tensor cores with f32 accumulation and the result
    stays f32 for the ops after it (as PyTorch's autocast does, but with an
    f32 result).

    - A model weight that only matmuls read (`graph.weight`, through its
      `graph.weight_ref`s) is converted at compile time: the artifact stores
      it in `element-type` (half the bytes), rounded to nearest even.
    - So is a constant operand (`arith.constant`).
    - Any other operand (an activation, a weight that other ops read too) is
      converted by an elementwise `linalg.generic` before the product, which
      elementwise fusion then merges into its producer.

    Nothing else changes precision: inputs, outputs and the other ops stay
    f32.

    Before:
    ```mlir
    %w = graph.weight_ref @fc : tensor<16x12xf32>
    %y = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x12xf32>)
        outs(%init : tensor<?x12xf32>) -> tensor<?x12xf32>
    graph.weight @fc : tensor<16x12xf32> = dense_resource<fc> : tensor<16x12xf32>
    ```
    After (`element-type=bf16`):
    ```mlir
    %w = graph.weight_ref @fc : tensor<16x12xbf16>
    %xl = linalg.generic ... ins(%x : tensor<?x16xf32>) outs(... : tensor<?x16xbf16>) {
      arith.truncf %in : f32 to bf16 ... }
    %y = linalg.matmul ins(%xl, %w : tensor<?x16xbf16>, tensor<16x12xbf16>)
        outs(%init : tensor<?x12xf32>) -> tensor<?x12xf32>
    graph.weight @fc : tensor<16x12xbf16> = dense_resource<fc.bf16> : tensor<16x12xbf16>
    ```
  }];
  let options = [
    Option<"elementType", "element-type", "std::string", /*default=*/"\"bf16\"",
           "the element type of the operands: bf16 or f16">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// LoopTransforms
//===----------------------------------------------------------------------===//

def RunParallelLoopsOnThreads
    : Pass<"run-parallel-loops-on-threads", "mlir::ModuleOp"> {
  let summary = "Run outermost scf.parallel loops on the runtime's threads";
  let description = [{
    Outlines each outermost `scf.parallel` without reductions into a
    function of `(ctx, begin, end)` that runs the linear iterations
    [begin, end) of the loop's leading dimensions (all but the innermost,
    which stays an inner loop LLVM vectorizes; all of a 1-D loop), and
    replaces the loop by a call of the runtime's
    `xf_parallel_for(body, ctx, 0, iterations, cost)`
    (runtime/include/exaforge/abi/parallel.h). The runtime shares the
    iterations out among the OpenMP threads that oneDNN's kernels also use,
    so the whole model runs on one thread pool, sized by `--threads`; a loop
    whose estimated work (`iterations * cost`, `cost` being the operations
    one iteration runs) is too small for a fork runs on the calling thread.
    The values the loop uses from above are stored in a struct on the
    caller's stack: memrefs as their LLVM descriptors, through
    `builtin.unrealized_conversion_cast` ops that
    `reconcile-unrealized-casts` removes once everything is in the LLVM
    dialect; constants are cloned into the outlined function. A loop that
    uses a value of another type stays a serial loop.
    Before:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c64) step (%c1, %c1) {
      %x = memref.load %in[%i, %j] : memref<?x64xf32>
      memref.store %x, %out[%i, %j] : memref<?x64xf32>
    }
    ```
    After:
    ```mlir
    %ctx = llvm.alloca %c1 x !llvm.struct<(struct<...>, struct<...>, i64)>
    ...
    %body = func.constant @main_parallel : (!llvm.ptr, i64, i64) -> ()
    call @xf_parallel_for(%body, %ctx, %c0_i64, %iterations, %cost) : ...
    func.func private @main_parallel(%ctx: !llvm.ptr, %begin: i64, %end: i64) {
      // unpack %ctx; scf.for %i = begin to end { scf.parallel (%j) ... }
    }
    ```
  }];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect",
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::scf::SCFDialect",
  ];
}

def VersionSineCosineLoops : Pass<"version-sine-cosine-loops"> {
  let summary = "Run the sines and cosines of a loop as the polynomial alone "
                "where a check proves every argument small";
  let description = [{
    `convert-math-to-polynomials` computes an f32 sine or cosine with a
    polynomial up to |x| = 32 and with libm beyond (and for NaN and
    infinities), through a branch around the call. The branch keeps LLVM from
    vectorizing the loop: a Sin of 4M small arguments took 60 ms instead of
    2.3 ms. This pass runs each innermost loop (an `scf.for` without
    results, or a one-dimensional `scf.parallel` without reductions) that
    computes such a sine or cosine in chunks of 1024 iterations. A chunk
    first checks all its arguments in a loop of its own (the argument
    recomputed from the body's loads, its absolute value compared with 32, an
    `or` over the chunk: vectorized), then runs either the body with its
    sines and cosines marked `exaforge.within_polynomial_range`, which
    `convert-math-to-polynomials` gives the polynomial alone, or the body as
    it was. A loop whose arguments depend on an op with regions or with a
    side effect other than a read (which the check could not repeat) is left
    as it is. Runs before `convert-scf-to-cf`.

    Before:
    ```mlir
    scf.for %i = %lb to %ub step %c1 {
      %x = memref.load %in[%i] : memref<?xf32>
      %y = math.sin %x : f32
      memref.store %y, %out[%i] : memref<?xf32>
    }
    ```
    After:
    ```mlir
    scf.for %c = %lb to %ub step %c1024 {
      %end = arith.minsi %c_plus_1024, %ub : index
      %large = scf.for %i = %c to %end step %c1 iter_args(%any = %false) -> (i1) {
        %x = memref.load %in[%i] : memref<?xf32>
        %abs = math.absf %x : f32
        %l = arith.cmpf ugt, %abs, %c32 : f32
        %a = arith.ori %any, %l : i1
        scf.yield %a : i1
      }
      scf.if %large {
        scf.for %i = %c to %end step %c1 { ... math.sin %x : f32 ... }
      } else {
        scf.for %i = %c to %end step %c1 {
          ... math.sin %x {exaforge.within_polynomial_range} : f32 ...
        }
      }
    }
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
  ];
}

def PreferLoopVectorization : Pass<"prefer-loop-vectorization"> {
  let summary = "Keep LLVM from unrolling innermost loops of 8 or more "
                "iterations, so that its loop vectorizer takes them";
  let description = [{
    LLVM fully unrolls a short loop whose trip count it knows (under about
    300 instructions in all) before its loop vectorizer runs, and leaves the
    straight-line copies to its SLP vectorizer, which gives up where the
    loop vectorizer would not: on a tie of its cost model (a 16-channel
    HardSigmoid-times-input loop of MobileNetV3's squeeze-and-excitation
    blocks ran scalar), or on stores it cannot prove apart from the loads (a
    sum over pixels into 16 channel accumulators, which the loop vectorizer
    checks at run time). Each innermost `scf.for` with a trip count known at
    compile time of at least 8 (one 256-bit vector of f32) gets
    `loop_annotation = #llvm.loop_annotation<unroll = <disable = true>>`,
    which `convert-scf-to-cf` moves onto the loop's back edge: LLVM then
    vectorizes it instead (interleaving vectors itself). Shorter loops (3
    input channels, a 3 x 3 window) are left to be unrolled. The inner
    `scf.parallel` loops, which `run-parallel-loops-on-threads` left, become
    nests of `scf.for` first (as `convert-scf-to-cf` would make them).
    Measured on 2 AVX-512 cores: that 16-channel loop over 8x16x56x56 values
    0.139 -> 0.037 ms, the channel sums 0.062 -> 0.040 ms;
    mobilenet_v3_small at batch 8, 4.90 -> 4.78 ms.

    Before:
    ```mlir
    scf.for %i = %begin to %end step %c1 {
      scf.parallel (%c) = (%c0) to (%c16) step (%c1) { ... }
    }
    ```
    After:
    ```mlir
    scf.for %i = %begin to %end step %c1 {
      scf.for %c = %c0 to %c16 step %c1 { ... }
          {loop_annotation = #llvm.loop_annotation<unroll = <disable = true>>}
    }
    ```
  }];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect",
    "mlir::scf::SCFDialect",
  ];
}

//===----------------------------------------------------------------------===//
// AssertsToRuntimeCalls
//===----------------------------------------------------------------------===//

def StripRuntimeChecks : Pass<"strip-runtime-checks", "mlir::ModuleOp"> {
  let summary = "Erase the run-time checks (for developers: their cost)";
  let description = [{
    Erases every `cf.assert` that the graph-to-linalg lowerings emitted;
    the canonicalization after it removes the computations that fed them
    (the reductions over index tensors, the size comparisons). The compiled
    model then reports no violated check: a symbolic size bound to two
    values or an out-of-range index gives a wrong value (the lowerings still
    keep every access inside its buffer). Only `exaforge compile
    --no-runtime-checks` runs it, to measure what the checks cost
    (benchmarks/checks_cost.py); the manifest records it
    (`runtime_checks`), and `exaforge inspect` shows it.

    Before:
    ```mlir
    %ok = arith.cmpi eq, %n, %m : index
    cf.assert %ok, "node 'Add_0': Add: ..."
    ```
    After: nothing.
  }];
}

def ConvertAssertsToRuntimeCalls
    : Pass<"convert-asserts-to-runtime-calls", "mlir::ModuleOp"> {
  let summary = "Report failed cf.assert checks to the runtime instead of "
                "aborting";
  let description = [{
    The graph-to-linalg lowerings check values known only at run time (a
    Squeeze axis whose dimension is not 1, Split sizes that do not add up)
    with `cf.assert`, whose upstream lowering prints the message and aborts
    the process. In a model that the runtime library runs, a bad input must
    fail the run instead: this pass replaces each `cf.assert %ok, "message"`
    by a call of the runtime's `xf_check_failed(message)`
    (runtime/include/exaforge/abi/checks.h) when `%ok` is false. The
    runtime keeps the first message of the run and fails the run with it;
    the compiled code goes on to the end of the model (the lowerings keep it
    inside its buffers whatever the checked values), and its results are
    discarded. Each distinct message becomes one constant global string.

    Before:
    ```mlir
    cf.assert %ok, "node 'Squeeze_0': Squeeze: 'axes' lists a dimension twice"
    ```
    After:
    ```mlir
    llvm.mlir.global internal constant @xf_check_message("node ...\00")
    %failed = arith.xori %ok, %true : i1
    scf.if %failed {
      %message = llvm.mlir.addressof @xf_check_message : !llvm.ptr
      func.call @xf_check_failed(%message) : (!llvm.ptr) -> ()
    }
    ```
  }];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect",
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::scf::SCFDialect",
  ];
}

//===----------------------------------------------------------------------===//
// Profiling
//===----------------------------------------------------------------------===//

def InsertProfileRegions
    : Pass<"insert-profile-regions", "mlir::ModuleOp"> {
  let summary = "Enclose each kernel call and outermost loop nest in profile "
                "region calls";
  let description = [{
    Makes the compiled model report its timeline to the runtime's profiler
    (docs/profiling.md): every call of a library kernel (`xf_kernel_*`) and
    every outermost loop nest (`scf.for`, `scf.parallel`, `scf.while` that
    calls no function) is enclosed in calls of `xf_profile_begin(region)`
    and `xf_profile_end(region)` (runtime/include/exaforge/abi/profile.h).
    A loop that calls a function (the body of an ONNX Loop that calls
    kernels) is not a region: the pass looks inside it.

    Regions are numbered from 0, one per ONNX node (the name its location
    carries, graph::getOnnxNodeName) and kind: a node lowered to a kernel
    call and to loops (its fused epilogue) has a `kernel` and a `loop`
    region. The module attribute `artifact.profile_regions` lists them in
    order, `{kind, name}` each, and the compile driver writes it to the
    artifact's `nodes.json`, with each node's ONNX op type.

    The calls are always compiled in: when a run is not profiled, each is
    one test of a null pointer in the runtime. The pass runs after the
    linalg ops have become loops and before `pass-exec-context`, which gives
    the calls the run's execution context.

    Before:
    ```mlir
    func.call @xf_kernel_matmul_f32(%site, %node, %flags, %a, %b, %c)
        : (...) -> () loc("fc")
    scf.parallel (%i) = (%c0) to (%c8) step (%c1) { ... } loc("relu")
    ```
    After:
    ```mlir
    module attributes {artifact.profile_regions = [
        {kind = "kernel", name = "fc"}, {kind = "loop", name = "relu"}
      ]} {
      %r0 = arith.constant 0 : i64
      func.call @xf_profile_begin(%r0) : (i64) -> ()
      func.call @xf_kernel_matmul_f32(...) loc("fc")
      func.call @xf_profile_end(%r0) : (i64) -> ()
      %r1 = arith.constant 1 : i64
      func.call @xf_profile_begin(%r1) : (i64) -> ()
      scf.parallel (%i) = (%c0) to (%c8) step (%c1) { ... } loc("relu")
      func.call @xf_profile_end(%r1) : (i64) -> ()
    }
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
  ];
}

//===----------------------------------------------------------------------===//
// ExecContext
//===----------------------------------------------------------------------===//

def PassExecContext : Pass<"pass-exec-context", "mlir::ModuleOp"> {
  let summary = "Pass the run's execution context to every runtime call";
  let description = [{
    Every runtime function compiled code calls (the kernels, the
    collectives, `xf_check_failed`; runtime/include/exaforge/abi/) takes the
    execution context of the run (`xf_exec_context`, an opaque pointer;
    runtime/include/exaforge/abi/Contract.h) as its first argument. This
    pass threads it through the module:

    - every declaration of a runtime function (a name starting with `xf_`)
      takes an `!llvm.ptr` first argument, but `xf_parallel_for`,
      `xf_exec_context_create` and `xf_exec_context_destroy`, which are
      called without one;
    - the entry function (option `entry`), and every function that calls a
      runtime function (allocating is one: `xf_alloc`, see
      `convert-allocs-to-runtime-calls`) or a function receiving the
      context, receives it as its first argument, unless it creates its own
      with `xf_exec_context_create` (code run outside a session, in tests);
    - every call of those functions passes the caller's context first.

    It runs after every pass that emits runtime calls and before
    `run-parallel-loops-on-threads`, whose outlined loop bodies capture the
    context like any other value (a body that allocates on a worker thread
    uses the run's pool through it). A function receiving the context may only
    be called (not referenced otherwise).

    Before:
    ```mlir
    func.func private @xf_check_failed(!llvm.ptr)
    func.func @xf_model_main(%x: memref<4xf32>) {
      func.call @xf_check_failed(%message) : (!llvm.ptr) -> ()
    }
    ```
    After:
    ```mlir
    func.func private @xf_check_failed(!llvm.ptr, !llvm.ptr)
    func.func @xf_model_main(%context: !llvm.ptr, %x: memref<4xf32>) {
      func.call @xf_check_failed(%context, %message)
          : (!llvm.ptr, !llvm.ptr) -> ()
    }
    ```
  }];
  let options = [
    Option<"entry", "entry", "std::string",
           /*default=*/"exaforge::abi::kModelFunctionName",
           "The function that receives the context from the runtime">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// DistToRuntime
//===----------------------------------------------------------------------===//

def ConvertDistToRuntimeCalls
    : Pass<"convert-dist-to-runtime-calls", "mlir::ModuleOp"> {
  let summary = "Lower dist collectives and transfers to runtime calls";
  let description = [{
    The per-rank program of a partitioned model exchanges tensors with the
    dist dialect's ops. This pass lowers each of them, on tensors and before
    bufferization, to a call of the runtime's `xf_dist_<op>_<type>`
    (runtime/include/exaforge/abi/collectives.h), which runs it among
    the ranks of the session through its communicator (MPI):

    - the operand is passed as its buffer, read only, as an unranked memref
      (so the runtime gets its sizes and strides, whatever its layout);
    - the result is a new dense buffer (`memref.alloc`, its dynamic sizes
      computed from the operand's), passed the same way and turned back into
      a tensor with `bufferization.to_tensor restrict writable`;
    - the group is the op's mesh axes packed one per byte (the position of
      the axis in the mesh plus one, the first axis in the lowest byte), and
      the reduction kind is the runtime's `xf_reduction_t`
      (sum 0, product 1, max 2, min 3).

    `<type>` is the element type (f32, i64, ui8, ...): an MLIR declaration
    carries the element type of its memref arguments, so each type calls
    its own symbol. `dist.shard` annotations are dropped (the local value
    is the operand). A `dist.send` of a tensor with dynamic sizes first
    sends its shape (a `tensor<R x i64>`), which the matching `dist.recv`
    receives to allocate its result. `dist.axis_index` becomes a call of
    `xf_dist_axis_index`.

    Before:
    ```mlir
    %1 = dist.all_reduce %0 on @mesh axes = ["tp"] reduction = <sum> : tensor<4x8xf32>
    ```
    After (mesh `axes = ["dp", "tp"]`, so "tp" is packed as 2):
    ```mlir
    %b = bufferization.to_buffer %0 read_only : tensor<4x8xf32> to memref<4x8xf32, strided<[?, ?], offset: ?>>
    %in = memref.cast %b : memref<4x8xf32, strided<[?, ?], offset: ?>> to memref<*xf32>
    %r = memref.alloc() : memref<4x8xf32>
    %out = memref.cast %r : memref<4x8xf32> to memref<*xf32>
    %sum = arith.constant 0 : i32
    %axes = arith.constant 2 : i64
    call @xf_dist_all_reduce_f32(%in, %out, %sum, %axes) : (memref<*xf32>, memref<*xf32>, i32, i64) -> ()
    %1 = bufferization.to_tensor %r restrict writable : memref<4x8xf32> to tensor<4x8xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::bufferization::BufferizationDialect",
    "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect",
    "mlir::tensor::TensorDialect",
  ];
}

//===----------------------------------------------------------------------===//
// ArithToLLVM
//===----------------------------------------------------------------------===//

def ExpandArithForLLVM : Pass<"expand-arith-for-llvm"> {
  let summary = "Expand the arith ops the LLVM conversion does not take";
  let description = [{
    Upstream's `arith-expand{include-bf16=true}` without its expansion of
    `arith.maximumf`, `minimumf`, `maxnumf` and `minnumf`: it rewrites the
    signed and unsigned ceiling and floor divisions into plain integer
    arithmetic, and the conversions between f32 and bf16 into integer
    rounding (LLVM would call `__truncsfbf2`, which libgcc before GCC 13
    does not define, so `model.so` would not load). The float minimum and
    maximum stay, and `convert-arith-to-llvm` makes them LLVM's
    `llvm.minimum`/`llvm.maximum` intrinsics (one `vmaxps` and a NaN blend
    on x86). arith-expand makes each a compare and a select, which LLVM's
    loop vectorizer does not recognize as a reduction: a Softmax's row
    maximum then ran one element at a time, through memory, at 74 % of the
    Softmax's time (benchmarks/README.md).

    Before:
    ```mlir
    %q = arith.ceildivsi %a, %b : i64
    %m = arith.maximumf %x, %acc fastmath<reassoc> : f32
    ```
    After: `%q` as divisions, comparisons and selects on i64; `%m`
    unchanged.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// MathToPolynomials
//===----------------------------------------------------------------------===//

def ConvertMathToPolynomials : Pass<"convert-math-to-polynomials"> {
  let summary = "Replace transcendental math ops by polynomial "
                "approximations in arith";
  let description = [{
    Rewrites `math.exp`, `math.erf`, `math.tanh`, `math.log`, `math.sin`
    and the other functions MLIR's polynomial approximations cover
    (`populateMathPolynomialApproximationPatterns`: Cephes-style range
    reduction and minimax polynomials, f16/bf16 computed in f32) into plain
    `arith` ops. Without it each element costs a call into libm, which keeps
    LLVM from vectorizing the loop nest around it (an 8x slowdown measured
    on an Erf chain); with it the whole nest vectorizes for the host's SIMD
    width. The approximations are accurate to a few ulp in f32; the
    end-to-end tests compare the results with onnxruntime.

    Sine and cosine are the exception beyond |x| > 32: the polynomial's
    range reduction runs in f32 and loses the result's digits there (found
    by utils/diff_fuzz.py: sin(1e5) was off by 4e-3, sin(1e30) was -inf).
    Such arguments, NaN
    and infinities are computed by libm in f64 and rounded back. A scalar
    op in a function body branches (`cf.cond_br`) to a call of libm's `sin`
    or `cos`, so that the common small argument costs only the polynomial
    (not `math.sin`: LLVM speculates its intrinsic out of the branch, and
    the vectorized loop then called libm for every element); a vector op,
    or one in a region of a single block, computes both and selects. A sine
    or cosine marked `exaforge.within_polynomial_range` (by
    `version-sine-cosine-loops`, after a check of its arguments) takes the
    polynomial alone.

    The other unary functions return a NaN argument as it is (a `select`
    after the polynomial): the polynomials convert the reduced argument to
    an integer, which LLVM defines as poison for NaN, and where LLVM proved
    the argument NaN (Celu with a NaN `alpha`: `e^(x / alpha)`) it folded
    everything computed from it to arbitrary values.

    The exponential of a sigmoid, `1 / (1 + exp(-x))` in f32 (Sigmoid,
    SiLU, the recurrent gates), takes a shorter form first
    (SigmoidExponential.h): the argument clamped to [-88.0, 88.72], beyond
    which the sigmoid is 1 or 0 to f32 anyway, the power of two built from
    the bits of one rounding (no float-to-integer conversion, so NaN flows
    through without a select), and a degree-6 polynomial: 16 vector
    operations for the whole sigmoid instead of 26. A SiLU over 8x144x56x56
    values took 0.54 ms instead of 0.94 on 2 cores; the sigmoid is within
    2.5 ulp of the one computed in f64.

    Before:
    ```mlir
    %y = math.exp %x : f32
    ```
    After: a range reduction, a polynomial and a scaling by a power of two,
    all in `arith`.

    Before:
    ```mlir
    %y = math.sin %x : f32
    ```
    After:
    ```mlir
      %small = arith.cmpf ole, %abs_x, %c32 : f32
      cf.cond_br %small, ^poly, ^libm
    ^poly:   // the polynomial of %x, in arith
      cf.br ^rest(%p : f32)
    ^libm:
      %w = arith.extf %x : f32 to f64
      %s = func.call @sin(%w) : (f64) -> f64
      %t = arith.truncf %s : f64 to f32
      cf.br ^rest(%t : f32)
    ^rest(%y: f32):
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::cf::ControlFlowDialect",
    "mlir::func::FuncDialect",
    "mlir::math::MathDialect",
    "mlir::vector::VectorDialect",
  ];
}

//===----------------------------------------------------------------------===//
// BufferTransforms
//===----------------------------------------------------------------------===//

def ConvertStridedCopiesToLinalg
    : Pass<"convert-strided-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between non-contiguous buffers into "
                "linalg.copy";
  let description = [{
    The LLVM lowering turns a `memref.copy` whose source or target has a
    non-identity layout (a subview, as bufferized `tensor.pad` and
    `tensor.insert_slice` produce) into a call of MLIR's generic
    `memrefCopy`, which copies element by element with a `memcpy` each, on
    one thread. This pass rewrites such copies as `linalg.copy`, which the
    loop lowering turns into parallel loops that the threads share and LLVM
    vectorizes. Copies between identity layouts stay (they become one
    `memcpy`).

    Before:
    ```mlir
    memref.copy %x, %sub : memref<1x64x56x56xf32>
        to memref<1x64x56x56xf32, strided<[215296, 3364, 58, 1], offset: 59>>
    ```
    After:
    ```mlir
    linalg.copy ins(%x : memref<1x64x56x56xf32>)
        outs(%sub : memref<1x64x56x56xf32, strided<[215296, 3364, 58, 1], offset: 59>>)
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def CopyConstantGlobalsToBuffers
    : Pass<"copy-constant-globals-to-buffers", "mlir::func::FuncOp"> {
  let summary = "Give the device a copy of each constant global it reads";
  let description = [{
    For a target whose kernels cannot read the host code's read-only data
    (the CUDA target, `KernelTarget::canReadHostConstants`): each
    `memref.get_global` of a constant global becomes a new buffer holding a
    copy of it, which the uses read instead. The buffer comes from the run's
    pool (GPU memory for a CUDA artifact) and the copy is a host `memcpy`
    into it (managed memory). The constants that get here are small: the
    graph's float constants are weights already (`graph-outline-weights`),
    and what remains are integer constants such as a Gather's indices.

    Before:
    ```mlir
    %0 = memref.get_global @__constant_16xi64 : memref<16xi64>
    ```
    After:
    ```mlir
    %0 = memref.get_global @__constant_16xi64 : memref<16xi64>
    %alloc = memref.alloc() : memref<16xi64>
    memref.copy %0, %alloc : memref<16xi64> to memref<16xi64>
    ```
    with every other use of `%0` reading `%alloc`.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def ReleaseBuffersAfterLastUse
    : Pass<"release-buffers-after-last-use", "mlir::func::FuncOp"> {
  let summary = "Move each memref.dealloc to just after the buffer's last use";
  let description = [{
    MLIR's ownership-based deallocation (`buffer-deallocation-pipeline`)
    frees every buffer at the end of the block that allocated it, so in a
    model's straight-line `main` all intermediate tensors stay live until
    the function returns and peak memory is the sum of all of them. This
    pass moves each `memref.dealloc` up to just after the last operation of
    its block that uses the buffer or any view of it (found with
    `BufferViewFlowAnalysis`: subviews, reshapes, casts, region results).
    The runtime's buffer pool then reuses the freed block for later
    allocations, so peak memory follows the largest live set.

    A dealloc stays where it is when a view of the buffer is used outside
    the dealloc's block (other than inside an op of that block) or by the
    block's terminator.

    Before:
    ```mlir
    %a = memref.alloc() : memref<64xf32>
    linalg.generic ... ins(%x) outs(%a)
    %b = memref.alloc() : memref<64xf32>
    linalg.generic ... ins(%a) outs(%b)
    ... // more work that does not use %a
    memref.dealloc %a : memref<64xf32>
    ```
    After:
    ```mlir
    %a = memref.alloc() : memref<64xf32>
    linalg.generic ... ins(%x) outs(%a)
    %b = memref.alloc() : memref<64xf32>
    linalg.generic ... ins(%a) outs(%b)
    memref.dealloc %a : memref<64xf32>
    ... // more work
    ```
  }];
}

def ConvertAllocsToRuntimeCalls
    : Pass<"convert-allocs-to-runtime-calls", "mlir::ModuleOp"> {
  let summary = "Allocate and free buffers through the runtime's "
                "xf_alloc and xf_free";
  let description = [{
    Every heap buffer of compiled code comes from the runtime, which serves
    it from the run's buffer pool (reusing freed buffers) and so knows which
    results it may keep without a copy. The pool belongs to the run's
    execution context, so the allocation calls take the context like every
    other runtime call: this pass replaces each `memref.alloc` by a call of
    `xf_alloc(bytes, alignment, node)` (alignment 0 when the op has none;
    node: the name of the ONNX node of the op's location, a constant global
    string `xf_node_name` shared with the kernel calls, "" when it names
    none, so that an out-of-memory error names the node) and builds the
    buffer's memref descriptor around the returned pointer, and
    each `memref.dealloc` by a call of `xf_free` with the buffer's allocated
    pointer (runtime/include/exaforge/abi/allocation.h). It runs after
    bufferization and the buffer deallocation passes and before
    `pass-exec-context`, which adds the context argument to the calls (and
    to the functions that allocate, and to the outlined loop bodies through
    their captured values). Nothing later allocates on the heap, so no
    compiled code calls the `_mlir_memref_to_llvm_*` functions of
    `finalize-memref-to-llvm`.

    The descriptors are LLVM structs, cast to memrefs with
    `builtin.unrealized_conversion_cast` ops that `reconcile-unrealized-casts`
    removes once the rest of the module is in the LLVM dialect. A buffer with
    a layout other than the identity, and the dealloc of an unranked buffer,
    are refused with an error naming the op (bufferization gives every
    buffer the identity layout).

    Before:
    ```mlir
    %a = memref.alloc(%n) : memref<?x4xf32>
    memref.dealloc %a : memref<?x4xf32>
    ```
    After:
    ```mlir
    %bytes = ... : i64  // %n * 4 * sizeof(f32)
    %node = llvm.mlir.addressof @xf_node_name : !llvm.ptr
    %ptr = call @xf_alloc(%bytes, %c0, %node) : (i64, i64, !llvm.ptr) -> !llvm.ptr
    %desc = llvm.insertvalue ... : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %a = builtin.unrealized_conversion_cast %desc : !llvm.struct<...> to memref<?x4xf32>
    %d = builtin.unrealized_conversion_cast %a : memref<?x4xf32> to !llvm.struct<...>
    %allocated = llvm.extractvalue %d[0] : !llvm.struct<...>
    call @xf_free(%allocated) : (!llvm.ptr) -> ()
    ```
  }];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect",
    "mlir::func::FuncDialect",
  ];
}

//===----------------------------------------------------------------------===//
// GpuTransforms
//===----------------------------------------------------------------------===//

def TileParallelLoopsForGpu
    : Pass<"tile-parallel-loops-for-gpu", "mlir::func::FuncOp"> {
  let summary = "Shape the compiled loop nests into GPU blocks of threads";
  let description = [{
    Prepares the loop nests left after the kernel calls for the upstream
    `gpu-map-parallel-loops` and `convert-parallel-loops-to-gpu`, which map
    an outermost `scf.parallel` to the blocks of a grid and a nested one to
    the threads of a block (the first three dimensions of each, in order):
    - each outermost `scf.parallel` (without reductions) is collapsed into
      one dimension (`collapseParallelLoops`: the original indices are
      recovered by division and remainder) and tiled by `block-size`
      (`scf::tileParallelLoop`, the last tile guarded by an `scf.if`; a
      loop of fewer iterations, known at compile time, by its size). The
      outer loop then maps to the blocks and the inner one to the threads
      of a block, the innermost (contiguous) dimension fastest, so that
      neighbouring threads touch neighbouring elements. The tiles' bounds
      are folded into constants, so that the block sizes are static;
    - a loop nest the loop lowering left serial at the top level of the
      function (a reduction of a whole tensor to one value: `scf.for`
      without results, reading and writing memory only, with no call and no
      nested `scf.parallel`) is wrapped into a one-iteration `scf.parallel`,
      so that it runs on the device (one thread) rather than on the host.
    Reductions inside a parallel loop stay sequential in each thread.

    Before:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c1000) step (%c1, %c1) {
      ...
    }
    ```
    After (block size 256):
    ```mlir
    scf.parallel (%b) = (%c0) to (%c4000) step (%c256) {
      scf.parallel (%t) = (%c0) to (%c256) step (%c1) {
        %k = arith.addi %t, %b : index
        %in = arith.cmpi slt, %k, %c4000 : index
        scf.if %in {
          %i = arith.divsi %k, %c1000 : index
          %j = arith.remsi %k, %c1000 : index
          ...
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect",
  ];
}

def MergeGpuModules : Pass<"merge-gpu-modules", "mlir::ModuleOp"> {
  let summary = "Merge the outlined GPU kernels into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` puts every kernel into a `gpu.module` of its
    own. This pass moves all of them into one module, `@xf_kernels` (each
    `gpu.func` renamed after the module it came from, which is unique), and
    updates the `gpu.launch_func` ops, so that the artifact holds one PTX
    file and one cubin for the whole model, loaded once. The target
    attributes of the first module are kept (the modules have the same,
    as `nvvm-attach-target` runs after this pass).

    Before:
    ```mlir
    gpu.launch_func @main_kernel::@main_kernel ...
    gpu.launch_func @main_kernel_0::@main_kernel ...
    gpu.module @main_kernel { gpu.func @main_kernel(...) kernel {...} }
    gpu.module @main_kernel_0 { gpu.func @main_kernel(...) kernel {...} }
    ```
    After:
    ```mlir
    gpu.launch_func @xf_kernels::@main_kernel ...
    gpu.launch_func @xf_kernels::@main_kernel_0 ...
    gpu.module @xf_kernels {
      gpu.func @main_kernel(...) kernel {...}
      gpu.func @main_kernel_0(...) kernel {...}
    }
    ```
  }];
  let dependentDialects = [
    "mlir::gpu::GPUDialect",
  ];
}

def ConvertCopiesToCudaCopies
    : Pass<"convert-copies-to-cuda-copies", "mlir::ModuleOp"> {
  let summary = "Copy contiguous buffers on the run's GPU stream";
  let description = [{
    For the CUDA target, whose buffers the host should not touch: each
    `memref.copy` between buffers of identity layout (contiguous; the
    strided ones are loop nests already, `convert-strided-copies-to-linalg`)
    becomes a call of `xf_cuda_copy(target, source, bytes)`, which the
    runtime enqueues on the run's stream (`cuMemcpyAsync`) after the work
    before it. An address is the buffer's aligned pointer plus its offset,
    in bytes, as an `i64`. The source may be a constant of the host code
    (`memref.get_global`, copied into a GPU buffer by
    `copy-constant-globals-to-buffers`): `cuMemcpyAsync` reads host memory
    too. Copies of unranked buffers stay host copies.

    Before:
    ```mlir
    memref.copy %a, %b : memref<?x8xf32> to memref<?x8xf32>
    ```
    After:
    ```mlir
    %base, %offset, %sizes:2, %strides:2 = memref.extract_strided_metadata %b
    %pointer = memref.extract_aligned_pointer_as_index %base
    ...  // the target's address and the source's, the bytes of %a
    call @xf_cuda_copy(%target, %source, %bytes) : (i64, i64, i64) -> ()
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def SynchronizeGpuBeforeHostAccess
    : Pass<"synchronize-gpu-before-host-access", "mlir::ModuleOp"> {
  let summary = "Wait for the GPU only where the host code touches memory";
  let description = [{
    Runs on the host code of a CUDA artifact after `gpu-kernel-outlining`.
    Kernel launches and the runtime's library kernels (`xf_cuda_*`) are
    enqueued on the run's one stream, in order, and the runtime does not
    wait for them (`mgpuStreamSynchronize`, which `gpu-to-llvm` emits after
    every launch, returns at once). The host code must then wait before it
    reads or writes tensor memory itself (a scalar store, a `memref.copy`,
    a load of a value that decides a shape): this pass inserts a call of
    `xf_cuda_synchronize()` before each such access at which GPU work may
    be pending, and only there.

    Each block is scanned in order. GPU work is a `gpu.launch_func`, a call
    of an `xf_cuda_*` or `xf_dist_*` function (collectives wait themselves
    before the runtime packs their operands on the host), a call of a
    function of the module that does GPU work (to a fixed point over the
    call graph), or a call of any external function but the runtime's
    data-free ones (`xf_alloc`, `xf_free`, `xf_check_failed`,
    `xf_profile_*`). A host access is an op with a read or write effect, or
    one that declares no effects, or a call with a memref operand of an
    unknown function or of a function of the module that does no GPU work
    (the ownership-based deallocation's helper). An op with regions that holds
    no GPU work counts as one access (a host loop waits once, before it);
    the blocks of one that holds GPU work are scanned on their own, each
    starting with work pending, and so is every function's body.

    Before:
    ```mlir
    gpu.launch_func @xf_kernels::@k blocks in (...) threads in (...)
        args(%a : memref<4xf32>)
    memref.store %zero, %b[] : memref<f32>
    memref.store %one, %c[] : memref<f32>
    ```
    After:
    ```mlir
    gpu.launch_func @xf_kernels::@k ...
    call @xf_cuda_synchronize() : () -> ()
    memref.store %zero, %b[] : memref<f32>
    memref.store %one, %c[] : memref<f32>
    ```
  }];
  let dependentDialects = [
    "mlir::func::FuncDialect",
  ];
}

def AssembleCudaBinaries
    : Pass<"assemble-cuda-binaries", "mlir::ModuleOp"> {
  let summary = "Assemble the PTX of each gpu.binary to a cubin with ptxas";
  let description = [{
    Runs after `gpu-module-to-binary{format=isa}`, which generates PTX with
    LLVM's NVPTX back end. For each `gpu.binary` holding the PTX
    (`assembly`) of an `#nvvm.target`, runs the CUDA toolkit's `ptxas`
    (option `ptxas`, its path) for the target's chip and makes the binary
    hold two objects: the cubin (`bin`, first: what the host code loads,
    `#gpu.select_object` choosing the first object by default) and the PTX
    (`assembly`, kept for GPUs newer than the chip, which the driver
    compiles it for). A missing `ptxas` or a failed assembly (its messages
    quoted) is an error at the binary.

    Before:
    ```mlir
    gpu.binary @xf_kernels [#gpu.object<#nvvm.target<chip = "sm_90">,
                                        assembly = "...PTX...">]
    ```
    After:
    ```mlir
    gpu.binary @xf_kernels [#gpu.object<#nvvm.target<chip = "sm_90">,
                                        bin = "\7FELF...">,
                            #gpu.object<#nvvm.target<chip = "sm_90">,
                                        assembly = "...PTX...">]
    ```
  }];
  let options = [
    Option<"ptxas", "ptxas", "std::string", /*default=*/"\"ptxas\"",
           "The ptxas executable (a path, or a name looked up in PATH)">,
  ];
  let dependentDialects = [
    "mlir::gpu::GPUDialect",
  ];
}

#endif // EXAFORGE_PASSES_CONVERSION_PASSES_TD
