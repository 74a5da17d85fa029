#!/usr/bin/env python3
"""Fails when a path of a developer's machine is in the repository or the
binaries.

Paths such as a shared folder of the developers, a scratch directory or a
home directory mean nothing on a user's machine: documentation must say what
it needs itself (docs/), and binaries must not carry the build machine's
directories (RUNPATH entries are relative, `$ORIGIN/../lib`).

Checks:
  - every file git tracks under --source, and the new files it does not
    ignore (every file, when it is not a git checkout), as text, except the few allowed uses listed in ALLOWED;
  - the files given with --binary (the tools and the runtime libraries), as
    bytes, the way `strings` reads them, for the same paths and for the
    source and build directories of this build (--source, --build-dir).

Usage:
  check_machine_paths.py --source DIR [--build-dir DIR] [--binary FILE ...]
Prints each finding as FILE:LINE: TEXT and exits 1 if there is one.
"""

import argparse
import os
import re
import subprocess
import sys

# Paths that belong to one machine: a developers' shared folder, the
# machines' work and scratch directories, home directories.
MACHINE_PATH = re.compile(r"(?<![\w.-])(/work/|/tmp/|/home/|/root/)|\.\./shared\b")

# Tracked files allowed to mention such a path, and why. Keep this short: a
# test writes under lit's %t, never under a fixed directory.
ALLOWED = {
    # This checker spells the paths it looks for.
    "utils/check_machine_paths.py":
        "the patterns the check looks for",
    # The checker's own test: a tree and a binary with the paths it must
    # report.
    "test/Utils/check-machine-paths.test":
        "examples of what the check reports",
}


def tracked_files(source):
    """The files git tracks or would track under `source`, or every file
    below it."""
    try:
        out = subprocess.run(["git", "-C", source, "ls-files", "-z",
                              "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout
        return [name for name in out.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        names = []
        for root, dirs, files in os.walk(source):
            dirs[:] = [d for d in dirs if not d.startswith(".")
                       and d != "build"]
            names += [os.path.relpath(os.path.join(root, f), source)
                      for f in files]
        return names


def check_sources(source):
    """Yields FILE:LINE: TEXT for each machine path in a tracked file."""
    for name in sorted(tracked_files(source)):
        if name in ALLOWED:
            continue
        path = os.path.join(source, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as file:
            data = file.read()
        if b"\0" in data:
            continue  # a binary file (e.g. an ONNX model)
        for number, line in enumerate(data.decode("utf-8", "replace")
                                      .splitlines(), 1):
            if MACHINE_PATH.search(line):
                yield f"{name}:{number}: {line.strip()}"


def printable_strings(data, minimum=4):
    """The runs of printable ASCII in `data`, as `strings` finds them."""
    return re.findall(rb"[\x20-\x7e]{%d,}" % minimum, data)


def check_binaries(binaries, directories):
    """Yields FILE: STRING for each machine path, or any of `directories`,
    in the strings of the binaries."""
    extra = [re.escape(d.rstrip("/").encode()) for d in directories if d]
    pattern = re.compile(MACHINE_PATH.pattern.encode() +
                         b"".join(b"|" + d for d in extra))
    for binary in binaries:
        if not os.path.exists(binary):
            yield f"{binary}: missing (build it first)"
            continue
        with open(binary, "rb") as file:
            data = file.read()
        for text in sorted(set(printable_strings(data))):
            if pattern.search(text):
                yield f"{binary}: {text.decode()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--build-dir")
    parser.add_argument("--binary", action="append", default=[])
    args = parser.parse_args()
    source = os.path.realpath(args.source)
    directories = [source]
    if args.build_dir:
        directories.append(os.path.realpath(args.build_dir))
    findings = list(check_sources(source))
    findings += check_binaries(args.binary, directories)
    for finding in findings:
        print(finding)
    if findings:
        print(f"error: {len(findings)} path(s) of a developer's machine; "
              "say what users need in docs/, and keep binaries free of "
              "build-machine directories", file=sys.stderr)
        return 1
    print(f"no machine paths in the tracked files of {source} or in "
          f"{len(args.binary)} binaries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
