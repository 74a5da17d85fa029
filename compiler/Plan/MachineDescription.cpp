//===- MachineDescription.cpp - Reading and writing machine descriptions --===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The YAML format of docs/design/machine-descriptions.md, read and written
// with LLVM's YAML I/O. Every number is mapped through a `NumberField` that
// knows its path in the document (e.g. `device.memory`), its unit kind and
// its valid range, so that an error is located at the offending value and
// names the field.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/MachineDescription.h"
#include "compiler/Plan/MachinePresets.h"
#include "compiler/Plan/Quantity.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace exaforge;
using namespace exaforge::plan;

namespace {
/// The element types a peak may be given for.
constexpr llvm::StringRef kElementTypes[] = {"f32", "tf32", "bf16", "f16",
                                             "f64"};

/// What a number field holds, which decides its syntax and range.
enum class NumberKind {
  /// A whole number, at least 1 (nodes, devices, cores).
  Count,
  /// A fraction in (0, 1].
  Fraction,
  /// A quantity with a unit, positive.
  Quantity,
  /// A quantity with a unit, zero or positive (latencies).
  NonNegativeQuantity,
};

/// One number of the document while it is read or written.
struct NumberField {
  /// The field's path, e.g. "device.memory", for messages.
  std::string path;
  NumberKind kind = NumberKind::Count;
  /// The unit kind of a quantity.
  QuantityKind unit = QuantityKind::Bytes;
  /// The value in SI base units.
  double value = 0;
  /// Set when the document has the field.
  bool present = false;
  /// When not empty, the field is rejected with this message (unknown keys
  /// of `peak_flops`).
  std::string rejection;
  /// Storage for the message YAML I/O reports.
  std::string error;
};

/// What reading a document found besides YAML errors.
struct ReadState {
  /// The first semantic error (a missing field): where, and the message.
  /// These are reported after YAML I/O's own errors, so that a misspelled
  /// key is reported as unknown rather than the field as missing.
  const char *errorPosition = nullptr;
  std::string error;
};

/// The `device` mapping, read into the description's device.
struct DeviceField {
  DeviceDescription *device;
  /// Set when the document has the mapping.
  bool present = false;
};

/// The `device.peak_flops` mapping.
struct PeakFlopsField {
  llvm::StringMap<double> *peaks;
};

/// An `intra_node` or `inter_node` mapping.
struct LinkField {
  LinkDescription *link;
  /// "intra_node" or "inter_node".
  llvm::StringRef name;
  /// Set when the document has the mapping.
  bool present = false;
};

/// Records `message` at the current node of the document being read, unless
/// an error was recorded already.
void reportError(llvm::yaml::IO &io, const llvm::Twine &message) {
  auto *state = static_cast<ReadState *>(io.getContext());
  if (io.outputting() || !state || !state->error.empty())
    return;
  const llvm::yaml::Node *node =
      static_cast<llvm::yaml::Input &>(io).getCurrentNode();
  state->errorPosition =
      node ? node->getSourceRange().Start.getPointer() : nullptr;
  state->error = message.str();
}

/// True when `text` holds nothing but blank lines, comments and document
/// markers.
bool isBlankDocument(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  return llvm::all_of(lines, [](llvm::StringRef line) {
    line = line.trim();
    return line.empty() || line.starts_with("#") || line == "---" ||
           line == "...";
  });
}

/// The deepest nesting a machine description may have. A description is
/// three levels deep; LLVM's YAML scanner recurses once per level, so a
/// document nested 100,000 deep would overflow the stack.
constexpr unsigned kMaxYamlNesting = 64;

/// The line (from 1) of the first place where `text` nests deeper than
/// `kMaxYamlNesting`, or 0. Flow collections (`[`, `{`) count one level
/// each; a block line counts one level per indentation step, taken as its
/// indentation plus its leading `- `/`? ` indicators (each at least one
/// column). Quoted scalars and comments are skipped.
unsigned findExcessiveNesting(llvm::StringRef text) {
  unsigned line = 1, flowDepth = 0;
  bool atLineStart = true;
  unsigned blockColumn = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      atLineStart = true;
      blockColumn = 0;
      continue;
    }
    if (quote) {
      if (quote == '"' && c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (atLineStart) {
      // Indentation and block indicators: the block nesting of this line.
      bool indicator = (c == '-' || c == '?') && i + 1 < text.size() &&
                       (text[i + 1] == ' ' || text[i + 1] == '\n');
      if (c == ' ' || indicator) {
        if (++blockColumn > 4 * kMaxYamlNesting)
          return line;
        continue;
      }
      atLineStart = false;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t'))
      i = std::min(text.find('\n', i), text.size()) - 1;
    else if ((c == '"' || c == '\'') &&
             (i == 0 || llvm::StringRef(" \t[{,:").contains(text[i - 1])))
      quote = c;
    else if ((c == '[' || c == '{') && ++flowDepth > kMaxYamlNesting)
      return line;
    else if ((c == ']' || c == '}') && flowDepth > 0)
      --flowDepth;
  }
  return 0;
}

/// The message of an absent required field.
std::string describeMissing(const NumberField &field) {
  switch (field.kind) {
  case NumberKind::Count:
    return field.path + ": missing (a whole number, at least 1)";
  case NumberKind::Fraction:
    return field.path + ": missing (a fraction between 0 and 1)";
  case NumberKind::Quantity:
  case NumberKind::NonNegativeQuantity:
    return field.path + ": missing (" + describeQuantityKind(field.unit).str() +
           ")";
  }
  return field.path + ": missing";
}

/// Maps the number `key` of the current mapping onto `value`. An absent
/// field is an error unless `optional`, in which case `value` is kept.
void mapNumber(llvm::yaml::IO &io, const char *key, llvm::StringRef prefix,
               NumberKind kind, QuantityKind unit, double &value,
               bool optional = false) {
  NumberField field;
  field.path = prefix.empty() ? std::string(key) : (prefix + "." + key).str();
  field.kind = kind;
  field.unit = unit;
  field.value = value;
  io.mapOptional(key, field);
  if (io.outputting())
    return;
  if (field.present)
    value = field.value;
  else if (!optional)
    reportError(io, describeMissing(field));
}

/// Maps a count (nodes, devices, cores) stored as int64_t.
void mapCount(llvm::yaml::IO &io, const char *key, int64_t &count) {
  double value = static_cast<double>(count);
  mapNumber(io, key, "", NumberKind::Count, QuantityKind::Bytes, value);
  count = static_cast<int64_t>(value);
}
} // namespace

namespace llvm::yaml {
template <> struct ScalarTraits<NumberField> {
  static void output(const NumberField &field, void *, raw_ostream &os) {
    if (field.kind == NumberKind::Count || field.kind == NumberKind::Fraction)
      os << llvm::format("%.7g", field.value);
    else
      os << formatQuantity(field.value, field.unit);
  }

  static StringRef input(StringRef text, void *, NumberField &field) {
    field.present = true;
    if (!field.rejection.empty())
      return field.rejection;
    auto fail = [&](const Twine &message) -> StringRef {
      field.error = (field.path + ": " + message).str();
      return field.error;
    };
    switch (field.kind) {
    case NumberKind::Count: {
      int64_t count = 0;
      if (text.trim().getAsInteger(10, count))
        return fail("'" + text + "' is not a whole number");
      if (count < 1)
        return fail("must be at least 1, got " + Twine(count));
      field.value = static_cast<double>(count);
      return {};
    }
    case NumberKind::Fraction: {
      double fraction = 0;
      if (text.trim().getAsDouble(fraction))
        return fail("'" + text + "' is not a number");
      if (!(fraction > 0 && fraction <= 1))
        return fail("must be in (0, 1], got " + text);
      field.value = fraction;
      return {};
    }
    case NumberKind::Quantity:
    case NumberKind::NonNegativeQuantity: {
      std::string error;
      mlir::FailureOr<double> value = parseQuantity(text, field.unit, error);
      if (mlir::failed(value))
        return fail(error);
      if (field.kind == NumberKind::Quantity && !(*value > 0))
        return fail("'" + text + "' must be positive");
      if (*value < 0)
        return fail("'" + text + "' must not be negative");
      field.value = *value;
      return {};
    }
    }
    return {};
  }

  /// Numbers and units ("19.5 TFLOP/s") are plain YAML scalars.
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

template <> struct CustomMappingTraits<PeakFlopsField> {
  static void inputOne(IO &io, StringRef key, PeakFlopsField &field) {
    NumberField number;
    number.path = ("device.peak_flops." + key).str();
    number.kind = NumberKind::Quantity;
    number.unit = QuantityKind::FlopsPerSecond;
    if (!llvm::is_contained(kElementTypes, key))
      number.rejection =
          ("device.peak_flops: unknown element type '" + key + "' (expected " +
           llvm::join(llvm::ArrayRef(kElementTypes), ", ") + ")")
              .str();
    io.mapRequired(key.str().c_str(), number);
    (*field.peaks)[key] = number.value;
  }

  static void output(IO &io, PeakFlopsField &field) {
    for (StringRef type : kElementTypes) {
      auto it = field.peaks->find(type);
      if (it == field.peaks->end())
        continue;
      NumberField number;
      number.kind = NumberKind::Quantity;
      number.unit = QuantityKind::FlopsPerSecond;
      number.value = it->second;
      io.mapRequired(type.str().c_str(), number);
    }
  }
};

template <> struct MappingTraits<DeviceField> {
  static void mapping(IO &io, DeviceField &field) {
    field.present = true;
    DeviceDescription &device = *field.device;
    io.mapOptional("model", device.model);
    io.mapOptional("cuda_arch", device.cudaArch, std::string());
    if (!io.outputting() && !device.cudaArch.empty() &&
        (!llvm::StringRef(device.cudaArch).starts_with("sm_") ||
         device.cudaArch.size() < 5 ||
         !llvm::all_of(llvm::StringRef(device.cudaArch).drop_front(3),
                       llvm::isDigit)))
      reportError(io, "device.cuda_arch: '" + device.cudaArch +
                          "' is not an NVIDIA GPU architecture such as sm_80 "
                          "or sm_90");
    PeakFlopsField peaks{&device.peakFlopsPerSecond};
    io.mapRequired("peak_flops", peaks);
    if (!io.outputting() && !device.peakFlopsPerSecond.count("f32"))
      reportError(io, "device.peak_flops: missing 'f32' (the peak for float32, "
                      "e.g. 'f32: 19.5 TFLOP/s')");
    mapNumber(io, "matmul_efficiency", "device", NumberKind::Fraction,
              QuantityKind::Bytes, device.matmulEfficiency,
              /*optional=*/true);
    mapNumber(io, "memory", "device", NumberKind::Quantity, QuantityKind::Bytes,
              device.memoryBytes);
    mapNumber(io, "memory_bandwidth", "device", NumberKind::Quantity,
              QuantityKind::BytesPerSecond, device.memoryBandwidth);
  }
};

template <> struct MappingTraits<LinkField> {
  static void mapping(IO &io, LinkField &field) {
    field.present = true;
    mapNumber(io, "bandwidth", field.name, NumberKind::Quantity,
              QuantityKind::BytesPerSecond, field.link->bandwidth);
    mapNumber(io, "latency", field.name, NumberKind::NonNegativeQuantity,
              QuantityKind::Seconds, field.link->latency);
  }
};

template <> struct MappingTraits<MachineDescription> {
  static void mapping(IO &io, MachineDescription &machine) {
    std::optional<std::string> name;
    if (io.outputting())
      name = machine.name;
    io.mapOptional("name", name);
    if (!io.outputting() && (!name || name->empty()))
      reportError(io, "name: missing (the machine's name)");
    else if (!io.outputting())
      machine.name = *name;
    io.mapOptional("source", machine.source);
    mapCount(io, "nodes", machine.nodes);
    mapCount(io, "devices_per_node", machine.devicesPerNode);
    mapCount(io, "cpu_cores_per_node", machine.cpuCoresPerNode);
    DeviceField device{&machine.device};
    io.mapOptional("device", device);
    if (!io.outputting() && !device.present)
      reportError(io, "device: missing (a mapping with the accelerator's "
                      "peak_flops, memory and memory_bandwidth)");
    LinkField intra{&machine.intraNode, "intra_node"};
    io.mapOptional("intra_node", intra);
    if (!io.outputting() && !intra.present)
      reportError(io, "intra_node: missing (a mapping with the bandwidth and "
                      "latency between two devices of a node)");
    // A one-node machine has no network: the writer leaves it out.
    if (io.outputting() && machine.nodes == 1)
      return;
    LinkField inter{&machine.interNode, "inter_node"};
    io.mapOptional("inter_node", inter);
    if (io.outputting() || inter.present)
      return;
    if (machine.nodes > 1)
      return reportError(io, "inter_node: missing (the network between nodes; "
                             "required when nodes is more than 1)");
    // One node: no network; the field is never used, keep it meaningful.
    machine.interNode = machine.intraNode;
  }
};
} // namespace llvm::yaml

llvm::ArrayRef<llvm::StringRef> exaforge::plan::getMachineElementTypes() {
  return kElementTypes;
}

mlir::FailureOr<MachineDescription>
exaforge::plan::parseMachineDescription(llvm::StringRef text,
                                        llvm::StringRef bufferName,
                                        mlir::MLIRContext &context) {
  bool failedToRead = false;
  auto report = [&](const llvm::SMDiagnostic &diagnostic) {
    failedToRead = true;
    unsigned line = std::max(diagnostic.getLineNo(), 0);
    unsigned column = std::max(diagnostic.getColumnNo(), 0) + 1;
    mlir::emitError(mlir::FileLineColLoc::get(&context, bufferName, line,
                                              line ? column : 0))
        << diagnostic.getMessage();
  };
  if (isBlankDocument(text)) {
    mlir::emitError(mlir::FileLineColLoc::get(&context, bufferName, 0, 0))
        << "empty machine description (see "
           "docs/design/machine-descriptions.md)";
    return mlir::failure();
  }
  if (unsigned line = findExcessiveNesting(text)) {
    mlir::emitError(mlir::FileLineColLoc::get(&context, bufferName, line, 0))
        << "the machine description nests deeper than " << kMaxYamlNesting
        << " levels";
    return mlir::failure();
  }
  using Report = decltype(report);
  ReadState state;
  MachineDescription machine;
  llvm::yaml::Input input(
      llvm::MemoryBufferRef(text, bufferName), &state,
      [](const llvm::SMDiagnostic &diagnostic, void *handler) {
        (*static_cast<Report *>(handler))(diagnostic);
      },
      &report);
  input >> machine;
  if (failedToRead || input.error())
    return mlir::failure();
  if (!state.error.empty()) {
    // The line and column of the position in `text`.
    unsigned line = 0, column = 0;
    if (state.errorPosition && state.errorPosition >= text.begin() &&
        state.errorPosition <= text.end()) {
      llvm::StringRef before =
          text.take_front(state.errorPosition - text.begin());
      line = before.count('\n') + 1;
      column = before.size() - (before.rfind('\n') + 1) + 1;
    }
    mlir::emitError(
        mlir::FileLineColLoc::get(&context, bufferName, line, column))
        << state.error;
    return mlir::failure();
  }
  return machine;
}

mlir::FailureOr<MachineDescription>
exaforge::plan::loadMachineDescription(llvm::StringRef presetOrPath,
                                       mlir::MLIRContext &context) {
  if (std::optional<llvm::StringRef> preset = findMachinePreset(presetOrPath))
    return parseMachineDescription(*preset, (presetOrPath + ".yaml").str(),
                                   context);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(presetOrPath, /*IsText=*/true);
  if (!file) {
    std::string names;
    for (const MachinePreset &known : getMachinePresets())
      names += (names.empty() ? "" : ", ") + known.name.str();
    mlir::emitError(mlir::FileLineColLoc::get(&context, presetOrPath, 0, 0))
        << "cannot read the machine description: " << file.getError().message()
        << " (nor is it a preset: " << names << ")";
    return mlir::failure();
  }
  return parseMachineDescription((*file)->getBuffer(), presetOrPath, context);
}

void exaforge::plan::writeMachineDescription(const MachineDescription &machine,
                                             llvm::raw_ostream &os) {
  llvm::yaml::Output output(os);
  MachineDescription copy = machine;
  output << copy;
}
