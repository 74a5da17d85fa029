#!/usr/bin/env bash
# The device check (docs/design/cuda-target.md, "The device check"): runs
# the models of this folder through libexaforge_runtime.so and PyTorch and
# prints one table. Needs python3 (or $PYTHON) with numpy, onnx,
# onnxruntime and torch. Arguments go to gpu_check/run.py
# (--models a,b --no-torch-compile --time-budget S).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python3}" -m gpu_check.run "$here" "$@"
