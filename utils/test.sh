#!/usr/bin/env bash
# Installs the dependencies (utils/setup.sh), builds (utils/build.sh) and runs
# every test with ctest: the lit suite, the docs check, the ONNX node-suite
# import report and the example-model tests. Idempotent. Exits non-zero when
# a test fails; the last line of output is ctest's summary line.
# Extra arguments go to ctest (e.g. `utils/test.sh -R lit`).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${EXAFORGE_BUILD_DIR:-$root/build}

bash "$root/utils/setup.sh"
bash "$root/utils/build.sh"

printf '[test] ctest --test-dir %s --output-on-failure\n' "$build"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
ctest --test-dir "$build" --output-on-failure "$@" 2>&1 | tee "$log" || status=$?
# ctest ends with the total time and, on failure, the list of failed tests;
# repeat its summary line so that it is the last line.
# ctest shows no output of a skipped test: print the reason it gave (a
# line "[NAME] SKIP: ...", as utils/slurm-cluster.sh writes).
grep -h '^\[[a-z-]*\] SKIP: ' "$build/Testing/Temporary/LastTest.log" 2>/dev/null || true
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
echo
if [[ -n $summary ]]; then
  echo "$summary"
else
  echo "ctest did not report a summary (exit status $status)"
  [[ $status -ne 0 ]] || status=1
fi
exit "$status"
