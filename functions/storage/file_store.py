"""The file store: keys as files under a folder, the embedded default for local development."""

from __future__ import annotations

import errno
import json
import os
import stat
from contextlib import suppress
from pathlib import Path

from . import disk
from .contract import (
    AlreadyExists,
    NotFound,
    Store,
    StorageError,
    StorageMisconfigured,
    StorageUnavailable,
    Upload,
    check_folder,
    check_key,
    check_metadata,
    check_prefix,
)
from portal.text import strip_bidi_and_controls
from .local_endpoints import LocalEndpoints
from .records import RECORDS

__all__ = ["FileStore"]


class FileStore(LocalEndpoints, Store):
    """Keys as files under a root folder: the embedded default for local development."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FileStore({str(self.root)!r})"

    @property
    def location(self):
        return f"file://{os.path.abspath(self.root)}"

    def create(self, key, data, content_type="application/json", metadata=None):
        path = self._path(key)
        metadata = check_metadata(metadata)
        sidecar = disk.sidecar(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            if err.errno in (errno.EEXIST, errno.ENOTDIR) and os.path.isdir(self.root):
                # On disk a key cannot also be a folder of other keys, as it can in S3.
                raise StorageError(f"Cannot create {key}: part of its path is already a key") from err
            raise self._cannot(err, f"Cannot create {key} in {self.root}: {err}") from err
        data_temp = sidecar_temp = None
        try:
            # The slow writes happen outside the lock, into temporary names that keys() never lists.
            data_temp = disk.write_temp(path.parent, data)
            sidecar_temp = disk.write_temp(path.parent, json.dumps({"content_type": content_type, "metadata": metadata}).encode())
            with disk.locked(path.parent) as folder:
                # The lock stops a losing writer replacing the winner's sidecar; link is the write-once guard.
                if os.path.lexists(path):
                    raise AlreadyExists(key)
                os.replace(sidecar_temp, sidecar)
                sidecar_temp = None
                try:
                    os.link(data_temp, path)
                except OSError:
                    sidecar.unlink(missing_ok=True)
                    raise
                os.fsync(folder)  # so the new name survives a power cut
        except FileExistsError as err:
            raise AlreadyExists(key) from err
        except OSError as err:
            raise self._cannot(err, f"Cannot create {key} in {self.root}: {err}") from err
        finally:
            for temp in (data_temp, sidecar_temp):
                if temp:
                    with suppress(OSError):
                        os.unlink(temp)

    def read(self, key):
        path = self._path(key)
        try:
            return path.read_bytes()
        except OSError as err:
            raise self._failure(err, key) from err

    def read_metadata(self, key):
        path = self._path(key)
        try:
            path.stat()
            sidecar = disk.sidecar(path).read_bytes()
        except FileNotFoundError:
            if path.is_file():
                return {}  # a file put there by hand, not by create
            raise NotFound(key) from None
        except OSError as err:
            raise self._failure(err, key) from err
        return json.loads(sidecar)["metadata"]

    def keys(self, prefix=""):
        # Walk only the folder the prefix names, then match the rest as S3 does: as a string.
        top = self._inside(self.root / check_prefix(prefix).rpartition("/")[0], prefix)
        found = []

        def fail(err):
            raise err

        try:
            for folder, folders, files in os.walk(top, onerror=fail):
                folders[:] = [name for name in folders if not name.startswith(".")]
                relative = Path(folder).relative_to(self.root).as_posix()
                for name in files:
                    key = name if relative == "." else f"{relative}/{name}"
                    if not name.startswith(".") and key.startswith(prefix):
                        found.append(key)
        except OSError as err:
            failure = self._failure(err, prefix)
            if isinstance(failure, NotFound):
                return []
            raise failure from err
        return sorted(found)

    def folders(self, prefix):
        top = self._inside(self.root / check_folder(prefix), prefix)
        try:
            with os.scandir(top) as entries:
                names = [entry.name for entry in entries if entry.is_dir() and not entry.name.startswith(".")]
            # A delete leaves its folder behind on disk; S3 has no empty folders, so neither do we.
            return sorted(name for name in names if self._holds_a_key(top / name))
        except OSError as err:
            failure = self._failure(err, prefix)
            if isinstance(failure, NotFound):
                return []
            raise failure from err

    @staticmethod
    def _holds_a_key(folder: Path) -> bool:
        def fail(err):
            raise err

        for _, folders, files in os.walk(folder, onerror=fail):
            folders[:] = [name for name in folders if not name.startswith(".")]
            if any(not name.startswith(".") for name in files):
                return True
        return False

    def delete(self, key):
        path = self._path(key)
        try:
            # Locked so a delete cannot remove the sidecar of a create racing it.
            with disk.locked(path.parent):
                path.unlink(missing_ok=True)
                disk.sidecar(path).unlink(missing_ok=True)
            RECORDS.forget(self.location, key)
        except OSError as err:
            failure = self._failure(err, key)
            if not isinstance(failure, NotFound):
                raise failure from err

    def open(self, key):
        path = self._path(key)
        try:
            return open(path, "rb", buffering=0)
        except OSError as err:
            raise self._failure(err, key) from err

    def create_stream(self, key, chunks, content_type="application/octet-stream", metadata=None):
        # The same atomic create: the chunks go to a temporary file first, which is then linked into place.
        counted = disk.Counted(chunks)
        self.create(key, counted, content_type, metadata)
        return counted.size

    def _path(self, key: str) -> Path:
        return self._inside(self.root / check_key(key), key)

    def _inside(self, path: Path, key: str) -> Path:
        # A symlinked folder inside root could still lead outside it.
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise ValueError(f"Key {key!r} leads outside {self.root}")
        return path

    def _cannot(self, err: OSError, what: str) -> StorageUnavailable:
        """A write that failed: a setting to fix (the root is not a folder, or not ours), or an outage."""
        if os.path.exists(self.root) and not os.path.isdir(self.root) or err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StorageMisconfigured(f"{what}: check PORTAL_STORAGE ({self.root}) and its permissions")
        return StorageUnavailable(what)

    def _failure(self, err: OSError, key: str) -> StorageError:
        if os.path.exists(self.root) and not os.path.isdir(self.root):
            return StorageMisconfigured(f"Storage root {self.root} is not a folder: check PORTAL_STORAGE")
        if err.errno in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR):
            return NotFound(key)
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StorageMisconfigured(f"Cannot use {key} in {self.root} ({err}): check PORTAL_STORAGE and its permissions")
        return StorageUnavailable(f"Cannot reach {key} in {self.root}: {err}")

    def size(self, key):
        try:
            found = self._path(key).stat()
        except OSError as err:
            raise self._failure(err, key) from err
        if not stat.S_ISREG(found.st_mode):
            raise NotFound(key)  # a folder of other keys, which in S3 would be no object at all
        return found.st_size

    def read_range(self, key, start, length):
        try:
            with self._path(key).open("rb") as file:
                file.seek(start)
                return file.read(max(length, 0))
        except OSError as err:
            raise self._failure(err, key) from err

    def tags(self, key):
        path = self._path(key)
        try:
            path.stat()
            return json.loads(disk.sidecar(path).read_bytes()).get("tags", {})
        except FileNotFoundError:
            if path.is_file():
                return {}
            raise NotFound(key) from None
        except OSError as err:
            raise self._failure(err, key) from err

    def claim_upload(self, prefix, key):
        received = self.keys(check_prefix(prefix))
        if not received:
            raise NotFound(prefix)
        incoming = self._path(received[-1])
        path = self._path(key)
        try:
            upload = json.loads(disk.sidecar(incoming).read_bytes()).get("upload", {})
            size = incoming.stat().st_size
            path.parent.mkdir(parents=True, exist_ok=True)
            with disk.locked(path.parent) as folder:
                if os.path.lexists(path):
                    raise AlreadyExists(key)
                disk.sidecar(path).write_text(json.dumps({"content_type": "application/octet-stream", "metadata": {}}))
                try:
                    os.link(incoming, path)
                except OSError:
                    disk.sidecar(path).unlink(missing_ok=True)  # nothing half-stored
                    raise
                os.fsync(folder)
        except FileNotFoundError:
            # Another request claimed this upload first (the same redirect followed twice) and cleared it: for this
            # one, as for S3's, nothing came.
            raise NotFound(prefix) from None
        except OSError as err:
            raise self._cannot(err, f"Cannot keep the upload at {key}: {err}") from err
        for other in received:
            self.delete(other)
        return Upload(strip_bidi_and_controls(upload.get("filename", "")), size, upload.get("fields", {}))
