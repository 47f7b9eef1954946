"""The file store's stand-in for S3's presigned links: serves a file that FileStore.download_url signed.

S3 serves its own presigned links, so in production this route answers 404.
"""

from flask import Blueprint, abort, current_app

from .. import keep_private
from . import FILE_DOWNLOAD_PATH, FileStore, NotFound, app_store, content_disposition

storage_download_blueprint = Blueprint("storage_download", __name__)
keep_private(storage_download_blueprint, kept="evidence files")


@storage_download_blueprint.get(FILE_DOWNLOAD_PATH + "<signed>")
def download(signed):
    store = app_store()
    if not isinstance(store, FileStore):
        abort(404)
    try:
        key, filename, content_type = store.signed_download(signed)
        data = store.read(key)
    except (NotFound, ValueError):
        abort(404)
    response = current_app.response_class(data, mimetype=content_type)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
