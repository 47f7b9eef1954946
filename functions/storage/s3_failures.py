"""How S3 fails, and how long the portal waits for it: each failure as one of the storage contract's errors
(AlreadyExists, NotFound, StorageUnavailable, StorageMisconfigured), so that pages need not know boto3."""

import os
from contextlib import contextmanager

from .contract import AlreadyExists, NotFound, StorageError, StorageMisconfigured, StorageUnavailable

__all__ = ["S3_SETTINGS", "s3_settings", "translated_errors"]

# How long S3Store waits for S3 before a request fails with StorageUnavailable: at most about
# (connect + read) x attempts seconds (12 s), inside a function's 15-second Lambda timeout. Set through the environment
# (portal/config.py); botocore's own defaults (60 s reads, retried) would let a slow store hang a page until Lambda kills it.
S3_SETTINGS = {"PORTAL_S3_CONNECT_TIMEOUT": 2.0, "PORTAL_S3_READ_TIMEOUT": 4.0, "PORTAL_S3_MAX_ATTEMPTS": 2}


def s3_settings(environ=os.environ) -> dict:
    """S3_SETTINGS as the environment sets them."""
    return {name: type(default)(environ.get(name, default)) for name, default in S3_SETTINGS.items()}


# S3 error codes that mean "try again later" rather than "you asked for something wrong".
_S3_BUSY = {
    "SlowDown",
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestTimeout",
    "ServiceUnavailable",
    "InternalError",
}
_S3_MISCONFIGURED = {
    "NoSuchBucket",
    "AccessDenied",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "InvalidBucketName",
    "PermanentRedirect",
    "AuthorizationHeaderMalformed",
}


@contextmanager
def translated_errors(key: str):
    """boto3's and botocore's failures inside the block, raised as the storage contract's errors for `key`."""
    from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

    try:
        yield
    except ClientError as err:
        raise _s3_failure(err, key) from err
    except (ConnectionError, HTTPClientError) as err:  # unreachable endpoint, timeouts, dropped connections
        raise StorageUnavailable(f"Cannot reach S3 for {key}: {err}") from err
    except BotoCoreError as err:  # missing credentials and other local misconfiguration
        raise StorageMisconfigured(f"S3 request for {key} failed ({err}): check {StorageMisconfigured.SETTINGS}") from err


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
