"""The file store's disk primitives: sidecars for content type and metadata, atomic temporary files, folder locks."""

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Counted", "locked", "sidecar", "write_temp"]


def sidecar(path: Path) -> Path:
    return path.with_name(f".{path.name}.meta")


def write_temp(folder: Path, data) -> str:
    handle, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in data if isinstance(data, Counted) else (data,):
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return name


class Counted:
    """Byte chunks from a stream, counted as they pass."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.size = 0

    def __iter__(self):
        for chunk in self.chunks:
            self.size += len(chunk)
            yield chunk


@contextmanager
def locked(folder: Path):
    # flock is released by the kernel if the process dies, so a crash never leaves a stale lock.
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle
    finally:
        os.close(handle)
