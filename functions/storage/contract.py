"""The storage contract: write-once keys, the errors every store raises, and the interface both stores keep."""

from __future__ import annotations

import abc
import io
import json
import re
from dataclasses import dataclass, field

__all__ = [
    "MAX_KEY_BYTES",
    "MAX_METADATA_BYTES",
    "MAX_SEGMENT_BYTES",
    "UPLOAD_EXPIRES_IN",
    "UPLOAD_FIELD",
    "AlreadyExists",
    "NotFound",
    "Store",
    "StorageError",
    "StorageMisconfigured",
    "StorageUnavailable",
    "Upload",
    "UploadForm",
    "UploadRefused",
    "check_folder",
    "check_key",
    "check_metadata",
    "check_prefix",
    "parse_json",
]

# S3's own limit on a key, and a limit per path segment that leaves room on disk for the sidecar's longer name.
MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 200
# S3 sends metadata as HTTP headers: it lowercases names, mangles non-ASCII values and caps the total at 2 KB;
# servers and proxies (moto's among them) drop header names with underscores.
_METADATA_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
MAX_METADATA_BYTES = 2048


def parse_json(data: bytes):
    """A stored record's JSON; ValueError for anything that is not, nesting too deep for Python's parser included."""
    try:
        return json.loads(data)
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error


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
FILENAME_PLACEHOLDER = "${filename}"


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


def check_prefix(prefix: str) -> str:
    # A prefix is a key, a key's leading part, or a key's folder ending in '/'; '' means everything.
    if prefix:
        check_key(prefix.removesuffix("/"))
    return prefix


def check_folder(prefix: str) -> str:
    """A prefix whose folders are listed: it must end in '/', so that a name is never cut in two."""
    if not prefix.endswith("/"):
        raise ValueError(f"Folders are listed under a prefix ending in '/', not {prefix!r}")
    return check_prefix(prefix)


def check_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
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
    def create(
        self, key: str, data: bytes, content_type: str = "application/json", metadata: dict[str, str] | None = None
    ) -> None:
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
    def download_url(self, key: str, filename: str, expires_seconds: int, content_type: str = "application/octet-stream") -> str:
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
    def upload_form(
        self,
        prefix: str,
        redirect_url: str,
        max_bytes: int,
        expires_in: int = UPLOAD_EXPIRES_IN,
        metadata_fields: tuple[str, ...] = (),
    ) -> UploadForm:
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
    def create_stream(
        self, key: str, chunks, content_type: str = "application/octet-stream", metadata: dict[str, str] | None = None
    ) -> int:
        """Write-once, like create, from an iterable of byte chunks; returns the size stored.

        Nothing is visible at `key` until every chunk is stored; if the chunks fail, nothing is stored.
        """
