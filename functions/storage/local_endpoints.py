"""The file store's stand-ins for S3's presigned POST (evidence uploads) and presigned GET (downloads).

The app serves UPLOAD_PATH and FILE_DOWNLOAD_PATH locally (functions/storage/upload_pages.py, storage_download.py). Both
are signed by one signer: itsdangerous with the store's own secret (so any process on the same folder can check
what another signed), a salt for each purpose, and an expiry time inside what is signed.
"""

import json
import os
import re
import secrets
import tempfile
import time
from contextlib import suppress

from .contract import FILENAME_PLACEHOLDER, UPLOAD_EXPIRES_IN, NotFound, UploadForm, UploadRefused, check_prefix
from .disk import sidecar
from portal.text import strip_bidi_and_controls

__all__ = ["FILE_DOWNLOAD_PATH", "LocalEndpoints"]

FILE_DOWNLOAD_PATH = "/storage/download/"  # the file store's local stand-in for a presigned S3 link


class LocalEndpoints:
    """Mixed into FileStore, which gives it `root`, `_path`, `_cannot` and `_failure`."""

    UPLOAD_PATH = "/storage/upload"

    # Downloads: a signed, expiring link, as S3 presigns.

    def download_url(self, key, filename, expires_seconds, content_type="application/octet-stream"):
        if not self._path(key).is_file():
            raise NotFound(key)
        claims = {"key": key, "filename": filename, "type": content_type, "expires": int(time.time()) + int(expires_seconds)}
        return f"{FILE_DOWNLOAD_PATH}{self._signer('download').dumps(claims)}"

    def signed_download(self, signed: str) -> tuple[str, str, str]:
        """(key, filename, content type) of a link from download_url, or raise NotFound if forged or expired."""
        claims = self._signed("download", signed)
        if claims is None or claims["expires"] < time.time():
            raise NotFound("download link")
        return claims["key"], claims["filename"], claims["type"]

    # Uploads: a signed policy in the form, as S3's presigned POST has; receive_upload keeps S3's rules.

    def upload_form(self, prefix, redirect_url, max_bytes, expires_in=UPLOAD_EXPIRES_IN, metadata_fields=()):
        policy = self._signer("upload").dumps(
            {
                "expires": int(time.time()) + expires_in,
                "prefix": check_prefix(prefix),
                "redirect": redirect_url,
                "max_bytes": max_bytes,
                "metadata": list(metadata_fields),
            }
        )
        return UploadForm(
            self.UPLOAD_PATH, {"key": prefix + FILENAME_PLACEHOLDER, "success_action_redirect": redirect_url, "policy": policy}
        )

    def receive_upload(self, fields, filename: str, stream) -> str:
        """Keep a posted file as S3 would for a form from upload_form, and return where to send the browser."""
        policy = self._signed("upload", fields.get("policy", ""))
        if policy is None:
            raise UploadRefused("The signature does not match")
        if time.time() > policy["expires"]:
            raise UploadRefused("The form has expired")
        if (
            fields.get("key") != policy["prefix"] + FILENAME_PLACEHOLDER
            or fields.get("success_action_redirect") != policy["redirect"]
        ):
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
            sidecar(self._path(key)).write_text(
                json.dumps(
                    {"content_type": "application/octet-stream", "metadata": {}, "upload": {"filename": name, "fields": metadata}}
                )
            )
            os.link(temp, self._path(key))
        except OSError as err:
            raise self._cannot(err, f"Cannot receive an upload in {self.root}: {err}") from err
        finally:
            os.unlink(temp)
        return policy["redirect"]

    # The one signer.

    def _signer(self, purpose: str):
        from itsdangerous import URLSafeSerializer

        return URLSafeSerializer(self._secret(), salt=f"file-store-{purpose}")

    def _signed(self, purpose: str, text: str):
        """What `text` holds if this store signed it for `purpose`; None if it is forged or not a signature."""
        from itsdangerous import BadData

        try:
            return self._signer(purpose).loads(text)
        except BadData:
            return None

    def _secret(self) -> bytes:
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
