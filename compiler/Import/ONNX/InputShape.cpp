//===- InputShape.cpp - Input shapes set before import --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/InputShape.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/onnx_pb.h>

using namespace mlir;
using namespace exaforge;

/// Returns whether `text` is a symbol: a letter or `_`, then letters, digits
/// or `_`.
static bool isSymbol(StringRef text) {
  if (text.empty() || !(llvm::isAlpha(text.front()) || text.front() == '_'))
    return false;
  return llvm::all_of(text,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

std::optional<InputShapeOverride> exaforge::parseInputShape(StringRef text,
                                                            std::string &error) {
  auto [name, dimsText] = text.split('=');
  if (name.empty() || name.size() == text.size()) {
    error = "expected NAME=DIMS (e.g. x=1x3x224x224 or x=batch,3,224,224)";
    return std::nullopt;
  }
  InputShapeOverride shape;
  shape.name = name.str();
  if (dimsText.empty())
    return shape;
  char separator = dimsText.contains(',') ? ',' : 'x';
  SmallVector<StringRef> parts;
  dimsText.split(parts, separator, /*MaxSplit=*/-1, /*KeepEmpty=*/true);
  for (StringRef part : parts) {
    InputDim dim;
    uint64_t size;
    if (!part.empty() && llvm::all_of(part, llvm::isDigit) &&
        !part.getAsInteger(10, size) && size <= (uint64_t(1) << 40)) {
      dim.size = static_cast<int64_t>(size);
    } else if (isSymbol(part)) {
      dim.symbol = part.str();
    } else {
      error = "dimension '" + part.str() +
              "' is neither a size nor a symbol (a letter or '_', then "
              "letters, digits or '_'; separate the dimensions with 'x' or "
              "',')";
      return std::nullopt;
    }
    shape.dims.push_back(std::move(dim));
  }
  return shape;
}

/// The graph inputs of `graph` that are not initializers, in order.
static SmallVector<onnx::ValueInfoProto *>
getModelInputs(onnx::GraphProto &graph) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers.insert(tensor.name());
  SmallVector<onnx::ValueInfoProto *> inputs;
  for (onnx::ValueInfoProto &input : *graph.mutable_input())
    if (!initializers.contains(input.name()))
      inputs.push_back(&input);
  return inputs;
}

/// Writes `shape` as DIMS, e.g. `1x3x?` (`?`: unknown) or `batch,3`.
static std::string describeShape(const onnx::TensorShapeProto &shape) {
  SmallVector<std::string> dims;
  for (const onnx::TensorShapeProto::Dimension &dim : shape.dim())
    dims.push_back(dim.has_dim_value() ? std::to_string(dim.dim_value())
                   : dim.dim_param().empty() ? "?"
                                             : dim.dim_param());
  return llvm::join(dims, ",");
}

LogicalResult
onnx_import::applyInputShapes(onnx::ModelProto &model,
                              ArrayRef<InputShapeOverride> overrides,
                              Location fileLoc) {
  SmallVector<onnx::ValueInfoProto *> inputs =
      getModelInputs(*model.mutable_graph());
  llvm::StringSet<> given;
  for (const InputShapeOverride &override : overrides) {
    auto error = [&]() {
      return emitError(fileLoc) << "--input-shape " << override.name << ": ";
    };
    if (!given.insert(override.name).second)
      return error() << "input '" << override.name << "' is given twice";
    auto *it = llvm::find_if(inputs, [&](onnx::ValueInfoProto *input) {
      return input->name() == override.name;
    });
    if (it == inputs.end()) {
      InFlightDiagnostic diag = error() << "the model has no input '"
                                        << override.name << "'; its inputs are ";
      if (inputs.empty())
        return diag << "none";
      for (auto [i, input] : llvm::enumerate(inputs))
        diag << (i ? ", '" : "'") << input->name() << "'";
      return diag;
    }
    onnx::TypeProto::Tensor *tensorType =
        (*it)->mutable_type()->mutable_tensor_type();
    // A model input without a shape takes the one given.
    bool hasShape = tensorType->has_shape();
    onnx::TensorShapeProto *shape = tensorType->mutable_shape();
    int64_t rank = override.dims.size();
    if (hasShape && shape->dim_size() != rank)
      return error() << "input '" << override.name << "' has rank "
                     << shape->dim_size() << " in the model ("
                     << describeShape(*shape) << "), not " << rank;
    // Check every dimension before changing any.
    for (auto [d, dim] : llvm::enumerate(override.dims)) {
      if (d >= static_cast<size_t>(shape->dim_size()) || !dim.size)
        continue;
      const onnx::TensorShapeProto::Dimension &modelDim = shape->dim(d);
      if (modelDim.has_dim_value() && modelDim.dim_value() != *dim.size)
        return error() << "dimension " << d << " of input '" << override.name
                       << "' is " << modelDim.dim_value()
                       << " in the model, not " << *dim.size
                       << " (only symbolic dimensions take a size; a symbol "
                          "frees a static one)";
    }
    shape->clear_dim();
    for (const InputDim &dim : override.dims) {
      onnx::TensorShapeProto::Dimension *modelDim = shape->add_dim();
      if (dim.size)
        modelDim->set_dim_value(*dim.size);
      else
        modelDim->set_dim_param(dim.symbol);
    }
  }
  return success();
}

LogicalResult onnx_import::freeStaticBatch(onnx::ModelProto &model,
                                           int64_t ranks, Location fileLoc) {
  SmallVector<onnx::ValueInfoProto *> inputs =
      getModelInputs(*model.mutable_graph());
  std::optional<int64_t> batch;
  for (onnx::ValueInfoProto *input : inputs) {
    const onnx::TypeProto &type = input->type();
    if (!type.has_tensor_type() || type.tensor_type().shape().dim_size() == 0)
      return success();
    const onnx::TensorShapeProto::Dimension &dim =
        type.tensor_type().shape().dim(0);
    if (!dim.has_dim_value() || (batch && *batch != dim.dim_value()))
      return success();
    batch = dim.dim_value();
  }
  if (!batch)
    return success();
  if (*batch % ranks != 0) {
    // The --input-shape that frees the first input's batch.
    onnx::TensorShapeProto freed = inputs.front()->type().tensor_type().shape();
    freed.mutable_dim(0)->set_dim_param("batch");
    return emitError(fileLoc)
           << "data parallelism over " << ranks
           << " ranks splits the batch dimension (dimension 0 of every "
              "input), but the model's batch is static and a batch of "
           << *batch << " does not split evenly over " << ranks
           << " ranks; choose a number of ranks that divides " << *batch
           << ", or free the batch with --input-shape "
           << inputs.front()->name() << "=" << describeShape(freed)
           << " (and so on for each input)";
  }
  for (onnx::ValueInfoProto *input : inputs)
    input->mutable_type()
        ->mutable_tensor_type()
        ->mutable_shape()
        ->mutable_dim(0)
        ->set_dim_param("batch");
  return success();
}
