"""The S3 store: keys as objects in a bucket, through boto3, on AWS or any S3-compatible endpoint."""

from __future__ import annotations

import itertools
import threading
from contextlib import suppress

from .contract import (
    FILENAME_PLACEHOLDER,
    UPLOAD_EXPIRES_IN,
    AlreadyExists,
    NotFound,
    Store,
    StorageError,
    Upload,
    UploadForm,
    check_folder,
    check_key,
    check_metadata,
    check_prefix,
)
from portal.text import strip_bidi_and_controls

from .downloads import content_disposition
from .records import READ_THREADS, RECORDS
from .s3_failures import S3_SETTINGS, s3_settings, translated_errors
from .s3_streams import S3Stream, in_parts

__all__ = ["S3_SETTINGS", "UPLOAD_PART_BYTES", "S3Store", "s3_settings"]

# boto3's default session, which makes every store's client, is not safe to use from two threads at once.
_BOTO3_SESSION_LOCK = threading.Lock()
# Streaming writes to S3 go up in parts of this size (S3's minimum is 5 MiB): memory stays at about one part.
UPLOAD_PART_BYTES = 8 * 1024 * 1024


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
                self._client = boto3.client(
                    "s3",
                    config=Config(
                        connect_timeout=self.settings["PORTAL_S3_CONNECT_TIMEOUT"],
                        read_timeout=self.settings["PORTAL_S3_READ_TIMEOUT"],
                        max_pool_connections=READ_THREADS,
                        retries={"total_max_attempts": self.settings["PORTAL_S3_MAX_ATTEMPTS"], "mode": "standard"},
                    ),
                )
            return self._client

    def create(self, key, data, content_type="application/json", metadata=None):
        metadata = check_metadata(metadata)
        try:
            with self._errors(key):
                # IfNoneMatch makes S3 refuse the write if the key exists; encryption comes from the bucket default.
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self._full(key),
                    Body=data,
                    ContentType=content_type,
                    Metadata=metadata,
                    IfNoneMatch="*",
                )
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
        check_prefix(prefix)
        found = []
        with self._errors(prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
            for page in pages:
                found.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        return sorted(found)

    def folders(self, prefix):
        check_folder(prefix)
        found = []
        with self._errors(prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix, Delimiter="/"
            )
            for page in pages:
                found.extend(
                    item["Prefix"][len(self.prefix + prefix) :].removesuffix("/") for item in page.get("CommonPrefixes", [])
                )
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
        RECORDS.forget(self.location, key)

    def download_url(self, key, filename, expires_seconds, content_type="application/octet-stream"):
        with self._errors(key):
            self.client.head_object(Bucket=self.bucket, Key=self._full(key))  # NotFound now, not a broken link later
            return self.client.generate_presigned_url(
                "get_object",
                ExpiresIn=int(expires_seconds),
                Params={
                    "Bucket": self.bucket,
                    "Key": self._full(key),
                    "ResponseContentType": content_type,
                    "ResponseContentDisposition": content_disposition(filename),
                    "ResponseCacheControl": "no-store",
                },
            )

    def open(self, key):
        with self._errors(key):
            body = self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"]
        return S3Stream(self, key, body)

    def create_stream(self, key, chunks, content_type="application/octet-stream", metadata=None):
        metadata = check_metadata(metadata)
        parts = in_parts(chunks, UPLOAD_PART_BYTES)
        ahead = [next(parts, b"")]
        ahead.append(next(parts, None))
        if ahead[1] is None:  # small enough for one ordinary write
            self.create(key, ahead[0], content_type, metadata)
            return len(ahead[0])
        full = self._full(key)
        with self._errors(key):
            upload = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=full, ContentType=content_type, Metadata=metadata
            )["UploadId"]
        try:
            done, size = [], 0
            # Each part is let go as soon as it is sent, so that memory holds about one part at a time.
            every_part = itertools.chain(iter(lambda: ahead.pop(0) if ahead else None, None), parts)
            for number, part in enumerate(every_part, start=1):
                size += len(part)
                with self._errors(key):
                    etag = self.client.upload_part(Bucket=self.bucket, Key=full, UploadId=upload, PartNumber=number, Body=part)[
                        "ETag"
                    ]
                del part
                done.append({"PartNumber": number, "ETag": etag})
            with self._errors(key):
                # IfNoneMatch makes completing refuse, as create does, if something was stored there meanwhile.
                self._completing_client.complete_multipart_upload(
                    Bucket=self.bucket, Key=full, UploadId=upload, MultipartUpload={"Parts": done}, IfNoneMatch="*"
                )
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

                self._patient_client = boto3.client(
                    "s3",
                    config=Config(connect_timeout=5, read_timeout=900, retries={"total_max_attempts": 3, "mode": "standard"}),
                )
            return self._patient_client

    def _full(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _errors(self, key: str):
        return translated_errors(key)

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
                return self.client.get_object(
                    Bucket=self.bucket, Key=self._full(key), Range=f"bytes={start}-{start + length - 1}"
                )["Body"].read()
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
        full = self.prefix + check_prefix(prefix)
        # S3 swaps ${filename} for the browser's name of the file: without JavaScript nothing else carries it.
        # The policy pins the key's prefix, the redirect and a size range; S3 refuses anything else.
        conditions = [
            ["starts-with", "$key", full],
            {"success_action_redirect": redirect_url},
            ["content-length-range", 0, max_bytes],
        ]
        conditions += [["starts-with", f"$x-amz-meta-{name}", ""] for name in metadata_fields]
        with self._errors(prefix):
            signed = self.client.generate_presigned_post(
                self.bucket,
                full + FILENAME_PLACEHOLDER,
                Fields={"success_action_redirect": redirect_url},
                Conditions=conditions,
                ExpiresIn=expires_in,
            )
        return UploadForm(signed["url"], signed["fields"])

    def claim_upload(self, prefix, key):
        full = self.prefix + check_prefix(prefix)
        target = self._full(key)
        with self._errors(prefix):
            received = sorted(
                item["Key"]
                for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full)
                for item in page.get("Contents", [])
            )
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
                Bucket=self.bucket,
                Key=target,
                CopySource={"Bucket": self.bucket, "Key": incoming},
                MetadataDirective="REPLACE",
                ContentType="application/octet-stream",
                Metadata={},
                IfNoneMatch="*",
            )
            if copied["CopyObjectResult"]["ETag"] != head["ETag"]:
                # Posted again between the HEAD and the copy: the size and fields are another file's. Keep neither.
                self._erase(target)
                raise NotFound(prefix)
            for other in received:
                self._erase(other)
        return Upload(strip_bidi_and_controls(incoming[len(full) :]), head["ContentLength"], head["Metadata"])

    def _erase(self, full: str) -> None:
        # Every version and delete marker of one exact key, which may be a browser-named upload's.
        pages = self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=full)
        for page in pages:
            for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if item["Key"] == full:
                    self.client.delete_object(Bucket=self.bucket, Key=full, VersionId=item["VersionId"])
