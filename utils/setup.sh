#!/usr/bin/env bash
# Installs everything Exaforge needs on Debian 12 (bookworm) and creates the
# project's Python virtual environment (.venv, packages from
# utils/requirements.txt).
#
# Idempotent: the apt step runs only when a package is missing (and
# `apt-get update` only then), the pip step only when requirements.txt or the
# venv's Python changed. Needs root, or sudo for the apt step.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
requirements="$root/utils/requirements.txt"

packages=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  libclang-rt-22-dev
  libdnnl-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libboost-program-options-dev libopenmpi-dev openmpi-bin
  ninja-build ccache cmake libonnx-testdata python3-venv python3-dev
  libgtest-dev
)
# Installed without their recommendations (Slurm's would add some 30 plugin
# packages): the Slurm cluster test's daemons and clients (test/Slurm,
# utils/slurm-cluster.sh).
lean_packages=(slurmctld slurmd slurm-client munge iproute2)

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# Runs a command with its output in a log; shows the log's tail on failure.
quiet() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    printf '[setup] command failed: %s\n' "$*" >&2
    tail -n 40 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}

# Prints the packages of the given names that are not installed.
missing_packages() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ $status == ii* ]] || printf '%s\n' "$p"
  done
}

# LLVM/MLIR 22 for bookworm is published in bookworm-security. Debian 12
# images list it by default; add it when a machine's sources do not.
ensure_security_source() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
           /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    if grep -Eqs '^[^#]*bookworm-security' "$f"; then
      return 0
    fi
  done
  say "adding the bookworm-security apt source"
  as_root tee /etc/apt/sources.list.d/exaforge-bookworm-security.sources \
    >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  return 1
}

install_packages() {
  local missing missing_lean
  mapfile -t missing < <(missing_packages "${packages[@]}")
  mapfile -t missing_lean < <(missing_packages "${lean_packages[@]}")
  local total=$((${#packages[@]} + ${#lean_packages[@]}))
  if [[ ${#missing[@]} -eq 0 && ${#missing_lean[@]} -eq 0 ]]; then
    say "apt packages: all $total installed"
    return
  fi
  if [[ -r /etc/os-release ]] && ! grep -q '^VERSION_CODENAME=bookworm' /etc/os-release; then
    say "warning: this is not Debian 12 (bookworm); package names may differ"
  fi
  local all_missing=("${missing[@]}" "${missing_lean[@]}")
  say "apt packages missing: ${all_missing[*]}"
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    die "installing them needs root or sudo"
  fi
  local need_update=0
  ensure_security_source || need_update=1
  # Update only when a missing package has no install candidate (stale or
  # empty package lists, or a source just added).
  if [[ $need_update -eq 0 ]]; then
    local p candidate
    for p in "${all_missing[@]}"; do
      candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
      if [[ -z $candidate || $candidate == "(none)" ]]; then
        need_update=1
        break
      fi
    done
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [[ $need_update -eq 1 ]]; then
    say "apt-get update"
    quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  fi
  if [[ ${#missing[@]} -gt 5 ]]; then
    say "apt-get install ${#missing[@]} packages (about 1 minute and 2 GB on a fresh machine)"
  elif [[ ${#missing[@]} -gt 0 ]]; then
    say "apt-get install ${missing[*]}"
  fi
  if [[ ${#missing[@]} -gt 0 ]]; then
    quiet as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q "${missing[@]}"
  fi
  if [[ ${#missing_lean[@]} -gt 0 ]]; then
    say "apt-get install --no-install-recommends ${missing_lean[*]}"
    quiet as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing_lean[@]}"
  fi
  mapfile -t missing < <(missing_packages "${packages[@]}" "${lean_packages[@]}")
  [[ ${#missing[@]} -eq 0 ]] || die "still missing after install: ${missing[*]}"
  say "apt packages: installed"
}

# A Python 3 that can create virtual environments (venv + ensurepip): the one
# on PATH first (it may be a pyenv Python), else Debian's.
pick_python() {
  local py
  for py in "$(command -v python3 || true)" /usr/bin/python3; do
    [[ -n $py && -x $py ]] || continue
    if "$py" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' \
        >/dev/null 2>&1; then
      printf '%s\n' "$py"
      return
    fi
  done
  die "no python3 (>= 3.9) with the venv module; install python3-venv"
}

setup_venv() {
  if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    :
  else
    local py
    py=$(pick_python)
    say "creating .venv with $py ($("$py" --version 2>&1))"
    rm -rf "$venv"
    quiet "$py" -m venv "$venv"
  fi
  local stamp="$venv/.exaforge-requirements.stamp" key
  key="$(sha256sum "$requirements" | cut -d' ' -f1) $("$venv/bin/python" -c 'import sys; print(sys.version)' | head -n1)"
  if [[ -f $stamp && $(cat "$stamp") == "$key" ]]; then
    say "python packages: up to date ($venv)"
    return
  fi
  say "pip install -r utils/requirements.txt into .venv"
  quiet "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$requirements"
  printf '%s\n' "$key" >"$stamp"
  say "python packages: installed"
}

# Makes the exaforge package of this checkout's build importable in .venv:
# a .pth file in its site-packages naming build/python (or
# $EXAFORGE_BUILD_DIR/python), where the build lays out the package and its
# dist-info (the torch_dynamo_backends entry point of torch.compile). The
# package itself appears with the next build. A .venv that is a link to
# another checkout's belongs to that checkout and is left alone.
link_python_package() {
  if [[ -L $venv ]]; then
    say "exaforge package: .venv is another checkout's, not linked"
    return
  fi
  local site pth
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  pth="$site/exaforge-build.pth"
  printf '%s\n' "${EXAFORGE_BUILD_DIR:-$root/build}/python" >"$pth"
  say "exaforge package: importable in .venv from ${EXAFORGE_BUILD_DIR:-build}/python"
}

install_packages
setup_venv
link_python_package
say "done"
