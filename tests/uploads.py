"""Posting a file to a signed upload form as a browser would: to S3 (moto's server) over HTTP, or to the file store."""

import io

import requests

from functions.storage import S3Store, UPLOAD_FIELD, UploadForm, UploadRefused


def post_upload(store, form: UploadForm, filename: str, data: bytes, extra: dict | None = None) -> str | None:
    """Post `data` named `filename`; return where storage sends the browser next, or None if it refused the post."""
    fields = {**form.fields, **(extra or {})}
    if isinstance(store, S3Store):
        # requests writes the plain fields before the file, as S3 needs.
        response = requests.post(form.url, data=fields, files={UPLOAD_FIELD: (filename, data)}, allow_redirects=False, timeout=30)
        return response.headers["Location"] if response.status_code == 303 else None
    try:
        return store.receive_upload(fields, filename, io.BytesIO(data))
    except UploadRefused:
        return None
