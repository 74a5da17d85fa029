//===- OpsetUpgrade.cpp - Old opsets through ONNX's converter -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Upgrades a model's default-domain opset with libonnx's version converter.
// libonnx reports failures by throwing: this TU is built with exceptions and
// catches every one of them, turning it into a diagnostic. The converter
// also writes warnings to std::cerr; they are captured, so the only output a
// user sees is Exaforge's one-line diagnostics.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpsetUpgrade.h"
#include "compiler/Import/ONNX/OpImporters.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <exception>
#include <iostream>
#include <sstream>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace {

/// Sends std::cerr into a string while alive (libonnx's converter prints
/// warnings there).
class CaptureStdErr {
public:
  CaptureStdErr() : saved(std::cerr.rdbuf(captured.rdbuf())) {}
  ~CaptureStdErr() { std::cerr.rdbuf(saved); }
  CaptureStdErr(const CaptureStdErr &) = delete;
  CaptureStdErr &operator=(const CaptureStdErr &) = delete;

private:
  std::ostringstream captured;
  std::streambuf *saved;
};

} // namespace

/// Returns whether `domain` names the default ONNX domain.
static bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

/// Returns the model's default-domain opset, or 0 when it imports none.
static int64_t getDefaultOpset(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &entry : model.opset_import())
    if (isDefaultDomain(entry.domain()))
      return entry.version();
  return 0;
}

/// The name diagnostics give a node: its own, or `<op type>_<index>` as the
/// importer names unnamed nodes.
static std::string getNodeName(const onnx::NodeProto &node, int index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                             : node.name();
}

int64_t onnx_import::getNewestConvertibleOpset() {
  const auto &ranges =
      onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = ranges.find("");
  return it == ranges.end() ? 0 : it->second.second;
}

/// Raises `required` to the first registered version of every node of
/// `graph` (and its subgraphs) that has no importer at `opset`. Returns
/// false when a default-domain node's op does not exist in ONNX at `opset`:
/// such a model is invalid rather than old, and the importer reports the
/// node.
static bool collectRequiredOpset(const onnx::GraphProto &graph, int64_t opset,
                                 const OpImporterRegistry &registry,
                                 int64_t &required) {
  for (const onnx::NodeProto &node : graph.node()) {
    if (isDefaultDomain(node.domain())) {
      if (!onnx::OpSchemaRegistry::Schema(node.op_type(),
                                          static_cast<int>(opset), ""))
        return false;
      if (registry.contains(node.op_type()) &&
          !registry.lookup(node.op_type(), opset))
        required =
            std::max(required, registry.getFirstVersion(node.op_type()));
    }
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g() &&
          !collectRequiredOpset(attr.g(), opset, registry, required))
        return false;
      for (const onnx::GraphProto &subgraph : attr.graphs())
        if (!collectRequiredOpset(subgraph, opset, registry, required))
          return false;
    }
  }
  return true;
}

int64_t onnx_import::getRequiredOpset(const onnx::ModelProto &model) {
  int64_t opset = getDefaultOpset(model);
  if (opset <= 0)
    return 0;
  int64_t required = 0;
  if (!collectRequiredOpset(model.graph(), opset, OpImporterRegistry::get(),
                            required))
    return 0;
  if (required <= opset || required > getNewestConvertibleOpset())
    return 0;
  return required;
}

/// Runs ONNX's shape inference on `model` (filling `value_info`), then its
/// version converter to `targetOpset`. Returns the converter's message on
/// failure.
static std::optional<std::string> convertModel(onnx::ModelProto &model,
                                               int64_t targetOpset) {
  CaptureStdErr capture;
  // Best effort: values whose shapes ONNX cannot infer (or infers in
  // conflict with the model's declarations) keep the shapes they have,
  // which only adapters that read them may refuse.
  try {
    onnx::shape_inference::InferShapes(model);
  } catch (...) {
  }
  try {
    model = onnx::version_conversion::ConvertVersion(
        model, static_cast<int>(targetOpset));
    return std::nullopt;
  } catch (const std::exception &e) {
    return std::string(e.what());
  } catch (...) {
    return std::string("unknown error");
  }
}

/// Returns the first line of `message` without the source location libonnx's
/// assertions put before their text ("<file>:<line>: <function>: Assertion
/// `...` failed: <text>") and without trailing whitespace.
static std::string firstLine(const std::string &message) {
  std::string line = message.substr(0, message.find('\n'));
  StringRef marker = "failed: ";
  size_t pos = line.find(marker.str());
  if (pos != std::string::npos)
    line = line.substr(pos + marker.size());
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
    line.pop_back();
  return line;
}

/// Converts each node of `model`'s main graph on its own (in a model of one
/// node whose inputs are graph inputs typed as `model`'s shape inference
/// found them) and returns the index of the first node the converter
/// refuses, with its message.
static std::optional<std::pair<int, std::string>>
findFailingNode(const onnx::ModelProto &model, int64_t targetOpset) {
  // Types of every named value: graph inputs, inferred intermediates,
  // outputs.
  std::map<std::string, const onnx::ValueInfoProto *> types;
  const onnx::GraphProto &graph = model.graph();
  for (const auto *list : {&graph.input(), &graph.value_info(), &graph.output()})
    for (const onnx::ValueInfoProto &info : *list)
      types.emplace(info.name(), &info);
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    onnx::ModelProto single;
    single.set_ir_version(model.ir_version());
    *single.mutable_opset_import() = model.opset_import();
    onnx::GraphProto *singleGraph = single.mutable_graph();
    singleGraph->set_name("node");
    *singleGraph->add_node() = node;
    llvm::StringSet<> seen;
    for (const std::string &name : node.input()) {
      if (name.empty() || !seen.insert(name).second)
        continue;
      onnx::ValueInfoProto *input = singleGraph->add_input();
      auto it = types.find(name);
      if (it != types.end())
        *input = *it->second;
      input->set_name(name);
    }
    for (const std::string &name : node.output()) {
      if (name.empty())
        continue;
      onnx::ValueInfoProto *output = singleGraph->add_output();
      auto it = types.find(name);
      if (it != types.end())
        *output = *it->second;
      output->set_name(name);
    }
    if (std::optional<std::string> error = convertModel(single, targetOpset))
      return std::make_pair(static_cast<int>(index), *error);
  }
  return std::nullopt;
}

/// Returns the number of values `tensor` holds in its typed fields.
static int64_t getTypedFieldSize(const onnx::TensorProto &tensor) {
  return tensor.float_data_size() + tensor.int32_data_size() +
         tensor.int64_data_size() + tensor.double_data_size() +
         tensor.uint64_data_size();
}

/// Gives the rank-0 tensors of the Constant nodes of `graph` (and its
/// subgraphs) that hold more than one value the 1-D shape they mean.
/// libonnx 1.12's Reshape 4 -> 5 adapter creates its shape constant without
/// dimensions (fixed in later ONNX releases); a rank-0 tensor holds exactly
/// one value, so no valid tensor is changed.
static void repairShapelessConstants(onnx::GraphProto &graph) {
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    for (onnx::AttributeProto &attr : *node.mutable_attribute()) {
      if (node.op_type() == "Constant" && attr.has_t() &&
          attr.t().dims_size() == 0 && getTypedFieldSize(attr.t()) > 1)
        attr.mutable_t()->add_dims(getTypedFieldSize(attr.t()));
      if (attr.has_g())
        repairShapelessConstants(*attr.mutable_g());
      for (onnx::GraphProto &subgraph : *attr.mutable_graphs())
        repairShapelessConstants(subgraph);
    }
  }
}

/// Adds to `names` every value `graph` defines: its inputs, initializers and
/// node outputs.
static void collectDefinedNames(const onnx::GraphProto &graph,
                                llvm::StringSet<> &names) {
  for (const onnx::ValueInfoProto &input : graph.input())
    names.insert(input.name());
  for (const onnx::TensorProto &tensor : graph.initializer())
    names.insert(tensor.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      if (!output.empty())
        names.insert(output);
}

/// Checks that every value the converter resolves by name is defined:
/// ONNX's version converter (its graphProtoToGraph) dereferences a null
/// value for a node input of the main graph, or a graph output, that nothing
/// defines (found by the onnx-import fuzz target). A subgraph's outputs may
/// name values of the graphs around it (`outer`).
static LogicalResult verifyNamesDefined(const onnx::GraphProto &graph,
                                        const llvm::StringSet<> &outer,
                                        bool isMainGraph, Location fileLoc) {
  llvm::StringSet<> defined = outer;
  collectDefinedNames(graph, defined);
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &input : node.input())
      if (isMainGraph && !input.empty() && !defined.contains(input))
        return emitError(NameLoc::get(
                   StringAttr::get(fileLoc->getContext(),
                                   getNodeName(node, static_cast<int>(index))),
                   fileLoc))
               << "input '" << input << "' is not defined";
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g() &&
          failed(verifyNamesDefined(attr.g(), defined, false, fileLoc)))
        return failure();
      for (const onnx::GraphProto &subgraph : attr.graphs())
        if (failed(verifyNamesDefined(subgraph, defined, false, fileLoc)))
          return failure();
    }
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!defined.contains(output.name())) {
      if (isMainGraph)
        return emitError(fileLoc)
               << "graph output '" << output.name() << "' is not defined";
      return emitError(fileLoc) << "output '" << output.name()
                                << "' of subgraph '" << graph.name()
                                << "' is not defined";
    }
  return success();
}

LogicalResult onnx_import::upgradeOpset(onnx::ModelProto &model,
                                        int64_t targetOpset,
                                        Location fileLoc) {
  int64_t opset = getDefaultOpset(model);
  if (failed(verifyNamesDefined(model.graph(), llvm::StringSet<>(),
                                /*isMainGraph=*/true, fileLoc)))
    return failure();

  // The initializers stay out of the converter: each becomes a graph input
  // of its type and shape (unless it is one already, as in IR version 3
  // models), and comes back unchanged afterwards.
  onnx::GraphProto *graph = model.mutable_graph();
  google::protobuf::RepeatedPtrField<onnx::TensorProto> initializers;
  initializers.Swap(graph->mutable_initializer());
  llvm::StringSet<> inputNames;
  for (const onnx::ValueInfoProto &input : graph->input())
    inputNames.insert(input.name());
  llvm::StringSet<> standIns;
  for (const onnx::TensorProto &tensor : initializers) {
    if (inputNames.contains(tensor.name()))
      continue;
    onnx::ValueInfoProto *input = graph->add_input();
    input->set_name(tensor.name());
    onnx::TypeProto::Tensor *type =
        input->mutable_type()->mutable_tensor_type();
    type->set_elem_type(tensor.data_type());
    onnx::TensorShapeProto *shape = type->mutable_shape();
    for (int64_t dim : tensor.dims())
      shape->add_dim()->set_dim_value(dim);
    standIns.insert(tensor.name());
  }

  if (std::optional<std::string> error = convertModel(model, targetOpset)) {
    // `model` is unconverted, with the shapes inference found: find the node
    // to blame by converting the nodes one by one.
    auto failing = findFailingNode(model, targetOpset);
    if (!failing)
      return emitError(fileLoc)
             << "cannot upgrade the model from opset " << opset
             << " to opset " << targetOpset
             << " with ONNX's version converter: " << firstLine(*error);
    const onnx::NodeProto &node = model.graph().node(failing->first);
    Location nodeLoc = NameLoc::get(
        StringAttr::get(fileLoc->getContext(),
                        getNodeName(node, failing->first)),
        fileLoc);
    return emitError(nodeLoc)
           << "cannot upgrade " << node.op_type() << " from opset " << opset
           << " to opset " << targetOpset
           << " with ONNX's version converter: " << firstLine(failing->second);
  }

  repairShapelessConstants(*model.mutable_graph());

  // Put the initializers back, in place of their stand-in inputs (adapters
  // may have added initializers of their own: those stay).
  graph = model.mutable_graph();
  auto *inputs = graph->mutable_input();
  inputs->erase(std::remove_if(inputs->begin(), inputs->end(),
                               [&](const onnx::ValueInfoProto &input) {
                                 return standIns.contains(input.name());
                               }),
                inputs->end());
  for (onnx::TensorProto &tensor : initializers)
    *graph->add_initializer() = std::move(tensor);
  return success();
}
