//===- GraphToLinalg.h - Graph to linalg patterns ---------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The patterns of `convert-graph-to-linalg`, one function per op family and
// file, so that other pipelines (the oneDNN path, the partitioner) can pick
// the families they need.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
#define EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace exaforge {

/// Elementwise ops (unary, broadcasting binary, Where, Cast, Gelu).
void populateGraphElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Reductions and normalizations (ReduceSum, ReduceMean, Softmax,
/// LayerNormalization, BatchNormalization).
void populateGraphReductionsToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Contractions (MatMul, Gemm).
void populateGraphContractionsToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// Convolution and pooling (Conv, MaxPool with or without Indices,
/// AveragePool, GlobalAveragePool).
void populateGraphConvPoolToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Constants and data movement (Constant, Identity, Reshape, Transpose,
/// Flatten, Concat, Split, Slice, Gather, Squeeze, Unsqueeze, Expand, Shape).
void populateGraphDataMovementToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// Ops with data-dependent result sizes (NonZero, Compress, Unique,
/// NonMaxSuppression).
void populateGraphDynamicShapeToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// Image sampling (GridSample, RoiAlign).
void populateGraphSamplingToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Signal processing (DFT, STFT, the cosine-sum windows, MelWeightMatrix).
void populateGraphSignalToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Recurrent ops (LSTM, GRU, RNN): a loop over the time steps.
void populateGraphRecurrentToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Quantization (QuantizeLinear, DequantizeLinear) and integer products
/// (MatMulInteger, ConvInteger).
void populateGraphQuantToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Resize (nearest, linear and cubic interpolation; ResizeToLinalg.cpp).
void populateGraphResizeToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// ConvTranspose (ConvTransposeToLinalg.cpp).
void populateGraphConvTransposeToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// MaxUnpool, a scatter lowered to an `scf.for` (MaxUnpoolToLinalg.cpp).
void populateGraphMaxUnpoolToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Indexing, scatter and selection ops (GatherND, ScatterND,
/// ScatterElements, TopK, OneHot, EyeLike, ReverseSequence, Einsum, Det,
/// TfIdfVectorizer).
void populateGraphIndexingToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Training-mode ops (BatchNormalization with batch statistics, Dropout,
/// Adagrad, Adam, Momentum; TrainingToLinalg.cpp).
void populateGraphTrainingToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// All of the above.
void populateGraphToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
