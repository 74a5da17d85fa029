#!/usr/bin/env bash
# Configures (first time only) and builds Exaforge with Ninja into build/
# (or $EXAFORGE_BUILD_DIR). Uses clang-22 when installed (else the system
# C/C++ compiler), lld when installed, and ccache (set up by CMakeLists.txt).
# Extra arguments are passed to `cmake --build` (e.g. a target name:
# `utils/build.sh --target exaforge`). Parallelism: $EXAFORGE_JOBS, default 2
# (an MLIR translation unit needs about 1 GB of memory).
#
# `utils/build.sh --sanitize` (or EXAFORGE_SANITIZE=1) builds instead with
# AddressSanitizer and UndefinedBehaviorSanitizer, and the libFuzzer targets,
# into build-sanitize/ (or $EXAFORGE_BUILD_DIR); it needs clang-22. See
# docs/sanitizers-and-fuzzing.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=${EXAFORGE_SANITIZE:-0}
if [[ ${1:-} == --sanitize ]]; then
  sanitize=1
  shift
fi
if [[ $sanitize == 1 ]]; then
  build=${EXAFORGE_BUILD_DIR:-$root/build-sanitize}
else
  build=${EXAFORGE_BUILD_DIR:-$root/build}
fi
jobs=${EXAFORGE_JOBS:-2}
llvm=/usr/lib/llvm-22

say() { printf '[build] %s\n' "$*"; }

if [[ ! -f $build/CMakeCache.txt || ! -f $build/build.ninja ]]; then
  type=Release
  [[ $sanitize == 1 ]] && type=RelWithDebInfo
  args=(
    -G Ninja
    -S "$root" -B "$build"
    "-DCMAKE_BUILD_TYPE=$type"
    "-DMLIR_DIR=$llvm/lib/cmake/mlir"
    "-DLLVM_DIR=$llvm/lib/cmake/llvm"
    "-DLLVM_EXTERNAL_LIT=$llvm/bin/lit"
  )
  if [[ $sanitize == 1 ]]; then
    if ! command -v clang++-22 >/dev/null 2>&1; then
      say "--sanitize needs clang-22 (package clang-22)" >&2
      exit 1
    fi
    args+=(-DEXAFORGE_SANITIZE=ON)
  fi
  if command -v clang++-22 >/dev/null 2>&1 && command -v clang-22 >/dev/null 2>&1; then
    args+=(-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22)
    compiler=clang-22
    # clang finds ld.lld next to itself (llvm-22/bin) or on PATH.
    if [[ -x $llvm/bin/ld.lld ]] || command -v ld.lld >/dev/null 2>&1; then
      args+=(-DLLVM_USE_LINKER=lld)
    fi
  else
    compiler="$(c++ --version 2>/dev/null | head -n1 || echo 'system c++')"
    # GCC's -fuse-ld=lld looks for `ld.lld` on PATH only.
    if command -v ld.lld >/dev/null 2>&1; then
      args+=(-DLLVM_USE_LINKER=lld)
    fi
  fi
  [[ $sanitize == 1 ]] && type+=", ASan+UBSan"
  say "configuring $build ($compiler, $type)"
  log=$(mktemp)
  if ! cmake "${args[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi

say "building in $build with -j$jobs"
start=$SECONDS
# Ninja prints one status line per step; show only failures and the result.
log=$(mktemp)
if ! cmake --build "$build" -j "$jobs" "$@" >"$log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" | tail -n 60 >&2
  rm -f "$log"
  say "build FAILED" >&2
  exit 1
fi
steps=$(grep -c '^\[[0-9]*/[0-9]*\] ' "$log" || true)
# Compiler warnings are worth seeing even when the build succeeds.
if grep -q 'warning:' "$log"; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" | grep -v '^ninja: ' >&2 || true
fi
rm -f "$log"
say "built ($steps steps, $((SECONDS - start)) s)"
