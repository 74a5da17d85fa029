# -*- Python -*-
"""lit configuration of the Exaforge test suite.

Substitutions available to RUN lines:
  %python   the project's virtual-environment Python (onnx, onnxruntime, numpy)
  %utils    the repository's utils/ directory (model generator scripts)
  %testdata the ONNX 1.12 backend node tests (package libonnx-testdata)
Tools: exaforge, exaforge-opt, FileCheck, not, count.
"""

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "EXAFORGE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtext", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.exaforge_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%utils", os.path.join(config.exaforge_src_root, "utils")))
config.substitutions.append(("%testdata", config.onnx_testdata_dir))

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["exaforge", "exaforge-opt"], [config.exaforge_tools_dir])
