//===- GraphRecurrentOps.h - Recurrent op helpers ---------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// What LSTM, GRU and RNN share: their operands as one struct, the type
// inference their generated code calls, and the activation functions ONNX
// allows in them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHRECURRENTOPS_H
#define EXAFORGE_DIALECTS_GRAPH_GRAPHRECURRENTOPS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace exaforge::graph {

/// The operands of a recurrent op (LSTM, GRU, RNN); absent optional
/// operands, and `initialC` and `p` outside LSTM, are null.
struct RecurrentOperands {
  mlir::Value x, w, r, b, sequenceLens, initialH, initialC, p;
};

/// Whether `name` is an activation function ONNX allows in recurrent ops
/// (Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh,
/// HardSigmoid, Elu, Softsign, Softplus).
bool isRecurrentActivation(llvm::StringRef name);

/// Whether the activation `name` reads an alpha.
bool recurrentActivationUsesAlpha(llvm::StringRef name);
/// Whether the activation `name` reads a beta.
bool recurrentActivationUsesBeta(llvm::StringRef name);

/// ONNX's default alpha of the activation `name` (0 when unused).
float getRecurrentActivationDefaultAlpha(llvm::StringRef name);
/// ONNX's default beta of the activation `name` (0 when unused).
float getRecurrentActivationDefaultBeta(llvm::StringRef name);

/// Infers `Y` `[seq, directions, batch, hidden]`, then `numResults - 1`
/// states `[directions, batch, hidden]` (Y_h, and Y_c for LSTM) of a
/// recurrent op with `numGates` gates and `numActivations` activations per
/// direction, checking the operand shapes and attributes against each other.
mlir::LogicalResult inferRecurrentResults(
    std::optional<mlir::Location> loc, const RecurrentOperands &operands,
    int64_t numGates, int64_t numActivations, int64_t hiddenSize,
    llvm::StringRef direction, mlir::ArrayAttr activations,
    llvm::ArrayRef<float> alpha, llvm::ArrayRef<float> beta,
    unsigned numResults, llvm::SmallVectorImpl<mlir::Type> &types);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHRECURRENTOPS_H
