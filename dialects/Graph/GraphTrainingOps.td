//===- GraphTrainingOps.td - Training-mode ops -------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The ops of a training step: BatchNormalization with batch statistics,
// Dropout with random masks, and the optimizers of the
// `ai.onnx.preview.training` domain (Adagrad, Adam, Momentum). Each optimizer
// op updates one tensor; the importer splits ONNX's variadic node (one rate
// and step, then groups of tensors) into one op per tensor. Included by
// GraphOps.td; result types are inferred in GraphTrainingOps.cpp, the
// lowerings are in passes/Conversion/GraphToLinalg/TrainingToLinalg.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHTRAININGOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHTRAININGOPS_TD

def Graph_BatchNormalizationTrainingOp
    : Graph_Op<"batch_normalization_training", [Pure]> {
  let summary = "ONNX BatchNormalization with training_mode = 1";
  let description = [{
    Normalizes `input` (`N x C x D1 x ... x Dn`) per channel with the
    statistics of the batch: the mean and the population variance over every
    dimension but the channel one. `output` is
    `(x - batch_mean) / sqrt(batch_var + epsilon) * scale + bias`; the
    running statistics are updated as
    `running_mean = input_mean * momentum + batch_mean * (1 - momentum)` and
    `running_var = input_var * momentum + batch_var * (1 - momentum)`
    (opset 15).

    ```mlir
    %y, %m, %v = graph.batch_normalization_training %x, %s, %b, %mean, %var
        {epsilon = 1.0e-05 : f32, momentum = 9.0e-01 : f32}
        : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
           tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                   Graph_FloatTensor:$bias, Graph_FloatTensor:$input_mean,
                   Graph_FloatTensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1.0e-05">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9">:$momentum);
  let results = (outs Graph_FloatTensor:$output,
                      Graph_FloatTensor:$running_mean,
                      Graph_FloatTensor:$running_var);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $input_mean `,` $input_var attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_DropoutOp : Graph_Op<"dropout", [Pure]> {
  let summary = "ONNX Dropout in training mode: random masks from a "
                "counter-based generator";
  let description = [{
    When `training_mode` (a boolean scalar, true when absent) is true, each
    element of `input` is kept with probability `1 - ratio` (`ratio`, a
    float scalar in [0, 1), is read at run time) and scaled by
    `1 / (1 - ratio)`; dropped elements are 0. `mask` is true where an
    element is kept. When `training_mode` is false, `output` is `input` and
    `mask` is all true.

    The draw of element `i` (row-major) is a pure function of `seed` and `i`
    (SplitMix64 over the counter, see TrainingToLinalg.cpp): a model
    draws the same mask on every run, and the values differ from those of
    numpy's or onnxruntime's generators.

    ```mlir
    %y, %mask = graph.dropout %x, %ratio training %t {seed = 0 : i64}
        : (tensor<3x4xf32>, tensor<f32>, tensor<i1>)
        -> (tensor<3x4xf32>, tensor<3x4xi1>)
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$ratio,
                   Optional<Graph_BoolTensor>:$training_mode,
                   I64Attr:$seed);
  let results = (outs Graph_FloatTensor:$output, Graph_BoolTensor:$mask);
  let assemblyFormat = [{
    $input `,` $ratio (`training` $training_mode^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

/// Shared definition of the optimizers: a learning rate `rate` (a float
/// scalar), the training step `step` (an i64 scalar), then the tensor `x`,
/// its gradient and the optimizer's state tensors, all of `x`'s type.
class Graph_OptimizerOp<string mnemonic, string onnxName, dag stateArgs,
                        dag extraAttrs, dag stateResults>
    : Graph_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnxName #
                " (ai.onnx.preview.training): one tensor's update";
  let arguments = !con((ins Graph_FloatTensor:$rate,
                            RankedTensorOf<[I64]>:$step,
                            Graph_FloatTensor:$x,
                            Graph_FloatTensor:$gradient),
                       stateArgs, extraAttrs);
  let results = !con((outs Graph_FloatTensor:$x_new), stateResults);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Graph_AdagradOp : Graph_OptimizerOp<"adagrad", "Adagrad",
    (ins Graph_FloatTensor:$accumulated),
    (ins DefaultValuedAttr<F32Attr, "0.0">:$decay_factor,
         DefaultValuedAttr<F32Attr, "1.0e-06">:$epsilon,
         DefaultValuedAttr<F32Attr, "0.0">:$norm_coefficient),
    (outs Graph_FloatTensor:$accumulated_new)> {
  let description = [{
    With `r = rate / (1 + step * decay_factor)` and
    `g = norm_coefficient * x + gradient`:
    `accumulated_new = accumulated + g * g` and
    `x_new = x - r * g / (sqrt(accumulated_new) + epsilon)`.

    ```mlir
    %x1, %h1 = graph.adagrad %r, %t, %x, %g, %h {epsilon = 1.0e-05 : f32}
        : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>,
           tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
    ```
  }];
}

def Graph_AdamOp : Graph_OptimizerOp<"adam", "Adam",
    (ins Graph_FloatTensor:$velocity, Graph_FloatTensor:$accumulated),
    (ins DefaultValuedAttr<F32Attr, "0.9">:$alpha,
         DefaultValuedAttr<F32Attr, "0.999">:$beta,
         DefaultValuedAttr<F32Attr, "1.0e-06">:$epsilon,
         DefaultValuedAttr<F32Attr, "0.0">:$norm_coefficient,
         DefaultValuedAttr<F32Attr, "0.0">:$norm_coefficient_post),
    (outs Graph_FloatTensor:$velocity_new,
          Graph_FloatTensor:$accumulated_new)> {
  let description = [{
    With `g = norm_coefficient * x + gradient`:
    `velocity_new = alpha * velocity + (1 - alpha) * g`,
    `accumulated_new = beta * accumulated + (1 - beta) * g * g`, the rate
    `r = rate * sqrt(1 - beta^step) / (1 - alpha^step)` when `step > 0`
    (`rate` otherwise) and
    `x_new = (1 - norm_coefficient_post) *
             (x - r * velocity_new / (sqrt(accumulated_new) + epsilon))`.

    ```mlir
    %x1, %v1, %h1 = graph.adam %r, %t, %x, %g, %v, %h {alpha = 0.95 : f32}
        : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>,
           tensor<4xf32>, tensor<4xf32>)
        -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
    ```
  }];
}

def Graph_MomentumOp : Graph_OptimizerOp<"momentum", "Momentum",
    (ins Graph_FloatTensor:$velocity),
    (ins F32Attr:$alpha, F32Attr:$beta, F32Attr:$norm_coefficient,
         DefaultValuedAttr<BoolAttr, "false">:$nesterov),
    (outs Graph_FloatTensor:$velocity_new)> {
  let description = [{
    With `g = norm_coefficient * x + gradient` and `b = beta` when
    `step > 0`, 1 otherwise: `velocity_new = alpha * velocity + b * g`;
    `x_new = x - rate * velocity_new` (ONNX's mode "standard") or, with
    `nesterov`, `x_new = x - rate * (g + alpha * velocity_new)`.

    ```mlir
    %x1, %v1 = graph.momentum %r, %t, %x, %g, %v
        {alpha = 0.95 : f32, beta = 0.1 : f32, norm_coefficient = 0.001 : f32}
        : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>,
           tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
    ```
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHTRAININGOPS_TD
