#!/usr/bin/env bash
# Quick start: installs the dependencies (utils/setup.sh), builds
# (utils/build.sh), generates the example models into build/examples/,
# imports the MLP and prints its graph-dialect IR, then checks that all three
# examples (mlp, gpt2, resnet) import and round-trip through exaforge-opt.
# Idempotent.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${EXAFORGE_BUILD_DIR:-$root/build}
examples=$build/examples
exaforge=$build/bin/exaforge
opt=$build/bin/exaforge-opt

say() { printf '[quickstart] %s\n' "$*"; }

bash "$root/utils/setup.sh"
bash "$root/utils/build.sh"

say "generating the example models into $examples"
"$root/.venv/bin/python" "$root/utils/gen_example_models.py" \
  --out-dir "$examples" | sed 's/^/[quickstart]   /'

# "graph.gemm 3, graph.relu 2, ..." for the graph-dialect ops of an IR file.
op_counts() {
  grep -oE '^ *(%[^ ]+ = )?graph\.[a-z0-9_]+' "$1" |
    sed -E 's/.*= //; s/^ +//' | sort | uniq -c | sort -k1,1nr -k2 |
    awk '{printf "%s%s %s", sep, $2, $1; sep = ", "} END {print ""}'
}

say "exaforge import $examples/mlp.onnx -o $examples/mlp.mlir"
"$exaforge" import "$examples/mlp.onnx" -o "$examples/mlp.mlir"
echo "----- mlp.mlir (first 40 lines of the module; weights are dense resources) -----"
# The module without the trailing dialect_resources blob; long lines cut.
sed '/^{-#/,$d' "$examples/mlp.mlir" | head -n 40 | cut -c 1-200
echo "-----"
say "mlp ops: $(op_counts "$examples/mlp.mlir")"

failed=0
for model in mlp gpt2 resnet; do
  ir=$examples/$model.mlir
  if ! "$exaforge" import "$examples/$model.onnx" -o "$ir"; then
    say "FAIL: exaforge import $model.onnx"
    failed=1
    continue
  fi
  if ! "$opt" "$ir" -o "$examples/$model.opt.mlir"; then
    say "FAIL: exaforge-opt $model.mlir"
    failed=1
    continue
  fi
  before=$(op_counts "$ir")
  after=$(op_counts "$examples/$model.opt.mlir")
  if [[ $before != "$after" ]]; then
    say "FAIL: $model: exaforge-opt changed the ops: $before -> $after"
    failed=1
    continue
  fi
  say "ok: $model.onnx -> exaforge import -> exaforge-opt ($(grep -cE '^ *(%[^ ]+ = )?graph\.' "$ir") graph ops)"
done
if [[ $failed -ne 0 ]]; then
  say "FAILED"
  exit 1
fi
say "done: IR in $examples/*.mlir; run 'bash utils/test.sh' for the test suite"
