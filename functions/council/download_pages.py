"""Officers download files through short-lived links from storage, each download audited first.

Evidence is offered only once the malware scanner has found it clean, or where no scanner is configured
(functions/malware.py); the link is presigned
for a few minutes and makes the browser save the file as an attachment, never show it.
"""

from flask import abort, current_app, redirect, render_template

from .. import malware
from ..storage import NotFound
from . import submissions
from .web import audited, council_blueprint, store

LINK_SECONDS = 300  # long enough to start a download; a shared or leaked link soon stops working

SCAN_MESSAGES = {
    malware.PENDING: "We are still checking this file for viruses. Try again in a few minutes.",
    malware.THREAT: "The virus check found a problem with this file, or could not check it, so you cannot download it. "
    "Ask the supplier to send the evidence another way.",
}


def scan_status(entry: dict) -> str:
    return malware.scan_status(store(), entry["key"], current_app.config.get("PORTAL_MALWARE_SCANNER"))


def _entry(assessment_id: str, reference: str, file_id: str) -> dict:
    """The evidence file `file_id` in the submission's newest version; earlier versions' files are not offered."""
    try:
        record = submissions.versions(store(), assessment_id, reference)[-1]
    except (NotFound, ValueError):
        abort(404)
    return next((e for e in record.get("evidence") or [] if e.get("id") == file_id), None) or abort(404)


@council_blueprint.get("/submissions/<assessment_id>/<reference>/evidence/<file_id>")
def evidence_file(assessment_id, reference, file_id):
    entry = _entry(assessment_id, reference, file_id)
    status = scan_status(entry)
    if not malware.downloadable(status):
        return render_template(
            "council/cannot_download.html",
            title="You cannot download this file yet" if status == malware.PENDING else "You cannot download this file",
            entry=entry,
            message=SCAN_MESSAGES[status],
            assessment_id=assessment_id,
            reference=reference,
        ), 409
    try:
        link = store().download_url(
            entry["key"], entry["name"], LINK_SECONDS, entry.get("content_type") or "application/octet-stream"
        )
    except NotFound:
        abort(404)  # deleted since the page was shown
    audited("downloaded-evidence", reference, file=entry["id"], name=entry["name"], sha256=entry.get("sha256", ""))
    return redirect(link, 303)
