"""The ctests of the device check, on a machine without a GPU.

  ctest_check.py --target cpu  --build-dir B --work W   (gpu-check-dry)
      Prepares a CPU folder of a few small models and a 256^3 GEMM and runs
      it here: the table must list every model within tolerance, the GEMM
      line must be there, and the run must succeed. One model's reference
      travels, the other's is computed at run time (both ways of run.py).
  ctest_check.py --target cuda --build-dir B --work W --cuda-toolkit T
      (gpu-check-prepare-cuda) Prepares the real CUDA folder (every model
      whose source is here) and checks that it fits the transfer (prepare
      fails otherwise) and holds a cubin per artifact; run here without a
      GPU it must say so and exit with 3. Skipped (exit 77) without ptxas.
"""

import argparse
import glob
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(HERE), "gpu-check.sh")
SKIP = 77
# The dry run's models: small, and covering a reference carried (mlp), one
# computed at run time (gpt2's 128 KiB logits), weights rebuilt from the
# model with folded BatchNorm weights carried (resnet).
DRY_MODELS = ("mlp", "gpt2", "resnet")


def run(command, env=None):
    """Runs `command`, echoing its output; returns (exit status, output)."""
    print("$", " ".join(command), flush=True)
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    print(result.stdout, end="")
    print(f"(exit {result.returncode}, {time.perf_counter() - start:.1f} s)",
          flush=True)
    return result.returncode, result.stdout


def table_rows(output):
    """The model rows of the table: {name: fields}."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("model ")) + 2
    rows = {}
    for line in lines[start:]:
        if line.startswith("GEMM ") or not line.strip():
            break
        fields = line.split()
        rows[fields[0]] = fields
    return rows


def check_dry(args, env):
    folder = os.path.join(args.work, "gpu-check-dry")
    code, _ = run(["bash", SCRIPT, "--prepare", folder, "--target", "cpu",
                   "--models", ",".join(DRY_MODELS) + ",gemm",
                   "--gemm-size", "256", "--reference-limit-mib", "0.01",
                   "--xz-preset", "0"], env)
    if code != 0:
        return "prepare failed"
    code, output = run(["bash", SCRIPT, folder], env)
    if code != 0:
        return f"the check exited with {code}"
    rows = table_rows(output)
    for name in DRY_MODELS:
        if name not in rows:
            return f"no row for {name}"
        if rows[name][3] != "yes":
            return f"{name} is not within tolerance: {rows[name]}"
    if "GEMM 256x256x256: exaforge f32" not in output:
        return "no GEMM line"
    return None


def check_cuda(args, env):
    ptxas = os.path.join(args.cuda_toolkit or "", "bin", "ptxas")
    if not args.cuda_toolkit or not os.access(ptxas, os.X_OK):
        print("skipped: no CUDA toolkit with ptxas (the CUDA target cannot "
              "assemble its kernels here)")
        return SKIP
    folder = os.path.join(args.work, "gpu-check-cuda")
    code, output = run(["bash", SCRIPT, "--prepare", folder,
                        "--cuda-toolkit", args.cuda_toolkit], env)
    if code != 0:
        return "prepare failed (over the limit?)"
    artifacts = glob.glob(os.path.join(folder, "*", "*", "artifact")) + \
        glob.glob(os.path.join(folder, "gemm", "artifact"))
    for artifact in artifacts:
        if not glob.glob(os.path.join(artifact, "kernels.sm_90.cubin*")):
            return f"{artifact}: no sm_90 cubin"
    if not glob.glob("/dev/nvidia*"):
        code, output = run(["bash", SCRIPT, folder], env)
        if code != 3 or "GPU execution is unverified" not in output:
            return f"without a GPU the check exited with {code}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("cpu", "cuda"), required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--cuda-toolkit", default="")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    env = dict(os.environ, EXAFORGE_BUILD_DIR=args.build_dir,
               EXAFORGE_PYTHON=sys.executable)
    error = check_dry(args, env) if args.target == "cpu" else \
        check_cuda(args, env)
    if error == SKIP:
        return SKIP
    if error:
        print(f"FAILED: {error}")
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
