//===- Driver.cpp - The exaforge command-line driver ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Parses the command line with Boost.Program_options (this file is compiled
// with -fexceptions; every Boost exception is caught here) and dispatches to
// the subcommands.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Driver.h"
#include "compiler/Compile/Compile.h"
#include "compiler/Compile/DiagnosticSite.h"
#include "compiler/Compile/Parallelism.h"
#include "compiler/Compile/TargetOptions.h"
#include "compiler/Driver/CalibrateCommand.h"
#include "compiler/Driver/CrashGuard.h"
#include "compiler/Driver/InspectCommand.h"
#include "compiler/Driver/MachinesCommand.h"
#include "compiler/Driver/PlanCommand.h"
#include "compiler/Driver/RunCommand.h"
#include "compiler/Driver/SlurmCommand.h"
#include "compiler/Import/ONNX/OnnxImporter.h"
#include "passes/Conversion/KernelTarget/GpuArchitectures.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

#include <exception>
#include <optional>
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

/// Prints one diagnostic (without its notes) on one line.
static void printOneLine(mlir::Location loc, mlir::DiagnosticSeverity severity,
                         llvm::StringRef message, llvm::raw_ostream &os) {
  DiagnosticSite site = getDiagnosticSite(loc);
  if (!site.file.empty()) {
    os << site.file;
    if (site.line != 0)
      os << ':' << site.line << ':' << site.column;
    os << ": ";
  }
  os << getSeverityName(severity) << ": ";
  if (!site.node.empty())
    os << "node '" << site.node << "': ";
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
    "               [--shapes-only] [--input-shape NAME=DIMS ...]\n"
    "                 import an ONNX model (.onnx or .onnxtext) into the "
    "graph dialect\n"
    "  compile MODEL [-o OUT.xf] [-O0..3]\n"
    "                [--emit=graph|linalg|llvm-dialect|llvm|obj]\n"
    "                [--ranks N] [--dp D] [--tp T] [--pp P] [--microbatches M]\n"
    "                [--shapes-only] [--input-shape NAME=DIMS ...]\n"
    "                [--auto --machine PRESET|FILE --nodes K [--batch B]]\n"
    "                [--target cpu|cuda] [--gpu-arch sm_80|sm_86|sm_89|sm_90]\n"
    "                [--precision f32|tf32|bf16|f16] [--cuda-toolkit DIR]\n"
    "                 compile a model into an artifact for this CPU or for\n"
    "                 NVIDIA GPUs\n"
    "  run MODEL.xf [--input NAME=FILE ...] [--output-dir DIR] [--threads N]\n"
    "                 run a compiled model on .npy/.pb inputs\n"
    "  slurm MODEL.xf --nodes K --tasks-per-node R [--gpus-per-node G]\n"
    "                [--time T] [--account A] [-o SCRIPT]\n"
    "                 write an sbatch script that runs MODEL.xf on K x R ranks\n"
    "  inspect MODEL.xf [--dot FILE] [--batch B]\n"
    "                 print the plan of an artifact: mesh, ops, collectives,\n"
    "                 memory per rank\n"
    "  machines [NAME|FILE]\n"
    "                 list the machine presets, or check and print a machine\n"
    "                 description (a preset or a YAML file)\n"
    "  calibrate [-o FILE] [--ranks N]\n"
    "                 measure this machine and write its description\n"
    "  plan MODEL --machine PRESET|FILE --nodes K [--batch B] [--json]\n"
    "                [--top N] [--microbatches M]\n"
    "                 rank the layouts dp x tp x pp of a model on a machine\n"
    "                 by predicted step time, with memory per device\n"
    "\n"
    "Run 'exaforge <command> --help' for the options of a command.\n";

static void printVersion(llvm::raw_ostream &os) {
  os << "exaforge " << EXAFORGE_VERSION << "\n"
     << "built with MLIR/LLVM " << LLVM_VERSION_STRING << "\n";
}

/// The value of an integer option that must be at least 1 when given, such
/// as `--batch` or `--microbatches`: 0 or a negative count is a usage error
/// naming the option, never a silent "default".
template <typename T>
static po::typed_value<T> *positiveValue(T *target, const char *option) {
  return po::value<T>(target)->notifier([option](T value) {
    if (value < 1)
      throw po::error(std::string("--") + option + " must be positive, got " +
                      std::to_string(value));
  });
}

//===----------------------------------------------------------------------===//
// import
//===----------------------------------------------------------------------===//

/// Whether a subcommand takes a positional argument (MODEL, or a machine).
enum class Positional {
  /// Exactly one (e.g. `exaforge compile MODEL`).
  Required,
  /// At most one, a machine (`exaforge machines [NAME|FILE]`).
  OptionalMachine,
  /// None (e.g. `exaforge calibrate`).
  None,
};

/// Parses the arguments of subcommand `name`: `options` plus, as
/// `positional` says, one positional argument, stored in `argument`.
/// Returns an exit status when the command must stop here (help printed, or
/// a usage error reported).
static std::optional<int>
parseSubcommand(llvm::StringRef name, const std::vector<std::string> &args,
                const po::options_description &options, std::string &argument,
                Positional positional = Positional::Required,
                const po::options_description &developerOptions = {}) {
  bool help = false;
  po::options_description helpOption;
  helpOption.add_options()("help,h", po::bool_switch(&help), "print this help");
  po::options_description hidden;
  hidden.add_options()("argument", po::value<std::string>(&argument),
                       "argument");
  po::options_description all;
  all.add(helpOption).add(options).add(hidden).add(developerOptions);
  // An empty description rejects every positional argument.
  po::positional_options_description positionals;
  if (positional != Positional::None)
    positionals.add("argument", 1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args)
                  .options(all)
                  .positional(positionals)
                  .run(),
              vm);
    // --help wins over the checks of required options.
    help = vm.count("help") && vm["help"].as<bool>();
    if (!help)
      po::notify(vm);
  } catch (const po::error &e) {
    llvm::errs() << "exaforge " << name << ": " << e.what() << "\n" << kUsage;
    return ExitUsage;
  }
  if (help) {
    static constexpr llvm::StringLiteral kPlaceholders[] = {
        /*Required=*/" MODEL", /*OptionalMachine=*/" [NAME|FILE]",
        /*None=*/""};
    llvm::outs() << "usage: exaforge " << name
                 << kPlaceholders[static_cast<int>(positional)]
                 << " [options]\n\n";
    std::ostringstream text;
    text << options;
    llvm::outs() << text.str();
    return ExitSuccess;
  }
  if (positional == Positional::Required && argument.empty()) {
    llvm::errs() << "exaforge " << name << ": missing MODEL argument\n"
                 << kUsage;
    return ExitUsage;
  }
  return std::nullopt;
}

/// The path of `tool` installed next to the running executable (`argv0`):
/// exaforge-run is installed next to exaforge.
static std::string getSiblingExecutable(const char *argv0,
                                        llvm::StringRef tool) {
  std::string self = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&runExaforge));
  llvm::SmallString<256> path(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(path, tool);
  return path.str().str();
}

/// Installs the one-line diagnostic printer on `context` for its lifetime.
static mlir::ScopedDiagnosticHandler
makeDiagnosticPrinter(mlir::MLIRContext &context) {
  return mlir::ScopedDiagnosticHandler(&context, [](mlir::Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return mlir::success();
  });
}

/// Adds `--input-shape NAME=DIMS` (repeatable) to `options`, collecting the
/// texts in `texts`.
static void addInputShapeOption(po::options_description &options,
                                std::vector<std::string> &texts) {
  options.add_options()(
      "input-shape",
      po::value<std::vector<std::string>>(&texts)->composing(),
      "NAME=DIMS: the shape of input NAME before shape inference, one size "
      "or symbol per dimension, separated by 'x' or ',' (1x3x224x224, "
      "batch,128, Nx128); a size fixes a symbolic dimension, a symbol frees "
      "one (repeatable)");
}

/// Parses the `--input-shape` texts of subcommand `command` into `shapes`;
/// prints the error and returns false on malformed text.
static bool parseInputShapes(llvm::StringRef command,
                             const std::vector<std::string> &texts,
                             std::vector<InputShapeOverride> &shapes) {
  for (const std::string &text : texts) {
    std::string error;
    std::optional<InputShapeOverride> shape = parseInputShape(text, error);
    if (!shape) {
      llvm::errs() << "exaforge " << command << ": --input-shape '" << text
                   << "': " << error << "\n";
      return false;
    }
    shapes.push_back(std::move(*shape));
  }
  return true;
}

static int runImport(const std::vector<std::string> &args, const char *) {
  po::options_description options("options of 'exaforge import'");
  std::string output = "-";
  bool emitBytecode = false, printLocations = false, shapesOnly = false;
  int64_t maxConstantBytes = 0;
  options.add_options()(
      "output,o", po::value<std::string>(&output),
      "write the module to this file ('-' for stdout, the default)")(
      "emit-bytecode", po::bool_switch(&emitBytecode),
      "write MLIR bytecode instead of text")(
      "print-locations", po::bool_switch(&printLocations),
      "print op locations (ONNX node names)")(
      "shapes-only", po::bool_switch(&shapesOnly),
      "do not read the weights: external data and large tensors become "
      "dense_resource attributes without values (for planning)")(
      "max-constant-bytes", positiveValue(&maxConstantBytes, "max-constant-bytes"),
      "refuse initializers, constants and constant splats larger than this "
      "(default: half of this machine's memory)");
  std::vector<std::string> inputShapeTexts;
  addInputShapeOption(options, inputShapeTexts);
  std::string modelPath;
  if (std::optional<int> status =
          parseSubcommand("import", args, options, modelPath))
    return *status;
  OnnxImportOptions importOptions;
  if (!parseInputShapes("import", inputShapeTexts, importOptions.inputShapes))
    return ExitUsage;

  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler handler = makeDiagnosticPrinter(context);
  importOptions.shapesOnly = shapesOnly;
  importOptions.maxConstantBytes = maxConstantBytes;
  mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> module = mlir::failure();
  if (int status = runWithCrashGuard(modelPath, "importing", [&] {
        module = importOnnxModel(context, modelPath, importOptions);
        return mlir::failed(module) ? ExitFailure : ExitSuccess;
      }))
    return status;

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
// compile
//===----------------------------------------------------------------------===//

/// Checks `--target`, `--gpu-arch`, `--precision` and `--cuda-toolkit`
/// (setTargetOptions) and records them in `options`; false after printing
/// the error.
static bool resolveTarget(llvm::StringRef target, llvm::StringRef gpuArch,
                          llvm::StringRef precision, CompileOptions &options) {
  // `--cuda-toolkit` was parsed into options.cudaToolkitPath itself.
  if (std::optional<std::string> error = setTargetOptions(
          target, gpuArch, precision, options.cudaToolkitPath, options)) {
    llvm::errs() << "exaforge compile: " << *error << "\n";
    return false;
  }
  return true;
}

/// With `--auto --target cuda`: compiles for the GPUs of the machine
/// `machine` the planner chose for (`chosen`): its architecture unless
/// `--gpu-arch` (`gpuArch`) names one, which must be the same. False after
/// printing the error: the machine's devices are not NVIDIA GPUs, or their
/// architecture is not one the compiler generates code for, or it differs
/// from `--gpu-arch`.
static bool resolveAutoGpuArch(llvm::StringRef gpuArch,
                               const AutoLayout &chosen,
                               llvm::StringRef machine,
                               CompileOptions &options) {
  auto fail = [&](const llvm::Twine &message) {
    llvm::errs() << "exaforge compile: --auto --target cuda: " << message
                 << "\n";
    return false;
  };
  std::string device = chosen.deviceModel.empty()
                           ? std::string("its devices")
                           : "its devices (" + chosen.deviceModel + ")";
  if (chosen.cudaArch.empty())
    return fail("the machine " + machine + " has no NVIDIA GPU architecture: " +
                device + " have no 'cuda_arch' in its description");
  if (!isKnownGpuArchitecture(chosen.cudaArch))
    return fail("the machine " + machine + "'s GPUs are " + chosen.cudaArch +
                ", which --target cuda does not generate code for");
  if (!gpuArch.empty() && gpuArch != chosen.cudaArch)
    return fail("--gpu-arch " + gpuArch + " is not the architecture of " +
                machine + "'s GPUs (" + chosen.cudaArch + ")");
  options.gpuArch = chosen.cudaArch;
  return true;
}

static int runCompile(const std::vector<std::string> &args, const char *) {
  po::options_description options("options of 'exaforge compile'");
  std::string output, emit = "artifact";
  unsigned optLevel = 3;
  int64_t ranks = 0, dataParallel = 0, tensorParallel = 1, pipelineParallel = 1,
          microBatches = 0;
  CompileOptions compileOptions;
  options.add_options()("output,o", po::value<std::string>(&output),
                        "the artifact directory (default: MODEL with its "
                        "extension replaced by .xf), or the output file of "
                        "--emit (default: stdout for text)")(
      "opt-level,O", po::value<unsigned>(&optLevel),
      "LLVM optimization level, 0 to 3 (default 3)")(
      "emit", po::value<std::string>(&emit),
      "what to write: artifact (default), graph, linalg, llvm-dialect, llvm "
      "or obj")(
      "ranks", po::value<int64_t>(&ranks),
      "number of ranks (processes) to spread the model over (default 1)")(
      "dp", po::value<int64_t>(&dataParallel),
      "data-parallel ranks: the batch is split over them (default: all "
      "ranks not taken by --tp and --pp)")(
      "tp", po::value<int64_t>(&tensorParallel),
      "tensor-parallel ranks: the layers are split over them, Megatron "
      "style (default 1)")("pp", po::value<int64_t>(&pipelineParallel),
                           "pipeline stages: the layers are cut into P stages "
                           "of balanced cost (default 1)")(
      "microbatches", positiveValue(&microBatches, "microbatches"),
      "micro-batches per run with --pp, so that the stages overlap (default: "
      "P when the model has a batch dimension, else 1)")(
      "shapes-only", po::bool_switch(&compileOptions.shapesOnly),
      "import the model without reading its weights (with --emit=graph)")(
      "max-constant-bytes",
      positiveValue(&compileOptions.maxConstantBytes, "max-constant-bytes"),
      "refuse initializers, constants and constant splats larger than this "
      "(default: half of this machine's memory)")(
      "max-tensor-bytes",
      positiveValue(&compileOptions.maxTensorBytes, "max-tensor-bytes"),
      "refuse a model whose ops compute a tensor of static shape larger "
      "than this on one rank (default: this machine's memory)");
  std::vector<std::string> inputShapeTexts;
  addInputShapeOption(options, inputShapeTexts);
  bool autoLayout = false;
  std::string machine;
  int64_t nodes = 0, batch = 0;
  options.add_options()("auto", po::bool_switch(&autoLayout),
                        "choose --dp/--tp/--pp with the planner (as "
                        "'exaforge plan' ranks them; needs --machine and "
                        "--nodes)")(
      "machine", po::value<std::string>(&machine),
      "with --auto: the machine preset or description file")(
      "nodes", positiveValue(&nodes, "nodes"), "with --auto: the number of nodes")(
      "batch", positiveValue(&batch, "batch"),
      "with --auto: the global batch to plan for (default: one sample per "
      "rank)");
  std::string target = exaforge::abi::kTargetCpu, gpuArch, precision = "f32";
  options.add_options()(
      "target", po::value<std::string>(&target),
      "what to compile for: cpu (default: this CPU, oneDNN kernels) or cuda "
      "(NVIDIA GPUs: generated kernels, PTX and cubin; cross-compiles "
      "without a GPU, needs the CUDA toolkit's ptxas)")(
      "gpu-arch", po::value<std::string>(&gpuArch),
      "with --target cuda: the GPU architecture of the cubin: sm_80 (A100), "
      "sm_86, sm_89 or sm_90 (H100, H200, GH200; default)")(
      "precision", po::value<std::string>(&precision),
      "the precision the model computes in: f32 (default), or, with "
      "--target cuda, tf32 (matmuls on tensor cores with inputs rounded to "
      "TF32, f32 accumulation), bf16 or f16 (matmuls on tensor cores with "
      "operands and weights in that type, f32 accumulation; the other ops "
      "in f32)")(
      "cuda-toolkit", po::value<std::string>(&compileOptions.cudaToolkitPath),
      "with --target cuda: the CUDA toolkit's directory (default: CUDA_PATH, "
      "CUDA_HOME, or where ptxas is in PATH)");
  // For developers, not in --help.
  bool noRuntimeChecks = false;
  po::options_description developer;
  developer.add_options()("no-runtime-checks",
                          po::bool_switch(&noRuntimeChecks),
                          "erase the run-time checks (to measure their cost; "
                          "bad inputs then give wrong values)");
  std::string modelPath;
  if (std::optional<int> status =
          parseSubcommand("compile", args, options, modelPath,
                          Positional::Required, developer))
    return *status;
  compileOptions.runtimeChecks = !noRuntimeChecks;
  if (!resolveTarget(target, gpuArch, precision, compileOptions))
    return ExitUsage;
  if (!parseInputShapes("compile", inputShapeTexts, compileOptions.inputShapes))
    return ExitUsage;
  if (autoLayout) {
    if (ranks != 0 || dataParallel != 0 || tensorParallel != 1 ||
        pipelineParallel != 1 || microBatches != 0) {
      llvm::errs() << "exaforge compile: --auto chooses the layout; it "
                      "cannot be combined with --ranks, --dp, --tp, --pp or "
                      "--microbatches\n";
      return ExitUsage;
    }
    if (machine.empty() || nodes < 1) {
      llvm::errs() << "exaforge compile: --auto needs --machine and a "
                      "positive --nodes\n";
      return ExitUsage;
    }
    std::optional<AutoLayout> chosen =
        chooseAutoLayout("compile", modelPath, machine, nodes, batch);
    if (!chosen)
      return ExitFailure;
    if (target == exaforge::abi::kTargetCuda &&
        !resolveAutoGpuArch(gpuArch, *chosen, machine, compileOptions))
      return ExitUsage;
    dataParallel = chosen->layout.dp;
    tensorParallel = chosen->layout.tp;
    pipelineParallel = chosen->layout.pp;
    microBatches = chosen->layout.microBatches;
    ranks = dataParallel * tensorParallel * pipelineParallel;
  } else if (!machine.empty() || nodes != 0 || batch != 0) {
    llvm::errs() << "exaforge compile: --machine, --nodes and --batch go with "
                    "--auto\n";
    return ExitUsage;
  }

  static const std::pair<llvm::StringRef, EmitKind> kEmitKinds[] = {
      {"artifact", EmitKind::Artifact},
      {"graph", EmitKind::Graph},
      {"linalg", EmitKind::Linalg},
      {"llvm-dialect", EmitKind::LLVMDialect},
      {"llvm", EmitKind::LLVMIR},
      {"obj", EmitKind::Object}};
  const auto *kind = llvm::find_if(
      kEmitKinds, [&](const auto &entry) { return entry.first == emit; });
  if (kind == std::end(kEmitKinds)) {
    llvm::errs() << "exaforge compile: unknown --emit kind '" << emit
                 << "' (expected artifact, graph, linalg, llvm-dialect, llvm or obj)\n";
    return ExitUsage;
  }
  if (optLevel > 3) {
    llvm::errs() << "exaforge compile: -O" << optLevel
                 << " is out of range (0 to 3)\n";
    return ExitUsage;
  }
  std::string parallelismError;
  std::optional<int64_t> dataParallelRanks =
      resolveDataParallelRanks(ranks, dataParallel, tensorParallel,
                               pipelineParallel, "--", parallelismError);
  if (!dataParallelRanks) {
    llvm::errs() << "exaforge compile: " << parallelismError << "\n";
    return ExitUsage;
  }
  compileOptions.dataParallelRanks = *dataParallelRanks;
  compileOptions.tensorParallelRanks = tensorParallel;
  compileOptions.pipelineStages = pipelineParallel;
  if (microBatches < 0) {
    llvm::errs() << "exaforge compile: --microbatches must be positive\n";
    return ExitUsage;
  }
  compileOptions.microBatches = microBatches;
  compileOptions.emit = kind->second;
  compileOptions.inputPath = modelPath;
  compileOptions.optLevel = optLevel;
  compileOptions.compilerVersion = EXAFORGE_VERSION;
  if (output.empty()) {
    if (compileOptions.emit == EmitKind::Artifact) {
      llvm::SmallString<256> path(modelPath);
      llvm::sys::path::replace_extension(path, ".xf");
      output = path.str().str();
    } else if (compileOptions.emit == EmitKind::Object) {
      llvm::SmallString<256> path(modelPath);
      llvm::sys::path::replace_extension(path, ".o");
      output = path.str().str();
    } else {
      output = "-";
    }
  }
  compileOptions.outputPath = output;

  // Single-threaded, so that a crash happens on the guarded thread.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler handler = makeDiagnosticPrinter(context);
  return runWithCrashGuard(modelPath, "compiling", [&] {
    return mlir::succeeded(compileModel(context, compileOptions))
               ? ExitSuccess
               : ExitFailure;
  });
}

//===----------------------------------------------------------------------===//
// run
//===----------------------------------------------------------------------===//

static int runRun(const std::vector<std::string> &args, const char *) {
  po::options_description options("options of 'exaforge run'");
  RunCommandOptions runOptions;
  options.add_options()(
      "input,i", po::value<std::vector<std::string>>(&runOptions.inputs),
      "an input: NAME=FILE, or FILE for the next unnamed input; FILE is .npy "
      "or an ONNX TensorProto (.pb); a bfloat16 input may be given as uint16 "
      "bit patterns")(
      "output-dir,o", po::value<std::string>(&runOptions.outputDir),
      "write each output to DIR/NAME.npy (bfloat16 as uint16 bit patterns)")(
      "threads", po::value<int>(&runOptions.threads),
      "threads of the kernels (default: all cores)")(
      "benchmark", positiveValue(&runOptions.benchmarkRuns, "benchmark"),
      "also time N runs (after 2 warm-up runs) and print the median")(
      "profile", po::value<std::string>(&runOptions.profilePath),
      "write a trace-event timeline of the runs (the timed ones with "
      "--benchmark) to FILE, for Perfetto or chrome://tracing, and print the "
      "ops that took the most time");
  if (std::optional<int> status =
          parseSubcommand("run", args, options, runOptions.artifactPath))
    return *status;
  return runRunCommand(runOptions);
}

//===----------------------------------------------------------------------===//
// slurm
//===----------------------------------------------------------------------===//

static int runSlurm(const std::vector<std::string> &args, const char *argv0) {
  po::options_description options("options of 'exaforge slurm'");
  SlurmCommandOptions slurm;
  options.add_options()("nodes", po::value<int>(&slurm.nodes)->required(),
                        "number of nodes")(
      "tasks-per-node", po::value<int>(&slurm.tasksPerNode)->required(),
      "ranks per node (nodes x tasks-per-node must be the artifact's ranks)")(
      "gpus-per-node", po::value<int>(&slurm.gpusPerNode),
      "GPUs to request per node")("cpus-per-task",
                                  po::value<int>(&slurm.cpusPerTask),
                                  "cores per rank (also its OpenMP threads)")(
      "time", po::value<std::string>(&slurm.time),
      "wall-clock limit (default 00:30:00)")(
      "account", po::value<std::string>(&slurm.account),
      "the project account to charge")("partition",
                                       po::value<std::string>(&slurm.partition),
                                       "the partition (queue)")(
      "job-name", po::value<std::string>(&slurm.jobName),
      "the job's name (default exaforge-MODEL)")(
      "input,i", po::value<std::vector<std::string>>(&slurm.inputs),
      "an input for exaforge-run: NAME=FILE or FILE")(
      "output-dir", po::value<std::string>(&slurm.outputDir),
      "where exaforge-run writes the outputs")(
      "benchmark", positiveValue(&slurm.benchmarkRuns, "benchmark"),
      "time this many runs after two warm-up runs (exaforge-run --benchmark)")(
      "mpi", po::value<std::string>(&slurm.mpi),
      "srun's MPI plugin for the ranks when the job's environment sets no "
      "SLURM_MPI_TYPE (default pmix, which Open MPI needs)")(
      "output,o", po::value<std::string>(&slurm.outputPath),
      "the script file (default: standard output)");
  if (std::optional<int> status =
          parseSubcommand("slurm", args, options, slurm.artifactPath))
    return *status;
  return runSlurmCommand(slurm, getSiblingExecutable(argv0, "exaforge-run"));
}

//===----------------------------------------------------------------------===//
// inspect
//===----------------------------------------------------------------------===//

static int runInspect(const std::vector<std::string> &args, const char *) {
  po::options_description options("options of 'exaforge inspect'");
  InspectCommandOptions inspect;
  options.add_options()(
      "dot", po::value<std::string>(&inspect.dotPath),
      "also write a Graphviz digraph of the partitioned graph, one cluster "
      "per rank, to FILE ('-' for standard output)")(
      "batch", positiveValue(&inspect.batch, "batch"),
      "evaluate sizes at this local batch per rank (default: print them per "
      "unit of batch)");
  if (std::optional<int> status =
          parseSubcommand("inspect", args, options, inspect.artifactPath))
    return *status;
  return runInspectCommand(inspect);
}

//===----------------------------------------------------------------------===//
// machines
//===----------------------------------------------------------------------===//

static int runMachines(const std::vector<std::string> &args, const char *) {
  std::string machine;
  po::options_description options("options of 'exaforge machines'");
  if (std::optional<int> status = parseSubcommand(
          "machines", args, options, machine, Positional::OptionalMachine))
    return *status;
  return runMachinesCommand(machine);
}

//===----------------------------------------------------------------------===//
// calibrate
//===----------------------------------------------------------------------===//

static int runCalibrate(const std::vector<std::string> &args,
                        const char *argv0) {
  CalibrateCommandOptions calibrate;
  po::options_description options("options of 'exaforge calibrate'");
  options.add_options()(
      "output,o", po::value<std::string>(&calibrate.outputPath),
      "the description file to write (default: standard output)")(
      "ranks", po::value<int>(&calibrate.ranks),
      "ranks on this node; each gets an equal share of the cores, memory "
      "and bandwidth (default: one per core)")(
      "name", po::value<std::string>(&calibrate.name),
      "the machine's name in the description (default: local)")(
      "quick", po::bool_switch(&calibrate.quick),
      "short, less accurate measurements (about 2 s; for tests)");
  std::string noArgument;
  if (std::optional<int> status = parseSubcommand(
          "calibrate", args, options, noArgument, Positional::None))
    return *status;
  // exaforge-run measures the MPI links.
  return runCalibrateCommand(calibrate,
                             getSiblingExecutable(argv0, "exaforge-run"));
}

//===----------------------------------------------------------------------===//
// plan
//===----------------------------------------------------------------------===//

static int runPlan(const std::vector<std::string> &args, const char *) {
  po::options_description options("options of 'exaforge plan'");
  PlanCommandOptions plan;
  options.add_options()("machine", po::value<std::string>(&plan.machine),
                        "the machine: a preset name or a description file")(
      "nodes", positiveValue(&plan.nodes, "nodes"),
      "the number of nodes to plan for")(
      "batch", positiveValue(&plan.batch, "batch"),
      "the global batch of one step (default: one sample per rank)")(
      "json", po::bool_switch(&plan.json),
      "print a JSON document instead of the table")(
      "top", positiveValue(&plan.top, "top"),
      "how many layouts to print (default 5)")(
      "microbatches", positiveValue(&plan.microBatches, "microbatches"),
      "price every pipeline layout with this many micro-batches (default: "
      "the best count of each)");
  if (std::optional<int> status =
          parseSubcommand("plan", args, options, plan.modelPath))
    return *status;
  if (plan.machine.empty() || plan.nodes == 0) {
    llvm::errs() << "exaforge plan: --machine and --nodes are required\n"
                 << kUsage;
    return ExitUsage;
  }
  return runPlanCommand(plan);
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

namespace {
/// A subcommand of `exaforge`: its name and the function that parses its
/// arguments and runs it (`argv0` locates the tools installed next to
/// exaforge).
struct Subcommand {
  llvm::StringLiteral name;
  int (*run)(const std::vector<std::string> &args, const char *argv0);
};
} // namespace

/// Every subcommand, in the order of the usage text.
static constexpr Subcommand kSubcommands[] = {
    {"import", runImport},       {"compile", runCompile},
    {"run", runRun},             {"slurm", runSlurm},
    {"inspect", runInspect},     {"machines", runMachines},
    {"calibrate", runCalibrate}, {"plan", runPlan},
};

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

  llvm::StringRef command = argv[commandIndex];
  const Subcommand *subcommand = llvm::find_if(
      kSubcommands, [&](const Subcommand &known) { return known.name == command; });
  if (subcommand == std::end(kSubcommands)) {
    llvm::errs() << "exaforge: unknown command '" << command << "'\n"
                 << kUsage;
    return ExitUsage;
  }
  std::vector<std::string> args(argv + commandIndex + 1, argv + argc);
  // The one place that catches what escapes a subcommand (Boost throws).
  try {
    return subcommand->run(args, argv[0]);
  } catch (const std::exception &e) {
    llvm::errs() << "exaforge " << command << ": " << e.what() << "\n";
    return ExitFailure;
  }
}
