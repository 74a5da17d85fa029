#!/usr/bin/env bash
# The Slurm cluster test: runs inside utils/slurm-cluster.sh (two namespaced
# nodes; see docs/slurm-cluster-test.md), as ctest's `slurm-cluster`:
#
#   bash utils/slurm-cluster.sh -- bash test/Slurm/run-cluster-test.sh
#
# 1. Compiles the example GPT-2 (utils/gen_example_models.py) for 4 ranks,
#    2 data- x 2 tensor-parallel, writes its job script with `exaforge
#    slurm --nodes 2 --tasks-per-node 2 --cpus-per-task 2`, submits it with
#    sbatch and checks
#    that the job completes on both nodes and that its outputs equal
#    onnxruntime's (utils/compare_with_onnxruntime.py, the end-to-end tests'
#    GPT-2 tolerances). The ranks talk over TCP between the namespaces
#    (Open MPI's tcp transport on the nodes' veth interface only).
# 2. Submits the same model for many timed runs (--benchmark), kills every
#    rank on the last node with SIGKILL once they run, and checks that the
#    job fails within 10 s with a line naming a killed rank and its node.
#
# Environment: EXAFORGE (the compiler; default build/bin/exaforge, next to
# the exaforge-run the job script calls),
# EXAFORGE_PYTHON (a Python with numpy, onnx and onnxruntime; default
# .venv/bin/python), and the EXAFORGE_SLURM_* variables of slurm-cluster.sh.
# Works in ./slurm-work (removed after a success).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
exaforge=${EXAFORGE:-$root/build/bin/exaforge}
python=${EXAFORGE_PYTHON:-$root/.venv/bin/python}
: "${EXAFORGE_SLURM_NODES:?run me through utils/slurm-cluster.sh}"
read -ra node_names <<<"$EXAFORGE_SLURM_NODES"
read -ra node_namespaces <<<"$EXAFORGE_SLURM_NETNS"
nodes=${#node_names[@]}
[[ $nodes -eq 2 ]] || { echo "error: the test needs 2 nodes, the cluster has $nodes" >&2; exit 1; }

# Open MPI: TCP between the ranks (also between two ranks of one node, so
# every byte crosses a network interface), on the nodes' interface only.
export OMPI_MCA_btl=tcp,self
export OMPI_MCA_btl_tcp_if_include=$EXAFORGE_SLURM_INTERFACE
export OMPI_MCA_oob_tcp_if_include=$EXAFORGE_SLURM_INTERFACE

# The end-to-end tests' GPT-2 tolerances (utils/quickstart.sh).
readonly batch=4 rtol=1e-3 atol=1e-4
# Bounds, in seconds; a killed rank ends its job within 10 s (issue 14).
readonly job_limit=90 start_limit=60 failure_limit=10
# Whether Exaforge's own line (exaforge-run: error: ...) must name a killed
# rank and its node, not only Slurm's: exaforge-run names a rank that died
# without a word and its node (runtime/launcher/Launcher.cpp).
readonly require_exaforge_line=1

say() { printf '[slurm-test] %s\n' "$*"; }
fail() { say "FAIL: $*"; exit 1; }

work=$PWD/slurm-work
rm -rf "$work"
mkdir -p "$work"
cd "$work"

# The state of job $1 (PENDING, RUNNING, COMPLETED, FAILED, ...).
job_state() {
  scontrol show job -o "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2
}

# Waits at most $2 seconds for job $1 to end; prints its final state
# (TIMEOUT_IN_TEST when it did not end, after cancelling it).
wait_for_job() {
  local job=$1 limit=$2 state start=$SECONDS
  while true; do
    state=$(job_state "$job")
    case $state in
      PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED) ;;
      *) printf '%s\n' "$state"; return ;;
    esac
    if ((SECONDS - start >= limit)); then
      scancel "$job" || true
      printf 'TIMEOUT_IN_TEST\n'
      return
    fi
    sleep 0.25
  done
}

#===------------------------------------------------------------------------===#
# 1. A 2-node data- and tensor-parallel job equals onnxruntime
#===------------------------------------------------------------------------===#

say "compiling the example GPT-2 for 2 nodes x 2 ranks (--dp 2 --tp 2)"
"$python" "$root/utils/gen_example_models.py" --out-dir . --model gpt2 >/dev/null
"$exaforge" compile gpt2.onnx -o gpt2.xf --ranks 4 --dp 2 --tp 2
input_args=()
while IFS= read -r input; do
  input_args+=(--input "$input")
done < <("$python" "$root/utils/compare_with_onnxruntime.py" gpt2.onnx \
           --save-inputs inputs --batch "$batch")

"$exaforge" slurm gpt2.xf --nodes 2 --tasks-per-node 2 --cpus-per-task 2 --time 5 \
  --job-name exaforge-gpt2 "${input_args[@]}" --output-dir outputs -o gpt2.sbatch
start=$SECONDS
job=$(sbatch --parsable gpt2.sbatch)
say "submitted gpt2.sbatch as job $job"
state=$(wait_for_job "$job" "$job_limit")
log=exaforge-gpt2-$job.out
say "job $job: $state after $((SECONDS - start)) s; its output:"
sed 's/^/  | /' "$log" || true
[[ $state == COMPLETED ]] || fail "job $job ended $state, not COMPLETED"
nodelist=$(scontrol show job -o "$job" | grep -o ' NodeList=[^ ]*' | cut -d= -f2)
[[ $nodelist == "node[1-2]" ]] || fail "job $job ran on '$nodelist', not on node[1-2]"
grep -q '^ranks: 4 (mesh dp=2 tp=2)' "$log" || fail "job $job did not run 4 ranks as dp=2 tp=2"
say "comparing its outputs with onnxruntime"
"$python" "$root/utils/compare_with_onnxruntime.py" gpt2.onnx --outputs outputs \
  --batch "$batch" --rtol "$rtol" --atol "$atol" ||
  fail "job $job's outputs differ from onnxruntime's"

#===------------------------------------------------------------------------===#
# 2. Killing one node's ranks fails the job, naming a rank and the node
#===------------------------------------------------------------------------===#

victim_node=${node_names[nodes - 1]}
victim_ns=${node_namespaces[nodes - 1]}
# Enough timed runs to outlast the test; the kill ends them.
"$exaforge" slurm gpt2.xf --nodes 2 --tasks-per-node 2 --time 5 \
  --job-name exaforge-killed "${input_args[@]}" --benchmark 1000000 -o killed.sbatch
job=$(sbatch --parsable killed.sbatch)
log=exaforge-killed-$job.out
say "submitted killed.sbatch as job $job; waiting for its ranks on $victim_node"

# The pids of the ranks (exaforge-run --worker) in the victim's namespace.
ranks_on_victim() {
  local pid
  for pid in $(ip netns pids "$victim_ns" 2>/dev/null); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- 'exaforge-run --worker' &&
      printf '%s\n' "$pid"
  done
}
start=$SECONDS
while true; do
  mapfile -t pids < <(ranks_on_victim)
  [[ ${#pids[@]} -eq 2 ]] && break
  state=$(job_state "$job")
  [[ $state == PENDING || $state == CONFIGURING || $state == RUNNING ]] ||
    { sed 's/^/  | /' "$log" || true; fail "job $job ended $state before its ranks ran"; }
  ((SECONDS - start < start_limit)) ||
    { scancel "$job"; fail "the ranks of job $job did not start on $victim_node within $start_limit s"; }
  sleep 0.1
done
# Let them get into their runs (start-up takes well under a second).
sleep 2
killed_ranks=()
for pid in "${pids[@]}"; do
  killed_ranks+=("$(tr '\0' '\n' <"/proc/$pid/environ" | sed -n 's/^SLURM_PROCID=//p')")
done
say "killing ranks ${killed_ranks[*]} on $victim_node (pids ${pids[*]}) with SIGKILL"
kill -KILL "${pids[@]}"
killed_at=$SECONDS
state=$(wait_for_job "$job" "$failure_limit")
seconds=$((SECONDS - killed_at))
say "job $job: $state $seconds s after the kill; its output:"
sed 's/^/  | /' "$log" || true
[[ $state != TIMEOUT_IN_TEST ]] ||
  fail "job $job did not end within $failure_limit s of the kill"
[[ $state == FAILED ]] || fail "job $job ended $state, not FAILED, after its ranks were killed"
grep -q '^benchmark:' "$log" && fail "job $job finished its runs: the kill came too late"

# A line names a killed rank (as "rank R" or Slurm's "task R"/"tasks R-S")
# and the node. Slurm's srun prints one ("srun: error: node2: tasks 2-3:
# Killed"); Exaforge's own line (exaforge-run: error: ...) may too.
names_rank_and_node() {
  local rank
  for rank in "${killed_ranks[@]}"; do
    grep -E "(\\b(rank|task)s? $rank\\b.*\\b$victim_node\\b)|(\\b$victim_node\\b.*\\b(rank|task)s? $rank\\b)" &&
      return 0
  done
  return 1
}
names_rank_and_node <"$log" >/dev/null ||
  fail "no line of job $job's output names a killed rank (${killed_ranks[*]}) and $victim_node"
say "named by: $(names_rank_and_node <"$log" | head -n1)"
if exaforge_line=$(grep '^exaforge-run: error:' "$log" | names_rank_and_node | head -n1); then
  say "Exaforge's own line names them: $exaforge_line"
elif [[ $require_exaforge_line == 1 ]]; then
  fail "no exaforge-run line of job $job names a killed rank and $victim_node"
else
  say "note: no exaforge-run line names the rank and node (only Slurm's does)"
fi

cd ..
rm -rf "$work"
say "PASS"
