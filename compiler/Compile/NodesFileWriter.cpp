//===- NodesFileWriter.cpp - nodes.json of an artifact --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/NodesFileWriter.h"

#include "passes/Conversion/Passes.h"

#include "exaforge/abi/Contract.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace exaforge;

/// `text` as a JSON string: ONNX node names are arbitrary bytes, and JSON
/// strings are UTF-8 (invalid sequences become U+FFFD).
static llvm::json::Value toJsonString(StringRef text) {
  if (llvm::json::isUTF8(text))
    return text.str();
  return llvm::json::fixUTF8(text);
}

LogicalResult
exaforge::writeNodesFile(ModuleOp module, StringRef dir,
                         const std::map<std::string, std::string> &opTypes) {
  auto regions = module->getAttrOfType<ArrayAttr>(kProfileRegionsAttrName);
  if (!regions)
    return module.emitError("the module has no '")
           << kProfileRegionsAttrName
           << "' (insert-profile-regions did not run)";
  llvm::json::Array entries;
  for (Attribute region : regions) {
    auto entry = dyn_cast<DictionaryAttr>(region);
    auto name = entry ? entry.getAs<StringAttr>(abi::kKeyName) : nullptr;
    auto kind = entry ? entry.getAs<StringAttr>(abi::kKeyKind) : nullptr;
    if (!name || !kind)
      return module.emitError("malformed '")
             << kProfileRegionsAttrName << "' entry " << region;
    auto opType = opTypes.find(name.getValue().str());
    entries.push_back(llvm::json::Object{
        {abi::kKeyName, toJsonString(name.getValue())},
        {abi::kKeyOpType, opType == opTypes.end()
                              ? llvm::json::Value("")
                              : toJsonString(opType->second)},
        {abi::kKeyKind, kind.getValue().str()},
    });
  }
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, abi::kNodesFileName);
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec);
  if (ec)
    return module.emitError("cannot write '") << path << "': " << ec.message();
  file << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                     {abi::kKeyRegions, std::move(entries)}}))
       << "\n";
  return success();
}
