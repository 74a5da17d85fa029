"""Runs a command and says whether it ended in time, for tests of jobs that
must not hang: prints the command's output (stdout and stderr together, as
they came), then `exit status N, within LIMIT s` or `exit status N, after T
s, over LIMIT s`. A command still running after 6 x LIMIT seconds is killed
with its whole session (mpirun and the ranks too) and reported as `hung`, so
a hang fails the test instead of stalling it.

Usage: run_within.py LIMIT COMMAND [ARG ...]
"""

import os
import signal
import subprocess
import sys
import time


def main():
    limit = float(sys.argv[1])
    start = time.monotonic()
    proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=6 * limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        sys.stdout.buffer.write(output)
        print(f"hung: still running after {6 * limit:g} s")
        return 1
    elapsed = time.monotonic() - start
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    verdict = (f"within {limit:g} s" if elapsed <= limit
               else f"after {elapsed:.1f} s, over {limit:g} s")
    print(f"exit status {proc.returncode}, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
