#!/usr/bin/env bash
# The device check of the CUDA target (docs/design/cuda-target.md, "The
# device check"), in two steps:
#
#   utils/gpu-check.sh --prepare DIR [--target cuda|cpu] [--models a,b]
#                      [more options of utils/gpu_check/prepare.py]
#       Here, where Exaforge is built (build/, or $EXAFORGE_BUILD_DIR):
#       compiles the models for the GPU (sm_90) and fills DIR, at most
#       64 MiB, with everything the GPU machine lacks.
#   utils/gpu-check.sh DIR [--models a,b] [--no-torch-compile]
#       On the GPU machine (or `bash DIR/run.sh` there): runs the check and
#       prints one table. A folder prepared with --target cpu runs here,
#       on the CPU: that is how the harness is tested (ctest gpu-check-dry).
#
# Python: $EXAFORGE_PYTHON, else the project's .venv, else python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${EXAFORGE_PYTHON:-}
if [[ -z $python ]]; then
  if [[ -x $root/.venv/bin/python ]]; then
    python=$root/.venv/bin/python
  else
    python=python3
  fi
fi

if [[ ${1:-} == --prepare ]]; then
  if [[ $# -lt 2 ]]; then
    echo "usage: $0 --prepare DIR [options]" >&2
    exit 2
  fi
  out=$2
  shift 2
  build=${EXAFORGE_BUILD_DIR:-$root/build}
  exec "$python" "$root/utils/gpu_check/prepare.py" --out "$out" \
    --build-dir "$build" "$@"
fi

if [[ $# -lt 1 || ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
dir=$1
shift
PYTHON=$python exec bash "$dir/run.sh" "$@"
