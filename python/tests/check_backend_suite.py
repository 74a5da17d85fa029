#!/usr/bin/env python3
"""Runs ONNX's backend test runner against exaforge.onnx_backend
(backend_suite.py: the onnx wheel's node tests and Debian's ONNX 1.12 node
tests) and compares the tests that pass with the checked-in list
backend_suite_expected.txt (the ctest `onnx-backend-suite`).

A test of the list that no longer passes is a regression: the exit status
is 1 and the regressions are listed. A test that passes and is not in the
list is reported as newly passing (exit status 0): add it with --update.

Usage (from the repository root, the package built into build/python):
  PYTHONPATH=build/python .venv/bin/python python/tests/check_backend_suite.py
      [--update] [-k EXPRESSION]
--update rewrites the list from this run; -k selects tests as pytest's -k
does (a subset is compared with the list's entries of the tests it ran).
"""

import argparse
import os
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "backend_suite.py")
EXPECTED = os.path.join(HERE, "backend_suite_expected.txt")


class Outcomes:
    """A pytest plugin that records the tests that ran and those that
    passed, as "Class.test_name"."""

    def __init__(self):
        self.ran = set()
        self.passed = set()

    @staticmethod
    def _name(nodeid):
        parts = nodeid.split("::")
        return ".".join(parts[-2:])

    def pytest_runtest_logreport(self, report):
        if report.skipped:  # the CUDA variants, excluded tests
            return
        name = self._name(report.nodeid)
        if report.when == "call":
            self.ran.add(name)
            if report.passed:
                self.passed.add(name)


def read_expected():
    """The names of backend_suite_expected.txt (comment lines start with #)."""
    with open(EXPECTED) as f:
        return {line.strip() for line in f
                if line.strip() and not line.startswith("#")}


def write_expected(passed):
    with open(EXPECTED, "w") as f:
        f.write("# The tests of backend_suite.py that pass (ctest onnx-backend-suite);\n"
                "# rewritten by check_backend_suite.py --update.\n")
        for name in sorted(passed):
            f.write(name + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expected list from this run")
    parser.add_argument("-k", dest="select", default=None,
                        help="run only the tests this pytest -k expression selects")
    args = parser.parse_args()

    outcomes = Outcomes()
    pytest_args = ["-q", "-p", "no:cacheprovider", "--no-header", "-rN",
                   "--tb=no", SUITE]
    if args.select:
        pytest_args += ["-k", args.select]
    start = time.monotonic()
    pytest.main(pytest_args, plugins=[outcomes])
    seconds = time.monotonic() - start

    sets = sorted({name.split(".")[0] for name in outcomes.ran})
    for test_set in sets:
        ran = sum(1 for n in outcomes.ran if n.startswith(test_set + "."))
        passed = sum(1 for n in outcomes.passed if n.startswith(test_set + "."))
        print(f"[onnx-backend-suite] {test_set}: {passed} of {ran} passed")
    print(f"[onnx-backend-suite] {seconds:.0f} s")

    if args.update:
        write_expected(outcomes.passed)
        print(f"[onnx-backend-suite] wrote {len(outcomes.passed)} names to "
              f"{os.path.basename(EXPECTED)}")
        return 0

    expected = read_expected() & outcomes.ran if args.select else read_expected()
    regressions = sorted(expected - outcomes.passed)
    new = sorted(outcomes.passed - read_expected())
    for name in new:
        print(f"[onnx-backend-suite] newly passing (add with --update): {name}")
    for name in regressions:
        print(f"[onnx-backend-suite] REGRESSION: {name} passed before and "
              f"does not now")
    print(f"[onnx-backend-suite] {len(regressions)} regressions, "
          f"{len(new)} newly passing")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
