#!/usr/bin/env bash
# Quick start (the README's main job): installs the dependencies
# (utils/setup.sh), builds (utils/build.sh), generates the example models
# into build/examples/, compiles each with `exaforge compile --ranks N` into
# an artifact for N ranks on this CPU (the MLP and the CNN data-parallel on
# 2 ranks, GPT-2 on 4: 2 pipeline stages of 2 tensor-parallel ranks), runs it with `exaforge-run -n N`
# (N MPI processes) and prints its outputs next to onnxruntime's with the
# largest difference (utils/compare_with_onnxruntime.py). Exits 1 when a model fails to compile
# or its results differ from onnxruntime beyond the stated tolerance.
# Idempotent.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${EXAFORGE_BUILD_DIR:-$root/build}
examples=$build/examples
exaforge=$build/bin/exaforge
exaforge_run=$build/bin/exaforge-run
python=$root/.venv/bin/python

say() { printf '[quickstart] %s\n' "$*"; }

bash "$root/utils/setup.sh"
bash "$root/utils/build.sh"

say "generating the example models into $examples"
"$python" "$root/utils/gen_example_models.py" \
  --out-dir "$examples" | sed 's/^/[quickstart]   /'

# model  layout  ranks  batch  rtol  atol (the end-to-end tests' tolerances,
# test/E2E); the layout flags of `exaforge compile`, comma-separated.
cases=(
  "mlp    --dp=2 2 3 1e-4 1e-5"
  "gpt2   --pp=2,--tp=2 4 4 1e-3 1e-4"
  "resnet --dp=2 2 2 1e-4 1e-4"
)
failed=0
for case in "${cases[@]}"; do
  read -r model layout ranks batch rtol atol <<<"$case"
  IFS=, read -ra flags <<<"$layout"
  say "exaforge compile $model.onnx -o $model.xf --ranks $ranks ${flags[*]}"
  start=$(date +%s%N)
  if ! "$exaforge" compile "$examples/$model.onnx" -o "$examples/$model.xf" \
      --ranks "$ranks" "${flags[@]}"; then
    say "FAIL: $model did not compile"
    failed=1
    continue
  fi
  milliseconds=$((($(date +%s%N) - start) / 1000000))
  say "compiled in ${milliseconds} ms; exaforge-run -n $ranks $model.xf (batch $batch) vs onnxruntime:"
  if ! "$python" "$root/utils/compare_with_onnxruntime.py" \
      "$examples/$model.onnx" "$examples/$model.xf" --batch "$batch" \
      --rtol "$rtol" --atol "$atol" --exaforge "$exaforge" \
      --ranks "$ranks" --exaforge-run "$exaforge_run"; then
    say "FAIL: $model differs from onnxruntime"
    failed=1
  fi
done
if [[ $failed -ne 0 ]]; then
  say "FAILED"
  exit 1
fi
say "done: every example matches onnxruntime; artifacts in $examples/*.xf"
say "run 'bash utils/test.sh' for the whole test suite"
