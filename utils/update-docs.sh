#!/usr/bin/env bash
# Regenerates the dialect and pass documentation (mlir-tblgen -gen-*-doc) and
# copies it to docs/generated/. Run after changing a .td file; the ctest test
# `docs-up-to-date` fails until you do.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EXAFORGE_BUILD_DIR:-$root/build}
ninja -C "$build" mlir-doc >/dev/null
rm -rf "$root/docs/generated"
mkdir -p "$root/docs/generated"
cp -r "$build/docs/." "$root/docs/generated/"
echo "docs/generated updated from $build/docs"
