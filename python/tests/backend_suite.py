"""ONNX's backend test runner (onnx.backend.test.BackendTest) against
exaforge.onnx_backend: every test set of the installed onnx wheel (the node
tests as OnnxBackendNodeModelTest, ...) and Debian's ONNX 1.12 node tests
(package libonnx-testdata, opsets up to 17) as
OnnxBackendDebianNodeModelTest.

Not part of the ctest `python-api` (each node set is well over 900
compiles): the ctest `onnx-backend-suite` (label `long`) runs it through
check_backend_suite.py against the pass list backend_suite_expected.txt.
By hand, e.g. one set:
  PYTHONPATH=build/python .venv/bin/python -m pytest -q -p no:cacheprovider \\
      python/tests/backend_suite.py -k "OnnxBackendNodeModelTest and _cpu"
"""

import os
import tempfile

import onnx.backend.test
from onnx.backend.test.loader import load_model_tests

import exaforge.onnx_backend

DEBIAN_NODE_DIR = "/usr/share/libonnx-testdata/data/node"

backend_test = onnx.backend.test.BackendTest(exaforge.onnx_backend, __name__)

if os.path.isdir(DEBIAN_NODE_DIR):
    # load_model_tests reads <data_dir>/<kind>/test_*; its "node" kind is
    # always the wheel's, so Debian's directory is linked under another name.
    _links = tempfile.mkdtemp(prefix="exaforge-backend-suite-")
    os.symlink(DEBIAN_NODE_DIR, os.path.join(_links, "debian-node"))
    for _case in load_model_tests(data_dir=_links, kind="debian-node"):
        # The runner's own way of adding a test set (no public one takes a
        # directory).
        backend_test._add_model_test(_case, "DebianNode")

# The CUDA variants of every test: exaforge runs on the CPU only.
backend_test.exclude(r"_cuda$")
globals().update(backend_test.test_cases)
