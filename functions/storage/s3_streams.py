"""Streaming with S3: an object's body read as a file, and chunks gathered into the parts of a multipart upload."""

import io

__all__ = ["S3Stream", "in_parts"]


class S3Stream(io.RawIOBase):
    """An S3 object's body as a file, with failures mid-read reported as storage errors."""

    def __init__(self, store, key: str, body):
        self._store, self._key, self._body = store, key, body

    def readable(self):
        return True

    def readinto(self, buffer):
        with self._store._errors(self._key):
            data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        self._body.close()
        super().close()


def in_parts(chunks, size: int):
    """Chunks of any size gathered into parts of at least `size` bytes, the last one shorter."""
    pending, length = [], 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            part, pending, length = b"".join(pending), [], 0
            yield part
            del part
    if pending:
        yield b"".join(pending)
