"""Reading a stored file for its checks with as few requests to storage as can be: its head once, then ranges."""

import hashlib

from .checks import HEAD_BYTES

__all__ = ["HASH_CHUNK", "HeadFirst", "sha256_of"]

HASH_CHUNK = 1024 * 1024


class HeadFirst:
    """Ranged reads of a stored file that fetch its first HEAD_BYTES once and answer from them where they can.

    The checks read about in the head, and a file no longer than it (most evidence) is then checked and hashed
    with one request to storage, instead of one for each seek a PDF reader makes and another for the hash.
    """

    def __init__(self, store, key):
        self._store, self._key, self._head = store, key, None

    def __call__(self, start: int, length: int) -> bytes:
        if self._head is None:
            self._head = self._store.read_range(self._key, 0, HEAD_BYTES)
        whole = len(self._head) < HEAD_BYTES  # storage gave less than asked: the file ends there
        if whole or start + length <= len(self._head):
            return self._head[start : start + length]
        return self._store.read_range(self._key, start, length)


def sha256_of(read_range, size: int) -> str:
    """Streamed from storage in chunks at attach time, so a function never holds a whole file."""
    digest = hashlib.sha256()
    for start in range(0, size, HASH_CHUNK):
        digest.update(read_range(start, min(HASH_CHUNK, size - start)))  # a file of exactly HEAD_BYTES is in the head
    return digest.hexdigest()
