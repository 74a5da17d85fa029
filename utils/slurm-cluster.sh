#!/usr/bin/env bash
# Starts a throw-away Slurm cluster on this machine, runs one command in it,
# and removes everything it started, whatever the command's outcome.
#
# Usage: utils/slurm-cluster.sh [--nodes N] [--cpus C] -- COMMAND [ARGS...]
#
# The cluster is Debian's slurm-wlm (22.05): munged, one slurmctld on a head
# "machine" and N slurmd "nodes" (default 2) of C CPUs each (default 4,
# whatever this machine has), each machine a network
# namespace of its own (`ip netns`) with its own host name (a UTS namespace):
#
#   head   10.77.0.1   bridge xfbr0, slurmctld (port 6817)
#   node1  10.77.0.11  veth xfeth0, slurmd (port 6818)
#   node2  10.77.0.12  veth xfeth0, slurmd (port 6818)
#
# The nodes reach each other and the head over the bridge only, so MPI
# traffic between them crosses a real (virtual) network. Nothing touches the
# machine's own network: the addresses live in the namespaces. The file
# system is shared, as on a cluster with a shared home directory.
#
# COMMAND runs in the head's namespace with SLURM_CONF set, so sbatch,
# squeue, scontrol and srun reach the controller, and with
#   EXAFORGE_SLURM_NODES      the node names, space-separated (node1 node2)
#   EXAFORGE_SLURM_NETNS      their network namespaces, in the same order
#   EXAFORGE_SLURM_INTERFACE  the nodes' network interface (xfeth0)
#   EXAFORGE_SLURM_DIR        the cluster's temporary directory (config, logs)
# The exit status is COMMAND's; 77 (with the reason on standard error) when
# this machine cannot host the cluster: not root, no CAP_NET_ADMIN or
# CAP_SYS_ADMIN (namespaces), no veth or bridge support, or Slurm or MUNGE
# not installed (utils/setup.sh installs them). Set EXAFORGE_SLURM_KEEP=1 to
# keep the temporary directory (logs) after the run.
#
# Jobs run as root (SlurmUser=root). MpiDefault is Slurm's default, none: a
# job chooses its MPI plugin (the scripts of `exaforge slurm` choose pmix,
# Debian's mpi_pmix_v4, which Open MPI 4.1's PMIx component needs). No
# cgroups (ProctrackType=proctrack/linuxproc, TaskPlugin=task/none). A run
# killed before its clean-up (SIGKILL) leaves namespaces xfPID-*: the next
# run removes those whose PID is gone.
set -euo pipefail
umask 022

nodes=2
cpus=4
while [[ $# -gt 0 ]]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --) shift; break ;;
    *) printf 'usage: %s [--nodes N] [--cpus C] -- COMMAND [ARGS...]\n' "$0" >&2
       exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { printf 'slurm-cluster: no command given\n' >&2; exit 2; }
[[ $nodes =~ ^[0-9]+$ && $nodes -ge 1 && $nodes -le 100 ]] ||
  { printf 'slurm-cluster: --nodes must be 1 to 100, got %s\n' "$nodes" >&2; exit 2; }
[[ $cpus =~ ^[0-9]+$ && $cpus -ge 1 ]] ||
  { printf 'slurm-cluster: --cpus must be positive, got %s\n' "$cpus" >&2; exit 2; }

readonly skip_status=77
readonly subnet=10.77.0
readonly bridge=xfbr0
readonly interface=xfeth0
# Unique per run, so that runs on one machine do not collide.
readonly prefix="xf$$"

say() { printf '[slurm-cluster] %s\n' "$*" >&2; }
skip() { say "SKIP: $*"; exit "$skip_status"; }

#===------------------------------------------------------------------------===#
# What this machine must offer
#===------------------------------------------------------------------------===#

[[ $(id -u) -eq 0 ]] || skip "needs root (network namespaces, daemons); this is uid $(id -u)"
for program in ip unshare munged slurmctld slurmd sbatch srun sinfo squeue scontrol; do
  command -v "$program" >/dev/null 2>&1 ||
    skip "'$program' is not installed (utils/setup.sh installs slurmctld slurmd slurm-client munge iproute2)"
done
plugins=$(dirname "$(dpkg -L slurm-wlm-basic-plugins 2>/dev/null | grep -m1 '/mpi_pmix.so$' || true)")
[[ -n $plugins && -e $plugins/mpi_pmix.so ]] ||
  skip "Slurm's PMIx plugin (mpi_pmix.so of slurm-wlm-basic-plugins) is not installed"

#===------------------------------------------------------------------------===#
# Clean-up: everything below is undone here, even after a failure
#===------------------------------------------------------------------------===#

dir=""
munged_pid=""
namespaces=()

cleanup() {
  local status=$? ns pids left
  trap - EXIT INT TERM
  # Every process in a namespace: daemons, slurmstepd, job steps, ranks.
  for ns in "${namespaces[@]}"; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
  done
  if [[ -n $munged_pid ]]; then
    kill -TERM "$munged_pid" 2>/dev/null || true
  fi
  # Waits (at most 5 s) until they are gone, so that nothing holds the
  # namespaces or the directory.
  for _ in $(seq 50); do
    left=""
    for ns in "${namespaces[@]}"; do
      left+=$(ip netns pids "$ns" 2>/dev/null || true)
    done
    if [[ -n $munged_pid ]] && kill -0 "$munged_pid" 2>/dev/null; then
      left+=" $munged_pid"
    fi
    [[ -z ${left// /} ]] && break
    sleep 0.1
  done
  for ns in "${namespaces[@]}"; do
    ip netns delete "$ns" 2>/dev/null || true
  done
  if [[ -n $dir ]]; then
    if [[ $status -ne 0 && $status -ne $skip_status ]]; then
      # What the daemons said, for a failure in CI.
      tail -n 15 "$dir"/log/*.log >&2 2>/dev/null || true
    fi
    if [[ ${EXAFORGE_SLURM_KEEP:-0} == 1 ]]; then
      say "kept $dir (configuration and logs)"
    else
      rm -rf "$dir"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

#===------------------------------------------------------------------------===#
# Network: a bridge in the head's namespace, one veth pair per node
#===------------------------------------------------------------------------===#

# Runs a command; skips the test, saying why, when it fails.
run_or_skip() {
  local why=$1 error
  shift
  error=$("$@" 2>&1) || skip "$why ($*: ${error//$'\n'/ })"
}
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The namespaces of earlier runs that were killed before their clean-up.
remove_stale_namespaces() {
  local ns pid pids
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    [[ $ns =~ ^xf([0-9]+)-(head|node[0-9]+)$ ]] || continue
    pid=${BASH_REMATCH[1]}
    kill -0 "$pid" 2>/dev/null && continue
    say "removing namespace $ns of an earlier run (process $pid is gone)"
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
  done
}
remove_stale_namespaces

head_ns="$prefix-head"
namespaces+=("$head_ns")
run_or_skip "cannot create a network namespace: needs CAP_SYS_ADMIN and CAP_NET_ADMIN" \
  ip netns add "$head_ns"
run_or_skip "cannot configure a network namespace: needs CAP_NET_ADMIN" \
  in_ns "$head_ns" ip link set lo up
run_or_skip "cannot create a UTS namespace (for the nodes' host names): needs CAP_SYS_ADMIN" \
  unshare --uts true
run_or_skip "cannot create a bridge (kernel module 'bridge')" \
  in_ns "$head_ns" ip link add "$bridge" type bridge
in_ns "$head_ns" ip addr add "$subnet.1/24" dev "$bridge"
in_ns "$head_ns" ip link set "$bridge" up

node_names=()
node_namespaces=()
for ((i = 1; i <= nodes; ++i)); do
  name="node$i"
  ns="$prefix-$name"
  ip netns add "$ns"
  namespaces+=("$ns")
  node_names+=("$name")
  node_namespaces+=("$ns")
  in_ns "$ns" ip link set lo up
  # The pair is made in the node's namespace; its peer moves to the head.
  run_or_skip "cannot create a veth pair (kernel module 'veth')" \
    in_ns "$ns" ip link add "$interface" type veth peer name "xfveth$i" netns "$head_ns"
  in_ns "$ns" ip addr add "$subnet.$((10 + i))/24" dev "$interface"
  in_ns "$ns" ip link set "$interface" up
  in_ns "$head_ns" ip link set "xfveth$i" master "$bridge"
  in_ns "$head_ns" ip link set "xfveth$i" up
done

#===------------------------------------------------------------------------===#
# MUNGE and the Slurm configuration
#===------------------------------------------------------------------------===#

dir=$(mktemp -d "${TMPDIR:-/tmp}/exaforge-slurm.XXXXXX")
# munged wants its socket's directories searchable by all.
chmod 0711 "$dir"
mkdir -p "$dir/munge" "$dir/state" "$dir/log"
# A fresh key: this cluster trusts nobody else.
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 0400 "$dir/munge/munge.key"
socket="$dir/munge/munge.socket"
munged --foreground --force --socket="$socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
  --seed-file="$dir/munge/munged.seed" --num-threads=2 \
  >"$dir/log/munged.out" 2>&1 &
munged_pid=$!
# The clean-up kills the daemons; bash need not report it.
disown "$munged_pid"
for _ in $(seq 100); do
  [[ -S $socket ]] && break
  kill -0 "$munged_pid" 2>/dev/null || { cat "$dir/log/munged.out" >&2; say "munged did not start"; exit 1; }
  sleep 0.05
done

conf="$dir/slurm.conf"
{
  cat <<CONF
# Written by utils/slurm-cluster.sh for one test run.
ClusterName=exaforge
SlurmctldHost=head($subnet.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
PluginDir=$plugins
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$dir/state
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdSpoolDir=$dir/spool-%n
SlurmdPidFile=$dir/spool-%n/slurmd.pid
SlurmdLogFile=$dir/log/slurmd-%n.log
# The nodes share this machine's /tmp: Slurm's PMIx plugin keeps per-step
# files under TmpFS by names without the node's.
TmpFS=$dir/tmp-%n
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups: processes are tracked through /proc, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MailProg=/bin/true
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# The nodes are this machine's cores seen several times: trust the
# configuration, not the hardware slurmd finds.
SlurmdParameters=config_overrides
ReturnToService=2
# Fail fast: a test waits on these.
SlurmctldTimeout=30
SlurmdTimeout=30
MessageTimeout=10
KillWait=5
InactiveLimit=0
MinJobAge=300
CONF
  for name in "${node_names[@]}"; do
    i=${name#node}
    printf 'NodeName=%s NodeAddr=%s CPUs=%d RealMemory=1024 State=UNKNOWN\n' \
      "$name" "$subnet.$((10 + i))" "$cpus"
  done
  printf 'PartitionName=exaforge Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n'
} >"$conf"
# slurmd 22.05 loads a cgroup plugin even when no plugin uses cgroups; the
# explicit choice skips the detection, which fails where /sys/fs/cgroup is
# not mounted (as in `ip netns exec`'s fresh /sys).
printf 'CgroupPlugin=cgroup/v1\n' >"$dir/cgroup.conf"
for name in "${node_names[@]}"; do
  mkdir -p "$dir/spool-$name"
  mkdir -m 1777 "$dir/tmp-$name"
done
export SLURM_CONF="$conf"

#===------------------------------------------------------------------------===#
# The daemons, each in its machine's namespaces, in the foreground
#===------------------------------------------------------------------------===#

# Runs a daemon in namespace $1 with host name $2; its output goes to
# log/$2.out.
start_daemon() {
  local ns=$1 host=$2
  shift 2
  ip netns exec "$ns" unshare --uts sh -c 'hostname "$1" && shift && exec "$@"' \
    sh "$host" "$@" </dev/null >"$dir/log/$host.out" 2>&1 &
  disown $!
}
start_daemon "$head_ns" head slurmctld -D -i -f "$conf"
for ((i = 0; i < nodes; ++i)); do
  start_daemon "${node_namespaces[i]}" "${node_names[i]}" \
    slurmd -D -N "${node_names[i]}" -f "$conf"
done

# Waits (at most 30 s) until every node is idle.
say "waiting for $nodes nodes (logs in $dir/log)"
for attempt in $(seq 150); do
  idle=$(in_ns "$head_ns" sinfo -h -N -t idle -o '%N' 2>/dev/null | sort -u | wc -l || true)
  [[ $idle -eq $nodes ]] && break
  if [[ $attempt -eq 150 ]]; then
    in_ns "$head_ns" sinfo -N -l >&2 || true
    tail -n 20 "$dir"/log/*.out >&2 || true
    say "the nodes did not become idle within 30 s"
    exit 1
  fi
  sleep 0.2
done
say "cluster up: ${node_names[*]} idle"

export EXAFORGE_SLURM_NODES="${node_names[*]}"
export EXAFORGE_SLURM_NETNS="${node_namespaces[*]}"
export EXAFORGE_SLURM_INTERFACE="$interface"
export EXAFORGE_SLURM_DIR="$dir"
# In the background with our standard input, so that a SIGTERM (a timeout)
# reaches the trap at once rather than after the command.
in_ns "$head_ns" "$@" <&0 &
command_pid=$!
status=0
wait "$command_pid" || status=$?
exit "$status"
