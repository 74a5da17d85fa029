"""Files of the folder compressed with xz, and unpacked in place.

The transfer to the device holds at most 64 MiB, and oneDNN alone is
38 MiB (7 MiB as xz). `pack` compresses the files that shrink; `unpack`
restores them (Python's lzma, so the device needs no xz tool).
"""

import lzma
import os

SUFFIX = ".xz"
# Files smaller than this stay as they are.
MIN_BYTES = 64 << 10
# A file is kept compressed only when that saves at least this fraction.
MIN_SAVING = 0.2
# Weights (random floats) and models do not shrink: not even tried.
NOT_TRIED = (".onnx", ".bin", ".npz")


def pack(folder, preset=6):
    """Compresses, under `folder`, every file of at least MIN_BYTES that
    xz shrinks by MIN_SAVING or more, except those named NOT_TRIED."""
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if name.endswith((SUFFIX, *NOT_TRIED)) or \
                    os.path.getsize(path) < MIN_BYTES:
                continue
            with open(path, "rb") as f:
                data = f.read()
            packed = lzma.compress(data, preset=preset)
            if len(packed) > (1 - MIN_SAVING) * len(data):
                continue
            with open(path + SUFFIX, "wb") as f:
                f.write(packed)
            mode = os.stat(path).st_mode
            os.remove(path)
            os.chmod(path + SUFFIX, mode)


def unpack(folder):
    """Restores every FILE.xz under `folder` as FILE (once: a FILE that
    exists is kept). Returns the number of files restored."""
    count = 0
    for root, _, names in os.walk(folder):
        for name in names:
            if not name.endswith(SUFFIX):
                continue
            packed = os.path.join(root, name)
            path = packed[:-len(SUFFIX)]
            if os.path.exists(path):
                continue
            with open(packed, "rb") as f:
                data = lzma.decompress(f.read())
            with open(path + ".part", "wb") as f:
                f.write(data)
            os.chmod(path + ".part", os.stat(packed).st_mode)
            os.replace(path + ".part", path)
            count += 1
    return count
