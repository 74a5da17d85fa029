#!/usr/bin/env bash
# Runs Exaforge's libFuzzer targets (test/Fuzz) of a sanitized build
# (utils/build.sh --sanitize), each for a fixed time, and says what each
# found. Usage:
#   utils/fuzz.sh [--time SECONDS] [TARGET...]
# TARGET is onnx-import, manifest, npy, tensor-proto or machine-yaml; all by
# default. --time: seconds per target (default 60). Build directory:
# $EXAFORGE_BUILD_DIR, default build-sanitize/.
#
# Each target starts from the seeds utils/make_fuzz_seeds.py writes into
# <build>/fuzz/seeds/<target> and keeps what it learns in
# <build>/fuzz/corpus/<target> (so a later run goes on from there). A crash,
# abort, sanitizer report, timeout (-timeout, 25 s for one input) or memory
# excess (-rss_limit_mb, 2048 MB) is a finding: the input lands in
# <build>/fuzz/findings/<target>/ and the script fails (findings of earlier
# runs stay there; delete them once fixed). An input slower than
# libFuzzer's report threshold (10 s) but under the timeout lands there too
# as `slow-unit-...`; it is printed as a note, not counted as a finding:
# one input of 65 bytes once took 31 s without reaching the timeout (the
# machine had stalled) and 0.09 s when replayed. Replay one with
#   <build>/bin/exaforge-fuzz-<target> <build>/fuzz/findings/<target>/crash-...
# The last line is `N passed, N failed` (targets without and with findings).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${EXAFORGE_BUILD_DIR:-$root/build-sanitize}
seconds=60
# libFuzzer's -timeout: an input that runs longer is a finding (a hang).
timeout_seconds=25
all=(onnx-import manifest npy tensor-proto machine-yaml)
targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --time) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")

say() { printf '[fuzz] %s\n' "$*"; }

python=$root/.venv/bin/python
fuzz=$build/fuzz
say "writing the seed corpora into $fuzz/seeds"
"$python" "$root/utils/make_fuzz_seeds.py" --build-dir "$build" \
  --out-dir "$fuzz/seeds"

# The manifest target opens manifests that name the runtime tests' compiled
# model library (test/Fuzz/ManifestFuzzer.cpp).
export EXAFORGE_FUZZ_MODEL_LIBRARY=$build/runtime/test/affine.xf/model.so
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# The findings of TARGET so far, and its slow units, counted apart (see the
# comment at the top).
count_findings() { find "$fuzz/findings/$1" -type f ! -name 'slow-unit-*' | wc -l; }
count_slow_units() { find "$fuzz/findings/$1" -type f -name 'slow-unit-*' | wc -l; }

passed=0 failed=0
for target in "${targets[@]}"; do
  binary=$build/bin/exaforge-fuzz-$target
  if [[ ! -x $binary ]]; then
    say "$target: no $binary (build with utils/build.sh --sanitize)" >&2
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$fuzz/corpus/$target" "$fuzz/findings/$target"
  log=$fuzz/$target.log
  say "$target: ${seconds} s"
  before=$(count_findings "$target")
  slow_before=$(count_slow_units "$target")
  status=0
  "$binary" "$fuzz/corpus/$target" "$fuzz/seeds/$target" \
    -max_total_time="$seconds" -timeout="$timeout_seconds" -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$fuzz/findings/$target/" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  findings=$(($(count_findings "$target") - before))
  if [[ $(($(count_slow_units "$target") - slow_before)) -gt 0 ]]; then
    say "$target: note: a slow input that did not reach the ${timeout_seconds} s timeout (replay it to see whether it is slow):" >&2
    grep -E 'Slowest unit|slow-unit' "$log" | head -n 4 >&2 || true
  fi
  if [[ $status -eq 0 && $findings -eq 0 ]]; then
    say "$target: ${runs:-?} executions (${rate:-?}/s), no finding"
    passed=$((passed + 1))
  else
    say "$target: FINDING (exit status $status; ${runs:-?} executions):" >&2
    grep -E 'ERROR|runtime error|Test unit written|SUMMARY' "$log" | head -n 20 >&2 || true
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
