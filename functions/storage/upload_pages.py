"""Locally, the file store's stand-in for S3's POST endpoint, so that uploads work the same way without S3."""

from flask import Blueprint, abort, redirect, render_template, request

from portal.post_size import takes_posts_up_to

from .. import keep_private
from . import UPLOAD_FIELD, FileStore, UploadRefused, app_store

storage_upload_blueprint = Blueprint("storage_upload", __name__)
keep_private(storage_upload_blueprint, kept="evidence files")
# Above any policy's limit (a slot takes at most 100MB, and a policy twice that); the policy's own limit decides.
LARGEST_POST = 256 * 1024 * 1024


@storage_upload_blueprint.post(FileStore.UPLOAD_PATH)
@takes_posts_up_to(LARGEST_POST)
def upload():
    """Keep the posted file as S3 would, then send the browser where the signed form says."""
    store = app_store()
    if not isinstance(store, FileStore):
        abort(404)  # with S3, the browser posts to the bucket itself
    file = request.files.get(UPLOAD_FIELD)
    try:
        location = store.receive_upload(request.form, file.filename if file else "", file.stream if file else _Empty())
    except UploadRefused:
        return render_template(
            "error.html", title="There is a problem", message="Your file could not be uploaded. Go back and try again."
        ), 400
    return redirect(location, 303)


class _Empty:
    @staticmethod
    def read(size=-1) -> bytes:
        return b""
