//===- InspectCommand.cpp - `exaforge inspect` ----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Every rank runs the same program (SPMD), so the op counts and collectives
// are printed once; the ranks differ only in their mesh coordinates and
// weight shards. A pipelined program is printed per stage: the ranks at one
// coordinate of the pipeline axis run the same stage. Sizes are one rank's: a dynamic dimension is the rank's
// local batch.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/InspectCommand.h"
#include "compiler/Driver/Driver.h"

#include "compiler/Compile/GraphProgramWriter.h"
#include "dialects/Dist/DistDialect.h"
#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"
#include "exaforge/abi/Contract.h"
#include "passes/Dist/TensorParallel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>
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
/// `batchPower` (0 for a static size). `perUnit` saturates at
/// `kTooManyBytes` rather than wrapping around.
struct ByteSize {
  int64_t perUnit = 0;
  unsigned batchPower = 0;
};

/// A byte count that does not fit in 63 bits (printed as such).
constexpr int64_t kTooManyBytes = std::numeric_limits<int64_t>::max();

/// `a * b` for non-negative `a` and `b`, or `kTooManyBytes` on overflow.
int64_t multiplyBytes(int64_t a, int64_t b) {
  int64_t product;
  return llvm::MulOverflow(a, b, product) ? kTooManyBytes : product;
}

/// `a + b` for non-negative `a` and `b`, or `kTooManyBytes` on overflow.
int64_t addBytes(int64_t a, int64_t b) {
  int64_t sum;
  return llvm::AddOverflow(a, b, sum) ? kTooManyBytes : sum;
}

/// `bytes` followed by " B", or "more than 2^63 B" when saturated.
std::string formatByteCount(int64_t bytes) {
  return bytes == kTooManyBytes ? std::string("more than 2^63 B")
                                : std::to_string(bytes) + " B";
}

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
      size.perUnit = multiplyBytes(size.perUnit, dim);
  }
  return size;
}

/// Prints `size`, evaluated at `batch` when it is positive (overflow-checked:
/// a size beyond 63 bits is printed as such, never as a negative count).
std::string formatBytes(ByteSize size, int64_t batch) {
  if (size.batchPower == 0)
    return formatByteCount(size.perUnit);
  if (batch > 0) {
    int64_t bytes = size.perUnit;
    for (unsigned i = 0; i < size.batchPower; ++i)
      bytes = multiplyBytes(bytes, batch);
    return formatByteCount(bytes);
  }
  std::string text = formatByteCount(size.perUnit) + " x batch";
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
    return dist::getMeshCoordinates(shape, rank);
  }

  /// `rank`'s coordinates as `dp=0 tp=1`.
  std::string formatCoordinates(int64_t rank) const {
    SmallVector<int64_t> coords = coordinates(rank);
    std::string text;
    for (auto [i, axis] : llvm::enumerate(axes))
      text += (i ? " " : "") + axis + "=" + std::to_string(coords[i]);
    return text;
  }

  /// `rank`'s coordinate on the axis named `axis` (0 if there is none).
  int64_t coordinate(int64_t rank, StringRef axis) const {
    SmallVector<int64_t> coords = coordinates(rank);
    for (auto [i, name] : llvm::enumerate(axes))
      if (name == axis)
        return coords[i];
    return 0;
  }

  /// The ranks whose coordinate on `axis` is `value`.
  SmallVector<int64_t> ranksAt(StringRef axis, int64_t value) const {
    SmallVector<int64_t> ranks;
    for (int64_t rank = 0, e = numRanks(); rank < e; ++rank)
      if (coordinate(rank, axis) == value)
        ranks.push_back(rank);
    return ranks;
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

/// True for the point-to-point transfers between pipeline stages.
bool isTransfer(Operation *op) { return isa<dist::SendOp, dist::RecvOp>(op); }

/// The stages of a pipelined program (dist-pipeline-partition): the switch
/// on this rank's coordinate along the pipeline axis, one region per stage.
struct Pipeline {
  scf::IndexSwitchOp stageSwitch;
  std::string axis;
  int64_t microBatches = 1;

  /// The number of stages.
  int64_t numStages() {
    return static_cast<int64_t>(stageSwitch.getNumCases()) + 1;
  }
  /// The code of stage `stage` (the default region is the last stage).
  Region &stageRegion(int64_t stage) {
    return stage + 1 < numStages() ? stageSwitch.getCaseRegions()[stage]
                                   : stageSwitch.getDefaultRegion();
  }
  /// The stage whose code contains `op`, or -1 for code outside the stages.
  int64_t stageOf(Operation *op) {
    for (int64_t stage = 0, e = numStages(); stage < e; ++stage)
      if (stageRegion(stage).isAncestor(op->getParentRegion()))
        return stage;
    return -1;
  }
};

/// The pipeline of `entry`, if it is one: a switch on a `dist.axis_index`.
std::optional<Pipeline> findPipeline(func::FuncOp entry) {
  for (auto stageSwitch : entry.getOps<scf::IndexSwitchOp>()) {
    auto index = stageSwitch.getArg().getDefiningOp<dist::AxisIndexOp>();
    if (!index)
      continue;
    Pipeline pipeline{stageSwitch, index.getAxis().str(), 1};
    if (auto count = stageSwitch->getAttrOfType<IntegerAttr>(
            dist::kMicroBatchesAttrName))
      pipeline.microBatches = count.getInt();
    return pipeline;
  }
  return std::nullopt;
}

/// The ops of one program (or stage), its collectives and transfers.
struct ProgramSummary {
  std::map<std::string, int64_t> opCounts;
  int64_t numOps = 0;
  SmallVector<Operation *> collectives, transfers;

  /// Counts the ops nested in `region`, but weight reads: weights, like
  /// inputs, are data rather than code.
  explicit ProgramSummary(Region &region) {
    region.walk([&](Operation *op) {
      if (isa<graph::WeightRefOp>(op))
        return;
      ++opCounts[op->getName().getStringRef().str()];
      ++numOps;
      if (isCollective(op))
        collectives.push_back(op);
      if (isTransfer(op))
        transfers.push_back(op);
    });
  }
};

/// The name of entry argument `index`: its input name.
std::string argumentName(func::FuncOp entry, unsigned index) {
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
void writeDot(raw_ostream &os, func::FuncOp entry, const Mesh &mesh,
              std::optional<Pipeline> pipeline) {
  os << "digraph partitioned {\n  compound=true;\n  node [shape=box, "
        "fontsize=10];\n";
  // Node ids, the same in every rank: a<i> for arguments, w<i> for weight
  // reads, o<i> for the other ops.
  DenseMap<Value, std::string> valueNode;
  DenseMap<Operation *, std::string> opNode;
  for (BlockArgument arg : entry.getArguments())
    valueNode[arg] = "a" + std::to_string(arg.getArgNumber());
  SmallVector<Operation *> ops;
  SmallVector<graph::WeightRefOp> weightReads;
  entry.walk([&](Operation *op) {
    if (op == entry.getOperation())
      return;
    if (auto read = dyn_cast<graph::WeightRefOp>(op)) {
      opNode[op] = valueNode[read.getResult()] =
          "w" + std::to_string(weightReads.size());
      weightReads.push_back(read);
      return;
    }
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
    // A rank draws the code outside the stages and its own stage's.
    auto drawn = [&](Operation *op) {
      if (!pipeline)
        return true;
      int64_t stage = pipeline->stageOf(op);
      return stage < 0 || stage == mesh.coordinate(rank, pipeline->axis);
    };
    // A weight is drawn like an input, by its name.
    for (graph::WeightRefOp read : weightReads)
      if (drawn(read))
        os << "    " << prefix << opNode[read] << " [shape=ellipse, label="
           << dotQuote(read.getWeight().str() + "\n" +
                       formatType(read.getType()))
           << "];\n";
    for (Operation *op : ops) {
      if (!drawn(op))
        continue;
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
        if (drawn(op) && valueNode.count(operand) &&
            (!operand.getDefiningOp() || drawn(operand.getDefiningOp())))
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
  // Each send reaches the receive at the same position in the next stage,
  // on the rank with the same other coordinates.
  if (pipeline) {
    for (int64_t stage = 0; stage + 1 < pipeline->numStages(); ++stage) {
      SmallVector<Operation *> sends, recvs;
      pipeline->stageRegion(stage).walk(
          [&](dist::SendOp send) { sends.push_back(send); });
      pipeline->stageRegion(stage + 1).walk(
          [&](dist::RecvOp recv) { recvs.push_back(recv); });
      for (int64_t rank : mesh.ranksAt(pipeline->axis, stage)) {
        int64_t peer = rank;
        for (auto [i, axis] : llvm::enumerate(mesh.axes)) {
          if (axis != pipeline->axis)
            continue;
          int64_t stride = 1;
          for (size_t j = i + 1; j < mesh.shape.size(); ++j)
            stride *= mesh.shape[j];
          peer += stride;
        }
        for (auto [send, recv] : llvm::zip(sends, recvs))
          os << "  r" << rank << "_" << opNode[send] << " -> r" << peer << "_"
             << opNode[recv] << " [color=blue];\n";
      }
    }
  }
  os << "}\n";
}

/// Prints the op counts of `program`, one per line.
void printOpCounts(raw_ostream &os, const ProgramSummary &program,
                   StringRef indent) {
  for (const auto &[name, count] : program.opCounts)
    os << indent << name << ": " << count << "\n";
}

/// Prints one line per collective or transfer of `ops` with its bytes per
/// call, and their total when they add up (same power of the batch).
void printCommunication(raw_ostream &os, ArrayRef<Operation *> ops,
                        const Mesh &mesh, int64_t batch, StringRef indent,
                        StringRef totalUnit) {
  ByteSize total;
  bool mixedTotal = false;
  for (auto [i, op] : llvm::enumerate(ops)) {
    Type type = op->getNumOperands() ? op->getOperand(0).getType()
                                     : op->getResult(0).getType();
    ByteSize bytes = tensorBytes(type);
    os << indent << "#" << i << " " << op->getName();
    if (auto send = dyn_cast<dist::SendOp>(op)) {
      os << " to stage " << send.getTo();
    } else if (auto recv = dyn_cast<dist::RecvOp>(op)) {
      os << " from stage " << recv.getFrom();
    } else {
      auto axes = op->getAttrOfType<ArrayAttr>("axes");
      os << " axes = [";
      llvm::interleaveComma(axes.getAsValueRange<StringAttr>(), os,
                            [&](StringRef axis) { os << '"' << axis << '"'; });
      os << "] group " << mesh.groupSize(axes);
    }
    os << " " << getElementTypeOrSelf(type) << " local " << formatType(type)
       << ": " << formatBytes(bytes, batch) << " per call\n";
    if (i == 0 || bytes.batchPower == total.batchPower) {
      total.batchPower = bytes.batchPower;
      total.perUnit = addBytes(total.perUnit, bytes.perUnit);
    } else {
      mixedTotal = true;
    }
  }
  if (!ops.empty() && !mixedTotal)
    os << indent << "total: " << formatBytes(total, batch) << " per "
       << totalUnit << "\n";
}

/// `ranks` as `0, 2`.
std::string formatRanks(ArrayRef<int64_t> ranks) {
  std::string text;
  for (auto [i, rank] : llvm::enumerate(ranks))
    text += (i ? ", " : "") + std::to_string(rank);
  return text;
}

/// The weight bytes stage `stage` of `pipeline` uses: its constants, and
/// the weights (tensor-parallel shards) it reads, whose sizes are in
/// `weightBytes` by name.
int64_t getStageWeightBytes(Pipeline &pipeline, int64_t stage,
                            const llvm::StringMap<int64_t> &weightBytes) {
  Region &region = pipeline.stageRegion(stage);
  int64_t bytes = 0;
  region.walk([&](graph::ConstantOp constant) {
    bytes += tensorBytes(constant.getType()).perUnit;
  });
  llvm::StringSet<> read;
  region.walk([&](graph::WeightRefOp ref) {
    if (read.insert(ref.getWeight()).second)
      bytes += weightBytes.lookup(ref.getWeight());
  });
  return bytes;
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

namespace {
/// Prints what the artifact was compiled for (the manifest's `target`; an
/// artifact without one, of an older compiler, is a CPU one): e.g.
/// `target: cuda sm_90, f32 (kernels: kernels.ptx, kernels.sm_90.cubin)`.
void printTarget(raw_ostream &os, const llvm::json::Object *target) {
  auto get = [&](StringRef key) -> std::string {
    std::optional<StringRef> value =
        target ? target->getString(key) : std::nullopt;
    return value ? value->str() : "";
  };
  std::string name = get(abi::kKeyName), arch = get(abi::kKeyGpuArch),
              precision = get(abi::kKeyPrecision);
  os << "target: " << (name.empty() ? abi::kTargetCpu : name);
  if (!arch.empty())
    os << " " << arch;
  os << ", " << (precision.empty() ? "f32" : precision);
  std::string ptx = get(abi::kKeyPtxFile), cubin = get(abi::kKeyCubinFile);
  if (!ptx.empty() || !cubin.empty())
    os << " (kernels: " << ptx << ", " << cubin << ")";
  os << "\n";
}
} // namespace

int exaforge::driver::runInspectCommand(const InspectCommandOptions &options) {
  StringRef artifact = options.artifactPath;
  if (!llvm::sys::fs::is_directory(artifact))
    return fail("'" + artifact + "' is not an artifact directory");
  if (options.batch < 0)
    return fail("--batch must not be negative");
  llvm::SmallString<256> manifestPath(artifact), graphPath(artifact);
  llvm::sys::path::append(manifestPath, abi::kManifestFileName);
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
  context.loadDialect<graph::GraphDialect, dist::DistDialect, func::FuncDialect,
                      arith::ArithDialect, scf::SCFDialect,
                      tensor::TensorDialect>();
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(graphPath, ParserConfig(&context));
  if (!module)
    return fail("cannot parse '" + graphPath + "'");
  func::FuncOp entry = graph::lookupModelFunction(*module);
  if (!entry)
    return fail("'" + graphPath + "' has no @main function");

  Mesh mesh;
  for (dist::MeshOp meshOp : module->getOps<dist::MeshOp>()) {
    for (StringRef axis : meshOp.getAxes().getAsValueRange<StringAttr>())
      mesh.axes.push_back(axis.str());
    llvm::append_range(mesh.shape, meshOp.getShape());
    break;
  }
  int64_t worldSize = root->getObject(abi::kKeyRanks)
                          ? root->getObject(abi::kKeyRanks)
                                ->getInteger(abi::kKeyWorldSize)
                                .value_or(1)
                          : 1;
  if (worldSize != mesh.numRanks())
    return fail("the manifest has " + llvm::Twine(worldSize) +
                " ranks but the mesh of '" + graphPath + "' has " +
                llvm::Twine(mesh.numRanks()));

  // Tensor parallelism replicates the ops without a sharding rule.
  if (llvm::is_contained(mesh.axes, dist::kTensorParallelAxis.str()))
    dist::reportOpsWithoutShardingRule(entry);

  raw_ostream &os = llvm::outs();
  os << "artifact: " << artifact << "\n";
  // Absent in artifacts written before the key existed: they are checked.
  if (root->getBoolean(abi::kKeyRuntimeChecks).value_or(true))
    os << "run-time checks: on\n";
  else
    os << "run-time checks: off (compiled with --no-runtime-checks, to "
          "measure their cost: a bad input can give wrong values)\n";
  printTarget(os, root->getObject(abi::kKeyTarget));
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

  std::optional<Pipeline> pipeline = findPipeline(entry);
  std::string batchNote =
      options.batch > 0
          ? " (batch = " + std::to_string(options.batch) + " per rank)"
          : " (batch = the rank's local batch)";
  if (!pipeline) {
    // (b) The ops of one rank, (c) its collectives in program order.
    ProgramSummary program(entry.getBody());
    os << "ops per rank: " << program.numOps
       << " (SPMD: every rank runs the same program)\n";
    printOpCounts(os, program, "  ");
    os << "collectives per rank: " << program.collectives.size() << batchNote
       << "\n";
    printCommunication(os, program.collectives, mesh, options.batch, "  ",
                       "rank per run");
  } else {
    // (b) and (c) per stage: the ranks at one coordinate of the pipeline
    // axis run one stage, once per micro-batch.
    os << "pipeline: " << pipeline->numStages() << " stages along \""
       << pipeline->axis << "\", " << pipeline->microBatches
       << " micro-batches per run (the sizes below are per micro-batch"
       << (options.batch > 0
               ? ", of " + std::to_string(options.batch) + " samples"
               : "")
       << ")\n";
    for (int64_t stage = 0; stage < pipeline->numStages(); ++stage) {
      ProgramSummary program(pipeline->stageRegion(stage));
      os << "stage " << stage << " (ranks "
         << formatRanks(mesh.ranksAt(pipeline->axis, stage))
         << "): " << program.numOps << " ops\n";
      printOpCounts(os, program, "    ");
      os << "  collectives: " << program.collectives.size() << "\n";
      printCommunication(os, program.collectives, mesh, options.batch, "    ",
                         "rank per micro-batch");
      os << "  transfers: " << program.transfers.size() << "\n";
      printCommunication(os, program.transfers, mesh, options.batch, "    ",
                         "rank per micro-batch");
    }
  }

  // (d) Memory per rank: weights from the manifest (for a pipeline, those
  // of the rank's stage: it maps the weights file but touches only its
  // stage's), inputs and outputs from the per-rank signature.
  int64_t replicated = 0, shard = 0;
  llvm::StringMap<int64_t> weightBytes;
  if (const llvm::json::Array *weights = root->getArray(abi::kKeyWeights))
    for (const llvm::json::Value &weight : *weights) {
      const llvm::json::Object *object = weight.getAsObject();
      if (!object)
        continue;
      int64_t nbytes = object->getInteger(abi::kKeyNBytes).value_or(0);
      weightBytes[object->getString(abi::kKeyName).value_or("")] = nbytes;
      if (object->getBoolean(abi::kKeyPerRank).value_or(false))
        shard += nbytes;
      else
        replicated += nbytes;
    }
  ByteSize inputs, outputs;
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
    ByteSize bytes = tensorBytes(entry.getArgument(i).getType());
    inputs.perUnit = addBytes(inputs.perUnit, bytes.perUnit);
    inputs.batchPower = std::max(inputs.batchPower, bytes.batchPower);
  }
  for (Type type : entry.getResultTypes()) {
    ByteSize bytes = tensorBytes(type);
    outputs.perUnit = addBytes(outputs.perUnit, bytes.perUnit);
    outputs.batchPower = std::max(outputs.batchPower, bytes.batchPower);
  }
  const llvm::json::Array *rankFiles =
      root->getArray(abi::kKeyRankWeightsFiles);
  os << "memory per rank:\n";
  for (int64_t rank = 0; rank < worldSize; ++rank) {
    if (pipeline) {
      int64_t stage = mesh.coordinate(rank, pipeline->axis);
      os << "  rank " << rank << " (stage " << stage << "): weights "
         << getStageWeightBytes(*pipeline, stage, weightBytes)
         << " B of the " << replicated + shard << " B in the artifact";
    } else {
      os << "  rank " << rank << ": weights " << replicated + shard
         << " B (replicated " << replicated << " B";
      if (rankFiles && rank < int64_t(rankFiles->size())) {
        std::optional<StringRef> file = (*rankFiles)[rank].getAsString();
        os << " + shard " << shard << " B in " << file.value_or("?");
      }
      os << ")";
    }
    // In a pipeline, only the last stage holds the outputs.
    bool holdsOutputs =
        !pipeline ||
        mesh.coordinate(rank, pipeline->axis) + 1 == pipeline->numStages();
    os << ", inputs " << formatBytes(inputs, options.batch) << ", outputs "
       << (holdsOutputs ? formatBytes(outputs, options.batch) : "none") << "\n";
  }

  if (options.dotPath.empty())
    return ExitSuccess;
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> dot =
      openOutputFile(options.dotPath, &error);
  if (!dot)
    return fail(error);
  writeDot(dot->os(), entry, mesh, pipeline);
  dot->keep();
  return ExitSuccess;
}
