"""Write-once storage for what suppliers submit: one interface, a folder on disk or an S3 bucket behind it."""
from __future__ import annotations

import abc
import base64
import errno
import fcntl
import hashlib
import hmac
import io
import itertools
import json
import os
import re
import secrets
import stat
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# S3's own limit on a key, and a limit per path segment that leaves room on disk for the sidecar's longer name.
MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 200
# S3 sends metadata as HTTP headers: it lowercases names, mangles non-ASCII values and caps the total at 2 KB;
# servers and proxies (moto's among them) drop header names with underscores.
_METADATA_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
MAX_METADATA_BYTES = 2048
# boto3's default session, which makes every store's client, is not safe to use from two threads at once.
_BOTO3_SESSION_LOCK = threading.Lock()
# How long S3Store waits for S3 before a request fails with StorageUnavailable: at most about
# (connect + read) x attempts seconds (12 s), inside a function's 15-second Lambda timeout. Set through the environment
# (portal/config.py); botocore's own defaults (60 s reads, retried) would let a slow store hang a page until Lambda kills it.
S3_SETTINGS = {"PORTAL_S3_CONNECT_TIMEOUT": 2.0, "PORTAL_S3_READ_TIMEOUT": 4.0, "PORTAL_S3_MAX_ATTEMPTS": 2}
# read_json_many's reads at once; S3's client keeps as many connections open, so none waits for another's.
READ_THREADS = 16
# read_json_many keeps parsed records up to this many bytes of their JSON (about 4.5 times as much once parsed:
# some 8,000 submissions of 3 KB in about 100 MB), least recently used out first.
RECORD_CACHE_BYTES = 24 * 1024 * 1024


def s3_settings(environ=os.environ) -> dict:
    """S3_SETTINGS as the environment sets them."""
    return {name: type(default)(environ.get(name, default)) for name, default in S3_SETTINGS.items()}


def parse_json(data: bytes):
    """A stored record's JSON; ValueError for anything that is not, nesting too deep for Python's parser included."""
    try:
        return json.loads(data)
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error


# Streaming writes to S3 go up in parts of this size (S3's minimum is 5 MiB): memory stays at about one part.
UPLOAD_PART_BYTES = 8 * 1024 * 1024
# S3 error codes that mean "try again later" rather than "you asked for something wrong".
_S3_BUSY = {"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequestsException", "RequestTimeout", "ServiceUnavailable", "InternalError"}
_S3_MISCONFIGURED = {"NoSuchBucket", "AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                     "InvalidToken", "ExpiredToken", "InvalidBucketName", "PermanentRedirect", "AuthorizationHeaderMalformed"}


class StorageError(Exception):
    """Storage failed; the base of every error this module raises."""


class AlreadyExists(StorageError):
    """The write-once key is already taken."""


class NotFound(StorageError):
    """Nothing is stored at the key."""


class StorageUnavailable(StorageError):
    """The storage cannot be reached or written just now; trying again later may work."""


class StorageMisconfigured(StorageUnavailable):
    """The storage refuses us as set up (no such bucket, access denied, no credentials): a setting to fix.

    A kind of outage to the supplier (the same try-again page, the answer kept); to whoever runs it, a log line
    naming the settings."""

    SETTINGS = "PORTAL_STORAGE (the bucket and prefix) and the AWS credentials (AWS_* or the function's role)"


# A signed upload: the file's form field, how long the form may be used, and the name S3 swaps for the browser's.
UPLOAD_FIELD = "file"
UPLOAD_EXPIRES_IN = 3600
_FILENAME = "${filename}"


@dataclass(frozen=True)
class UploadForm:
    """Where a browser posts a file, and the hidden fields that go before the file field (S3 ignores any after)."""

    url: str
    fields: dict[str, str]


@dataclass(frozen=True)
class Upload:
    """A file a browser posted: the name its computer gave it (unsanitised), its size in bytes, and the extra
    fields it sent."""

    filename: str
    size: int
    fields: dict[str, str] = field(default_factory=dict)


class UploadRefused(StorageError):
    """The file store's upload endpoint refused a post, as S3 would (a bad or expired signature, too large)."""


def check_key(key: str) -> str:
    """Return `key` if both backends store it under the same name, or raise ValueError saying why not."""
    if not isinstance(key, str) or not key:
        raise ValueError("Key is empty")
    if key.startswith("/"):
        raise ValueError(f"Key {key!r} is absolute")
    if "\\" in key:
        raise ValueError(f"Key {key!r} contains a backslash")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in key):
        raise ValueError(f"Key {key!r} contains a control character")
    if len(key.encode()) > MAX_KEY_BYTES:
        raise ValueError(f"Key is longer than {MAX_KEY_BYTES} bytes")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise ValueError(f"Key {key!r} has an empty, '.' or '..' segment")
        # Names starting with '.' are the file store's own temporary and sidecar files.
        if segment.startswith("."):
            raise ValueError(f"Key {key!r} has a segment starting with '.'")
        if len(segment.encode()) > MAX_SEGMENT_BYTES:
            raise ValueError(f"Key {key!r} has a segment longer than {MAX_SEGMENT_BYTES} bytes")
    return key


def _check_prefix(prefix: str) -> str:
    # A prefix is a key, a key's leading part, or a key's folder ending in '/'; '' means everything.
    if prefix:
        check_key(prefix.removesuffix("/"))
    return prefix


def _check_folder(prefix: str) -> str:
    """A prefix whose folders are listed: it must end in '/', so that a name is never cut in two."""
    if not prefix.endswith("/"):
        raise ValueError(f"Folders are listed under a prefix ending in '/', not {prefix!r}")
    return _check_prefix(prefix)


def _check_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    metadata = dict(metadata or {})
    for name, value in metadata.items():
        if not isinstance(name, str) or not _METADATA_NAME.match(name):
            raise ValueError(f"Metadata name {name!r} must be lowercase letters, digits and '-'")
        if not isinstance(value, str) or value != value.strip() or not all(" " <= char <= "~" for char in value):
            raise ValueError(f"Metadata {name!r} must be printable ASCII without leading or trailing spaces")
    if sum(len(name) + len(value) for name, value in metadata.items()) > MAX_METADATA_BYTES:
        raise ValueError(f"Metadata is larger than {MAX_METADATA_BYTES} bytes")
    return metadata


class Store(abc.ABC):
    """Write-once storage of bytes by key; nothing stored is ever overwritten."""

    @abc.abstractmethod
    def create(self, key: str, data: bytes, content_type: str = "application/json",
               metadata: dict[str, str] | None = None) -> None:
        """Write-once: store `data` at `key`, or raise AlreadyExists if anything is there. Never overwrites."""

    @abc.abstractmethod
    def read(self, key: str) -> bytes:
        """Return the bytes stored at `key`, or raise NotFound."""

    @abc.abstractmethod
    def read_metadata(self, key: str) -> dict[str, str]:
        """Return the metadata given to create for `key`, or raise NotFound."""

    @abc.abstractmethod
    def keys(self, prefix: str = "") -> list[str]:
        """Return every key starting with `prefix`, sorted ascending."""

    @abc.abstractmethod
    def folders(self, prefix: str) -> list[str]:
        """The names of the folders directly under `prefix` (ending in '/') that hold a key, sorted ascending.

        One delimited listing: it names an event's folder without listing every object inside it.
        """

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Erase `key` for good, as UK GDPR erasure needs; deleting a missing key is not an error."""

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Where the keys are kept: two stores at the same location hold the same keys."""

    def create_json(self, key: str, value, metadata: dict[str, str] | None = None) -> None:
        """Store `value` as UTF-8 JSON with sorted keys, write-once."""
        data = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
        self.create(key, data, "application/json", metadata)

    def read_json(self, key: str):
        """Return the JSON value stored at `key`, or raise NotFound."""
        return parse_json(self.read(key))

    @abc.abstractmethod
    def download_url(self, key: str, filename: str, expires_seconds: int,
                     content_type: str = "application/octet-stream") -> str:
        """A short-lived link that downloads `key` as an attachment named `filename`, or raise NotFound."""

    # Evidence uploads: the browser posts a file straight to storage; the function only asks about it.

    @abc.abstractmethod
    def size(self, key: str) -> int:
        """Return the size in bytes of what is stored at `key`, or raise NotFound."""

    @abc.abstractmethod
    def read_range(self, key: str, start: int, length: int) -> bytes:
        """Return up to `length` bytes from offset `start` (fewer at the end, none past it), or raise NotFound."""

    def read_head(self, key: str, length: int) -> bytes:
        """Return the first `length` bytes (or fewer) stored at `key`: a ranged read, never the whole object."""
        return self.read_range(key, 0, length)

    @abc.abstractmethod
    def tags(self, key: str) -> dict[str, str]:
        """Return the object's tags (S3 object tagging, which a malware scanner writes), or raise NotFound."""

    @abc.abstractmethod
    def upload_form(self, prefix: str, redirect_url: str, max_bytes: int, expires_in: int = UPLOAD_EXPIRES_IN,
                    metadata_fields: tuple[str, ...] = ()) -> UploadForm:
        """A signed form with which a browser posts one file (field UPLOAD_FIELD) under `prefix`, then is
        redirected to `redirect_url`. `metadata_fields` are extra fields it may send, `x-amz-meta-<name>`."""

    @abc.abstractmethod
    def claim_upload(self, prefix: str, key: str) -> Upload:
        """Move the file posted under `prefix` to `key` (write-once) and clear `prefix`; raise NotFound if none came."""

    # Streaming, for evidence packs larger than memory.

    @abc.abstractmethod
    def open(self, key: str) -> io.RawIOBase:
        """A readable binary stream of the bytes at `key`, for files too large to hold in memory; raises NotFound."""

    @abc.abstractmethod
    def create_stream(self, key: str, chunks, content_type: str = "application/octet-stream",
                      metadata: dict[str, str] | None = None) -> int:
        """Write-once, like create, from an iterable of byte chunks; returns the size stored.

        Nothing is visible at `key` until every chunk is stored; if the chunks fail, nothing is stored.
        """


class FileStore(Store):
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
        metadata = _check_metadata(metadata)
        sidecar = _sidecar(path)
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
            data_temp = _write_temp(path.parent, data)
            sidecar_temp = _write_temp(path.parent, json.dumps(
                {"content_type": content_type, "metadata": metadata}).encode())
            with _locked(path.parent) as folder:
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
            sidecar = _sidecar(path).read_bytes()
        except FileNotFoundError:
            if path.is_file():
                return {}  # a file put there by hand, not by create
            raise NotFound(key) from None
        except OSError as err:
            raise self._failure(err, key) from err
        return json.loads(sidecar)["metadata"]

    def keys(self, prefix=""):
        # Walk only the folder the prefix names, then match the rest as S3 does: as a string.
        top = self._inside(self.root / _check_prefix(prefix).rpartition("/")[0], prefix)
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
        top = self._inside(self.root / _check_folder(prefix), prefix)
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
            with _locked(path.parent):
                path.unlink(missing_ok=True)
                _sidecar(path).unlink(missing_ok=True)
            _RECORDS.forget(self.location, key)
        except OSError as err:
            failure = self._failure(err, key)
            if not isinstance(failure, NotFound):
                raise failure from err

    # Downloads: a signed, expiring link to the local route in functions/storage_download.py, as S3 presigns.

    def download_url(self, key, filename, expires_seconds, content_type="application/octet-stream"):
        if not self._path(key).is_file():
            raise NotFound(key)
        claims = {"key": key, "filename": filename, "type": content_type,
                  "expires": int(time.time()) + int(expires_seconds)}
        return f"{FILE_DOWNLOAD_PATH}{self._download_signer().dumps(claims)}"

    def signed_download(self, signed: str) -> tuple[str, str, str]:
        """(key, filename, content type) of a link from download_url, or raise NotFound if forged or expired."""
        from itsdangerous import BadSignature

        try:
            claims = self._download_signer().loads(signed)
        except BadSignature:
            raise NotFound("download link") from None
        if claims["expires"] < time.time():
            raise NotFound("download link")
        return claims["key"], claims["filename"], claims["type"]

    def _download_signer(self):
        from itsdangerous import URLSafeSerializer

        # The store's own secret (the one that signs upload forms), so any process on this store can check its links.
        return URLSafeSerializer(self._upload_key(), salt="file-store-download")
    def open(self, key):
        path = self._path(key)
        try:
            return open(path, "rb", buffering=0)
        except OSError as err:
            raise self._failure(err, key) from err

    def create_stream(self, key, chunks, content_type="application/octet-stream", metadata=None):
        # The same atomic create: the chunks go to a temporary file first, which is then linked into place.
        counted = _Counted(chunks)
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

    # Evidence uploads. The file store stands in for S3's POST endpoint: the app serves UPLOAD_PATH locally
    # (functions/storage_upload.py) and hands each post to receive_upload, which keeps S3's rules.

    UPLOAD_PATH = "/storage/upload"

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
            return json.loads(_sidecar(path).read_bytes()).get("tags", {})
        except FileNotFoundError:
            if path.is_file():
                return {}
            raise NotFound(key) from None
        except OSError as err:
            raise self._failure(err, key) from err

    def upload_form(self, prefix, redirect_url, max_bytes, expires_in=UPLOAD_EXPIRES_IN, metadata_fields=()):
        policy = base64.b64encode(json.dumps({
            "expires": int(time.time()) + expires_in, "prefix": _check_prefix(prefix), "redirect": redirect_url,
            "max_bytes": max_bytes, "metadata": list(metadata_fields)}).encode()).decode()
        return UploadForm(self.UPLOAD_PATH, {
            "key": prefix + _FILENAME, "success_action_redirect": redirect_url,
            "policy": policy, "signature": self._sign(policy)})

    def receive_upload(self, fields, filename: str, stream) -> str:
        """Keep a posted file as S3 would for a form from upload_form, and return where to send the browser."""
        policy_text = fields.get("policy", "")
        if not hmac.compare_digest(self._sign(policy_text), fields.get("signature", "")):
            raise UploadRefused("The signature does not match")
        policy = json.loads(base64.b64decode(policy_text))
        if time.time() > policy["expires"]:
            raise UploadRefused("The form has expired")
        if fields.get("key") != policy["prefix"] + _FILENAME or fields.get("success_action_redirect") != policy["redirect"]:
            raise UploadRefused("A field does not match the signed policy")
        metadata = {name: fields.get(f"x-amz-meta-{name}", "") for name in policy["metadata"]}
        # Like S3, only the name after the last slash or backslash; kept in the sidecar, never in the path.
        name = strip_bidi_and_controls(re.split(r"[/\\]", filename or "")[-1])
        key = policy["prefix"] + secrets.token_hex(8)
        folder = self._path(key).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        except OSError as err:
            raise self._cannot(err, f"Cannot receive an upload in {self.root}: {err}") from err
        try:
            with os.fdopen(handle, "wb") as file:
                received = 0
                while chunk := stream.read(1 << 20):
                    received += len(chunk)
                    if received > policy["max_bytes"]:
                        raise UploadRefused("The file is larger than the policy allows")
                    file.write(chunk)
            _sidecar(self._path(key)).write_text(json.dumps(
                {"content_type": "application/octet-stream", "metadata": {},
                 "upload": {"filename": name, "fields": metadata}}))
            os.link(temp, self._path(key))
        except OSError as err:
            raise self._cannot(err, f"Cannot receive an upload in {self.root}: {err}") from err
        finally:
            os.unlink(temp)
        return policy["redirect"]

    def claim_upload(self, prefix, key):
        received = self.keys(_check_prefix(prefix))
        if not received:
            raise NotFound(prefix)
        incoming = self._path(received[-1])
        try:
            upload = json.loads(_sidecar(incoming).read_bytes()).get("upload", {})
            size = incoming.stat().st_size
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(path.parent) as folder:
                if os.path.lexists(path):
                    raise AlreadyExists(key)
                _sidecar(path).write_text(json.dumps({"content_type": "application/octet-stream", "metadata": {}}))
                os.link(incoming, path)
                os.fsync(folder)
        except OSError as err:
            raise self._cannot(err, f"Cannot keep the upload at {key}: {err}") from err
        for other in received:
            self.delete(other)
        return Upload(strip_bidi_and_controls(upload.get("filename", "")), size, upload.get("fields", {}))

    def _sign(self, policy: str) -> str:
        return hmac.new(self._upload_key(), policy.encode(), hashlib.sha256).hexdigest()

    def _upload_key(self) -> bytes:
        # A secret of this store's own, made on first use; the leading dot keeps it out of keys().
        path = self.root / ".upload-key"
        try:
            if not path.exists():
                self.root.mkdir(parents=True, exist_ok=True)
                with suppress(FileExistsError):
                    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(handle, "w") as file:
                        file.write(secrets.token_hex(32))
            return path.read_bytes()
        except OSError as err:
            raise self._failure(err, ".upload-key") from err


def _sidecar(path: Path) -> Path:
    return path.with_name(f".{path.name}.meta")


def _write_temp(folder: Path, data) -> str:
    handle, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in data if isinstance(data, _Counted) else (data,):
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return name


class _Counted:
    """Byte chunks from a stream, counted as they pass."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.size = 0

    def __iter__(self):
        for chunk in self.chunks:
            self.size += len(chunk)
            yield chunk


@contextmanager
def _locked(folder: Path):
    # flock is released by the kernel if the process dies, so a crash never leaves a stale lock.
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle
    finally:
        os.close(handle)


class S3Store(Store):
    """Keys as objects in an S3 bucket, under an optional prefix; any S3-compatible endpoint works."""

    def __init__(self, bucket: str, prefix: str = "", client=None, settings=None):
        if not bucket:
            raise ValueError("Bucket name is empty")
        self.bucket = bucket
        prefix = prefix.strip("/")
        self.prefix = f"{check_key(prefix)}/" if prefix else ""
        self._client = client
        self._client_given = client is not None
        self.settings = {**s3_settings(), **{name: settings[name] for name in S3_SETTINGS if name in (settings or {})}}

    def __repr__(self) -> str:
        return f"S3Store({self.bucket!r}, {self.prefix!r})"

    @property
    def location(self):
        return f"{self.client.meta.endpoint_url}/{self.bucket}/{self.prefix}"

    @property
    def client(self):
        """The boto3 S3 client, made on first use so that importing this module stays fast."""
        with _BOTO3_SESSION_LOCK:
            if self._client is None:
                import boto3
                from botocore.config import Config

                # boto3 reads AWS_ENDPOINT_URL, the region and credentials from the environment itself.
                # total_max_attempts counts the first try; botocore's max_attempts would count retries only.
                self._client = boto3.client("s3", config=Config(
                    connect_timeout=self.settings["PORTAL_S3_CONNECT_TIMEOUT"],
                    read_timeout=self.settings["PORTAL_S3_READ_TIMEOUT"], max_pool_connections=READ_THREADS,
                    retries={"total_max_attempts": self.settings["PORTAL_S3_MAX_ATTEMPTS"], "mode": "standard"}))
            return self._client

    def create(self, key, data, content_type="application/json", metadata=None):
        metadata = _check_metadata(metadata)
        try:
            with self._errors(key):
                # IfNoneMatch makes S3 refuse the write if the key exists; encryption comes from the bucket default.
                self.client.put_object(Bucket=self.bucket, Key=self._full(key), Body=data,
                                       ContentType=content_type, Metadata=metadata, IfNoneMatch="*")
        except AlreadyExists as refused:
            # A retry after a lost response can be refused by our own first attempt: that write succeeded.
            retried = refused.__cause__.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
            if retried:
                with suppress(NotFound):
                    if self.read(key) == bytes(data):
                        return
            raise

    def read(self, key):
        with self._errors(key):
            return self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"].read()

    def read_metadata(self, key):
        with self._errors(key):
            return self.client.head_object(Bucket=self.bucket, Key=self._full(key))["Metadata"]

    def keys(self, prefix=""):
        _check_prefix(prefix)
        found = []
        with self._errors(prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix)
            for page in pages:
                found.extend(item["Key"][len(self.prefix):] for item in page.get("Contents", []))
        return sorted(found)

    def folders(self, prefix):
        _check_folder(prefix)
        found = []
        with self._errors(prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix, Delimiter="/")
            for page in pages:
                found.extend(item["Prefix"][len(self.prefix + prefix):].removesuffix("/")
                             for item in page.get("CommonPrefixes", []))
        return sorted(found)

    def delete(self, key):
        full = self._full(key)
        with self._errors(key):
            # In a versioned bucket a plain delete only hides the object, so erase every version and marker.
            pages = self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=full)
            for page in pages:
                items = page.get("Versions", []) + page.get("DeleteMarkers", [])
                for item in items:
                    if item["Key"] == full:
                        self.client.delete_object(Bucket=self.bucket, Key=full, VersionId=item["VersionId"])
                if any(item["Key"] != full for item in items):
                    break  # listings are sorted, so the rest are longer keys that merely start with this one
        _RECORDS.forget(self.location, key)

    def download_url(self, key, filename, expires_seconds, content_type="application/octet-stream"):
        with self._errors(key):
            self.client.head_object(Bucket=self.bucket, Key=self._full(key))  # NotFound now, not a broken link later
            return self.client.generate_presigned_url("get_object", ExpiresIn=int(expires_seconds), Params={
                "Bucket": self.bucket, "Key": self._full(key), "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition(filename), "ResponseCacheControl": "no-store"})
    def open(self, key):
        with self._errors(key):
            body = self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"]
        return _S3Stream(self, key, body)

    def create_stream(self, key, chunks, content_type="application/octet-stream", metadata=None):
        metadata = _check_metadata(metadata)
        parts = _parts(chunks, UPLOAD_PART_BYTES)
        ahead = [next(parts, b"")]
        ahead.append(next(parts, None))
        if ahead[1] is None:  # small enough for one ordinary write
            self.create(key, ahead[0], content_type, metadata)
            return len(ahead[0])
        full = self._full(key)
        with self._errors(key):
            upload = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=full, ContentType=content_type, Metadata=metadata)["UploadId"]
        try:
            done, size = [], 0
            # Each part is let go as soon as it is sent, so that memory holds about one part at a time.
            every_part = itertools.chain(iter(lambda: ahead.pop(0) if ahead else None, None), parts)
            for number, part in enumerate(every_part, start=1):
                size += len(part)
                with self._errors(key):
                    etag = self.client.upload_part(Bucket=self.bucket, Key=full, UploadId=upload,
                                                   PartNumber=number, Body=part)["ETag"]
                del part
                done.append({"PartNumber": number, "ETag": etag})
            with self._errors(key):
                # IfNoneMatch makes completing refuse, as create does, if something was stored there meanwhile.
                self._completing_client.complete_multipart_upload(
                    Bucket=self.bucket, Key=full, UploadId=upload, MultipartUpload={"Parts": done}, IfNoneMatch="*")
        except BaseException:
            # An unfinished upload is invisible but billed; abandon it so that nothing is left behind.
            with suppress(Exception), self._errors(key):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload)
            raise
        return size

    @property
    def _completing_client(self):
        """A client that waits for a large upload to be put together: S3 may take minutes to answer."""
        if self._client_given:
            return self._client  # one given by the caller is used for everything
        with _BOTO3_SESSION_LOCK:
            if not hasattr(self, "_patient_client"):
                import boto3
                from botocore.config import Config

                self._patient_client = boto3.client("s3", config=Config(
                    connect_timeout=5, read_timeout=900, retries={"total_max_attempts": 3, "mode": "standard"}))
            return self._patient_client

    def _full(self, key: str) -> str:
        return self.prefix + check_key(key)

    @contextmanager
    def _errors(self, key: str):
        from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

        try:
            yield
        except ClientError as err:
            raise _s3_failure(err, key) from err
        except (ConnectionError, HTTPClientError) as err:  # unreachable endpoint, timeouts, dropped connections
            raise StorageUnavailable(f"Cannot reach S3 for {key}: {err}") from err
        except BotoCoreError as err:  # missing credentials and other local misconfiguration
            raise StorageMisconfigured(f"S3 request for {key} failed ({err}): check {StorageMisconfigured.SETTINGS}") from err

    # Evidence uploads: a presigned POST straight to the bucket; the function only asks S3 about the object.

    def size(self, key):
        with self._errors(key):
            return self.client.head_object(Bucket=self.bucket, Key=self._full(key))["ContentLength"]

    def read_range(self, key, start, length):
        if length <= 0:
            return b""
        from botocore.exceptions import ClientError

        try:
            with self._errors(key):
                return self.client.get_object(Bucket=self.bucket, Key=self._full(key),
                                              Range=f"bytes={start}-{start + length - 1}")["Body"].read()
        except StorageError as failed:
            cause = failed.__cause__
            if isinstance(cause, ClientError) and cause.response.get("Error", {}).get("Code") == "InvalidRange":
                self.size(key)  # NotFound if the object has gone; otherwise the range starts past its end
                return b""
            raise

    def tags(self, key):
        with self._errors(key):
            tag_set = self.client.get_object_tagging(Bucket=self.bucket, Key=self._full(key))["TagSet"]
        return {tag["Key"]: tag["Value"] for tag in tag_set}

    def upload_form(self, prefix, redirect_url, max_bytes, expires_in=UPLOAD_EXPIRES_IN, metadata_fields=()):
        full = self.prefix + _check_prefix(prefix)
        # S3 swaps ${filename} for the browser's name of the file: without JavaScript nothing else carries it.
        # The policy pins the key's prefix, the redirect and a size range; S3 refuses anything else.
        conditions = [["starts-with", "$key", full], {"success_action_redirect": redirect_url},
                      ["content-length-range", 0, max_bytes]]
        conditions += [["starts-with", f"$x-amz-meta-{name}", ""] for name in metadata_fields]
        with self._errors(prefix):
            signed = self.client.generate_presigned_post(
                self.bucket, full + _FILENAME, Fields={"success_action_redirect": redirect_url},
                Conditions=conditions, ExpiresIn=expires_in)
        return UploadForm(signed["url"], signed["fields"])

    def claim_upload(self, prefix, key):
        full = self.prefix + _check_prefix(prefix)
        target = self._full(key)
        with self._errors(prefix):
            received = sorted(item["Key"] for page in self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=full) for item in page.get("Contents", []))
            if not received:
                raise NotFound(prefix)
            incoming = received[-1]
            head = self.client.head_object(Bucket=self.bucket, Key=incoming)
        # IfNoneMatch makes real S3 refuse to copy over an object; moto ignores it on a copy, so ask first too.
        with suppress(NotFound):
            self.size(key)
            raise AlreadyExists(key)
        with self._errors(prefix):
            # A write-once copy inside S3: no byte of the file passes through the function. The key is the server's own.
            copied = self.client.copy_object(
                Bucket=self.bucket, Key=target, CopySource={"Bucket": self.bucket, "Key": incoming},
                MetadataDirective="REPLACE", ContentType="application/octet-stream", Metadata={}, IfNoneMatch="*")
            if copied["CopyObjectResult"]["ETag"] != head["ETag"]:
                # Posted again between the HEAD and the copy: the size and fields are another file's. Keep neither.
                self._erase(target)
                raise NotFound(prefix)
            for other in received:
                self._erase(other)
        return Upload(strip_bidi_and_controls(incoming[len(full):]), head["ContentLength"], head["Metadata"])

    def _erase(self, full: str) -> None:
        # Every version and delete marker of one exact key, which may be a browser-named upload's.
        pages = self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=full)
        for page in pages:
            for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if item["Key"] == full:
                    self.client.delete_object(Bucket=self.bucket, Key=full, VersionId=item["VersionId"])


class _S3Stream(io.RawIOBase):
    """An S3 object's body as a file, with failures mid-read reported as storage errors."""

    def __init__(self, store: S3Store, key: str, body):
        self._store, self._key, self._body = store, key, body

    def readable(self):
        return True

    def readinto(self, buffer):
        with self._store._errors(self._key):
            data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self._body.close()
        super().close()


def _parts(chunks, size: int):
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


def _s3_failure(err, key: str) -> StorageError:
    code = err.response.get("Error", {}).get("Code", "")
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code in ("PreconditionFailed", "ConditionalRequestConflict") or status == 412:
        return AlreadyExists(key)
    if code in ("NoSuchKey", "NotFound", "404"):  # HEAD answers with a bare 404 and no body
        return NotFound(key)
    if status >= 500 or code in _S3_BUSY:
        return StorageUnavailable(f"S3 is unavailable for {key}: {code}")
    if code in _S3_MISCONFIGURED or status in (401, 403):
        return StorageMisconfigured(f"S3 refused {key} as set up ({code}): check {StorageMisconfigured.SETTINGS}")
    return StorageError(f"S3 refused {key}: {code} {err.response.get('Error', {}).get('Message', '')}".rstrip())


class _RecordCache:
    """Parsed JSON by (store location, key), bounded by the bytes of JSON it holds, least recently used out first.

    Safe to keep for the life of the process because keys are write-once: what a key holds never changes. A key
    deleted (by retention, say) stays here until pushed out, but callers ask only for keys a fresh listing gave them.
    """

    def __init__(self, budget: int):
        self.budget, self.held = budget, 0
        self._entries = OrderedDict()  # (location, key) -> (value, bytes of JSON)
        self._lock = threading.Lock()

    def get(self, location: str, key: str, missing=None):
        with self._lock:
            entry = self._entries.get((location, key))
            if entry is None:
                return missing
            self._entries.move_to_end((location, key))
            return entry[0]

    def put(self, location: str, key: str, value, size: int) -> None:
        with self._lock:
            if (location, key) in self._entries or size > self.budget:
                return
            self._entries[(location, key)] = (value, size)
            self.held += size
            while self.held > self.budget:
                self.held -= self._entries.popitem(last=False)[1][1]

    def forget(self, location: str, key: str) -> None:
        with self._lock:
            entry = self._entries.pop((location, key), None)
            if entry is not None:
                self.held -= entry[1]


_RECORDS = _RecordCache(RECORD_CACHE_BYTES)
_UNREAD = object()


def read_json_many(store: Store, keys: list[str], remember: bool = True) -> list:
    """The JSON value at each of `keys`, in their order; NotFound if one has gone.

    Values read before in this process come from memory (keys are write-once); the rest are read READ_THREADS at a
    time, so that a list of a thousand records costs a warm function only its new ones, and a cold one about a
    sixteenth of the time one after another would. The values are shared between callers: never change them.
    remember=False reads them all, and keeps none: for keys that may be deleted and written again with other values
    (an event's places and registrations, whose losers of a race are erased).
    """
    location = store.location
    found = {key: _RECORDS.get(location, key, _UNREAD) if remember else _UNREAD for key in keys}
    unread = [key for key, value in found.items() if value is _UNREAD]
    if len(unread) > 1:
        with ThreadPoolExecutor(max_workers=min(READ_THREADS, len(unread))) as pool:
            read = list(pool.map(store.read, unread))
    else:
        read = [store.read(key) for key in unread]
    for key, data in zip(unread, read):
        found[key] = parse_json(data)
        if remember:
            _RECORDS.put(location, key, found[key], len(data))
    return [found[key] for key in keys]


def open_store(url: str, settings=None) -> Store:
    """PORTAL_STORAGE value: 's3://bucket/optional/prefix' -> S3Store; anything else is a filesystem path -> FileStore.

    `settings` (the app's config) may set S3's timeouts and attempts, the PORTAL_S3_* names in S3_SETTINGS;
    without it they come from the environment.
    """
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        return S3Store(bucket, prefix, settings=settings)
    return FileStore(Path(url))


# Downloads.

FILE_DOWNLOAD_PATH = "/storage/download/"  # the file store's local stand-in for a presigned S3 link
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;%]+')


def strip_bidi_and_controls(text: str) -> str:
    """portal/text.py's, imported when first used: importing the portal package here would be circular."""
    from portal.text import strip_bidi_and_controls as strip

    return strip(text)


def safe_filename(filename: str) -> str:
    """A filename with no path, quotes, bidi or control characters, at most 150 characters, never empty."""
    name = _UNSAFE_IN_FILENAME.sub("_", str(filename).replace("\\", "/").rsplit("/", 1)[-1])
    name = strip_bidi_and_controls(name).strip(" .")
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:140] + dot + extension[:9]) if dot and len(extension) <= 9 else name[:150]
    return name or "download"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII filename and the UTF-8 one as RFC 6266's filename* (RFC 5987 encoding)."""
    name = safe_filename(filename)
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
