#===- ExaforgeBuild.cmake - An existing build, for `pip install ./python` -===#
#
# `pip install ./python` compiles only the Python bindings (src/) and links
# them against the libraries of a build of the project that already exists,
# rather than building the whole compiler again inside pip's temporary
# directory (about half an hour on two cores). This file finds that build and
# imports its libraries:
#
# - the build directory is the CMake variable EXAFORGE_BUILD_DIR (for pip:
#   `-C cmake.define.EXAFORGE_BUILD_DIR=DIR`), else the environment variable
#   EXAFORGE_BUILD_DIR, else build/ next to python/ (what utils/build.sh
#   makes);
# - it holds python/exaforge-build.cmake (the build's version, compilers,
#   linker and MLIR) and python/exaforge-libraries.cmake (its libraries as
#   imported targets), both written by python/CMakeLists.txt when the project
#   is configured.
#
# Included before project(), so that the bindings are compiled with the
# build's compilers; exaforge_import_build() is called after it.
#
#===----------------------------------------------------------------------===#

set(EXAFORGE_BUILD_DIR "" CACHE PATH
    "The Exaforge build whose libraries the Python package links")
if(NOT EXAFORGE_BUILD_DIR)
  if(NOT "$ENV{EXAFORGE_BUILD_DIR}" STREQUAL "")
    set(EXAFORGE_BUILD_DIR "$ENV{EXAFORGE_BUILD_DIR}")
  else()
    set(EXAFORGE_BUILD_DIR "${CMAKE_CURRENT_LIST_DIR}/../../build")
  endif()
endif()
get_filename_component(EXAFORGE_BUILD_DIR "${EXAFORGE_BUILD_DIR}" ABSOLUTE)

set(exaforge_build_description
    "${EXAFORGE_BUILD_DIR}/python/exaforge-build.cmake")
if(NOT EXISTS "${exaforge_build_description}")
  message(FATAL_ERROR
    "pip install ./python links the Python package against an existing "
    "build of Exaforge, and ${EXAFORGE_BUILD_DIR} is none: it has no "
    "python/exaforge-build.cmake. Build the project first "
    "(`bash utils/setup.sh && bash utils/build.sh`), or name a build with "
    "the environment variable EXAFORGE_BUILD_DIR.")
endif()
include("${exaforge_build_description}")
if(NOT EXISTS "${EXAFORGE_BUILD_DIR}/lib/libexaforge_runtime.so")
  message(FATAL_ERROR
    "${EXAFORGE_BUILD_DIR} is configured but not built (no "
    "lib/libexaforge_runtime.so): run `bash utils/build.sh` first.")
endif()
set(EXAFORGE_VERSION "${EXAFORGE_BUILD_VERSION}")
message(STATUS "Linking the Python package against the Exaforge build in "
               "${EXAFORGE_BUILD_DIR}")

# The build's compilers, unless the caller chose others (CC/CXX or
# CMAKE_<LANG>_COMPILER): the bindings include its C++ headers.
if(NOT CMAKE_CXX_COMPILER AND NOT DEFINED ENV{CXX})
  set(CMAKE_CXX_COMPILER "${EXAFORGE_BUILD_CXX_COMPILER}")
endif()
if(NOT CMAKE_C_COMPILER AND NOT DEFINED ENV{CC})
  set(CMAKE_C_COMPILER "${EXAFORGE_BUILD_C_COMPILER}")
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # pip builds in a new temporary directory each time: ccache must not hash
  # it. The sources' absolute paths are the same from one install to the
  # next, so they are left as they are.
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_NOHASHDIR=1 ${CCACHE_PROGRAM})
endif()

## Imports the build's libraries and compile settings: MLIR and LLVM from the
## build's MLIR installation, the Exaforge libraries as imported targets, the
## build's source and binary directories (headers, generated headers) as
## include directories. Call it after project().
macro(exaforge_import_build)
  find_package(MLIR REQUIRED CONFIG PATHS "${EXAFORGE_BUILD_MLIR_DIR}"
               NO_DEFAULT_PATH)
  list(APPEND CMAKE_MODULE_PATH "${MLIR_CMAKE_DIR}" "${LLVM_CMAKE_DIR}")
  set(LLVM_USE_LINKER "${EXAFORGE_BUILD_LINKER}")
  include(HandleLLVMOptions)
  # The imported libraries link the ONNX importer's dependencies.
  find_package(Protobuf REQUIRED)
  find_package(ONNX REQUIRED)
  # ... and the runtime's MPI transport, Open MPI.
  find_package(MPI REQUIRED COMPONENTS C)
  include("${EXAFORGE_BUILD_DIR}/python/exaforge-libraries.cmake")

  include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
  include_directories("${EXAFORGE_BUILD_SOURCE_DIR}" "${EXAFORGE_BUILD_DIR}"
                      "${EXAFORGE_BUILD_SOURCE_DIR}/runtime/include")
  link_directories(${LLVM_BUILD_LIBRARY_DIR})
  separate_arguments(LLVM_DEFINITIONS_LIST NATIVE_COMMAND ${LLVM_DEFINITIONS})
  add_definitions(${LLVM_DEFINITIONS_LIST})
  set(EXAFORGE_MLIR_LIBS MLIR LLVM)
endmacro()
