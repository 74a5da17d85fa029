#!/usr/bin/env bash
# Installs the dependencies (utils/setup.sh), builds (utils/build.sh) and runs
# every test with ctest: the lit suite, the docs check, the ONNX node-suite
# import report and the example-model tests. Idempotent. Exits non-zero when
# a test fails; the last line of output is ctest's summary line.
# Extra arguments go to ctest (e.g. `utils/test.sh -R lit`).
#
# `utils/test.sh --sanitize` (what CI runs) leaves out the tests labelled
# `long` (ctest onnx-backend-suite) and then also builds the sanitized
# build (utils/build.sh --sanitize, into build-sanitize/), runs in it the
# tests listed in `sanitized_tests` below, and runs each libFuzzer target for
# a minute ($EXAFORGE_FUZZ_SECONDS; utils/fuzz.sh); see
# docs/sanitizers-and-fuzzing.md. The last line
# is then `N passed, N failed`, over the tests of both builds and the fuzz
# targets.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${EXAFORGE_BUILD_DIR:-$root/build}
sanitize=0
if [[ ${1:-} == --sanitize ]]; then
  sanitize=1
  shift
fi

# The tests the sanitized build runs: the lit suite, the runtime and cost
# model unit tests and the end-to-end tests (one rank, several ranks under
# mpirun, tensor-parallel shards, the example models). Left out: the ONNX
# node-suite and wheel runs and the model zoo (their 1000-odd compilations
# take too long under ASan for CI; run them by hand with
# `ctest --test-dir build-sanitize`), docs-up-to-date (nothing a sanitizer
# checks) and no-machine-paths (the line tables of a sanitized build name
# the source files, by design).
sanitized_tests='^(lit|runtime-api|runtime-links-no-llvm|plan-cost-model|example-models|end-to-end|multi-rank|tensor-parallel-shards)$'

bash "$root/utils/setup.sh"
bash "$root/utils/build.sh"

# Runs ctest in build directory $1 with the other arguments; sets `summary`
# to its summary line and `counts` to "passed failed".
run_ctest() {
  local dir=$1 log status=0
  shift
  printf '[test] ctest --test-dir %s --output-on-failure %s\n' "$dir" "$*"
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure "$@" 2>&1 | tee "$log" || status=$?
  # ctest shows no output of a skipped test: print the reason it gave (a
  # line "[NAME] SKIP: ...", as utils/slurm-cluster.sh writes).
  grep -h '^\[[a-z-]*\] SKIP: ' "$dir/Testing/Temporary/LastTest.log" 2>/dev/null || true
  # ctest ends with the total time and, on failure, the list of failed
  # tests; its summary line is repeated at the end.
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  rm -f "$log"
  if [[ -n $summary ]]; then
    local failed total
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$summary")
    counts="$((total - failed)) $failed"
  else
    summary="ctest did not report a summary (exit status $status)"
    counts="0 1"
  fi
  [[ $status -eq 0 ]]
}

# CI leaves out the tests labelled `long` (the ONNX backend runner,
# ctest onnx-backend-suite: tens of minutes); run them with
# `ctest --test-dir build -L long`.
long_tests=()
if [[ $sanitize == 1 ]]; then
  long_tests=(-LE long)
fi

status=0
run_ctest "$build" "${long_tests[@]}" "$@" || status=1
normal_summary=$summary
read -r passed failed <<<"$counts"

if [[ $sanitize == 1 ]]; then
  sanitized_build=$root/build-sanitize
  start=$SECONDS
  if EXAFORGE_BUILD_DIR=$sanitized_build bash "$root/utils/build.sh" --sanitize; then
    printf '[test] sanitized build (ASan+UBSan): %s\n' "$sanitized_tests"
    run_ctest "$sanitized_build" -R "$sanitized_tests" || status=1
    sanitized_summary=$summary
    read -r p f <<<"$counts"
    passed=$((passed + p)) failed=$((failed + f))
    fuzz_log=$(mktemp)
    EXAFORGE_BUILD_DIR=$sanitized_build bash "$root/utils/fuzz.sh" \
      --time "${EXAFORGE_FUZZ_SECONDS:-60}" \
      2>&1 | tee "$fuzz_log" || status=1
    fuzz_summary=$(tail -n 1 "$fuzz_log")
    rm -f "$fuzz_log"
    read -r p _ f _ <<<"$fuzz_summary"
    if [[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]]; then
      passed=$((passed + p)) failed=$((failed + f))
    else
      failed=$((failed + 1))
    fi
  else
    sanitized_summary="the sanitized build failed"
    fuzz_summary="not run"
    failed=$((failed + 1)) status=1
  fi
  echo
  echo "build/:          $normal_summary"
  echo "build-sanitize/: $sanitized_summary"
  echo "fuzz targets:    $fuzz_summary"
  echo "sanitized stage: $((SECONDS - start)) s"
  echo "$passed passed, $failed failed"
  exit "$status"
fi

echo
echo "$normal_summary"
exit "$status"
