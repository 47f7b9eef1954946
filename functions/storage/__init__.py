"""Write-once storage for what suppliers submit: one interface, a folder on disk or an S3 bucket behind it.

- `contract`: the key rules, the errors and the `Store` interface both stores keep;
- `file_store` (with `disk` and `local_endpoints`, its stand-ins for S3's signed uploads and downloads) and
  `s3_store`: the two stores;
- `records`: many JSON records read at once, and the cache of what was read;
- `downloads`: the names a browser saves a download as.

Everything a caller needs is importable from here; `open_store` makes the store PORTAL_STORAGE names, and
`app_store()` is an app's one store, opened once and kept on the app: pages, commands and jobs all use it.
"""

from pathlib import Path

from .contract import (
    MAX_KEY_BYTES,
    MAX_METADATA_BYTES,
    MAX_SEGMENT_BYTES,
    UPLOAD_EXPIRES_IN,
    UPLOAD_FIELD,
    AlreadyExists,
    NotFound,
    Store,
    StorageError,
    StorageMisconfigured,
    StorageUnavailable,
    Upload,
    UploadForm,
    UploadRefused,
    check_key,
    parse_json,
)
from .downloads import content_disposition, filename_metadata, safe_filename
from .file_store import FileStore
from .local_endpoints import FILE_DOWNLOAD_PATH
from .records import READ_THREADS, RECORD_CACHE_BYTES, read_json_many
from .s3_store import S3_SETTINGS, UPLOAD_PART_BYTES, S3Store, s3_settings

__all__ = [
    "FILE_DOWNLOAD_PATH",
    "MAX_KEY_BYTES",
    "MAX_METADATA_BYTES",
    "MAX_SEGMENT_BYTES",
    "READ_THREADS",
    "RECORD_CACHE_BYTES",
    "S3_SETTINGS",
    "UPLOAD_EXPIRES_IN",
    "UPLOAD_FIELD",
    "UPLOAD_PART_BYTES",
    "AlreadyExists",
    "FileStore",
    "NotFound",
    "S3Store",
    "Store",
    "StorageError",
    "StorageMisconfigured",
    "StorageUnavailable",
    "Upload",
    "UploadForm",
    "UploadRefused",
    "app_store",
    "check_key",
    "content_disposition",
    "filename_metadata",
    "open_store",
    "parse_json",
    "read_json_many",
    "s3_settings",
    "safe_filename",
]


def open_store(url: str, settings=None) -> Store:
    """PORTAL_STORAGE value: 's3://bucket/optional/prefix' -> S3Store; anything else is a filesystem path -> FileStore.

    `settings` (the app's config) may set S3's timeouts and attempts, the PORTAL_S3_* names in S3_SETTINGS;
    without it they come from the environment.
    """
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        return S3Store(bucket, prefix, settings=settings)
    return FileStore(Path(url))


def app_store(app=None) -> Store:
    """The app's one store: opened from PORTAL_STORAGE on first use and kept on the app, so that every page, command
    and scheduled job of one app reads and writes through the same object (and its record cache)."""
    if app is None:
        from flask import current_app  # here, not above: the core and the Lambda entries import storage without Flask

        app = current_app._get_current_object()
    if "portal.store" not in app.extensions:
        app.extensions["portal.store"] = open_store(app.config["PORTAL_STORAGE"], app.config)
    return app.extensions["portal.store"]
