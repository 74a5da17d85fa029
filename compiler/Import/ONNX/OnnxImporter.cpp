//===- OnnxImporter.cpp - ONNX model importer -----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Loads an ONNX model (binary or textual), converts its tensors, and walks
// the main graph in order, dispatching each node to the builder the registry
// picks for the model's opset of the node's domain (a model may import only
// other domains than the default one). Also implements `NodeContext` and
// the registry.
//
// Memory: a compile holds a model's weights once. The binary model is parsed
// from the file through a small buffer (not mapped whole), so the parsed
// `ModelProto` is the only copy of the tensors. The raw data of a large
// main-graph initializer then moves into its `dense_resource` blob (the
// protobuf string is taken over, not copied); external data is read
// straight into the blob; typed fields and Constant attributes are copied
// once. Small tensors become `DenseElementsAttr`s. A shapes-only import
// copies no large tensor and opens no external data file: those tensors
// become elided `dense_resource` attributes.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OnnxImporter.h"
#include "compiler/Import/ONNX/ImportFolding.h"
#include "compiler/Import/ONNX/OpImporters.h"
#include "compiler/Import/ONNX/OpsetUpgrade.h"

#include "dialects/Graph/ElidedElements.h"
#include "dialects/Graph/GraphDialect.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <onnx/defs/parser.h>

#include <climits>
#include <cstring>
#include <exception>
#include <unistd.h>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

std::string onnx_import::getOnnxTypeName(int32_t onnxType) {
  if (!onnx::TensorProto_DataType_IsValid(onnxType))
    return "<" + std::to_string(onnxType) + ">";
  return onnx::TensorProto_DataType_Name(
      static_cast<onnx::TensorProto_DataType>(onnxType));
}

Type onnx_import::getElementTypeOrNull(MLIRContext *ctx, int32_t onnxType) {
  Builder b(ctx);
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return Type();
  }
}

FailureOr<Type> onnx_import::convertElementType(MLIRContext *ctx,
                                                int32_t onnxType,
                                                StringRef valueName,
                                                Location loc) {
  if (Type type = getElementTypeOrNull(ctx, onnxType))
    return type;
  return emitError(loc) << "unsupported element type '"
                        << getOnnxTypeName(onnxType) << "' for value '"
                        << valueName << "'";
}

/// Bytes per element of `type` as stored in ONNX tensors and in resource
/// blobs (booleans take one byte).
static int64_t getStorageBytes(Type type) {
  if (type.isInteger(1))
    return 1;
  return type.getIntOrFloatBitWidth() / 8;
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

/// Turns `name` into a resource key: letters, digits, `_` and `.` are kept,
/// everything else becomes `_`.
static std::string sanitizeResourceName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out.front()) || out.front() == '.')
    out.insert(out.begin(), '_');
  return out;
}

namespace {
/// Where the external data of a tensor lies.
struct ExternalDataRef {
  /// The data file: the tensor's `location` under the model directory.
  SmallString<256> path;
  /// Byte offset of the data in the file.
  int64_t offset = 0;
  /// Byte length of the data.
  int64_t size = 0;
};
} // namespace

/// Parses the external data entries of `tensor` (`expectedBytes` long): the
/// location must be a relative path inside the model directory and the
/// length, when given, `expectedBytes`. Does not touch the file.
static FailureOr<ExternalDataRef>
getExternalDataRef(const onnx::TensorProto &tensor, StringRef tensorName,
                   int64_t expectedBytes, Location loc,
                   const TensorImportEnv &env) {
  std::string location;
  int64_t offset = 0;
  std::optional<int64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      int64_t value;
      if (StringRef(entry.value()).getAsInteger(10, value) || value < 0)
        return emitError(loc) << "external data of tensor '" << tensorName
                              << "' has an invalid '" << entry.key()
                              << "' value '" << entry.value() << "'";
      if (entry.key() == "offset")
        offset = value;
      else
        length = value;
    }
  }
  if (location.empty())
    return emitError(loc) << "external data of tensor '" << tensorName
                          << "' has no 'location'";
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::has_root_name(location))
    return emitError(loc) << "external data location '" << location
                          << "' of tensor '" << tensorName
                          << "' is an absolute path";
  SmallString<128> normalized(location);
  llvm::sys::path::remove_dots(normalized, /*remove_dot_dot=*/true);
  if (normalized.empty() || *llvm::sys::path::begin(normalized) == "..")
    return emitError(loc) << "external data location '" << location
                          << "' of tensor '" << tensorName
                          << "' is outside the model directory";
  int64_t size = length.value_or(expectedBytes);
  if (size != expectedBytes)
    return emitError(loc) << "external data of tensor '" << tensorName
                          << "' has " << size << " bytes, expected "
                          << expectedBytes;
  ExternalDataRef ref;
  ref.path = env.modelDir;
  llvm::sys::path::append(ref.path, normalized);
  ref.offset = offset;
  ref.size = size;
  return ref;
}

/// Checks that the external data file `ref` of tensor `tensorName`, with
/// every symbolic link resolved, lies inside the model directory
/// `modelDir` (also resolved): a link such as `weights.bin -> /etc/passwd`
/// inside the model directory is refused, as a `..` location is.
static LogicalResult checkExternalDataContainment(const ExternalDataRef &ref,
                                                  StringRef tensorName,
                                                  StringRef modelDir,
                                                  Location loc) {
  SmallString<256> realFile, realDir;
  if (std::error_code ec = llvm::sys::fs::real_path(ref.path, realFile))
    return emitError(loc) << "cannot read external data file '" << ref.path
                          << "' of tensor '" << tensorName
                          << "': " << ec.message();
  if (std::error_code ec = llvm::sys::fs::real_path(
          modelDir.empty() ? StringRef(".") : modelDir, realDir))
    return emitError(loc) << "cannot resolve the model directory '"
                          << modelDir << "': " << ec.message();
  // Inside means below `realDir`, component by component.
  auto fileIt = llvm::sys::path::begin(realFile);
  auto fileEnd = llvm::sys::path::end(realFile);
  for (auto dirIt = llvm::sys::path::begin(realDir),
            dirEnd = llvm::sys::path::end(realDir);
       dirIt != dirEnd; ++dirIt, ++fileIt)
    if (fileIt == fileEnd || *fileIt != *dirIt)
      return emitError(loc) << "external data file '" << ref.path
                            << "' of tensor '" << tensorName
                            << "' resolves to '" << realFile
                            << "', outside the model directory";
  return success();
}

/// Checks that the external data file of `ref` holds the `ref.size` bytes
/// at `ref.offset` that tensor `tensorName` needs.
static LogicalResult checkExternalDataSize(const ExternalDataRef &ref,
                                           StringRef tensorName,
                                           Location loc) {
  uint64_t fileSize;
  if (std::error_code ec = llvm::sys::fs::file_size(ref.path, fileSize))
    return emitError(loc) << "cannot read external data file '" << ref.path
                          << "' of tensor '" << tensorName
                          << "': " << ec.message();
  if (static_cast<uint64_t>(ref.offset) > fileSize ||
      fileSize - ref.offset < static_cast<uint64_t>(ref.size))
    return emitError(loc) << "external data file '" << ref.path
                          << "' of tensor '" << tensorName << "' is too short ("
                          << fileSize << " bytes, need " << ref.size
                          << " at offset " << ref.offset << ")";
  return success();
}

/// Reads the external data `ref` of tensor `tensorName` into `dest` (of
/// `ref.size` bytes), with positioned reads: the file is neither mapped nor
/// buffered, so the tensor's bytes exist once, in `dest`.
static LogicalResult readExternalData(const ExternalDataRef &ref,
                                      StringRef tensorName, Location loc,
                                      MutableArrayRef<char> dest) {
  if (dest.empty())
    return success();
  auto fail = [&](const std::string &message) {
    return emitError(loc) << "cannot read external data file '" << ref.path
                          << "' of tensor '" << tensorName
                          << "': " << message;
  };
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(ref.path);
  if (!file)
    return fail(llvm::toString(file.takeError()));
  llvm::scope_exit closeFile([&] { llvm::sys::fs::closeFile(*file); });
  size_t done = 0;
  while (done < dest.size()) {
    llvm::Expected<size_t> read = llvm::sys::fs::readNativeFileSlice(
        *file, dest.drop_front(done), ref.offset + done);
    if (!read)
      return fail(llvm::toString(read.takeError()));
    if (*read == 0)
      return fail("the file ended early");
    done += *read;
  }
  return success();
}

/// Appends the low `width` bytes of `value` (little-endian) to `bytes`.
template <typename T>
static void appendBytes(std::vector<char> &bytes, T value, int64_t width) {
  const char *p = reinterpret_cast<const char *>(&value);
  bytes.insert(bytes.end(), p, p + width);
}

FailureOr<int64_t> onnx_import::checkConstantSize(StringRef tensorName,
                                                  ArrayRef<int64_t> shape,
                                                  int64_t elementBytes,
                                                  Location loc,
                                                  const TensorImportEnv &env) {
  int64_t numElements = 1, numBytes;
  for (int64_t dim : shape)
    if (dim < 0 || llvm::MulOverflow(numElements, dim, numElements))
      return emitError(loc) << "tensor '" << tensorName
                            << "' has more elements than fit in 64 bits";
  if (llvm::MulOverflow(numElements, elementBytes, numBytes) ||
      numBytes > env.maxConstantBytes)
    return emitError(loc) << "tensor '" << tensorName << "' has "
                          << numElements << " elements of " << elementBytes
                          << " bytes, above the limit of "
                          << env.maxConstantBytes
                          << " bytes for a constant (--max-constant-bytes)";
  return numBytes;
}

int64_t exaforge::getDefaultMaxConstantBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return int64_t(1) << 32;
  return static_cast<int64_t>(pages) / 2 * pageSize;
}

/// The blob that takes over `raw` (the raw data of a tensor, moved out of
/// its protobuf message): it frees the string when the blob dies. Null when
/// the string's storage is not 16-byte aligned (heap allocations are; a
/// short string stored inline may not be), and then `raw` is left as is.
static std::optional<AsmResourceBlob> takeRawData(std::string &raw) {
  if (!llvm::isAddrAligned(llvm::Align(16), raw.data()))
    return std::nullopt;
  auto *owned = new std::string(std::move(raw));
  return AsmResourceBlob(
      ArrayRef<char>(owned->data(), owned->size()), /*dataAlignment=*/16,
      [owned](void *, size_t, size_t) { delete owned; },
      /*dataIsMutable=*/true);
}

/// Converts `tensor` as `convertTensorProto` does. With `movableRaw` (the
/// raw data field of `tensor` itself), the raw data of a large tensor moves
/// into its blob instead of being copied.
static FailureOr<ElementsAttr>
convertTensor(MLIRContext *ctx, const onnx::TensorProto &tensor,
              std::string *movableRaw, StringRef tensorName, Location loc,
              const TensorImportEnv &env) {
  FailureOr<Type> elementType =
      convertElementType(ctx, tensor.data_type(), tensorName, loc);
  if (failed(elementType))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0)
      return emitError(loc) << "tensor '" << tensorName
                            << "' has a negative dimension " << dim;
    shape.push_back(dim);
  }
  int64_t width = getStorageBytes(*elementType);
  // Checked before any of the data is read or allocated.
  FailureOr<int64_t> checkedBytes =
      onnx_import::checkConstantSize(tensorName, shape, width, loc, env);
  if (failed(checkedBytes))
    return failure();
  auto type = RankedTensorType::get(shape, *elementType);
  int64_t expectedBytes = *checkedBytes;
  int64_t numElements = width ? expectedBytes / width : 0;
  bool large = numElements > env.denseElementLimit;
  std::string resourceName = sanitizeResourceName(tensorName);
  // A large tensor's attribute, on the blob that holds its bytes. 16 bytes
  // suit every element type and are what heap buffers guarantee, so
  // bytecode that records this alignment loads from any memory buffer. (The
  // artifact's weight file aligns weights to 64 bytes itself.)
  auto makeResource = [&](AsmResourceBlob blob) {
    return ElementsAttr(
        DenseResourceElementsAttr::get(type, resourceName, std::move(blob)));
  };

  std::vector<char> bytes;
  auto checkCount = [&](int64_t count) -> LogicalResult {
    if (count == numElements)
      return success();
    return emitError(loc) << "tensor '" << tensorName << "' has " << count
                          << " values, expected " << numElements;
  };
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<ExternalDataRef> ref =
        getExternalDataRef(tensor, tensorName, expectedBytes, loc, env);
    if (failed(ref))
      return failure();
    // A shapes-only import never opens the data file.
    if (env.shapesOnly)
      return ElementsAttr(graph::getElidedElementsAttr(type, resourceName));
    if (failed(checkExternalDataContainment(*ref, tensorName, env.modelDir,
                                            loc)) ||
        failed(checkExternalDataSize(*ref, tensorName, loc)))
      return failure();
    if (large) {
      AsmResourceBlob blob =
          HeapAsmResourceBlob::allocate(expectedBytes, /*align=*/16);
      if (failed(readExternalData(*ref, tensorName, loc,
                                  blob.getMutableData())))
        return failure();
      return makeResource(std::move(blob));
    }
    bytes.resize(expectedBytes);
    if (failed(readExternalData(*ref, tensorName, loc, bytes)))
      return failure();
  } else if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != expectedBytes)
      return emitError(loc)
             << "tensor '" << tensorName << "' has " << raw.size()
             << " bytes of raw data, expected " << expectedBytes;
    if (large && env.shapesOnly)
      return ElementsAttr(graph::getElidedElementsAttr(type, resourceName));
    if (large && movableRaw)
      if (std::optional<AsmResourceBlob> blob = takeRawData(*movableRaw))
        return makeResource(std::move(*blob));
    if (large)
      return makeResource(HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(raw.data(), raw.size()), /*align=*/16));
    bytes.assign(raw.begin(), raw.end());
  } else {
    bytes.reserve(expectedBytes);
    switch (tensor.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (failed(checkCount(tensor.float_data_size())))
        return failure();
      for (float v : tensor.float_data())
        appendBytes(bytes, v, width);
      break;
    case onnx::TensorProto::DOUBLE:
      if (failed(checkCount(tensor.double_data_size())))
        return failure();
      for (double v : tensor.double_data())
        appendBytes(bytes, v, width);
      break;
    case onnx::TensorProto::INT64:
      if (failed(checkCount(tensor.int64_data_size())))
        return failure();
      for (int64_t v : tensor.int64_data())
        appendBytes(bytes, v, width);
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
      if (failed(checkCount(tensor.uint64_data_size())))
        return failure();
      for (uint64_t v : tensor.uint64_data())
        appendBytes(bytes, v, width);
      break;
    default:
      // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16 and BFLOAT16 are
      // stored in int32_data (the 16-bit floats as their bit patterns).
      if (failed(checkCount(tensor.int32_data_size())))
        return failure();
      for (int32_t v : tensor.int32_data())
        appendBytes(bytes, v, width);
      break;
    }
  }

  if (large && env.shapesOnly)
    return ElementsAttr(graph::getElidedElementsAttr(type, resourceName));
  if (large)
    return makeResource(HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(bytes.data(), bytes.size()), /*align=*/16));
  if (elementType->isInteger(1)) {
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return ElementsAttr(DenseElementsAttr::get(type, values));
  }
  return ElementsAttr(DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(bytes.data(), bytes.size())));
}

FailureOr<ElementsAttr> onnx_import::convertTensorProto(
    MLIRContext *ctx, const onnx::TensorProto &tensor, StringRef tensorName,
    Location loc, const TensorImportEnv &env) {
  return convertTensor(ctx, tensor, /*movableRaw=*/nullptr, tensorName, loc,
                       env);
}

FailureOr<ElementsAttr>
onnx_import::takeTensorProto(MLIRContext *ctx, onnx::TensorProto &tensor,
                             StringRef tensorName, Location loc,
                             const TensorImportEnv &env) {
  return convertTensor(
      ctx, tensor, tensor.has_raw_data() ? tensor.mutable_raw_data() : nullptr,
      tensorName, loc, env);
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

InFlightDiagnostic NodeContext::emitError() {
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << getOpType() << " (opset " << opset << "): ";
  return diag;
}

LogicalResult NodeContext::reportInferenceFailure() {
  return emitError() << "invalid operands or attributes";
}

LogicalResult NodeContext::checkInputs(unsigned min, unsigned max) {
  if (inputs.size() < min || inputs.size() > max) {
    InFlightDiagnostic diag = emitError() << "expected ";
    if (min == max)
      diag << min;
    else
      diag << min << " to " << max;
    return diag << " inputs, got " << inputs.size();
  }
  for (unsigned i = 0; i < min; ++i)
    if (!inputs[i])
      return emitError() << "required input #" << i << " is empty";
  return success();
}

LogicalResult NodeContext::checkOutputsUnused(unsigned first, StringRef what) {
  for (unsigned i = first, e = getNumOutputs(); i < e; ++i)
    if (isOutputUsed(i))
      return emitError() << "output #" << i << " ('" << node.output(i)
                         << "') is used, but " << what;
  return success();
}

/// The integer attributes that ONNX defines as flags, 0 or 1, in every op
/// that has them. Any other value is refused: readers disagree on it
/// (onnxruntime takes a `keepdims` of 2 as 0, the importers took it as 1).
static bool isFlagAttribute(StringRef name) {
  static constexpr llvm::StringLiteral flags[] = {
      "align_corners", "allowzero", "antialias", "ceil_mode",
      "count_include_pad", "detect_negative", "detect_positive",
      "exclude_outside", "exclusive", "fmod", "input_forget", "inverse",
      "keepdims", "largest", "linear_before_reset", "noop_with_empty_axes",
      "onesided", "periodic", "reverse", "select_last_index", "sorted",
      "training_mode", "transA", "transB", "upper"};
  return llvm::is_contained(flags, name);
}

LogicalResult NodeContext::checkAttributes(ArrayRef<KnownAttr> known) {
  for (const onnx::AttributeProto &attr : node.attribute()) {
    const KnownAttr *match = llvm::find_if(
        known, [&](const KnownAttr &k) { return k.name == attr.name(); });
    if (match == known.end())
      return emitError() << "unsupported attribute '" << attr.name() << "'";
    if (!attr.ref_attr_name().empty())
      return emitError() << "attribute '" << attr.name()
                         << "' refers to a function attribute";
    // Older producers leave `type` unset; accept any matching payload then.
    if (attr.type() != onnx::AttributeProto::UNDEFINED &&
        attr.type() != match->kind)
      return emitError()
             << "attribute '" << attr.name() << "' has type "
             << onnx::AttributeProto::AttributeType_Name(attr.type())
             << ", expected "
             << onnx::AttributeProto::AttributeType_Name(match->kind);
    if (match->kind == onnx::AttributeProto::INT &&
        isFlagAttribute(attr.name()) && attr.i() != 0 && attr.i() != 1)
      return emitError() << "attribute '" << attr.name()
                         << "' must be 0 or 1, got " << attr.i();
  }
  return success();
}

const onnx::AttributeProto *NodeContext::getAttr(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t dflt) const {
  return getOptionalInt(name).value_or(dflt);
}

std::optional<int64_t> NodeContext::getOptionalInt(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return attr->i();
  return std::nullopt;
}

float NodeContext::getFloat(StringRef name, float dflt) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return attr->f();
  return dflt;
}

std::string NodeContext::getString(StringRef name, StringRef dflt) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return attr->s();
  return dflt.str();
}

std::optional<SmallVector<int64_t>> NodeContext::getInts(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
  return std::nullopt;
}

const onnx::GraphProto *NodeContext::getGraph(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    if (attr->has_g())
      return &attr->g();
  return nullptr;
}

FailureOr<SmallVector<Value>>
NodeContext::importSubgraph(const onnx::GraphProto &graph, StringRef attrName,
                            ValueRange inputs) {
  if (!subgraphImporter)
    return emitError() << "subgraph '" << attrName
                       << "' cannot be imported here";
  if (graph.input_size() != static_cast<int>(inputs.size()))
    return emitError() << "subgraph '" << attrName << "' has "
                       << graph.input_size() << " inputs, expected "
                       << inputs.size();
  return subgraphImporter->importSubgraph(graph, inputs);
}

Value NodeContext::createI64Constant(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    builder.getI64Type());
  return graph::ConstantOp::create(builder, loc,
                                   DenseIntElementsAttr::get(type, values));
}

FailureOr<Value>
NodeContext::createTensorConstant(const onnx::TensorProto &tensor,
                                  StringRef name) {
  FailureOr<ElementsAttr> attr =
      convertTensorProto(getContext(), tensor, name, loc, env);
  if (failed(attr))
    return failure();
  return Value(graph::ConstantOp::create(builder, loc, *attr));
}

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

void OpImporterRegistry::add(StringRef opType, int64_t sinceVersion,
                             OpImportFn fn, StringRef domain) {
  auto &list = entries[domain][opType];
  list.push_back({sinceVersion, fn});
  llvm::sort(list, [](const OpImporterEntry &a, const OpImporterEntry &b) {
    return a.sinceVersion < b.sinceVersion;
  });
}

const SmallVector<OpImporterEntry, 2> *
OpImporterRegistry::findEntries(StringRef opType, StringRef domain) const {
  auto domainIt = entries.find(domain);
  if (domainIt == entries.end())
    return nullptr;
  auto it = domainIt->second.find(opType);
  if (it == domainIt->second.end() || it->second.empty())
    return nullptr;
  return &it->second;
}

const OpImporterEntry *OpImporterRegistry::lookup(StringRef opType,
                                                  int64_t opset,
                                                  StringRef domain) const {
  const SmallVector<OpImporterEntry, 2> *list = findEntries(opType, domain);
  if (!list)
    return nullptr;
  const OpImporterEntry *best = nullptr;
  for (const OpImporterEntry &entry : *list)
    if (entry.sinceVersion <= opset)
      best = &entry;
  return best;
}

int64_t OpImporterRegistry::getFirstVersion(StringRef opType,
                                            StringRef domain) const {
  const SmallVector<OpImporterEntry, 2> *list = findEntries(opType, domain);
  return list ? list->front().sinceVersion : 0;
}

const OpImporterRegistry &OpImporterRegistry::get() {
  static const OpImporterRegistry registry = [] {
    OpImporterRegistry r;
    registerOpImportersAtoF(r);
    registerOpImportersGtoP(r);
    registerOpImportersQtoZ(r);
    registerOpImportersDynamic(r);
    registerOpImportersSampling(r);
    registerOpImportersSignal(r);
    registerOpImportersRecurrent(r);
    registerOpImportersQuant(r);
    registerOpImportersNN(r);
    registerOpImportersControlFlow(r);
    registerOpImportersIndexing(r);
    registerOpImportersTraining(r);
    registerOpImportersSequence(r);
    return r;
  }();
  return registry;
}

//===----------------------------------------------------------------------===//
// Model loading
//===----------------------------------------------------------------------===//

/// Parses textual ONNX. libonnx is built with exceptions: this TU is too, so
/// a throwing parser becomes an error instead of a crash.
static LogicalResult parseTextModel(const char *text, onnx::ModelProto &model,
                                    std::string &error) {
  try {
    onnx::OnnxParser parser(text);
    auto status = parser.Parse(model);
    if (!status.IsOK()) {
      error = status.ErrorMessage();
      return failure();
    }
    return success();
  } catch (const std::exception &e) {
    error = e.what();
    return failure();
  }
}

/// Parses the binary `ModelProto` at `path` (`size` bytes) through a
/// buffer of a few MiB: the file is never mapped or read whole, so while it
/// is parsed the compiler holds the tensors once, in `model`, and not also
/// the file's pages.
static LogicalResult parseBinaryModel(StringRef path, uint64_t size,
                                      Location fileLoc,
                                      onnx::ModelProto &model) {
  if (size > static_cast<uint64_t>(INT_MAX))
    return emitError(fileLoc) << "model file '" << path
                              << "' is larger than 2 GiB; store the "
                                 "weights as external data";
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return emitError(fileLoc) << "cannot open model file '" << path
                              << "': " << llvm::toString(file.takeError());
  llvm::scope_exit closeFile([&] { llvm::sys::fs::closeFile(*file); });
  constexpr int kReadBlockBytes = 4 << 20;
  google::protobuf::io::FileInputStream input(*file, kReadBlockBytes);
  google::protobuf::io::CodedInputStream stream(&input);
  stream.SetTotalBytesLimit(INT_MAX);
  bool parsed =
      model.ParseFromCodedStream(&stream) && stream.ConsumedEntireMessage();
  if (input.GetErrno() != 0)
    return emitError(fileLoc) << "cannot read model file '" << path
                              << "': " << std::strerror(input.GetErrno());
  if (!parsed)
    return emitError(fileLoc) << "cannot parse model file '" << path
                              << "': not a valid ONNX ModelProto (truncated "
                                 "or corrupted)";
  return success();
}

/// Loads the binary or textual model at `path`.
static LogicalResult loadModel(StringRef path, Location fileLoc,
                               onnx::ModelProto &model) {
  if (!path.ends_with(".onnxtext")) {
    uint64_t size;
    if (std::error_code ec = llvm::sys::fs::file_size(path, size))
      return emitError(fileLoc) << "cannot open model file '" << path
                                << "': " << ec.message();
    return parseBinaryModel(path, size, fileLoc, model);
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/true);
  if (!buffer)
    return emitError(fileLoc) << "cannot open model file '" << path
                              << "': " << buffer.getError().message();
  std::string error;
  if (failed(parseTextModel((*buffer)->getBufferStart(), model, error)))
    return emitError(fileLoc)
           << "cannot parse textual ONNX model '" << path << "': " << error;
  return success();
}

//===----------------------------------------------------------------------===//
// Graph import
//===----------------------------------------------------------------------===//

namespace {

/// Imports the main graph of one model, and the subgraphs of its nodes.
class GraphImporter : public SubgraphImporter {
public:
  GraphImporter(MLIRContext &ctx, StringRef path, const OnnxImportOptions &opts)
      : ctx(ctx), builder(&ctx), path(path.str()),
        fileLoc(FileLineColLoc::get(&ctx, path, 0, 0)),
        nodeOpTypes(opts.nodeOpTypes) {
    StringRef dir = llvm::sys::path::parent_path(path);
    env.modelDir = dir.empty() ? "." : dir.str();
    env.denseElementLimit = opts.denseElementLimit;
    env.shapesOnly = opts.shapesOnly;
    env.maxConstantBytes = opts.maxConstantBytes > 0
                               ? opts.maxConstantBytes
                               : getDefaultMaxConstantBytes();
  }

  /// Imports `model` into a new module. The raw data of the main graph's
  /// large initializers moves into the module (see `takeTensorProto`):
  /// `model` is left without it.
  FailureOr<OwningOpRef<ModuleOp>> importModel(onnx::ModelProto &model);

  FailureOr<SmallVector<Value>> importSubgraph(const onnx::GraphProto &graph,
                                               ValueRange inputs) override;

private:
  FailureOr<int64_t> getDefaultOpset(const onnx::ModelProto &model);
  FailureOr<Type>
  convertValueInfo(const onnx::ValueInfoProto &info, StringRef role,
                   SmallVectorImpl<Attribute> &dimParams, bool &symbolic);
  std::optional<ArrayAttr>
  getOutputDimParams(const onnx::ValueInfoProto &output,
                     RankedTensorType computed);
  FailureOr<Value> lookupValue(StringRef name);
  LogicalResult defineValue(StringRef name, Value value, Location loc);
  LogicalResult importNode(const onnx::NodeProto &node, unsigned index);

  MLIRContext &ctx;
  OpBuilder builder;
  std::string path;
  Location fileLoc;
  /// OnnxImportOptions::nodeOpTypes (null: not asked for).
  std::map<std::string, std::string> *nodeOpTypes;
  TensorImportEnv env;
  int64_t opset = 0;
  /// Opsets of every imported domain (default domain under "").
  llvm::StringMap<int64_t> domainOpsets;

  /// Values defined so far: function arguments, created initializers and
  /// node outputs.
  llvm::StringMap<Value> values;
  /// An initializer not yet materialized.
  struct PendingInitializer {
    const onnx::TensorProto *tensor;
    /// `tensor` itself when its data may move into the module (an
    /// initializer of the main graph, which the importer owns); null for
    /// the initializers of subgraphs (read-only node attributes), which are
    /// copied.
    onnx::TensorProto *movable = nullptr;
  };
  /// Initializers not yet materialized.
  llvm::StringMap<PendingInitializer> initializers;
  /// Names consumed by some node or returned by the graph (or a subgraph).
  llvm::StringSet<> usedNames;
  /// The names each subgraph being imported defines, innermost last; they
  /// leave `values` and `initializers` when its import ends.
  SmallVector<SmallVector<std::string>> subgraphScopes;
  /// Inserts initializer constants at the function entry, in order of use.
  OpBuilder constantBuilder{&ctx};
};

} // namespace

FailureOr<int64_t>
GraphImporter::getDefaultOpset(const onnx::ModelProto &model) {
  std::optional<int64_t> version;
  for (const onnx::OperatorSetIdProto &entry : model.opset_import()) {
    std::string domain = entry.domain() == "ai.onnx" ? "" : entry.domain();
    domainOpsets[domain] = entry.version();
    if (domain.empty())
      version = entry.version();
  }
  // A model may import only other domains (the training operators, for
  // one); its default-domain nodes, if any, are then refused one by one.
  if (!version)
    return 0;
  if (*version < kMinSupportedOpset || *version > kMaxSupportedOpset)
    return emitError(fileLoc)
           << "opset " << *version
           << " of the default domain is not supported (supported: "
           << kMinSupportedOpset << " to " << kMaxSupportedOpset << ")";
  return *version;
}

FailureOr<Type> GraphImporter::convertValueInfo(
    const onnx::ValueInfoProto &info, StringRef role,
    SmallVectorImpl<Attribute> &dimParams, bool &symbolic) {
  symbolic = false;
  if (info.has_type() &&
      (info.type().has_sequence_type() || info.type().has_optional_type()))
    return convertSequenceOrOptionalType(&ctx, info.type(), info.name(),
                                         fileLoc);
  if (!info.has_type() || !info.type().has_tensor_type())
    return emitError(fileLoc)
           << role << " '" << info.name() << "' is not a tensor";
  const onnx::TypeProto::Tensor &tensorType = info.type().tensor_type();
  if (tensorType.elem_type() == onnx::TensorProto::UNDEFINED)
    return emitError(fileLoc)
           << role << " '" << info.name() << "' has an unknown element type";
  FailureOr<Type> elementType =
      convertElementType(&ctx, tensorType.elem_type(), info.name(), fileLoc);
  if (failed(elementType))
    return failure();
  if (!tensorType.has_shape())
    return emitError(fileLoc)
           << role << " '" << info.name() << "' has no shape";
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim :
       tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      dimParams.push_back(builder.getStringAttr(""));
    } else {
      shape.push_back(ShapedType::kDynamic);
      dimParams.push_back(builder.getStringAttr(dim.dim_param()));
      symbolic |= !dim.dim_param().empty();
    }
  }
  return Type(RankedTensorType::get(shape, *elementType));
}

/// The names a graph output declares for its dimensions that are known only
/// at run time ("batch"), as `graph.dim_params` holds them for inputs: one
/// string per dimension, "" where the computed type has a size or the
/// declaration no name. None when no such dimension has a name, or when the
/// declaration's rank is not the computed one.
std::optional<ArrayAttr>
GraphImporter::getOutputDimParams(const onnx::ValueInfoProto &output,
                                  RankedTensorType computed) {
  if (!computed || !output.has_type() || !output.type().has_tensor_type() ||
      !output.type().tensor_type().has_shape())
    return std::nullopt;
  const onnx::TensorShapeProto &declared = output.type().tensor_type().shape();
  if (declared.dim_size() != computed.getRank())
    return std::nullopt;
  SmallVector<Attribute> names;
  bool named = false;
  for (auto [d, dim] : llvm::enumerate(declared.dim())) {
    StringRef name = computed.isDynamicDim(d) ? StringRef(dim.dim_param()) : "";
    named |= !name.empty();
    names.push_back(builder.getStringAttr(name));
  }
  if (!named)
    return std::nullopt;
  return builder.getArrayAttr(names);
}

FailureOr<Value> GraphImporter::lookupValue(StringRef name) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return failure();
  Location loc = NameLoc::get(builder.getStringAttr(name), fileLoc);
  FailureOr<ElementsAttr> attr =
      init->second.movable
          ? takeTensorProto(&ctx, *init->second.movable, name, fileLoc, env)
          : convertTensorProto(&ctx, *init->second.tensor, name, fileLoc, env);
  if (failed(attr))
    return failure();
  Value value = graph::ConstantOp::create(constantBuilder, loc, *attr);
  initializers.erase(init);
  values[name] = value;
  return value;
}

LogicalResult GraphImporter::defineValue(StringRef name, Value value,
                                         Location loc) {
  if (values.count(name) || initializers.count(name))
    return emitError(loc) << "value '" << name << "' is defined twice";
  values[name] = value;
  if (!subgraphScopes.empty())
    subgraphScopes.back().push_back(name.str());
  return success();
}

FailureOr<SmallVector<Value>>
GraphImporter::importSubgraph(const onnx::GraphProto &graph,
                              ValueRange inputs) {
  subgraphScopes.emplace_back();
  llvm::scope_exit leaveScope([&] {
    for (const std::string &name : subgraphScopes.back()) {
      values.erase(name);
      initializers.erase(name);
    }
    subgraphScopes.pop_back();
  });
  if (graph.sparse_initializer_size() > 0)
    return emitError(fileLoc) << "sparse initializers are not supported";
  // A subgraph's initializers become constants at the function entry, like
  // those of the main graph (they depend on nothing).
  for (const onnx::TensorProto &init : graph.initializer()) {
    if (values.count(init.name()) ||
        !initializers.try_emplace(init.name(), PendingInitializer{&init})
             .second)
      return emitError(fileLoc)
             << "initializer '" << init.name() << "' is defined twice";
    subgraphScopes.back().push_back(init.name());
  }
  for (auto [input, value] : llvm::zip_equal(graph.input(), inputs))
    if (failed(defineValue(input.name(), value, fileLoc)))
      return failure();
  for (auto [i, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, i)))
      return failure();
  SmallVector<Value> outputs;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    FailureOr<Value> value = lookupValue(output.name());
    if (failed(value)) {
      if (!initializers.count(output.name()))
        return emitError(fileLoc) << "output '" << output.name()
                                  << "' of subgraph '" << graph.name()
                                  << "' is not defined";
      return failure();
    }
    outputs.push_back(*value);
  }
  return outputs;
}

/// Adds to `names` every name a node of `graph` or of its subgraphs
/// consumes, and every output of `graph` and of its subgraphs.
static void collectUsedNames(const onnx::GraphProto &graph,
                             llvm::StringSet<> &names) {
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &name : node.input())
      names.insert(name);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectUsedNames(attr.g(), names);
      for (const onnx::GraphProto &subgraph : attr.graphs())
        collectUsedNames(subgraph, names);
    }
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    names.insert(output.name());
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        unsigned index) {
  std::string nodeName = node.name().empty()
                             ? node.op_type() + "_" + std::to_string(index)
                             : node.name();
  Location loc = NameLoc::get(builder.getStringAttr(nodeName), fileLoc);
  if (nodeOpTypes)
    nodeOpTypes->emplace(nodeName, node.op_type());

  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  const OpImporterRegistry &registry = OpImporterRegistry::get();
  auto domainOpset = domainOpsets.find(domain);
  int64_t nodeOpset =
      domainOpset != domainOpsets.end() ? domainOpset->second : 0;
  const OpImporterEntry *entry =
      nodeOpset > 0 ? registry.lookup(node.op_type(), nodeOpset, domain)
                    : nullptr;
  if (!entry) {
    InFlightDiagnostic diag = emitError(loc);
    diag << "unsupported op type '" << node.op_type() << "' (domain '"
         << (domain.empty() ? "ai.onnx" : domain) << "', opset ";
    if (domainOpset != domainOpsets.end())
      diag << nodeOpset;
    else
      diag << "not imported";
    diag << ")";
    if (registry.contains(node.op_type(), domain))
      diag << "; it is supported from opset "
           << registry.getFirstVersion(node.op_type(), domain) << " on";
    return diag;
  }

  SmallVector<Value> inputs;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      inputs.push_back(Value());
      continue;
    }
    FailureOr<Value> value = lookupValue(name);
    if (failed(value)) {
      if (!values.count(name) && !initializers.count(name))
        return emitError(loc)
               << node.op_type() << " (opset " << nodeOpset << "): input '"
               << name
               << "' is not a graph input, an initializer or the output of "
                  "an earlier node";
      return failure();
    }
    inputs.push_back(*value);
  }
  SmallVector<bool> outputUsed;
  for (const std::string &name : node.output())
    outputUsed.push_back(!name.empty() && usedNames.contains(name));

  NodeContext nodeCtx(builder, node, nodeOpset, loc, std::move(inputs),
                      std::move(outputUsed), env);
  nodeCtx.setSubgraphImporter(this);
  // Shape arithmetic on constants folds right away, so that later nodes see
  // its results as constants.
  ImportFolder folder(builder);
  if (failed(checkTensorInputs(nodeCtx)) || failed(entry->fn(nodeCtx)))
    return failure();
  SmallVector<Value> results(nodeCtx.getResults());
  folder.foldRecordedOps(results);

  for (auto [i, name] : llvm::enumerate(node.output())) {
    if (name.empty())
      continue;
    if (i >= results.size() || !results[i]) {
      // Outputs the builder does not produce must be unused.
      if (usedNames.contains(name))
        return nodeCtx.emitError()
               << "output #" << i << " ('" << name << "') is not supported";
      continue;
    }
    if (failed(defineValue(name, results[i], loc)))
      return failure();
  }
  return success();
}

FailureOr<OwningOpRef<ModuleOp>>
GraphImporter::importModel(onnx::ModelProto &model) {
  FailureOr<int64_t> version = getDefaultOpset(model);
  if (failed(version))
    return failure();
  opset = *version;
  const onnx::GraphProto &graph = model.graph();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  module->getOperation()->setAttr("graph.name",
                                  builder.getStringAttr(graph.name()));
  if (opset > 0)
    module->getOperation()->setAttr("graph.opset",
                                    builder.getI64IntegerAttr(opset));
  module->getOperation()->setAttr(
      "graph.producer",
      builder.getStringAttr(model.producer_name() +
                            (model.producer_version().empty()
                                 ? ""
                                 : " " + model.producer_version())));

  for (onnx::TensorProto &init : *model.mutable_graph()->mutable_initializer()) {
    if (init.name().empty())
      return emitError(fileLoc) << "graph has an initializer without a name";
    if (!initializers.try_emplace(init.name(), PendingInitializer{&init, &init})
             .second)
      return emitError(fileLoc)
             << "initializer '" << init.name() << "' is defined twice";
  }
  if (graph.sparse_initializer_size() > 0)
    return emitError(fileLoc) << "sparse initializers are not supported";

  // Function arguments: the graph inputs that are not initializers.
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    SmallVector<Attribute> dimParams;
    bool symbolic;
    FailureOr<Type> type =
        convertValueInfo(input, "graph input", dimParams, symbolic);
    if (failed(type))
      return failure();
    SmallVector<NamedAttribute> attrs;
    attrs.push_back(builder.getNamedAttr("graph.name",
                                         builder.getStringAttr(input.name())));
    if (symbolic)
      attrs.push_back(builder.getNamedAttr("graph.dim_params",
                                           builder.getArrayAttr(dimParams)));
    argTypes.push_back(*type);
    argAttrs.push_back(builder.getDictionaryAttr(attrs));
    argNames.push_back(input.name());
  }

  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, graph::kModelFunctionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttrs(i, argAttrs[i]);
    if (failed(defineValue(name, entry->getArgument(i), fileLoc)))
      return failure();
  }
  builder.setInsertionPointToEnd(entry);
  constantBuilder.setInsertionPointToStart(entry);

  collectUsedNames(graph, usedNames);

  for (auto [i, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, i)))
      return failure();

  // Results: the graph outputs, typed as imported (inference may be more
  // precise than the declared output type, never less compatible).
  SmallVector<Value> results;
  SmallVector<Attribute> resultAttrs;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    FailureOr<Value> value = lookupValue(output.name());
    if (failed(value)) {
      if (!initializers.count(output.name()))
        return emitError(fileLoc)
               << "graph output '" << output.name() << "' is not defined";
      return failure();
    }
    auto valueType = dyn_cast<RankedTensorType>(value->getType());
    if (output.has_type() &&
        (output.type().has_sequence_type() !=
             isa<graph::SequenceType>(value->getType()) ||
         output.type().has_optional_type() !=
             isa<graph::OptionalType>(value->getType())))
      return emitError(fileLoc)
             << "graph output '" << output.name()
             << "' is computed as a value of type " << value->getType()
             << ", which its declared type does not describe";
    if (valueType && output.has_type() && output.type().has_tensor_type() &&
        output.type().tensor_type().elem_type() !=
            onnx::TensorProto::UNDEFINED) {
      FailureOr<Type> declared =
          convertElementType(&ctx, output.type().tensor_type().elem_type(),
                             output.name(), fileLoc);
      if (failed(declared))
        return failure();
      if (*declared != valueType.getElementType())
        return emitError(fileLoc)
               << "graph output '" << output.name() << "' is declared as "
               << getOnnxTypeName(output.type().tensor_type().elem_type())
               << " but computed as " << valueType.getElementType();
    }
    results.push_back(*value);
    SmallVector<NamedAttribute> attrs;
    attrs.push_back(builder.getNamedAttr("graph.name",
                                         builder.getStringAttr(output.name())));
    if (std::optional<ArrayAttr> dimParams =
            getOutputDimParams(output, valueType))
      attrs.push_back(builder.getNamedAttr("graph.dim_params", *dimParams));
    resultAttrs.push_back(builder.getDictionaryAttr(attrs));
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, attrs] : llvm::enumerate(resultAttrs))
    func.setResultAttrs(i, cast<DictionaryAttr>(attrs));
  return module;
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

FailureOr<OwningOpRef<ModuleOp>>
exaforge::importOnnxModel(MLIRContext &ctx, StringRef path,
                          const OnnxImportOptions &opts) {
  ctx.loadDialect<graph::GraphDialect, func::FuncDialect>();
  Location fileLoc = FileLineColLoc::get(&ctx, path, 0, 0);
  onnx::ModelProto model;
  if (failed(loadModel(path, fileLoc, model)))
    return failure();
  if (failed(applyInputShapes(model, opts.inputShapes, fileLoc)))
    return failure();
  if (opts.dataParallelRanks > 1 &&
      failed(freeStaticBatch(model, opts.dataParallelRanks, fileLoc)))
    return failure();
  // A model older than the first opset some of its ops are imported from is
  // upgraded with ONNX's own version converter.
  if (int64_t requiredOpset = getRequiredOpset(model))
    if (failed(upgradeOpset(model, requiredOpset, fileLoc)))
      return failure();
  GraphImporter importer(ctx, path, opts);
  FailureOr<OwningOpRef<ModuleOp>> module = importer.importModel(model);
  if (failed(module))
    return failure();
  if (opts.verify && failed(mlir::verify(**module)))
    return failure();
  return module;
}
