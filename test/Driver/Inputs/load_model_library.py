"""Loads an artifact's model.so the way the runtime does, to show that every
symbol it needs resolves (load_model_library.py RUNTIME_LIB MODEL_SO...).

The runtime library is loaded first with RTLD_GLOBAL, then each model.so
with RTLD_NOW, so that an undefined symbol fails the load here instead of
at the first call. Prints `resolved: PATH (N undefined symbols)` per library,
N counted with llvm-nm. A CUDA model.so's constructor calls mgpuModuleLoad
outside a session: the runtime says so on stderr and loads no kernel.
"""
import ctypes
import os
import subprocess
import sys


def main():
    runtime, *libraries = sys.argv[1:]
    ctypes.CDLL(runtime, mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    for library in libraries:
        undefined = subprocess.run(
            ["llvm-nm", "-D", "--undefined-only", library],
            check=True, capture_output=True, text=True).stdout.split("\n")
        ctypes.CDLL(library, mode=os.RTLD_NOW | os.RTLD_LOCAL)
        count = sum(1 for line in undefined if line.strip())
        print(f"resolved: {library} ({count} undefined symbols)")


if __name__ == "__main__":
    main()
