//===- InspectCommand.cpp - `exaforge inspect` ----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Every rank runs the same program (SPMD), so the op counts and collectives
// are printed once; the ranks differ only in their mesh coordinates and
// weight shards. Sizes are one rank's: a dynamic dimension is the rank's
// local batch.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/InspectCommand.h"
#include "compiler/Driver/Driver.h"

#include "compiler/Compile/GraphProgramWriter.h"
#include "dialects/Dist/DistDialect.h"
#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::driver;

namespace {
int fail(const llvm::Twine &message) {
  llvm::errs() << "exaforge inspect: error: " << message << "\n";
  return ExitFailure;
}

/// A size in bytes: `perUnit` bytes times the batch to the power
/// `batchPower` (0 for a static size).
struct ByteSize {
  int64_t perUnit = 0;
  unsigned batchPower = 0;
};

/// The bytes of one element of `type` (1 for i1).
int64_t elementBytes(Type type) {
  return std::max<int64_t>(1, (type.getIntOrFloatBitWidth() + 7) / 8);
}

/// The size of a ranked tensor of `type`; a dynamic dimension counts as
/// one unit of batch.
ByteSize tensorBytes(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.getElementType().isIntOrFloat())
    return {};
  ByteSize size{elementBytes(tensor.getElementType()), 0};
  for (int64_t dim : tensor.getShape()) {
    if (ShapedType::isDynamic(dim))
      ++size.batchPower;
    else
      size.perUnit *= dim;
  }
  return size;
}

/// Prints `size`, evaluated at `batch` when it is positive.
std::string formatBytes(ByteSize size, int64_t batch) {
  if (size.batchPower == 0)
    return std::to_string(size.perUnit) + " B";
  if (batch > 0) {
    int64_t bytes = size.perUnit;
    for (unsigned i = 0; i < size.batchPower; ++i)
      bytes *= batch;
    return std::to_string(bytes) + " B";
  }
  std::string text = std::to_string(size.perUnit) + " B x batch";
  if (size.batchPower > 1)
    text += "^" + std::to_string(size.batchPower);
  return text;
}

/// The shape of `type` as `?x128xf32`.
std::string formatType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    for (int64_t dim : tensor.getShape()) {
      if (ShapedType::isDynamic(dim))
        os << "?";
      else
        os << dim;
      os << "x";
    }
    os << tensor.getElementType();
  } else {
    os << type;
  }
  return text;
}

/// The mesh of the program: axis names and sizes (none for one rank).
struct Mesh {
  SmallVector<std::string> axes;
  SmallVector<int64_t> shape;

  /// The number of ranks.
  int64_t numRanks() const {
    int64_t ranks = 1;
    for (int64_t size : shape)
      ranks *= size;
    return ranks;
  }

  /// The coordinates of `rank` (row-major: the last axis varies fastest).
  SmallVector<int64_t> coordinates(int64_t rank) const {
    SmallVector<int64_t> coords(shape.size());
    for (int i = int(shape.size()) - 1; i >= 0; --i) {
      coords[i] = rank % shape[i];
      rank /= shape[i];
    }
    return coords;
  }

  /// `rank`'s coordinates as `dp=0 tp=1`.
  std::string formatCoordinates(int64_t rank) const {
    SmallVector<int64_t> coords = coordinates(rank);
    std::string text;
    for (auto [i, axis] : llvm::enumerate(axes))
      text += (i ? " " : "") + axis + "=" + std::to_string(coords[i]);
    return text;
  }

  /// The size of the group spanned by `axes` (unknown axes count as 1).
  int64_t groupSize(ArrayAttr groupAxes) const {
    int64_t size = 1;
    for (auto name : groupAxes.getAsValueRange<StringAttr>())
      for (auto [i, axis] : llvm::enumerate(axes))
        if (axis == name)
          size *= shape[i];
    return size;
  }

  /// The ranks in `rank`'s group along `groupAxes`, in rank order.
  SmallVector<int64_t> group(int64_t rank, ArrayAttr groupAxes) const {
    SmallVector<int64_t> own = coordinates(rank), members;
    for (int64_t other = 0, e = numRanks(); other < e; ++other) {
      SmallVector<int64_t> coords = coordinates(other);
      bool same = true;
      for (auto [i, axis] : llvm::enumerate(axes))
        if (coords[i] != own[i] &&
            !llvm::is_contained(groupAxes.getAsValueRange<StringAttr>(),
                                StringRef(axis)))
          same = false;
      if (same)
        members.push_back(other);
    }
    return members;
  }
};

/// True for the dist ops that communicate: those with `mesh` and `axes`.
bool isCollective(Operation *op) {
  return isa<dist::DistDialect>(op->getDialect()) && op->getNumOperands() &&
         op->getAttrOfType<ArrayAttr>("axes") && op->getAttr("mesh");
}

/// The name of entry argument `index`: its weight or input name.
std::string argumentName(func::FuncOp entry, unsigned index) {
  if (auto name =
          entry.getArgAttrOfType<StringAttr>(index, "graph.weight_name"))
    return name.str();
  if (auto name = entry.getArgAttrOfType<StringAttr>(index, "graph.name"))
    return name.str();
  return "arg" + std::to_string(index);
}

/// Quotes `text` for a Graphviz label.
std::string dotQuote(StringRef text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

/// Writes the partitioned graph: one cluster per rank, a node per entry
/// argument and op, edges along the SSA values, and dashed edges joining
/// the copies of a collective in the ranks of one group.
void writeDot(raw_ostream &os, func::FuncOp entry, const Mesh &mesh) {
  os << "digraph partitioned {\n  compound=true;\n  node [shape=box, "
        "fontsize=10];\n";
  // Node ids, the same in every rank: a<i> for arguments, o<i> for ops.
  DenseMap<Value, std::string> valueNode;
  DenseMap<Operation *, std::string> opNode;
  for (BlockArgument arg : entry.getArguments())
    valueNode[arg] = "a" + std::to_string(arg.getArgNumber());
  SmallVector<Operation *> ops;
  entry.walk([&](Operation *op) {
    if (op == entry.getOperation())
      return;
    opNode[op] = "o" + std::to_string(ops.size());
    for (Value result : op->getResults())
      valueNode[result] = opNode[op];
    ops.push_back(op);
  });
  for (int64_t rank = 0, e = mesh.numRanks(); rank < e; ++rank) {
    std::string prefix = "r" + std::to_string(rank) + "_";
    os << "  subgraph cluster_rank" << rank << " {\n    label="
       << dotQuote("rank " + std::to_string(rank) +
                   (mesh.axes.empty()
                        ? ""
                        : " (" + mesh.formatCoordinates(rank) + ")"))
       << ";\n";
    for (BlockArgument arg : entry.getArguments())
      os << "    " << prefix << valueNode[arg] << " [shape=ellipse, label="
         << dotQuote(argumentName(entry, arg.getArgNumber()) + "\n" +
                     formatType(arg.getType()))
         << "];\n";
    for (Operation *op : ops) {
      std::string label = op->getName().getStringRef().str();
      if (op->getNumResults())
        label += "\n" + formatType(op->getResult(0).getType());
      os << "    " << prefix << opNode[op] << " [label=" << dotQuote(label);
      if (isCollective(op))
        os << ", style=filled, fillcolor=orange";
      os << "];\n";
    }
    for (Operation *op : ops)
      for (Value operand : op->getOperands())
        if (valueNode.count(operand))
          os << "    " << prefix << valueNode[operand] << " -> " << prefix
             << opNode[op] << ";\n";
    os << "  }\n";
  }
  // Each collective joins its group: a ring over the group's ranks.
  for (Operation *op : ops) {
    if (!isCollective(op))
      continue;
    auto axes = op->getAttrOfType<ArrayAttr>("axes");
    for (int64_t rank = 0, e = mesh.numRanks(); rank < e; ++rank) {
      SmallVector<int64_t> group = mesh.group(rank, axes);
      if (group.size() < 2 || group.front() != rank)
        continue;
      for (size_t i = 0; i < group.size(); ++i) {
        if (group.size() == 2 && i == 1)
          break;
        int64_t from = group[i], to = group[(i + 1) % group.size()];
        os << "  r" << from << "_" << opNode[op] << " -> r" << to << "_"
           << opNode[op] << " [style=dashed, color=orange, dir=both, "
           << "constraint=false];\n";
      }
    }
  }
  os << "}\n";
}

/// Reads `path` as JSON.
llvm::Expected<llvm::json::Value> readJson(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read '" + path +
                                       "': " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return llvm::createStringError(
        "'" + path + "' is not valid JSON: " + toString(json.takeError()));
  return json;
}
} // namespace

int exaforge::driver::runInspectCommand(const InspectCommandOptions &options) {
  StringRef artifact = options.artifactPath;
  if (!llvm::sys::fs::is_directory(artifact))
    return fail("'" + artifact + "' is not an artifact directory");
  if (options.batch < 0)
    return fail("--batch must not be negative");
  llvm::SmallString<256> manifestPath(artifact), graphPath(artifact);
  llvm::sys::path::append(manifestPath, "manifest.json");
  llvm::sys::path::append(graphPath, kGraphProgramFileName);
  llvm::Expected<llvm::json::Value> manifest = readJson(manifestPath);
  if (!manifest)
    return fail(toString(manifest.takeError()));
  const llvm::json::Object *root = manifest->getAsObject();
  if (!root)
    return fail("'" + manifestPath + "' is not a JSON object");
  if (!llvm::sys::fs::exists(graphPath))
    return fail("'" + artifact + "' has no " + kGraphProgramFileName +
                " (it was compiled by an older exaforge); compile the model "
                "again to inspect it");

  MLIRContext context;
  context
      .loadDialect<graph::GraphDialect, dist::DistDialect, func::FuncDialect>();
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(graphPath, ParserConfig(&context));
  if (!module)
    return fail("cannot parse '" + graphPath + "'");
  auto entry = module->lookupSymbol<func::FuncOp>("main");
  if (!entry)
    return fail("'" + graphPath + "' has no @main function");

  Mesh mesh;
  for (dist::MeshOp meshOp : module->getOps<dist::MeshOp>()) {
    for (StringRef axis : meshOp.getAxes().getAsValueRange<StringAttr>())
      mesh.axes.push_back(axis.str());
    llvm::append_range(mesh.shape, meshOp.getShape());
    break;
  }
  int64_t worldSize =
      root->getObject("ranks")
          ? root->getObject("ranks")->getInteger("world_size").value_or(1)
          : 1;
  if (worldSize != mesh.numRanks())
    return fail("the manifest has " + llvm::Twine(worldSize) +
                " ranks but the mesh of '" + graphPath + "' has " +
                llvm::Twine(mesh.numRanks()));

  raw_ostream &os = llvm::outs();
  os << "artifact: " << artifact << "\n";
  // (a) The mesh.
  if (mesh.axes.empty()) {
    os << "mesh: none (1 rank)\n";
  } else {
    os << "mesh:";
    for (auto [axis, size] : llvm::zip(mesh.axes, mesh.shape))
      os << " " << axis << "=" << size;
    os << ", world size " << worldSize
       << " (rank = row-major linearization, last axis fastest)\n";
    for (int64_t rank = 0; rank < worldSize; ++rank)
      os << "  rank " << rank << ": " << mesh.formatCoordinates(rank) << "\n";
  }

  // (b) The ops of one rank.
  std::map<std::string, int64_t> opCounts;
  int64_t numOps = 0;
  SmallVector<Operation *> collectives;
  entry.walk([&](Operation *op) {
    if (op == entry.getOperation())
      return;
    ++opCounts[op->getName().getStringRef().str()];
    ++numOps;
    if (isCollective(op))
      collectives.push_back(op);
  });
  os << "ops per rank: " << numOps
     << " (SPMD: every rank runs the same program)\n";
  for (const auto &[name, count] : opCounts)
    os << "  " << name << ": " << count << "\n";

  // (c) The collectives, in program order.
  std::string batchNote =
      options.batch > 0
          ? " (batch = " + std::to_string(options.batch) + " per rank)"
          : " (batch = the rank's local batch)";
  os << "collectives per rank: " << collectives.size() << batchNote << "\n";
  ByteSize total;
  bool mixedTotal = false;
  for (auto [i, op] : llvm::enumerate(collectives)) {
    auto axes = op->getAttrOfType<ArrayAttr>("axes");
    Type type = op->getOperand(0).getType();
    ByteSize bytes = tensorBytes(type);
    os << "  #" << i << " " << op->getName() << " axes = [";
    llvm::interleaveComma(axes.getAsValueRange<StringAttr>(), os,
                          [&](StringRef axis) { os << '"' << axis << '"'; });
    os << "] group " << mesh.groupSize(axes) << " "
       << getElementTypeOrSelf(type) << " local " << formatType(type) << ": "
       << formatBytes(bytes, options.batch) << " per call\n";
    if (i == 0 || bytes.batchPower == total.batchPower) {
      total.batchPower = bytes.batchPower;
      total.perUnit += bytes.perUnit;
    } else {
      mixedTotal = true;
    }
  }
  if (!collectives.empty() && !mixedTotal)
    os << "  total: " << formatBytes(total, options.batch)
       << " per rank per run\n";

  // (d) Memory per rank: weights from the manifest, inputs and outputs from
  // the per-rank signature.
  int64_t replicated = 0, shard = 0;
  if (const llvm::json::Array *weights = root->getArray("weights"))
    for (const llvm::json::Value &weight : *weights) {
      const llvm::json::Object *object = weight.getAsObject();
      if (!object)
        continue;
      int64_t nbytes = object->getInteger("nbytes").value_or(0);
      if (object->getBoolean("per_rank").value_or(false))
        shard += nbytes;
      else
        replicated += nbytes;
    }
  ByteSize inputs, outputs;
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
    if (entry.getArgAttr(i, "graph.weight_name"))
      continue;
    ByteSize bytes = tensorBytes(entry.getArgument(i).getType());
    inputs.perUnit += bytes.perUnit;
    inputs.batchPower = std::max(inputs.batchPower, bytes.batchPower);
  }
  for (Type type : entry.getResultTypes()) {
    ByteSize bytes = tensorBytes(type);
    outputs.perUnit += bytes.perUnit;
    outputs.batchPower = std::max(outputs.batchPower, bytes.batchPower);
  }
  const llvm::json::Array *rankFiles = root->getArray("rank_weights_files");
  os << "memory per rank:\n";
  for (int64_t rank = 0; rank < worldSize; ++rank) {
    os << "  rank " << rank << ": weights " << replicated + shard
       << " B (replicated " << replicated << " B";
    if (rankFiles && rank < int64_t(rankFiles->size())) {
      std::optional<StringRef> file = (*rankFiles)[rank].getAsString();
      os << " + shard " << shard << " B in " << file.value_or("?");
    }
    os << "), inputs " << formatBytes(inputs, options.batch) << ", outputs "
       << formatBytes(outputs, options.batch) << "\n";
  }

  if (options.dotPath.empty())
    return ExitSuccess;
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> dot =
      openOutputFile(options.dotPath, &error);
  if (!dot)
    return fail(error);
  writeDot(dot->os(), entry, mesh);
  dot->keep();
  return ExitSuccess;
}
