//===- Driver.cpp - The exaforge command-line driver ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Parses the command line with Boost.Program_options (this file is compiled
// with -fexceptions; every Boost exception is caught here) and dispatches to
// the subcommands. Only `import` is implemented so far.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Driver.h"
#include "compiler/Import/ONNX/OnnxImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

#include <exception>
#include <sstream>
#include <string>
#include <vector>

namespace po = boost::program_options;
using namespace exaforge;
using namespace exaforge::driver;

#ifndef EXAFORGE_VERSION
#define EXAFORGE_VERSION "unknown"
#endif

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

static llvm::StringRef getSeverityName(mlir::DiagnosticSeverity severity) {
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

/// Prints one diagnostic (without its notes) on one line.
static void printOneLine(mlir::Location loc, mlir::DiagnosticSeverity severity,
                         llvm::StringRef message, llvm::raw_ostream &os) {
  std::string node;
  mlir::FileLineColLoc fileLoc;
  if (auto nameLoc = llvm::dyn_cast<mlir::NameLoc>(loc)) {
    node = nameLoc.getName().str();
    fileLoc = llvm::dyn_cast<mlir::FileLineColLoc>(nameLoc.getChildLoc());
  } else {
    fileLoc = llvm::dyn_cast<mlir::FileLineColLoc>(loc);
  }
  if (fileLoc) {
    os << fileLoc.getFilename().getValue();
    if (fileLoc.getLine() != 0)
      os << ':' << fileLoc.getLine() << ':' << fileLoc.getColumn();
    os << ": ";
  }
  os << getSeverityName(severity) << ": ";
  if (!node.empty())
    os << "node '" << node << "': ";
  for (char c : message)
    os << (c == '\n' ? ' ' : c);
  os << '\n';
}

void exaforge::driver::printDiagnosticLine(mlir::Diagnostic &diag,
                                           llvm::raw_ostream &os) {
  printOneLine(diag.getLocation(), diag.getSeverity(), diag.str(), os);
  for (mlir::Diagnostic &note : diag.getNotes())
    printOneLine(note.getLocation(), note.getSeverity(), note.str(), os);
}

//===----------------------------------------------------------------------===//
// Usage
//===----------------------------------------------------------------------===//

static constexpr const char *kUsage =
    "usage: exaforge [--help] [--version] <command> [<args>]\n"
    "\n"
    "commands:\n"
    "  import MODEL [-o OUT] [--emit-bytecode] [--print-locations]\n"
    "                 import an ONNX model (.onnx or .onnxtext) into the "
    "graph dialect\n"
    "  compile        compile a model (not implemented yet)\n"
    "  run            run a compiled model (not implemented yet)\n"
    "  plan           print a partition plan (not implemented yet)\n"
    "  inspect        describe a model (not implemented yet)\n"
    "\n"
    "Run 'exaforge <command> --help' for the options of a command.\n";

static void printVersion(llvm::raw_ostream &os) {
  os << "exaforge " << EXAFORGE_VERSION << "\n"
     << "built with MLIR/LLVM " << LLVM_VERSION_STRING << "\n";
}

//===----------------------------------------------------------------------===//
// import
//===----------------------------------------------------------------------===//

static int runImport(const std::vector<std::string> &args) {
  po::options_description options("options of 'exaforge import'");
  std::string output = "-";
  bool emitBytecode = false, printLocations = false, help = false;
  options.add_options()("help,h", po::bool_switch(&help), "print this help")(
      "output,o", po::value<std::string>(&output),
      "write the module to this file ('-' for stdout, the default)")(
      "emit-bytecode", po::bool_switch(&emitBytecode),
      "write MLIR bytecode instead of text")(
      "print-locations", po::bool_switch(&printLocations),
      "print op locations (ONNX node names)");
  po::options_description hidden;
  hidden.add_options()("model", po::value<std::string>(), "model file");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("model", 1);

  po::variables_map vm;
  try {
    po::store(
        po::command_line_parser(args).options(all).positional(positional).run(),
        vm);
    po::notify(vm);
  } catch (const po::error &e) {
    llvm::errs() << "exaforge import: " << e.what() << "\n" << kUsage;
    return ExitUsage;
  }
  if (help) {
    llvm::outs() << "usage: exaforge import MODEL [options]\n\n";
    std::ostringstream text;
    text << options;
    llvm::outs() << text.str();
    return ExitSuccess;
  }
  if (!vm.count("model")) {
    llvm::errs() << "exaforge import: missing MODEL argument\n" << kUsage;
    return ExitUsage;
  }
  std::string modelPath = vm["model"].as<std::string>();

  mlir::MLIRContext context;
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return mlir::success();
  });
  auto module = importOnnxModel(context, modelPath);
  if (mlir::failed(module))
    return ExitFailure;

  std::string error;
  auto file = mlir::openOutputFile(output, &error);
  if (!file) {
    llvm::errs() << "exaforge import: " << error << "\n";
    return ExitFailure;
  }
  if (emitBytecode) {
    if (mlir::failed(mlir::writeBytecodeToFile(**module, file->os()))) {
      llvm::errs() << "exaforge import: cannot write bytecode\n";
      return ExitFailure;
    }
  } else {
    mlir::OpPrintingFlags flags;
    if (printLocations)
      flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
    (*module)->print(file->os(), flags);
    file->os() << "\n";
  }
  file->keep();
  return ExitSuccess;
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

int exaforge::driver::runExaforge(int argc, char **argv) {
  // Global options come before the subcommand.
  int commandIndex = 1;
  while (commandIndex < argc && argv[commandIndex][0] == '-')
    ++commandIndex;

  po::options_description global("global options");
  bool help = false, version = false;
  global.add_options()("help,h", po::bool_switch(&help), "print this help")(
      "version", po::bool_switch(&version), "print the version");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(commandIndex, argv, global), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    llvm::errs() << "exaforge: " << e.what() << "\n" << kUsage;
    return ExitUsage;
  } catch (const std::exception &e) {
    llvm::errs() << "exaforge: " << e.what() << "\n";
    return ExitUsage;
  }
  if (help) {
    llvm::outs() << kUsage;
    return ExitSuccess;
  }
  if (version) {
    printVersion(llvm::outs());
    return ExitSuccess;
  }
  if (commandIndex >= argc) {
    llvm::errs() << "exaforge: missing command\n" << kUsage;
    return ExitUsage;
  }

  std::string command = argv[commandIndex];
  std::vector<std::string> args(argv + commandIndex + 1, argv + argc);
  if (command == "import") {
    try {
      return runImport(args);
    } catch (const std::exception &e) {
      llvm::errs() << "exaforge import: " << e.what() << "\n";
      return ExitFailure;
    }
  }
  if (command == "compile" || command == "run" || command == "plan" ||
      command == "inspect") {
    llvm::errs() << "exaforge: '" << command << "' is not implemented yet\n";
    return ExitUsage;
  }
  llvm::errs() << "exaforge: unknown command '" << command << "'\n" << kUsage;
  return ExitUsage;
}
