"""The ctests of the device check, on a machine without a GPU.

  ctest_check.py --target cpu  --build-dir B --work W   (gpu-check-dry)
      Prepares a CPU folder of a few small models and a 256^3 GEMM and runs
      it here: the table must list every model within tolerance, the GEMM
      line must be there, and the run must succeed. One model's reference
      travels, the other's is computed at run time (both ways of run.py).
  ctest_check.py --target cuda --build-dir B --work W --cuda-toolkit T
      (gpu-check-prepare-cuda) Prepares the real CUDA folder (every model
      whose source is here) and checks that it fits the transfer (prepare
      fails otherwise), its artifacts are for sm_90 and hold the cubin and
      PTX their manifests name; run here without a GPU it must say so and
      exit with 3. Skipped (exit 77) without ptxas.
  ctest_check.py --target cuda-fake --build-dir B --work W --cuda-toolkit T
      --fake-driver D --fake-cublaslt L   (gpu-check-fake-driver)
      Runs a CUDA folder of mlp and a 256^3 GEMM through the runtime with
      the runtime tests' fake driver (it runs no kernel, so the mlp's
      values are not checked, only that it ran) and fake cuBLASLt (it
      computes on the host, so the GEMM must match torch's). Skipped
      (exit 77) without ptxas.
"""

import argparse
import glob
import json
import os
import re
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
    if not re.search(r"GEMM 256x256x256 TFLOP/s: .*exaforge f32 \S+ "
                     r"\(max\|diff\| \S+\)", output):
        return "no GEMM line"
    return None


def has_ptxas(args):
    return bool(args.cuda_toolkit) and os.access(
        os.path.join(args.cuda_toolkit, "bin", "ptxas"), os.X_OK)


def check_cuda(args, env):
    folder = os.path.join(args.work, "gpu-check-cuda")
    code, output = run(["bash", SCRIPT, "--prepare", folder,
                        "--cuda-toolkit", args.cuda_toolkit], env)
    if code != 0:
        return "prepare failed (over the limit?)"
    artifacts = glob.glob(os.path.join(folder, "models", "*", "artifact")) + \
        glob.glob(os.path.join(folder, "gemm", "artifact-*"))
    for artifact in artifacts:
        target = json.load(open(os.path.join(artifact,
                                             "manifest.json")))["target"]
        if target.get("gpu_arch") != "sm_90":
            return f"{artifact}: compiled for {target}"
        # An artifact of library calls only (the GEMM: cuBLASLt) has no
        # generated kernels, hence no cubin.
        for key in ("cubin", "ptx"):
            if key in target and not glob.glob(
                    os.path.join(artifact, target[key] + "*")):
                return f"{artifact}: no {target[key]}"
    if not glob.glob("/dev/nvidia*"):
        code, output = run(["bash", SCRIPT, folder], env)
        if code != 3 or "GPU execution is unverified" not in output:
            return f"without a GPU the check exited with {code}"
    return None


def check_fake_driver(args, env):
    folder = os.path.join(args.work, "gpu-check-fake")
    code, _ = run(["bash", SCRIPT, "--prepare", folder, "--models",
                   "mlp,gemm", "--gemm-size", "256", "--xz-preset", "0",
                   "--cuda-toolkit", args.cuda_toolkit], env)
    if code != 0:
        return "prepare failed"
    fake = dict(env, EXAFORGE_CUDA_DRIVER=args.fake_driver,
                EXAFORGE_CUBLASLT=args.fake_cublaslt)
    code, output = run(["bash", SCRIPT, folder, "--no-torch-compile"], fake)
    if code == 3:
        return "the check found no GPU despite EXAFORGE_CUDA_DRIVER"
    rows = table_rows(output)
    if "mlp" not in rows or rows["mlp"][5] == "-":
        return "the mlp did not run on the CUDA runtime"
    gemm = [line for line in output.splitlines()
            if line.startswith("GEMM 256x256x256")]
    if not gemm or "FAILED" in gemm[-1]:
        return "the GEMM did not run"
    for precision, bound in (("f32", 1e-5), ("tf32", 1e-5)):
        match = re.search(rf"exaforge {precision} \S+ \(max\|diff\| (\S+)\)",
                          gemm[-1])
        if not match:
            return f"no exaforge {precision} in the GEMM line"
        # The fake cuBLASLt computes in f32 at either precision.
        if float(match.group(1)) > bound:
            return (f"the {precision} GEMM differs from torch's by "
                    f"{match.group(1)} of the scale")
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("cpu", "cuda", "cuda-fake"),
                        required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--cuda-toolkit", default="")
    parser.add_argument("--fake-driver", default="")
    parser.add_argument("--fake-cublaslt", default="")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    env = dict(os.environ, EXAFORGE_BUILD_DIR=args.build_dir,
               EXAFORGE_PYTHON=sys.executable)
    if args.target != "cpu" and not has_ptxas(args):
        print("skipped: no CUDA toolkit with ptxas (the CUDA target cannot "
              "assemble its kernels here)")
        return SKIP
    checks = {"cpu": check_dry, "cuda": check_cuda,
              "cuda-fake": check_fake_driver}
    error = checks[args.target](args, env)
    if error:
        print(f"FAILED: {error}")
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
