//===- DiagnosticSite.cpp - Where a compile diagnostic points -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/DiagnosticSite.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

using namespace exaforge;

DiagnosticSite exaforge::getDiagnosticSite(mlir::Location loc) {
  DiagnosticSite site;
  mlir::FileLineColLoc fileLoc;
  if (auto nameLoc = llvm::dyn_cast<mlir::NameLoc>(loc)) {
    site.node = nameLoc.getName().str();
    fileLoc = llvm::dyn_cast<mlir::FileLineColLoc>(nameLoc.getChildLoc());
  } else {
    fileLoc = llvm::dyn_cast<mlir::FileLineColLoc>(loc);
  }
  if (fileLoc) {
    site.file = fileLoc.getFilename().str();
    site.line = fileLoc.getLine();
    site.column = fileLoc.getColumn();
  }
  return site;
}

const char *exaforge::getSeverityName(mlir::DiagnosticSeverity severity) {
  switch (severity) {
  case mlir::DiagnosticSeverity::Error:
    return "error";
  case mlir::DiagnosticSeverity::Warning:
    return "warning";
  case mlir::DiagnosticSeverity::Note:
    return "note";
  case mlir::DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}
